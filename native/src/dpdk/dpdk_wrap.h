// The dpdk backend's JS surface (built only with DPDK; see binding.gyp).
#pragma once

#include <napi.h>

namespace hwol {

// rte_version(), e.g. "DPDK 22.11.11".
Napi::Value dpdkVersion(Napi::Env env);
// Adds `exports.dpdk`: { ealInit(argv), ealInitialized(), probe(devargs), detach(port), ports(),
// portByName(name), startPort(port, rxQueues, txQueues), Device } (src/native/loader.ts's
// NativeDpdk documents each). EAL and port failures throw the registered DpdkError; Device has the
// batch API of napi/batch_ops.h plus close().
void defineDpdk(Napi::Env env, Napi::Object exports);

}  // namespace hwol
