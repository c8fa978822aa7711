// Per-environment state of the addon (one per Node environment: the main thread and each worker).
#pragma once

#include <napi.h>

namespace hwol {

struct AddonData {
  // Error classes JS hands over with setErrorClasses(); empty until then (plain Errors are thrown).
  Napi::FunctionReference flow_error;
  Napi::FunctionReference dpdk_error;
  Napi::FunctionReference soft_nic;
  Napi::FunctionReference dpdk_device;
};

inline AddonData& addonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace hwol
