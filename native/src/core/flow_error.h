// Errors shaped like DPDK's `struct rte_flow_error`: a type saying which part of the rule is at
// fault, a positive errno value, a human-readable message, and the position of the offending
// pattern item or action (the JS equivalent of rte_flow_error.cause).
#pragma once

#include <cstdint>
#include <string>

namespace hwol {

// Same values, in the same order, as DPDK 22.11's enum rte_flow_error_type; the TypeScript side
// (src/native/errors.ts) names them.
enum class ErrorType : int32_t {
  kNone = 0,
  kUnspecified,
  kHandle,
  kAttrGroup,
  kAttrPriority,
  kAttrIngress,
  kAttrEgress,
  kAttrTransfer,
  kAttr,
  kItemNum,
  kItemSpec,
  kItemLast,
  kItemMask,
  kItem,
  kActionNum,
  kActionConf,
  kAction,
  kState,
};

struct FlowError {
  ErrorType type = ErrorType::kNone;
  int32_t errnum = 0;     // positive errno value (EINVAL, ENOTSUP, ...)
  int32_t position = -1;  // index of the pattern item or action at fault, -1 when none
  std::string message;

  bool failed() const { return type != ErrorType::kNone || errnum != 0; }

  // Sets every field and returns false, so that checks can `return err->set(...)`.
  bool set(ErrorType t, int32_t e, int32_t pos, std::string msg) {
    type = t;
    errnum = e;
    position = pos;
    message = std::move(msg);
    return false;
  }

  void clear() {
    type = ErrorType::kNone;
    errnum = 0;
    position = -1;
    message.clear();
  }
};

}  // namespace hwol
