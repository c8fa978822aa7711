#include "batch_ops.h"

#include <limits>
#include <string>

#include "../core/batch_reader.h"
#include "args.h"
#include "errors.h"

namespace hwol {

namespace {

// The failures of one call; the JS array is only made when there is one (undefined otherwise).
class Failures {
 public:
  explicit Failures(Napi::Env env) : env_(env) {}
  void add(uint32_t index, const FlowError& err) {
    if (n_ == 0) array_ = Napi::Array::New(env_);
    array_.Set(n_++, Napi::Number::New(env_, index));
    array_.Set(n_++, makeFlowError(env_, err));
  }
  Napi::Value value() const { return n_ == 0 ? env_.Undefined() : Napi::Value(array_); }

 private:
  Napi::Env env_;
  Napi::Array array_;
  uint32_t n_ = 0;
};

// Decoding storage reused from call to call (one per thread: Node workers each have their own).
Rule& scratchRule() {
  thread_local Rule rule;
  return rule;
}

template <typename F>
Napi::Value forEachRule(const Napi::CallbackInfo& info, const char* fn, F&& f) {
  Napi::Env env = info.Env();
  const ArrayArg<uint8_t> batch = uint8ArrayArg(info, 0, fn, "batch");
  const uint32_t count = uint32Arg(info, 1, fn, "count");
  Failures failures(env);
  BatchReader reader(batch.data, batch.length, count);
  try {
    reader.checkFraming();  // refuse a broken batch before acting on any element
  } catch (const BatchFormatError& e) {
    throw Napi::TypeError::New(env, std::string(fn) + ": rule batch is malformed: " + e.what());
  }
  Rule& rule = scratchRule();
  FlowError err;
  for (uint32_t i = 0; i < count; i++) {
    err.clear();
    if (!reader.next(&rule, &err) || !f(i, rule, &err)) failures.add(i, err);
  }
  return failures.value();
}

}  // namespace

Napi::Value batchValidate(const Napi::CallbackInfo& info, FlowDevice& dev) {
  return forEachRule(info, "validate", [&](uint32_t, const Rule& rule, FlowError* err) { return dev.validate(rule, err); });
}

Napi::Value batchCreate(const Napi::CallbackInfo& info, FlowDevice& dev) {
  const ArrayArg<uint32_t> out = uint32ArrayArg(info, 2, "create", "handlesOut");
  const uint32_t count = uint32Arg(info, 1, "create", "count");
  if (out.length < count) throwRange(info.Env(), "create", "handlesOut holds fewer elements than count");
  return forEachRule(info, "create", [&](uint32_t i, const Rule& rule, FlowError* err) {
    out.data[i] = dev.create(rule, err);
    return out.data[i] != 0;
  });
}

Napi::Value batchDestroy(const Napi::CallbackInfo& info, FlowDevice& dev) {
  const ArrayArg<uint32_t> handles = uint32ArrayArg(info, 0, "destroy", "handles");
  Failures failures(info.Env());
  FlowError err;
  for (size_t i = 0; i < handles.length; i++) {
    err.clear();
    if (!dev.destroy(handles.data[i], &err)) failures.add(static_cast<uint32_t>(i), err);
  }
  return failures.value();
}

Napi::Value batchQuery(const Napi::CallbackInfo& info, FlowDevice& dev) {
  const ArrayArg<uint32_t> handles = uint32ArrayArg(info, 0, "query", "handles");
  const bool reset = boolArg(info, 1, "query", "reset");
  const ArrayArg<double> out = float64ArrayArg(info, 2, "query", "countersOut");
  if (out.length < handles.length * 2) throwRange(info.Env(), "query", "countersOut needs two elements per handle");
  Failures failures(info.Env());
  FlowError err;
  for (size_t i = 0; i < handles.length; i++) {
    err.clear();
    Counters c;
    if (dev.query(handles.data[i], reset, &c, &err)) {
      out.data[2 * i] = static_cast<double>(c.hits);
      out.data[2 * i + 1] = static_cast<double>(c.bytes);
    } else {
      out.data[2 * i] = 0;
      out.data[2 * i + 1] = 0;
      failures.add(static_cast<uint32_t>(i), err);
    }
  }
  return failures.value();
}

Napi::Value batchQueryInto(const Napi::CallbackInfo& info, FlowDevice& dev) {
  const ArrayArg<uint32_t> handles = uint32ArrayArg(info, 0, "queryInto", "handles");
  const bool reset = boolArg(info, 1, "queryInto", "reset");
  const ArrayArg<double> out = float64ArrayArg(info, 2, "queryInto", "countersOut");
  if (out.length < handles.length * 2) throwRange(info.Env(), "queryInto", "countersOut needs two elements per handle");
  uint32_t failed = 0;
  for (size_t i = 0; i < handles.length; i++) {
    Counters c;
    if (dev.queryFast(handles.data[i], reset, &c)) {
      out.data[2 * i] = static_cast<double>(c.hits);
      out.data[2 * i + 1] = static_cast<double>(c.bytes);
    } else {
      out.data[2 * i] = std::numeric_limits<double>::quiet_NaN();
      out.data[2 * i + 1] = std::numeric_limits<double>::quiet_NaN();
      failed++;
    }
  }
  return Napi::Number::New(info.Env(), failed);
}

Napi::Value flushPort(const Napi::CallbackInfo& info, FlowDevice& dev) {
  const uint32_t port = uint32Arg(info, 0, "flush", "port");
  uint32_t removed = 0;
  FlowError err;
  if (!dev.flush(port, &removed, &err)) throwFlowError(info.Env(), err);
  return Napi::Number::New(info.Env(), removed);
}

Napi::Value portRuleCount(const Napi::CallbackInfo& info, FlowDevice& dev) {
  const uint32_t port = uint32Arg(info, 0, "ruleCount", "port");
  uint32_t count = 0;
  FlowError err;
  if (!dev.ruleCount(port, &count, &err)) throwFlowError(info.Env(), err);
  return Napi::Number::New(info.Env(), count);
}

}  // namespace hwol
