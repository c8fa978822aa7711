// The operations every backend offers, one rule (or handle) at a time; the N-API layer loops over
// a batch and collects per-element failures. All calls happen on one thread (the JS thread).
#pragma once

#include <cstdint>

#include "flow_error.h"
#include "rule.h"

namespace hwol {

struct Counters {
  uint64_t hits = 0;
  uint64_t bytes = 0;
};

class FlowDevice {
 public:
  virtual ~FlowDevice() = default;

  // rte_flow_validate: true when the device would accept the rule now.
  virtual bool validate(const Rule& rule, FlowError* err) = 0;
  // rte_flow_create: a non-zero handle, or 0 with *err filled.
  virtual uint32_t create(const Rule& rule, FlowError* err) = 0;
  // rte_flow_destroy.
  virtual bool destroy(uint32_t handle, FlowError* err) = 0;
  // rte_flow_query of the rule's COUNT action; `reset` zeroes the counters after reading them.
  virtual bool query(uint32_t handle, bool reset, Counters* out, FlowError* err) = 0;
  // query() without the reason of a failure (the statistics sweep's path): true with *out filled,
  // or false. A device overrides it when it can fail without building an error message.
  virtual bool queryFast(uint32_t handle, bool reset, Counters* out) {
    FlowError err;
    return query(handle, reset, out, &err);
  }
  // rte_flow_flush: destroys every rule of `port`; *removed says how many.
  virtual bool flush(uint32_t port, uint32_t* removed, FlowError* err) = 0;
  // Introspection: the number of rules installed on `port`.
  virtual bool ruleCount(uint32_t port, uint32_t* count, FlowError* err) = 0;
};

}  // namespace hwol
