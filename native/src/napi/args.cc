#include "args.h"

#include <cmath>
#include <string>

namespace hwol {

namespace {

[[noreturn]] void throwType(Napi::Env env, const char* fn, const char* name, const char* what) {
  throw Napi::TypeError::New(env, std::string(fn) + ": " + name + " must be " + what);
}

template <typename T>
ArrayArg<T> typedArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name, napi_typedarray_type type,
                          const char* what) {
  const Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) throwType(info.Env(), fn, name, what);
  auto arr = v.As<Napi::TypedArrayOf<T>>();
  return ArrayArg<T>{arr.Data(), arr.ElementLength()};
}

}  // namespace

void throwRange(Napi::Env env, const char* fn, const std::string& message) {
  throw Napi::RangeError::New(env, std::string(fn) + ": " + message);
}

uint32_t uint32Arg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  const Napi::Value v = info[i];
  if (!v.IsNumber()) throwType(info.Env(), fn, name, "an integer in 0..4294967295");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || std::floor(d) != d) throwType(info.Env(), fn, name, "an integer in 0..4294967295");
  return static_cast<uint32_t>(d);
}

bool boolArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  const Napi::Value v = info[i];
  if (!v.IsBoolean()) throwType(info.Env(), fn, name, "a boolean");
  return v.As<Napi::Boolean>().Value();
}

ArrayArg<uint8_t> uint8ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return typedArrayArg<uint8_t>(info, i, fn, name, napi_uint8_array, "a Uint8Array");
}

ArrayArg<uint32_t> uint32ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return typedArrayArg<uint32_t>(info, i, fn, name, napi_uint32_array, "a Uint32Array");
}

ArrayArg<int32_t> int32ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return typedArrayArg<int32_t>(info, i, fn, name, napi_int32_array, "an Int32Array");
}

ArrayArg<double> float64ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return typedArrayArg<double>(info, i, fn, name, napi_float64_array, "a Float64Array");
}

}  // namespace hwol
