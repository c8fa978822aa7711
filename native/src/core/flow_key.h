// The soft NIC's flow key: every header field a rule can match, at fixed offsets, so that matching
// a packet against a rule is a word-wise (key & mask) == rule comparison.
//
// Byte layout (120 bytes, 15 words):
//   0  presence bits (native u32, kHas*)       4  PORT item layout (input port index, big-endian)
//   8  ETH item layout (16)                    24 VLAN item layout (8)
//   32 IPV4 item layout (20) + 4 pad           56 IPV6 item layout (44)
//   100 L4 item layout (20): UDP, TCP, SCTP, ICMP or ICMP6, told apart by the presence bits
// Each item's layout is the one in layout.h, so a rule's spec and mask bytes are copied in as they are.
#pragma once

#include <cstddef>
#include <cstdint>

#include "layout.h"

namespace hwol {

constexpr size_t kKeyWords = 15;
constexpr size_t kKeyBytes = kKeyWords * 8;

struct alignas(8) FlowKey {
  uint64_t w[kKeyWords];
  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(w); }
  const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(w); }
};

constexpr size_t kOffPresence = 0;
constexpr size_t kOffPort = 4;
constexpr size_t kOffEth = 8;
constexpr size_t kOffVlan = 24;
constexpr size_t kOffIpv4 = 32;
constexpr size_t kOffIpv6 = 56;
constexpr size_t kOffL4 = 100;

// Presence bits: the packet has this header (the rule has this item).
constexpr uint32_t kHasVlan = 1u << 0;
constexpr uint32_t kHasIpv4 = 1u << 1;
constexpr uint32_t kHasIpv6 = 1u << 2;
constexpr uint32_t kHasUdp = 1u << 3;
constexpr uint32_t kHasTcp = 1u << 4;
constexpr uint32_t kHasSctp = 1u << 5;
constexpr uint32_t kHasIcmp = 1u << 6;
constexpr uint32_t kHasIcmp6 = 1u << 7;

// Where an item's layout lives in the key, and the presence bit it requires (0: none).
inline size_t keyOffset(ItemType t) {
  switch (t) {
    case ItemType::kPort: return kOffPort;
    case ItemType::kEth: return kOffEth;
    case ItemType::kVlan: return kOffVlan;
    case ItemType::kIpv4: return kOffIpv4;
    case ItemType::kIpv6: return kOffIpv6;
    default: return kOffL4;
  }
}

inline uint32_t presenceBit(ItemType t) {
  switch (t) {
    case ItemType::kVlan: return kHasVlan;
    case ItemType::kIpv4: return kHasIpv4;
    case ItemType::kIpv6: return kHasIpv6;
    case ItemType::kUdp: return kHasUdp;
    case ItemType::kTcp: return kHasTcp;
    case ItemType::kSctp: return kHasSctp;
    case ItemType::kIcmp: return kHasIcmp;
    case ItemType::kIcmp6: return kHasIcmp6;
    default: return 0;
  }
}

}  // namespace hwol
