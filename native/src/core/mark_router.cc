#include "mark_router.h"

#include <vector>

#include "soft_nic.h"

namespace hwol {

namespace {

// Dense index of a destination: 0..2 the specials, then the odp ports, then unmapped hw-port-ids.
constexpr uint32_t kSpecials = 3;
constexpr uint32_t kKeys = kSpecials + 2 * (kMarkPortMask + 1);

uint32_t keyOf(int32_t dest) {
  if (dest >= 0) return kSpecials + static_cast<uint32_t>(dest);
  if (dest <= kDestUnmappedBase) return kSpecials + (kMarkPortMask + 1) + static_cast<uint32_t>(kDestUnmappedBase - dest);
  return static_cast<uint32_t>(-dest - 1);  // drop 0, miss 1, none 2
}

int32_t destOf(uint32_t mark, uint8_t flags, const int32_t* hw_to_odp, uint32_t hw_count) {
  if ((flags & kVerdictHit) == 0) return kDestMiss;
  if ((flags & kVerdictMarked) != 0) {
    const uint32_t port = mark & kMarkPortMask;
    if ((mark & kMarkOdpPortBit) != 0) return static_cast<int32_t>(port);
    const int32_t odp = port < hw_count ? hw_to_odp[port] : -1;
    return odp >= 0 ? odp : kDestUnmappedBase - static_cast<int32_t>(port);
  }
  return (flags & kVerdictDrop) != 0 ? kDestDrop : kDestNone;
}

}  // namespace

uint32_t routeFrames(const RouteInput& in, const RouteOutput& out) {
  // key -> group index + 1 (0: no group yet); entries used by a call are cleared before it returns.
  thread_local std::vector<uint32_t> group_of(kKeys, 0);
  uint32_t ngroups = 0;
  for (uint32_t i = 0; i < in.n; i++) {
    const int32_t d = destOf(in.marks[i], in.flags[i], in.hw_to_odp, in.hw_count);
    out.dest[i] = d;
    uint32_t& g = group_of[keyOf(d)];
    if (g == 0) {
      g = ++ngroups;
      out.groups[2 * (g - 1)] = d;
      out.groups[2 * (g - 1) + 1] = 0;
    }
    out.groups[2 * (g - 1) + 1]++;
  }
  // Stable counting sort: each group's first slot in `order`, then the frames in arrival order.
  // group_of[key] becomes the next free slot of the group + 1 (always >= 1, so never "no group").
  uint32_t at = 0;
  for (uint32_t g = 0; g < ngroups; g++) {
    group_of[keyOf(out.groups[2 * g])] = at + 1;
    at += static_cast<uint32_t>(out.groups[2 * g + 1]);
  }
  for (uint32_t i = 0; i < in.n; i++) {
    uint32_t& next = group_of[keyOf(out.dest[i])];
    out.order[next - 1] = i;
    next++;
  }
  for (uint32_t g = 0; g < ngroups; g++) group_of[keyOf(out.groups[2 * g])] = 0;
  return ngroups;
}

}  // namespace hwol
