// Validation of a rule against a soft NIC's profile, the way a PMD's validate callback does it:
// the first problem found wins, and it is reported with the rte_flow error type and the errno a
// real PMD gives (ENOTSUP for a capability the NIC lacks, EINVAL for an inconsistent rule, ENODEV
// for a port that does not exist).
#pragma once

#include "flow_error.h"
#include "profile.h"
#include "rule.h"

namespace hwol {

// True when `rule` is acceptable to a NIC with `profile`; otherwise false with *err filled.
// Table capacity and duplicates are not checked here (they depend on the rules installed).
bool validateRule(const Profile& profile, const Rule& rule, FlowError* err);

}  // namespace hwol
