#include "errors.h"

#include "addon_data.h"

namespace hwol {

Napi::Value makeFlowError(Napi::Env env, const FlowError& err) {
  const auto message = Napi::String::New(env, err.message);
  const auto type = Napi::Number::New(env, static_cast<int32_t>(err.type));
  const auto errnum = Napi::Number::New(env, err.errnum);
  const auto position = Napi::Number::New(env, err.position);
  AddonData& data = addonData(env);
  if (!data.flow_error.IsEmpty()) return data.flow_error.New({message, type, errnum, position});
  Napi::Object e = Napi::Error::New(env, err.message).Value();
  e.Set("type", type);
  e.Set("errno", errnum);
  e.Set("position", position);
  return e;
}

void throwFlowError(Napi::Env env, const FlowError& err) {
  throw Napi::Error(env, makeFlowError(env, err));
}

void throwDpdkError(Napi::Env env, const std::string& message, int errnum, const std::string& operation) {
  const auto msg = Napi::String::New(env, message);
  const auto e = Napi::Number::New(env, errnum);
  const auto op = Napi::String::New(env, operation);
  AddonData& data = addonData(env);
  if (!data.dpdk_error.IsEmpty()) throw Napi::Error(env, data.dpdk_error.New({msg, e, op}));
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("errno", e);
  err.Set("operation", op);
  throw err;
}

}  // namespace hwol
