// Argument checks for the N-API functions: a wrong type or range throws a TypeError/RangeError
// naming the function and the argument, never crashes.
#pragma once

#include <napi.h>

#include <cstdint>

namespace hwol {

// A view of a typed array argument of element type T.
template <typename T>
struct ArrayArg {
  T* data;
  size_t length;
};

uint32_t uint32Arg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name);
bool boolArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name);
ArrayArg<uint8_t> uint8ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name);
ArrayArg<uint32_t> uint32ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name);
ArrayArg<int32_t> int32ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name);
ArrayArg<double> float64ArrayArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name);

// Throws RangeError("fn: message").
[[noreturn]] void throwRange(Napi::Env env, const char* fn, const std::string& message);

}  // namespace hwol
