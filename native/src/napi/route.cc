#include "route.h"

#include "../core/mark_router.h"
#include "args.h"

namespace hwol {

Napi::Value RouteFrames(const Napi::CallbackInfo& info) {
  static const char* const fn = "routeFrames";
  const ArrayArg<uint32_t> marks = uint32ArrayArg(info, 0, fn, "marks");
  const ArrayArg<uint8_t> flags = uint8ArrayArg(info, 1, fn, "flags");
  const ArrayArg<int32_t> hw_to_odp = int32ArrayArg(info, 2, fn, "hwToOdp");
  const ArrayArg<int32_t> dest = int32ArrayArg(info, 3, fn, "destOut");
  const ArrayArg<uint32_t> order = uint32ArrayArg(info, 4, fn, "orderOut");
  const ArrayArg<int32_t> groups = int32ArrayArg(info, 5, fn, "groupsOut");
  const size_t n = flags.length;
  if (marks.length < n || dest.length < n || order.length < n) {
    throwRange(info.Env(), fn, "marks, destOut and orderOut must hold one element per frame (flags.length)");
  }
  if (groups.length / 2 < n) throwRange(info.Env(), fn, "groupsOut must hold two elements per frame");
  if (n > UINT32_MAX) throwRange(info.Env(), fn, "too many frames");
  const RouteInput in{marks.data, flags.data, static_cast<uint32_t>(n), hw_to_odp.data, static_cast<uint32_t>(hw_to_odp.length)};
  const RouteOutput out{dest.data, order.data, groups.data};
  return Napi::Number::New(info.Env(), routeFrames(in, out));
}

}  // namespace hwol
