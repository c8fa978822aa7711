// The batch API shared by every backend wrapper. Each function loops over a batch and calls the
// device once per element; an element's failure is returned, never thrown:
// failures = [index0, error0, index1, error1, ...] (errors built by makeFlowError), or undefined
// when every element succeeded.
// Only argument errors (TypeError/RangeError) and a broken batch framing (TypeError) are thrown.
#pragma once

#include <napi.h>

#include "../core/flow_device.h"

namespace hwol {

// validate(batch: Uint8Array, count: number): failures
Napi::Value batchValidate(const Napi::CallbackInfo& info, FlowDevice& dev);
// create(batch: Uint8Array, count: number, handlesOut: Uint32Array): failures; handlesOut[i] = handle or 0
Napi::Value batchCreate(const Napi::CallbackInfo& info, FlowDevice& dev);
// destroy(handles: Uint32Array): failures
Napi::Value batchDestroy(const Napi::CallbackInfo& info, FlowDevice& dev);
// query(handles: Uint32Array, reset: boolean, countersOut: Float64Array): failures;
// countersOut[2i] = hits, countersOut[2i+1] = bytes
Napi::Value batchQuery(const Napi::CallbackInfo& info, FlowDevice& dev);
// queryInto(handles: Uint32Array, reset: boolean, countersOut: Float64Array): number of failures.
// Like query, but allocates nothing, not even for a failure: a failed element gets NaN, NaN (the
// statistics sweep's path; query() tells why an element failed).
Napi::Value batchQueryInto(const Napi::CallbackInfo& info, FlowDevice& dev);
// flush(port: number): number of rules removed; throws the device's error
Napi::Value flushPort(const Napi::CallbackInfo& info, FlowDevice& dev);
// ruleCount(port: number): number; throws the device's error
Napi::Value portRuleCount(const Napi::CallbackInfo& info, FlowDevice& dev);

}  // namespace hwol
