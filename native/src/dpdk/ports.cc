#include "ports.h"

#include <cerrno>
#include <cstring>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

namespace hwol {

namespace {

PortResult failure(int rc, const char* operation, const std::string& what) {
  PortResult r;
  r.errnum = rc < 0 ? -rc : (rc > 0 ? rc : EIO);
  r.operation = operation;
  r.message = what + ": " + rte_strerror(r.errnum);
  return r;
}

bool infoOf(uint16_t port, PortInfo* out) {
  char name[RTE_ETH_NAME_MAX_LEN];
  if (rte_eth_dev_get_name_by_port(port, name) != 0) return false;
  rte_eth_dev_info info{};
  out->id = port;
  out->name = name;
  out->driver = rte_eth_dev_info_get(port, &info) == 0 && info.driver_name != nullptr ? info.driver_name : "";
  return true;
}

rte_mempool* sharedPool() {
  static rte_mempool* pool = nullptr;
  if (pool == nullptr) {
    pool = rte_pktmbuf_pool_create("ovs_hwol_mbufs", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, static_cast<int>(rte_socket_id()));
  }
  return pool;
}

}  // namespace

PortResult probePort(const std::string& devargs, PortInfo* out) {
  const int rc = rte_dev_probe(devargs.c_str());
  if (rc != 0 && rc != -EEXIST) return failure(rc, "rte_dev_probe", "cannot probe \"" + devargs + "\"");
  const std::string name = devargs.substr(0, devargs.find(','));
  uint16_t port = 0;
  if (rte_eth_dev_get_port_by_name(name.c_str(), &port) != 0 || !infoOf(port, out)) {
    return failure(-ENODEV, "rte_eth_dev_get_port_by_name", "\"" + devargs + "\" was probed but created no port named \"" + name + "\"");
  }
  return PortResult{};
}

std::vector<PortInfo> listPorts() {
  std::vector<PortInfo> ports;
  uint16_t port;
  RTE_ETH_FOREACH_DEV(port) {
    PortInfo info;
    if (infoOf(port, &info)) ports.push_back(info);
  }
  return ports;
}

int32_t portByName(const std::string& name) {
  uint16_t port = 0;
  return rte_eth_dev_get_port_by_name(name.c_str(), &port) == 0 ? port : -1;
}

PortResult startPort(uint16_t port, uint16_t rx_queues, uint16_t tx_queues) {
  const std::string which = "port " + std::to_string(port);
  if (!rte_eth_dev_is_valid_port(port)) return failure(-ENODEV, "rte_eth_dev_configure", which);
  rte_mempool* pool = sharedPool();
  if (pool == nullptr) return failure(-rte_errno, "rte_pktmbuf_pool_create", "cannot create the mbuf pool");
  rte_eth_conf conf;
  std::memset(&conf, 0, sizeof conf);
  int rc = rte_eth_dev_configure(port, rx_queues, tx_queues, &conf);
  if (rc != 0) return failure(rc, "rte_eth_dev_configure", which);
  const int socket = rte_eth_dev_socket_id(port);
  const unsigned s = socket < 0 ? SOCKET_ID_ANY : static_cast<unsigned>(socket);
  for (uint16_t q = 0; q < rx_queues; q++) {
    rc = rte_eth_rx_queue_setup(port, q, 512, s, nullptr, pool);
    if (rc != 0) return failure(rc, "rte_eth_rx_queue_setup", which + " rx queue " + std::to_string(q));
  }
  for (uint16_t q = 0; q < tx_queues; q++) {
    rc = rte_eth_tx_queue_setup(port, q, 512, s, nullptr);
    if (rc != 0) return failure(rc, "rte_eth_tx_queue_setup", which + " tx queue " + std::to_string(q));
  }
  rc = rte_eth_dev_start(port);
  if (rc != 0) return failure(rc, "rte_eth_dev_start", which);
  return PortResult{};
}

PortResult detachPort(uint16_t port) {
  const std::string which = "port " + std::to_string(port);
  if (!rte_eth_dev_is_valid_port(port)) return failure(-ENODEV, "rte_dev_remove", which);
  rte_eth_dev_info info{};
  int rc = rte_eth_dev_info_get(port, &info);
  if (rc != 0) return failure(rc, "rte_eth_dev_info_get", which);
  rte_eth_dev_stop(port);  // fails harmlessly when the port was never started
  rc = rte_dev_remove(info.device);
  if (rc != 0) return failure(rc, "rte_dev_remove", which);
  return PortResult{};
}

}  // namespace hwol
