// DPDK port handling for the dpdk backend: hot-plug probing from devargs, lookup by name,
// configuration and start, detach. Failures are returned as (errno, message), never thrown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hwol {

struct PortInfo {
  uint16_t id = 0;
  std::string name;
  std::string driver;
};

struct PortResult {
  int errnum = 0;         // 0: success
  std::string operation;  // the DPDK call that failed
  std::string message;
};

// rte_dev_probe(devargs) (a device that already exists is fine), then the port named by the part
// of devargs before the first comma.
PortResult probePort(const std::string& devargs, PortInfo* out);
// Every port, in id order.
std::vector<PortInfo> listPorts();
// Port id of `name`, or -1.
int32_t portByName(const std::string& name);
// Configures rx_queues/tx_queues (512 descriptors each, from one shared mbuf pool) and starts the port.
PortResult startPort(uint16_t port, uint16_t rx_queues, uint16_t tx_queues);
// Stops the port and hot-unplugs its device (rte_dev_remove), closing it.
PortResult detachPort(uint16_t port);

}  // namespace hwol
