// routeFrames(marks: Uint32Array, flags: Uint8Array, hwToOdp: Int32Array, destOut: Int32Array,
//             orderOut: Uint32Array, groupsOut: Int32Array): number of groups
// The packet path's per-port batching over a classify() result (core/mark_router.h): the frame
// count is flags.length; marks, destOut and orderOut hold at least that many elements and
// groupsOut twice that. TypeError/RangeError for bad arguments.
#pragma once

#include <napi.h>

namespace hwol {

Napi::Value RouteFrames(const Napi::CallbackInfo& info);

}  // namespace hwol
