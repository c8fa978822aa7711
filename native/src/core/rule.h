// A decoded flow rule: attributes, pattern items (spec and mask bytes in the item's layout, see
// layout.h) and actions. This is the form every backend receives; it is reused between the
// elements of a batch so that decoding a batch does not allocate per rule.
#pragma once

#include <cstdint>
#include <vector>

#include "layout.h"

namespace hwol {

struct PatternItem {
  ItemType type = ItemType::kEnd;
  bool has_spec = false;
  bool has_mask = false;  // false: the item's default mask applies (as a NULL mask in rte_flow)
  uint8_t spec[kMaxItemSize] = {};
  uint8_t mask[kMaxItemSize] = {};

  // The mask that applies: the given one, or the item's default mask; all zeros without a spec.
  const uint8_t* effectiveMask(const ItemDesc& desc) const;
};

struct RssConf {
  uint32_t func = 0;    // enum rte_eth_hash_function: 0 default, 1 toeplitz, 2 simple xor, 3 symmetric toeplitz
  uint32_t level = 0;
  uint64_t types = 0;   // RTE_ETH_RSS_* bits
  std::vector<uint8_t> key;
  std::vector<uint16_t> queues;
};

struct RuleAction {
  ActionType type = ActionType::kEnd;
  uint32_t value = 0;   // MARK id, COUNT id, QUEUE index, PORT_ID id
  uint32_t value2 = 0;  // PORT_ID original (0/1)
  uint32_t rss = 0;     // RSS: index into Rule::rss
};

struct Rule {
  uint32_t port = 0;
  uint32_t group = 0;
  uint32_t priority = 0;
  bool ingress = false;
  bool egress = false;
  bool transfer = false;
  std::vector<PatternItem> items;   // without the END item
  std::vector<RuleAction> actions;  // without the END action
  std::vector<RssConf> rss;
};

}  // namespace hwol
