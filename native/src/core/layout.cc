#include "layout.h"

#include <cstring>
#include <initializer_list>

namespace hwol {
namespace {

constexpr FieldDesc kPortFields[] = {{"index", 0, 32}};
constexpr FieldDesc kEthFields[] = {{"dst", 0, 48}, {"src", 48, 48}, {"type", 96, 16}, {"hasVlan", 112, 1}};
constexpr FieldDesc kVlanFields[] = {{"tci", 0, 16, true}, {"innerType", 16, 16}, {"hasMoreVlan", 32, 1}};
constexpr FieldDesc kIpv4Fields[] = {
    {"versionIhl", 0, 8, true}, {"tos", 8, 8},  {"totalLength", 16, 16}, {"packetId", 32, 16}, {"fragmentOffset", 48, 16, true},
    {"ttl", 64, 8},       {"proto", 72, 8}, {"checksum", 80, 16},  {"src", 96, 32},      {"dst", 128, 32},
};
constexpr FieldDesc kIpv6Fields[] = {
    {"tc", 4, 8},           {"flowLabel", 12, 20},    {"payloadLen", 32, 16},  {"proto", 48, 8},
    {"hopLimits", 56, 8},   {"src", 64, 128},         {"dst", 192, 128},       {"hasHopExt", 320, 1},
    {"hasRouteExt", 321, 1}, {"hasFragExt", 322, 1},  {"hasAuthExt", 323, 1},  {"hasEspExt", 324, 1},
    {"hasDestExt", 325, 1}, {"hasMobilExt", 326, 1},  {"hasHipExt", 327, 1},   {"hasShim6Ext", 328, 1},
};
constexpr FieldDesc kIcmpFields[] = {{"type", 0, 8}, {"code", 8, 8}, {"checksum", 16, 16}, {"ident", 32, 16}, {"seq", 48, 16}};
constexpr FieldDesc kIcmp6Fields[] = {{"type", 0, 8}, {"code", 8, 8}, {"checksum", 16, 16}};
constexpr FieldDesc kUdpFields[] = {{"srcPort", 0, 16}, {"dstPort", 16, 16}, {"length", 32, 16}, {"checksum", 48, 16}};
constexpr FieldDesc kTcpFields[] = {
    {"srcPort", 0, 16}, {"dstPort", 16, 16}, {"seq", 32, 32},       {"ack", 64, 32},     {"dataOff", 96, 8, true},
    {"flags", 104, 8, true},  {"window", 112, 16}, {"checksum", 128, 16}, {"urgent", 144, 16},
};
constexpr FieldDesc kSctpFields[] = {{"srcPort", 0, 16}, {"dstPort", 16, 16}, {"tag", 32, 32}, {"checksum", 64, 32}};

template <size_t N>
constexpr uint16_t count(const FieldDesc (&)[N]) {
  return static_cast<uint16_t>(N);
}

// Builds the table once: default masks and defined-bit masks are derived from the field lists.
struct Tables {
  ItemDesc items[kNumItemTypes];

  Tables() {
    std::memset(items, 0, sizeof items);
    add(ItemType::kPort, "PORT", 4, Layer::kMeta, kPortFields, count(kPortFields), {"index"});
    add(ItemType::kEth, "ETH", 16, Layer::kL2, kEthFields, count(kEthFields), {"dst", "src"});
    add(ItemType::kVlan, "VLAN", 8, Layer::kVlan, kVlanFields, count(kVlanFields), {});
    // VLAN's default mask is the VID only (0x0fff of the TCI), as rte_flow_item_vlan_mask.
    setBits(items[static_cast<uint32_t>(ItemType::kVlan)].default_mask, 4, 12);
    add(ItemType::kIpv4, "IPV4", 20, Layer::kL3, kIpv4Fields, count(kIpv4Fields), {"src", "dst"});
    add(ItemType::kIpv6, "IPV6", 44, Layer::kL3, kIpv6Fields, count(kIpv6Fields), {"src", "dst"});
    add(ItemType::kIcmp, "ICMP", 8, Layer::kL4, kIcmpFields, count(kIcmpFields), {"type", "code"});
    add(ItemType::kIcmp6, "ICMP6", 4, Layer::kL4, kIcmp6Fields, count(kIcmp6Fields), {"type", "code"});
    add(ItemType::kUdp, "UDP", 8, Layer::kL4, kUdpFields, count(kUdpFields), {"srcPort", "dstPort"});
    add(ItemType::kTcp, "TCP", 20, Layer::kL4, kTcpFields, count(kTcpFields), {"srcPort", "dstPort"});
    add(ItemType::kSctp, "SCTP", 12, Layer::kL4, kSctpFields, count(kSctpFields), {"srcPort", "dstPort"});
  }

  void add(ItemType type, const char* name, uint16_t size, Layer layer, const FieldDesc* fields, uint16_t n,
           std::initializer_list<const char*> defaults) {
    ItemDesc& d = items[static_cast<uint32_t>(type)];
    d.name = name;
    d.size = size;
    d.layer = layer;
    d.fields = fields;
    d.num_fields = n;
    for (uint16_t i = 0; i < n; i++) setBits(d.defined, fields[i].bit_offset, fields[i].bit_width);
    for (const char* f : defaults) {
      const FieldDesc* fd = fieldByName(d, f);
      if (fd != nullptr) setBits(d.default_mask, fd->bit_offset, fd->bit_width);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

constexpr const char* kActionNames[kNumActionTypes] = {nullptr, "MARK", "COUNT", "QUEUE", "DROP", "RSS", "PORT_ID"};

}  // namespace

const ItemDesc* itemDesc(uint32_t type) {
  if (type == 0 || type >= kNumItemTypes) return nullptr;
  return &tables().items[type];
}

const char* actionName(uint32_t type) {
  if (type >= kNumActionTypes) return nullptr;
  return kActionNames[type];
}

int32_t itemTypeByName(const char* name) {
  for (uint32_t t = 1; t < kNumItemTypes; t++) {
    if (std::strcmp(tables().items[t].name, name) == 0) return static_cast<int32_t>(t);
  }
  return -1;
}

int32_t actionTypeByName(const char* name) {
  for (uint32_t t = 1; t < kNumActionTypes; t++) {
    if (std::strcmp(kActionNames[t], name) == 0) return static_cast<int32_t>(t);
  }
  return -1;
}

const FieldDesc* fieldAt(const ItemDesc& desc, uint32_t bit) {
  for (uint16_t i = 0; i < desc.num_fields; i++) {
    const FieldDesc& f = desc.fields[i];
    if (bit >= f.bit_offset && bit < static_cast<uint32_t>(f.bit_offset) + f.bit_width) return &f;
  }
  return nullptr;
}

const FieldDesc* fieldByName(const ItemDesc& desc, const char* name) {
  for (uint16_t i = 0; i < desc.num_fields; i++) {
    if (std::strcmp(desc.fields[i].name, name) == 0) return &desc.fields[i];
  }
  return nullptr;
}

void setBits(uint8_t* buf, uint32_t offset, uint32_t width) {
  for (uint32_t b = offset; b < offset + width; b++) buf[b >> 3] |= static_cast<uint8_t>(0x80u >> (b & 7));
}

uint32_t getBits(const uint8_t* buf, uint32_t offset, uint32_t width) {
  uint32_t v = 0;
  for (uint32_t b = offset; b < offset + width; b++) v = (v << 1) | ((buf[b >> 3] >> (7 - (b & 7))) & 1u);
  return v;
}

}  // namespace hwol
