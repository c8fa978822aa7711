// The capability profile of a soft NIC: what it accepts and how large it is. Profiles are JSON
// files in schema/nic-profiles/ (validated by schema/nic-profile.schema.json in TypeScript) and
// reach the native side as a plain object (napi/profile_arg.cc).
#pragma once

#include <cstdint>
#include <string>

#include "layout.h"

namespace hwol {

enum class MaskPolicy : uint8_t {
  kAny = 0,     // any bit pattern
  kExact = 1,   // each field's mask is all zeros or all ones
  kPrefix = 2,  // each field's mask is leading ones then zeros (a CIDR-like prefix)
};

struct Profile {
  std::string name;
  uint32_t ports = 1;            // ports 0..ports-1
  uint32_t queues = 1;           // receive queues per port
  uint32_t max_rules = 1024;     // rule table size, per port
  uint32_t max_mark = 0xffffffff;
  uint32_t priorities = 1;       // priorities 0..priorities-1 (0 is the highest)
  uint32_t groups = 1;           // groups 0..groups-1; only group 0 classifies packets (no JUMP)
  bool egress = false;
  bool transfer = false;
  MaskPolicy mask_policy = MaskPolicy::kAny;
  bool mark_needs_queue = false;  // MARK is refused unless a QUEUE or RSS action comes with it
  bool items[kNumItemTypes] = {};
  uint8_t matchable[kNumItemTypes][kMaxItemSize] = {};  // mask bits the NIC can match, per item
  bool actions[kNumActionTypes] = {};
};

}  // namespace hwol
