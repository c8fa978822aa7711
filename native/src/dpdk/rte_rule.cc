#include "rte_rule.h"

#include <cstring>

namespace hwol {

namespace {

static_assert(sizeof(rte_ipv4_hdr) == 20, "IPv4 header layout");
static_assert(sizeof(rte_ipv6_hdr) == 40, "IPv6 header layout");
static_assert(sizeof(rte_udp_hdr) == 8, "UDP header layout");
static_assert(sizeof(rte_tcp_hdr) == 20, "TCP header layout");
static_assert(sizeof(rte_sctp_hdr) == 12, "SCTP header layout");
static_assert(sizeof(rte_icmp_hdr) == 8, "ICMP header layout");
static_assert(sizeof(rte_flow_item_icmp6) == 4, "ICMPv6 item layout");

template <typename T>
bool inside(const void* p, const T& object) {
  const auto* b = reinterpret_cast<const uint8_t*>(&object);
  const auto* q = static_cast<const uint8_t*>(p);
  return q >= b && q < b + sizeof(T);
}

// Fills an item structure from the item's layout bytes (layout.h).
rte_flow_item_type fill(ItemType type, const uint8_t* l, void* out) {
  switch (type) {
    case ItemType::kPort: {
      auto* s = static_cast<rte_flow_item_port_id*>(out);
      s->id = (static_cast<uint32_t>(l[0]) << 24) | (static_cast<uint32_t>(l[1]) << 16) | (static_cast<uint32_t>(l[2]) << 8) | l[3];
      return RTE_FLOW_ITEM_TYPE_PORT_ID;
    }
    case ItemType::kEth: {
      auto* s = static_cast<rte_flow_item_eth*>(out);
      std::memcpy(&s->hdr, l, 14);
      s->has_vlan = (l[14] >> 7) & 1;
      return RTE_FLOW_ITEM_TYPE_ETH;
    }
    case ItemType::kVlan: {
      auto* s = static_cast<rte_flow_item_vlan*>(out);
      std::memcpy(&s->hdr, l, 4);
      s->has_more_vlan = (l[4] >> 7) & 1;
      return RTE_FLOW_ITEM_TYPE_VLAN;
    }
    case ItemType::kIpv4:
      std::memcpy(&static_cast<rte_flow_item_ipv4*>(out)->hdr, l, 20);
      return RTE_FLOW_ITEM_TYPE_IPV4;
    case ItemType::kIpv6: {
      auto* s = static_cast<rte_flow_item_ipv6*>(out);
      std::memcpy(&s->hdr, l, 40);
      s->has_hop_ext = (l[40] >> 7) & 1;
      s->has_route_ext = (l[40] >> 6) & 1;
      s->has_frag_ext = (l[40] >> 5) & 1;
      s->has_auth_ext = (l[40] >> 4) & 1;
      s->has_esp_ext = (l[40] >> 3) & 1;
      s->has_dest_ext = (l[40] >> 2) & 1;
      s->has_mobil_ext = (l[40] >> 1) & 1;
      s->has_hip_ext = l[40] & 1;
      s->has_shim6_ext = (l[41] >> 7) & 1;
      return RTE_FLOW_ITEM_TYPE_IPV6;
    }
    case ItemType::kIcmp:
      std::memcpy(&static_cast<rte_flow_item_icmp*>(out)->hdr, l, 8);
      return RTE_FLOW_ITEM_TYPE_ICMP;
    case ItemType::kIcmp6:
      std::memcpy(out, l, 4);
      return RTE_FLOW_ITEM_TYPE_ICMP6;
    case ItemType::kUdp:
      std::memcpy(&static_cast<rte_flow_item_udp*>(out)->hdr, l, 8);
      return RTE_FLOW_ITEM_TYPE_UDP;
    case ItemType::kTcp:
      std::memcpy(&static_cast<rte_flow_item_tcp*>(out)->hdr, l, 20);
      return RTE_FLOW_ITEM_TYPE_TCP;
    case ItemType::kSctp:
      std::memcpy(&static_cast<rte_flow_item_sctp*>(out)->hdr, l, 12);
      return RTE_FLOW_ITEM_TYPE_SCTP;
    default:
      return RTE_FLOW_ITEM_TYPE_VOID;
  }
}

}  // namespace

void RteRule::assign(const Rule& rule) {
  port_ = static_cast<uint16_t>(rule.port);
  attr_ = rte_flow_attr{};
  attr_.group = rule.group;
  attr_.priority = rule.priority;
  attr_.ingress = rule.ingress ? 1 : 0;
  attr_.egress = rule.egress ? 1 : 0;
  attr_.transfer = rule.transfer ? 1 : 0;

  items_.assign(rule.items.size() + 1, rte_flow_item{});
  item_store_.assign(rule.items.size(), ItemStore{});
  for (size_t i = 0; i < rule.items.size(); i++) {
    const PatternItem& it = rule.items[i];
    ItemStore& st = item_store_[i];
    items_[i].type = fill(it.type, it.spec, &st.spec);
    fill(it.type, it.mask, &st.mask);
    items_[i].spec = it.has_spec ? &st.spec : nullptr;
    items_[i].mask = it.has_mask ? &st.mask : nullptr;
    items_[i].last = nullptr;
  }
  items_.back().type = RTE_FLOW_ITEM_TYPE_END;

  actions_.assign(rule.actions.size() + 1, rte_flow_action{});
  action_store_.assign(rule.actions.size(), ActionConf{});
  rss_queues_.clear();
  rss_keys_.clear();
  rss_queues_.reserve(rule.rss.size());
  rss_keys_.reserve(rule.rss.size());
  for (size_t i = 0; i < rule.actions.size(); i++) {
    const RuleAction& a = rule.actions[i];
    ActionConf& c = action_store_[i];
    rte_flow_action& out = actions_[i];
    out.conf = &c;
    switch (a.type) {
      case ActionType::kMark:
        out.type = RTE_FLOW_ACTION_TYPE_MARK;
        c.mark.id = a.value;
        break;
      case ActionType::kCount:
        out.type = RTE_FLOW_ACTION_TYPE_COUNT;
        c.count.id = a.value;
        break;
      case ActionType::kQueue:
        out.type = RTE_FLOW_ACTION_TYPE_QUEUE;
        c.queue.index = static_cast<uint16_t>(a.value);
        break;
      case ActionType::kDrop:
        out.type = RTE_FLOW_ACTION_TYPE_DROP;
        out.conf = nullptr;
        break;
      case ActionType::kPortId:
        out.type = RTE_FLOW_ACTION_TYPE_PORT_ID;
        c.port_id.id = a.value;
        c.port_id.original = a.value2 != 0 ? 1 : 0;
        break;
      case ActionType::kRss: {
        const RssConf& r = rule.rss[a.rss];
        rss_queues_.push_back(r.queues);
        rss_keys_.push_back(r.key);
        out.type = RTE_FLOW_ACTION_TYPE_RSS;
        c.rss.func = static_cast<rte_eth_hash_function>(r.func);
        c.rss.level = r.level;
        c.rss.types = r.types;
        c.rss.key_len = static_cast<uint32_t>(r.key.size());
        c.rss.key = r.key.empty() ? nullptr : rss_keys_.back().data();
        c.rss.queue_num = static_cast<uint32_t>(r.queues.size());
        c.rss.queue = rss_queues_.back().data();
        break;
      }
      default:
        out.type = RTE_FLOW_ACTION_TYPE_VOID;
        out.conf = nullptr;
        break;
    }
  }
  actions_.back().type = RTE_FLOW_ACTION_TYPE_END;
}

int32_t RteRule::itemIndex(const void* cause) const {
  if (cause == nullptr) return -1;
  for (size_t i = 0; i < item_store_.size(); i++) {
    if (inside(cause, items_[i]) || inside(cause, item_store_[i])) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t RteRule::actionIndex(const void* cause) const {
  if (cause == nullptr) return -1;
  for (size_t i = 0; i < action_store_.size(); i++) {
    if (inside(cause, actions_[i]) || inside(cause, action_store_[i])) return static_cast<int32_t>(i);
  }
  return -1;
}

}  // namespace hwol
