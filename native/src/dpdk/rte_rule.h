// Converts a decoded Rule into the rte_flow structures rte_flow_validate/create take, and maps an
// rte_flow_error's cause pointer back to the item or action it designates.
#pragma once

#include <cstdint>
#include <vector>

#include <rte_flow.h>

#include "../core/rule.h"

namespace hwol {

class RteRule {
 public:
  // Fills the structures from `rule` (pointers stay valid until the next assign()).
  void assign(const Rule& rule);

  const rte_flow_attr* attr() const { return &attr_; }
  const rte_flow_item* pattern() const { return items_.data(); }
  const rte_flow_action* actions() const { return actions_.data(); }
  uint16_t port() const { return port_; }

  // Index of the item (or action) whose structure `cause` points into, else -1.
  int32_t itemIndex(const void* cause) const;
  int32_t actionIndex(const void* cause) const;

 private:
  union ItemConf {
    rte_flow_item_port_id port_id;
    rte_flow_item_eth eth;
    rte_flow_item_vlan vlan;
    rte_flow_item_ipv4 ipv4;
    rte_flow_item_ipv6 ipv6;
    rte_flow_item_icmp icmp;
    rte_flow_item_icmp6 icmp6;
    rte_flow_item_udp udp;
    rte_flow_item_tcp tcp;
    rte_flow_item_sctp sctp;
  };
  union ActionConf {
    rte_flow_action_mark mark;
    rte_flow_action_count count;
    rte_flow_action_queue queue;
    rte_flow_action_rss rss;
    rte_flow_action_port_id port_id;
  };
  struct ItemStore {
    ItemConf spec;
    ItemConf mask;
  };

  uint16_t port_ = 0;
  rte_flow_attr attr_{};
  std::vector<rte_flow_item> items_;
  std::vector<ItemStore> item_store_;
  std::vector<rte_flow_action> actions_;
  std::vector<ActionConf> action_store_;
  std::vector<std::vector<uint16_t>> rss_queues_;
  std::vector<std::vector<uint8_t>> rss_keys_;
};

}  // namespace hwol
