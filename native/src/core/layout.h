// Pattern item and action types and the byte layout of each item, shared by every backend.
//
// An item's spec and mask travel from TypeScript as bytes in the item's *layout*: the protocol
// header exactly as on the wire (network byte order, as in DPDK's rte_flow_item_* structures),
// followed for some items by a byte of flag bits (ETH has_vlan, VLAN has_more_vlan, IPv6 has_*_ext).
// Fields are named bit ranges of the layout; bit 0 is the most significant bit of byte 0. The
// TypeScript encoder (src/native/item-fields.ts) holds the same table; test/native checks they agree.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hwol {

// Numbering of the JS <-> native batch format (not DPDK's enum values).
enum class ItemType : uint32_t {
  kEnd = 0,
  kPort,   // the input port index (DPDK: RTE_FLOW_ITEM_TYPE_PORT_ID)
  kEth,
  kVlan,
  kIpv4,
  kIpv6,
  kIcmp,
  kIcmp6,
  kUdp,
  kTcp,
  kSctp,
};
constexpr uint32_t kNumItemTypes = 11;

enum class ActionType : uint32_t {
  kEnd = 0,
  kMark,
  kCount,
  kQueue,
  kDrop,
  kRss,
  kPortId,
};
constexpr uint32_t kNumActionTypes = 7;

// Largest item layout (IPv6: 40 header bytes + 4 flag bytes).
constexpr size_t kMaxItemSize = 44;

struct FieldDesc {
  const char* name;
  uint16_t bit_offset;
  uint16_t bit_width;
  // Packs several sub-fields or flags (IPv4 version_ihl and fragment_offset, VLAN tci, TCP data_off
  // and flags): a mask policy of whole fields or prefixes does not apply to it.
  bool packed = false;
};

// Protocol layer of an item, for ordering checks: meta items (PORT) may sit anywhere.
enum class Layer : uint8_t { kMeta = 0, kL2 = 1, kVlan = 2, kL3 = 3, kL4 = 4 };

struct ItemDesc {
  const char* name;  // as in TypeScript: "ETH", "IPV4", ...
  uint16_t size;     // layout size in bytes
  Layer layer;
  const FieldDesc* fields;
  uint16_t num_fields;
  uint8_t default_mask[kMaxItemSize];  // DPDK's rte_flow_item_*_mask
  uint8_t defined[kMaxItemSize];       // bits covered by some field
};

// Descriptor of a known item type; nullptr for kEnd or an unknown value.
const ItemDesc* itemDesc(uint32_t type);
// "MARK", "COUNT", ...; nullptr for kEnd or an unknown value.
const char* actionName(uint32_t type);
// The item or action type with this name, or -1.
int32_t itemTypeByName(const char* name);
int32_t actionTypeByName(const char* name);

// The field of `desc` covering bit `bit`, or nullptr.
const FieldDesc* fieldAt(const ItemDesc& desc, uint32_t bit);
// The field of `desc` called `name`, or nullptr.
const FieldDesc* fieldByName(const ItemDesc& desc, const char* name);

// Sets bits [offset, offset + width) of buf (bit 0 = MSB of byte 0).
void setBits(uint8_t* buf, uint32_t offset, uint32_t width);
// Value of bits [offset, offset + width) of buf, width <= 32.
uint32_t getBits(const uint8_t* buf, uint32_t offset, uint32_t width);

}  // namespace hwol
