// Reads a soft NIC profile from the plain object src/native/profile.ts builds (NativeProfile).
#pragma once

#include <napi.h>

#include "../core/profile.h"

namespace hwol {

// Throws a TypeError naming the property when the object is not a valid profile.
Profile profileFromObject(Napi::Env env, const Napi::Value& value);

}  // namespace hwol
