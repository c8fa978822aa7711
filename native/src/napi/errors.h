// Native errors as the JS classes the TypeScript side registered (better-sqlite3 style).
#pragma once

#include <napi.h>

#include <string>

#include "../core/flow_error.h"

namespace hwol {

// new RteFlowError(message, type, errno, position), or a plain Error with those properties when no
// class was registered.
Napi::Value makeFlowError(Napi::Env env, const FlowError& err);
// Throws makeFlowError(...) as a JS exception (via Napi::Error).
[[noreturn]] void throwFlowError(Napi::Env env, const FlowError& err);
// new DpdkError(message, errno, operation) for EAL and port failures.
[[noreturn]] void throwDpdkError(Napi::Env env, const std::string& message, int errnum, const std::string& operation);

}  // namespace hwol
