// The dpdk backend's FlowDevice: rte_flow_validate/create/destroy/query/flush on DPDK ports, with
// errors mapped into FlowError (type, errno, message, position of the item or action at fault).
// Each device keeps the handles of the rules created through it; EAL must be initialised first.
#pragma once

#include <cstdint>

#include <rte_flow.h>

#include "../core/flow_device.h"
#include "../core/handle_table.h"
#include "rte_rule.h"

namespace hwol {

class DpdkDevice final : public FlowDevice {
 public:
  DpdkDevice() = default;
  ~DpdkDevice() override;

  bool validate(const Rule& rule, FlowError* err) override;
  uint32_t create(const Rule& rule, FlowError* err) override;
  bool destroy(uint32_t handle, FlowError* err) override;
  bool query(uint32_t handle, bool reset, Counters* out, FlowError* err) override;
  // rte_flow_flush; a PMD without rte_flow support (ENOSYS) has nothing to flush: not an error.
  // *removed counts the rules this device had created on the port.
  bool flush(uint32_t port, uint32_t* removed, FlowError* err) override;
  // Rules created through this device on `port`.
  bool ruleCount(uint32_t port, uint32_t* count, FlowError* err) override;

  // Destroys every rule created through this device (errors ignored).
  void destroyAll();

 private:
  struct Flow {
    uint16_t port = 0;
    rte_flow* flow = nullptr;
  };

  bool checkPort(uint32_t port, FlowError* err) const;
  // Fills *err from an rte_flow call's result; `rule` maps the cause pointer to a position.
  bool fail(int rc, const rte_flow_error& e, const RteRule* rule, FlowError* err) const;

  HandleTable<Flow> flows_;
  RteRule scratch_;
};

}  // namespace hwol
