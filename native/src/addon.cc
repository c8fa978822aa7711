// Entry point of the ovs-hwol native addon.
//
// For now it only proves the build chain: it reports the addon's ABI version so that the
// TypeScript loader can check it matches what it expects. The rte_flow layer is added on top.
#include <napi.h>

namespace {

// Bumped whenever the JS <-> native contract changes; the loader refuses a mismatch.
constexpr uint32_t kAbiVersion = 1;

Napi::Value AbiVersion(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), kAbiVersion);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Function::New(env, AbiVersion, "abiVersion"));
  return exports;
}

}  // namespace

NODE_API_MODULE(ovs_hwol, Init)
