#include "packet_parser.h"

#include <cstring>

namespace hwol {
namespace {

constexpr uint32_t kEthHeader = 14;
constexpr int kMaxVlanTags = 4;
constexpr int kMaxIpv6ExtHeaders = 8;

inline uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

inline bool isTpid(uint16_t t) { return t == 0x8100 || t == 0x88a8 || t == 0x9100; }

// Copies the L4 header (min_len..20 bytes of it, bounded by `avail`) and sets its presence bit.
// Returns false when fewer than min_len bytes are available.
bool parseL4(uint8_t proto, bool v6, const uint8_t* p, uint32_t avail, FlowKey* key, uint32_t* presence) {
  uint32_t min_len = 0;
  uint32_t bit = 0;
  switch (proto) {
    case 17: min_len = 8; bit = kHasUdp; break;
    case 6: min_len = 20; bit = kHasTcp; break;
    case 132: min_len = 12; bit = kHasSctp; break;
    case 1:
      if (v6) return true;
      min_len = 8; bit = kHasIcmp;
      break;
    case 58:
      if (!v6) return true;
      min_len = 4; bit = kHasIcmp6;
      break;
    default:
      return true;  // an L4 protocol the NIC does not parse: no L4 item can match
  }
  if (avail < min_len) return false;
  if (proto == 6) {
    const uint32_t data_off = static_cast<uint32_t>(p[12] >> 4) * 4;
    if (data_off < 20 || data_off > avail) return false;
  }
  std::memcpy(key->bytes() + kOffL4, p, min_len);  // min_len is the item's layout size
  *presence |= bit;
  return true;
}

bool parseIpv4(const uint8_t* p, uint32_t avail, FlowKey* key, uint32_t* presence) {
  if (avail < 20) return false;
  const uint8_t version = p[0] >> 4;
  const uint32_t ihl = static_cast<uint32_t>(p[0] & 0x0f) * 4;
  const uint32_t total = be16(p + 2);
  if (version != 4 || ihl < 20 || total < ihl || total > avail) return false;
  std::memcpy(key->bytes() + kOffIpv4, p, 20);
  *presence |= kHasIpv4;
  const uint16_t frag = be16(p + 6) & 0x1fff;
  if (frag != 0) return true;  // a later fragment: no L4 header
  return parseL4(p[9], false, p + ihl, total - ihl, key, presence);
}

// The IPv6 extension header flag bit (layout.h: byte 40 of the IPv6 layout), or 0 for a non-extension.
uint8_t ipv6ExtFlag(uint8_t nh) {
  switch (nh) {
    case 0: return 0x80;    // hop-by-hop
    case 43: return 0x40;   // routing
    case 44: return 0x20;   // fragment
    case 51: return 0x10;   // authentication
    case 50: return 0x08;   // ESP
    case 60: return 0x04;   // destination options
    case 135: return 0x02;  // mobility
    case 139: return 0x01;  // HIP
    default: return 0;
  }
}

bool parseIpv6(const uint8_t* p, uint32_t avail, FlowKey* key, uint32_t* presence) {
  if (avail < 40) return false;
  if ((p[0] >> 4) != 6) return false;
  const uint32_t payload = be16(p + 4);
  if (payload > avail - 40) return false;
  uint8_t* k = key->bytes() + kOffIpv6;
  std::memcpy(k, p, 40);
  *presence |= kHasIpv6;
  uint8_t nh = p[6];
  uint32_t off = 40;
  const uint32_t end = 40 + payload;
  bool later_fragment = false;
  uint8_t flags = 0;
  uint8_t shim6 = 0;
  for (int i = 0;; i++) {
    const uint8_t flag = ipv6ExtFlag(nh);
    if (flag == 0 && nh != 140) break;
    if (i == kMaxIpv6ExtHeaders) return false;
    if (nh == 140) shim6 = 0x80;
    flags |= flag;
    if (nh == 50) break;  // ESP: the rest is encrypted
    if (end - off < 8) return false;
    uint32_t len;
    if (nh == 44) {
      len = 8;
      if ((be16(p + off + 2) & 0xfff8) != 0) later_fragment = true;
    } else if (nh == 51) {
      len = (static_cast<uint32_t>(p[off + 1]) + 2) * 4;
    } else {
      len = (static_cast<uint32_t>(p[off + 1]) + 1) * 8;
    }
    if (len > end - off) return false;
    nh = p[off];
    off += len;
  }
  k[6] = nh;  // the upper-layer protocol
  k[40] = flags;
  k[41] = shim6;
  if (later_fragment || nh == 50) return true;
  return parseL4(nh, true, p + off, end - off, key, presence);
}

}  // namespace

bool parseFrame(const uint8_t* data, uint32_t len, uint32_t port_index, FlowKey* key) {
  std::memset(key->w, 0, sizeof key->w);
  if (data == nullptr || len < kEthHeader) return false;
  uint8_t* k = key->bytes();
  k[kOffPort] = static_cast<uint8_t>(port_index >> 24);
  k[kOffPort + 1] = static_cast<uint8_t>(port_index >> 16);
  k[kOffPort + 2] = static_cast<uint8_t>(port_index >> 8);
  k[kOffPort + 3] = static_cast<uint8_t>(port_index);
  std::memcpy(k + kOffEth, data, kEthHeader);
  uint32_t presence = 0;
  uint32_t off = 12;
  uint16_t type = be16(data + off);
  if (isTpid(type)) {
    if (len < off + 6) return false;
    k[kOffEth + 14] = 0x80;  // has_vlan
    std::memcpy(k + kOffVlan, data + off + 2, 4);  // TCI and inner type
    presence |= kHasVlan;
    off += 4;
    type = be16(data + off);
    if (isTpid(type)) k[kOffVlan + 4] = 0x80;  // has_more_vlan
    for (int tags = 1; isTpid(type); tags++) {
      if (tags == kMaxVlanTags || len < off + 6) return false;
      off += 4;
      type = be16(data + off);
    }
  }
  off += 2;
  bool ok = true;
  if (type == 0x0800) {
    ok = parseIpv4(data + off, len - off, key, &presence);
  } else if (type == 0x86dd) {
    ok = parseIpv6(data + off, len - off, key, &presence);
  }
  std::memcpy(k + kOffPresence, &presence, 4);
  return ok;
}

}  // namespace hwol
