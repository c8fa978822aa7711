#include "soft_nic_wrap.h"

#include <string>

#include "args.h"
#include "batch_ops.h"
#include "errors.h"
#include "profile_arg.h"

namespace hwol {

Napi::Function SoftNicWrap::define(Napi::Env env) {
  return DefineClass(env, "SoftNic",
                     {
                         InstanceMethod<&SoftNicWrap::Validate>("validate"),
                         InstanceMethod<&SoftNicWrap::Create>("create"),
                         InstanceMethod<&SoftNicWrap::Destroy>("destroy"),
                         InstanceMethod<&SoftNicWrap::Query>("query"),
                         InstanceMethod<&SoftNicWrap::QueryInto>("queryInto"),
                         InstanceMethod<&SoftNicWrap::Flush>("flush"),
                         InstanceMethod<&SoftNicWrap::RuleCount>("ruleCount"),
                         InstanceMethod<&SoftNicWrap::Classify>("classify"),
                         InstanceMethod<&SoftNicWrap::Close>("close"),
                     });
}

SoftNicWrap::SoftNicWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SoftNicWrap>(info) {
  nic_ = std::make_unique<SoftNic>(profileFromObject(info.Env(), info[0]));
}

SoftNic& SoftNicWrap::nic(const Napi::CallbackInfo& info) {
  if (!nic_) throw Napi::Error::New(info.Env(), "SoftNic is closed");
  return *nic_;
}

Napi::Value SoftNicWrap::Validate(const Napi::CallbackInfo& info) { return batchValidate(info, nic(info)); }
Napi::Value SoftNicWrap::Create(const Napi::CallbackInfo& info) { return batchCreate(info, nic(info)); }
Napi::Value SoftNicWrap::Destroy(const Napi::CallbackInfo& info) { return batchDestroy(info, nic(info)); }
Napi::Value SoftNicWrap::Query(const Napi::CallbackInfo& info) { return batchQuery(info, nic(info)); }
Napi::Value SoftNicWrap::QueryInto(const Napi::CallbackInfo& info) { return batchQueryInto(info, nic(info)); }
Napi::Value SoftNicWrap::Flush(const Napi::CallbackInfo& info) { return flushPort(info, nic(info)); }
Napi::Value SoftNicWrap::RuleCount(const Napi::CallbackInfo& info) { return portRuleCount(info, nic(info)); }

Napi::Value SoftNicWrap::Classify(const Napi::CallbackInfo& info) {
  static const char* const fn = "classify";
  SoftNic& n = nic(info);
  const uint32_t port = uint32Arg(info, 0, fn, "port");
  const uint32_t port_index = uint32Arg(info, 1, fn, "portIndex");
  const ArrayArg<uint8_t> data = uint8ArrayArg(info, 2, fn, "data");
  const ArrayArg<uint32_t> offsets = uint32ArrayArg(info, 3, fn, "offsets");
  const ArrayArg<uint32_t> handles = uint32ArrayArg(info, 4, fn, "handlesOut");
  const ArrayArg<uint32_t> marks = uint32ArrayArg(info, 5, fn, "marksOut");
  const ArrayArg<uint32_t> fates = uint32ArrayArg(info, 6, fn, "fateOut");
  const ArrayArg<uint8_t> flags = uint8ArrayArg(info, 7, fn, "flagsOut");
  if (offsets.length == 0) throwRange(info.Env(), fn, "offsets must hold at least one element (frame count + 1)");
  const size_t count = offsets.length - 1;
  if (handles.length < count || marks.length < count || fates.length < count || flags.length < count) {
    throwRange(info.Env(), fn, "output arrays must hold one element per frame");
  }
  for (size_t i = 0; i < count; i++) {
    if (offsets.data[i] > offsets.data[i + 1]) throwRange(info.Env(), fn, "offsets must not decrease (at index " + std::to_string(i) + ")");
  }
  if (offsets.data[count] > data.length) throwRange(info.Env(), fn, "offsets point beyond the end of data");
  uint32_t hits = 0;
  FlowError err;
  const VerdictArrays out{handles.data, marks.data, fates.data, flags.data};
  if (!n.classify(port, port_index, data.data, offsets.data, static_cast<uint32_t>(count), out, &hits, &err)) {
    throwFlowError(info.Env(), err);
  }
  return Napi::Number::New(info.Env(), hits);
}

Napi::Value SoftNicWrap::Close(const Napi::CallbackInfo& info) {
  nic_.reset();
  return info.Env().Undefined();
}

}  // namespace hwol
