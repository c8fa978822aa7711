// Parses a raw Ethernet frame into a FlowKey.
#pragma once

#include <cstdint>

#include "flow_key.h"

namespace hwol {

// Fills *key from the frame (len bytes at data) received with input port index `port_index`.
//
// Handles Ethernet II, up to four 802.1Q/802.1ad tags (TPID 0x8100, 0x88a8, 0x9100; the key holds
// the outer one), IPv4 with options and fragments, IPv6 with its extension headers (hop-by-hop,
// routing, fragment, destination options, AH, ESP, mobility, HIP, shim6), TCP, UDP, SCTP, ICMP,
// ICMPv6. Later fragments carry no L4 header. IPv6's proto is the upper-layer protocol found after
// the extension headers. Frames with other EtherTypes or L4 protocols parse as far as known.
//
// Returns false for a short or malformed frame (truncated headers, IPv4 version != 4 or IHL < 5,
// total length beyond the frame, a TCP data offset < 5, ...): such a frame must match no rule.
// Never reads outside [data, data + len).
bool parseFrame(const uint8_t* data, uint32_t len, uint32_t port_index, FlowKey* key);

}  // namespace hwol
