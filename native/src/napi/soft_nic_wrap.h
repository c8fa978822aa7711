// JS class SoftNic (exported by the addon): a soft NIC with the batch API of batch_ops.h, plus
// classify() and close().
#pragma once

#include <napi.h>

#include <memory>

#include "../core/soft_nic.h"

namespace hwol {

class SoftNicWrap : public Napi::ObjectWrap<SoftNicWrap> {
 public:
  static Napi::Function define(Napi::Env env);

  // new SoftNic(profile: NativeProfile)
  explicit SoftNicWrap(const Napi::CallbackInfo& info);

 private:
  SoftNic& nic(const Napi::CallbackInfo& info);

  Napi::Value Validate(const Napi::CallbackInfo& info);
  Napi::Value Create(const Napi::CallbackInfo& info);
  Napi::Value Destroy(const Napi::CallbackInfo& info);
  Napi::Value Query(const Napi::CallbackInfo& info);
  Napi::Value QueryInto(const Napi::CallbackInfo& info);
  Napi::Value Flush(const Napi::CallbackInfo& info);
  Napi::Value RuleCount(const Napi::CallbackInfo& info);
  // classify(port, portIndex, data: Uint8Array, offsets: Uint32Array, handlesOut: Uint32Array,
  //          marksOut: Uint32Array, fateOut: Uint32Array, flagsOut: Uint8Array): number of hits
  Napi::Value Classify(const Napi::CallbackInfo& info);
  // close(): frees every rule; later calls throw an Error.
  Napi::Value Close(const Napi::CallbackInfo& info);

  std::unique_ptr<SoftNic> nic_;
};

}  // namespace hwol
