// Entry point of the ovs-hwol native addon: the rte_flow layer (native/README.md).
//
// Exports:
//   abiVersion(): number                       the JS <-> native contract version (kAbiVersion)
//   setErrorClasses(RteFlowError, DpdkError)   classes the native side throws and returns
//   buildInfo(): { dpdk: boolean, dpdkVersion: string | null }
//   itemLayouts(): { items: {NAME: {code, size, fields: [name, bitOffset, bitWidth][], packed: string[],
//                    defaultMask: number[]}}, actions: {NAME: code} }   the layout tables, for consistency tests
//   routeFrames(...)                           the packet path's per-port batching, see napi/route.h
//   SoftNic                                    class, see napi/soft_nic_wrap.h
//   dpdk                                       the dpdk backend, when built (dpdk/dpdk_wrap.h)
#include <napi.h>

#include "../core/layout.h"
#include "addon_data.h"
#include "route.h"
#include "soft_nic_wrap.h"
#ifdef OVS_HWOL_WITH_DPDK
#include "../dpdk/dpdk_wrap.h"
#endif

namespace hwol {
namespace {

// Bumped whenever the JS <-> native contract changes; src/native/loader.ts refuses a mismatch.
constexpr uint32_t kAbiVersion = 4;

Napi::Value AbiVersion(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), kAbiVersion); }

Napi::Value SetErrorClasses(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(info.Env(), "setErrorClasses(flowError, dpdkError): both must be classes");
  }
  AddonData& data = addonData(info.Env());
  data.flow_error = Napi::Persistent(info[0].As<Napi::Function>());
  data.dpdk_error = Napi::Persistent(info[1].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
#ifdef OVS_HWOL_WITH_DPDK
  o.Set("dpdk", true);
  o.Set("dpdkVersion", dpdkVersion(env));
#else
  o.Set("dpdk", false);
  o.Set("dpdkVersion", env.Null());
#endif
  return o;
}

Napi::Value ItemLayouts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object items = Napi::Object::New(env);
  for (uint32_t t = 1; t < kNumItemTypes; t++) {
    const ItemDesc& d = *itemDesc(t);
    Napi::Object o = Napi::Object::New(env);
    o.Set("code", t);
    o.Set("size", static_cast<uint32_t>(d.size));
    Napi::Array fields = Napi::Array::New(env, d.num_fields);
    for (uint32_t i = 0; i < d.num_fields; i++) {
      Napi::Array f = Napi::Array::New(env, 3);
      f.Set(0u, d.fields[i].name);
      f.Set(1u, static_cast<uint32_t>(d.fields[i].bit_offset));
      f.Set(2u, static_cast<uint32_t>(d.fields[i].bit_width));
      fields.Set(i, f);
    }
    o.Set("fields", fields);
    Napi::Array packed = Napi::Array::New(env);
    for (uint32_t i = 0, n = 0; i < d.num_fields; i++) {
      if (d.fields[i].packed) packed.Set(n++, d.fields[i].name);
    }
    o.Set("packed", packed);
    Napi::Array mask = Napi::Array::New(env, d.size);
    for (uint32_t b = 0; b < d.size; b++) mask.Set(b, static_cast<uint32_t>(d.default_mask[b]));
    o.Set("defaultMask", mask);
    items.Set(d.name, o);
  }
  Napi::Object actions = Napi::Object::New(env);
  for (uint32_t t = 1; t < kNumActionTypes; t++) actions.Set(actionName(t), t);
  Napi::Object result = Napi::Object::New(env);
  result.Set("items", items);
  result.Set("actions", actions);
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData(data);  // deleted by node-addon-api when the environment goes away
  exports.Set("abiVersion", Napi::Function::New(env, AbiVersion, "abiVersion"));
  exports.Set("setErrorClasses", Napi::Function::New(env, SetErrorClasses, "setErrorClasses"));
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
  exports.Set("itemLayouts", Napi::Function::New(env, ItemLayouts, "itemLayouts"));
  exports.Set("routeFrames", Napi::Function::New(env, RouteFrames, "routeFrames"));
  Napi::Function soft = SoftNicWrap::define(env);
  data->soft_nic = Napi::Persistent(soft);
  exports.Set("SoftNic", soft);
#ifdef OVS_HWOL_WITH_DPDK
  defineDpdk(env, exports);
#endif
  return exports;
}

}  // namespace
}  // namespace hwol

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return hwol::Init(env, exports); }

NODE_API_MODULE(ovs_hwol, InitAddon)
