#include "soft_validate.h"

#include <cerrno>
#include <cstdio>
#include <string>

namespace hwol {
namespace {

constexpr uint16_t kEthTypeIpv4 = 0x0800;
constexpr uint16_t kEthTypeIpv6 = 0x86dd;
constexpr uint16_t kTpids[] = {0x8100, 0x88a8, 0x9100};

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

std::string itemField(const ItemDesc& d, const FieldDesc& f) { return std::string(d.name) + " " + f.name; }

// A field's mask bits as a string of bytes/bits, checked against the policy.
bool fieldMaskAllowed(MaskPolicy policy, const uint8_t* mask, const FieldDesc& f) {
  if (policy == MaskPolicy::kAny) return true;
  bool seen_zero = false;
  bool any_one = false;
  bool all_ones = true;
  const uint32_t end = static_cast<uint32_t>(f.bit_offset) + f.bit_width;
  uint32_t b = f.bit_offset;
  while (b < end) {
    if ((b & 7) == 0 && end - b >= 8) {  // whole byte fast path
      const uint8_t byte = mask[b >> 3];
      if (byte == 0xff) {
        if (seen_zero) return false;  // a one after a zero: not a prefix
        any_one = true;
      } else if (byte == 0) {
        seen_zero = true;
        all_ones = false;
      } else {
        // A partial byte: never exact; a prefix only as 1..10..0 with nothing set before a zero.
        if (policy == MaskPolicy::kExact || seen_zero) return false;
        const auto inv = static_cast<uint8_t>(~byte);
        if ((inv & static_cast<uint8_t>(inv + 1)) != 0) return false;
        any_one = true;
        all_ones = false;
        seen_zero = true;
      }
      b += 8;
      continue;
    }
    const bool bit = ((mask[b >> 3] >> (7 - (b & 7))) & 1u) != 0;
    if (bit) {
      if (seen_zero) return false;
      any_one = true;
    } else {
      seen_zero = true;
      all_ones = false;
    }
    b++;
  }
  if (policy == MaskPolicy::kExact) return !any_one || all_ones;
  return true;  // prefix: the loop refused any one after a zero
}

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

// Whether a masked 16-bit field (spec & mask) can equal `value`.
bool compatible16(const uint8_t* spec, const uint8_t* mask, uint16_t value) {
  const uint16_t m = be16(mask);
  return (be16(spec) & m) == (value & m);
}

bool compatible8(uint8_t spec, uint8_t mask, uint8_t value) { return (spec & mask) == (value & mask); }

bool isTpidCompatible(const uint8_t* spec, const uint8_t* mask) {
  for (uint16_t t : kTpids) {
    if (compatible16(spec, mask, t)) return true;
  }
  return false;
}

uint8_t l4Proto(ItemType t) {
  switch (t) {
    case ItemType::kUdp: return 17;
    case ItemType::kTcp: return 6;
    case ItemType::kSctp: return 132;
    case ItemType::kIcmp: return 1;
    case ItemType::kIcmp6: return 58;
    default: return 0;
  }
}

bool checkAttributes(const Profile& p, const Rule& r, FlowError* err) {
  if (r.port >= p.ports) {
    return err->set(ErrorType::kUnspecified, ENODEV, -1,
                    "port " + std::to_string(r.port) + " does not exist (the NIC has " + std::to_string(p.ports) + " ports)");
  }
  if (r.ingress && r.egress) return err->set(ErrorType::kAttr, EINVAL, -1, "a rule cannot be both ingress and egress");
  if (!r.ingress && !r.egress && !r.transfer) {
    return err->set(ErrorType::kAttr, EINVAL, -1, "a rule must be ingress, egress or transfer");
  }
  if (r.egress && !p.egress) return err->set(ErrorType::kAttrEgress, ENOTSUP, -1, "egress rules are not supported by this NIC");
  if (r.transfer && !p.transfer) {
    return err->set(ErrorType::kAttrTransfer, ENOTSUP, -1, "transfer rules are not supported by this NIC");
  }
  if (r.group >= p.groups) {
    return err->set(ErrorType::kAttrGroup, ENOTSUP, -1,
                    "group " + std::to_string(r.group) + " is not supported (groups 0.." + std::to_string(p.groups - 1) + ")");
  }
  if (r.priority >= p.priorities) {
    return err->set(ErrorType::kAttrPriority, ENOTSUP, -1,
                    "priority " + std::to_string(r.priority) + " is not supported (priorities 0.." +
                        std::to_string(p.priorities - 1) + ")");
  }
  return true;
}

bool checkMask(const Profile& p, const PatternItem& item, const ItemDesc& d, int32_t pos, FlowError* err) {
  if (!item.has_spec) {
    if (item.has_mask) return err->set(ErrorType::kItemMask, EINVAL, pos, std::string(d.name) + " has a mask but no spec");
    return true;
  }
  const uint8_t* m = item.effectiveMask(d);
  const auto t = static_cast<uint32_t>(item.type);
  // One pass to see that no mask bit is reserved or unmatchable (the common case); only a mask that
  // has such a bit is walked again below, to name it.
  const uint8_t* matchable = p.matchable[t];
  uint8_t outside = 0;
  for (uint32_t i = 0; i < d.size; i++) outside |= static_cast<uint8_t>(m[i] & ~(d.defined[i] & matchable[i]));
  if (outside == 0) {
    if (p.mask_policy == MaskPolicy::kAny) return true;
  } else {
    for (uint32_t i = 0; i < d.size; i++) {
      if ((m[i] & ~d.defined[i]) != 0) {
        return err->set(ErrorType::kItemMask, EINVAL, pos, std::string(d.name) + " mask sets reserved bits (byte " + std::to_string(i) + ")");
      }
    }
    for (uint32_t i = 0; i < d.size; i++) {
      const uint8_t extra = static_cast<uint8_t>(m[i] & ~matchable[i]);
      if (extra != 0) {
        uint32_t bit = i * 8;
        while (((extra >> (7 - (bit & 7))) & 1u) == 0) bit++;
        const FieldDesc* f = fieldAt(d, bit);
        return err->set(ErrorType::kItemMask, ENOTSUP, pos, "field " + itemField(d, *f) + " cannot be matched by this NIC");
      }
    }
  }
  if (p.mask_policy != MaskPolicy::kAny) {
    for (uint16_t i = 0; i < d.num_fields; i++) {
      const FieldDesc& f = d.fields[i];
      if (f.packed) continue;
      if (!fieldMaskAllowed(p.mask_policy, m, f)) {
        const char* what = p.mask_policy == MaskPolicy::kExact ? "must be all ones or all zeros (this NIC matches whole fields only)"
                                                                : "must be a prefix (leading ones, then zeros)";
        return err->set(ErrorType::kItemMask, EINVAL, pos, "mask of " + itemField(d, f) + " " + what);
      }
    }
  }
  return true;
}

// Checks that a protocol item agrees with the one below it (EtherType, TPID, IP protocol).
bool checkStacking(const PatternItem& lower, const ItemDesc& ld, const PatternItem& upper, const ItemDesc& ud, int32_t pos,
                   FlowError* err) {
  const uint8_t* lm = lower.effectiveMask(ld);
  const uint8_t* ls = lower.spec;
  switch (lower.type) {
    case ItemType::kEth:
      if (upper.type == ItemType::kVlan) {
        if ((lm[14] & 0x80) != 0 && (ls[14] & 0x80) == 0) {
          return err->set(ErrorType::kItem, EINVAL, pos, "VLAN follows an ETH item that says has_vlan 0");
        }
        if (!isTpidCompatible(ls + 12, lm + 12)) {
          return err->set(ErrorType::kItem, EINVAL, pos,
                          "VLAN follows an ETH item whose type " + hex(be16(ls + 12) & be16(lm + 12)) + " is not a VLAN TPID");
        }
      } else {
        const uint16_t want = upper.type == ItemType::kIpv4 ? kEthTypeIpv4 : kEthTypeIpv6;
        if (!compatible16(ls + 12, lm + 12, want)) {
          return err->set(ErrorType::kItem, EINVAL, pos,
                          std::string(ud.name) + " follows an ETH item whose type " + hex(be16(ls + 12) & be16(lm + 12)) +
                              " is not " + hex(want));
        }
      }
      return true;
    case ItemType::kVlan: {
      const uint16_t want = upper.type == ItemType::kIpv4 ? kEthTypeIpv4 : kEthTypeIpv6;
      if (!compatible16(ls + 2, lm + 2, want)) {
        return err->set(ErrorType::kItem, EINVAL, pos,
                        std::string(ud.name) + " follows a VLAN item whose inner_type " + hex(be16(ls + 2) & be16(lm + 2)) +
                            " is not " + hex(want));
      }
      return true;
    }
    case ItemType::kIpv4:
    case ItemType::kIpv6: {
      if (upper.type == ItemType::kIcmp && lower.type != ItemType::kIpv4) {
        return err->set(ErrorType::kItem, EINVAL, pos, "ICMP must follow IPV4 (use ICMP6 over IPV6)");
      }
      if (upper.type == ItemType::kIcmp6 && lower.type != ItemType::kIpv6) {
        return err->set(ErrorType::kItem, EINVAL, pos, "ICMP6 must follow IPV6 (use ICMP over IPV4)");
      }
      const size_t off = lower.type == ItemType::kIpv4 ? 9 : 6;
      const uint8_t want = l4Proto(upper.type);
      if (!compatible8(ls[off], lm[off], want)) {
        return err->set(ErrorType::kItem, EINVAL, pos,
                        std::string(ud.name) + " follows an " + ld.name + " item whose proto " + std::to_string(ls[off] & lm[off]) +
                            " is not " + std::to_string(want));
      }
      return true;
    }
    default:
      return true;
  }
}

bool checkPattern(const Profile& p, const Rule& r, FlowError* err) {
  const PatternItem* prev = nullptr;
  const ItemDesc* prev_desc = nullptr;
  bool seen_port = false;
  for (size_t i = 0; i < r.items.size(); i++) {
    const auto pos = static_cast<int32_t>(i);
    const PatternItem& item = r.items[i];
    const ItemDesc* d = itemDesc(static_cast<uint32_t>(item.type));
    if (d == nullptr) return err->set(ErrorType::kItem, ENOTSUP, pos, "unknown pattern item");
    if (!p.items[static_cast<uint32_t>(item.type)]) {
      return err->set(ErrorType::kItem, ENOTSUP, pos, std::string("pattern item ") + d->name + " is not supported by this NIC");
    }
    if (!checkMask(p, item, *d, pos, err)) return false;
    if (d->layer == Layer::kMeta) {
      if (seen_port) return err->set(ErrorType::kItem, EINVAL, pos, "more than one PORT item");
      seen_port = true;
      continue;
    }
    if (prev != nullptr) {
      const Layer a = prev_desc->layer;
      const Layer b = d->layer;
      if (a == b && b == Layer::kVlan) {
        return err->set(ErrorType::kItem, ENOTSUP, pos, "a second VLAN item (QinQ) is not supported by this NIC");
      }
      if (a == b && b == Layer::kL3) {
        return err->set(ErrorType::kItem, ENOTSUP, pos, std::string(d->name) + " after " + prev_desc->name + " (tunnels) is not supported by this NIC");
      }
      const bool ok = (a == Layer::kL2 && (b == Layer::kVlan || b == Layer::kL3)) || (a == Layer::kVlan && b == Layer::kL3) ||
                      (a == Layer::kL3 && b == Layer::kL4);
      if (!ok) {
        return err->set(ErrorType::kItem, EINVAL, pos,
                        std::string(d->name) + " cannot follow " + prev_desc->name + ": items stack from the lowest layer up, without gaps");
      }
      if (!checkStacking(*prev, *prev_desc, item, *d, pos, err)) return false;
    }
    prev = &item;
    prev_desc = d;
  }
  return true;
}

bool isFate(ActionType t) {
  return t == ActionType::kQueue || t == ActionType::kDrop || t == ActionType::kRss || t == ActionType::kPortId;
}

bool checkActions(const Profile& p, const Rule& r, FlowError* err) {
  if (r.actions.empty()) return err->set(ErrorType::kActionNum, EINVAL, -1, "a rule needs at least one action");
  int32_t mark_pos = -1;
  int32_t count_pos = -1;
  int32_t fate_pos = -1;
  ActionType fate = ActionType::kEnd;
  for (size_t i = 0; i < r.actions.size(); i++) {
    const auto pos = static_cast<int32_t>(i);
    const RuleAction& a = r.actions[i];
    const auto t = static_cast<uint32_t>(a.type);
    const std::string name = actionName(t);
    if (!p.actions[t]) return err->set(ErrorType::kAction, ENOTSUP, pos, "action " + name + " is not supported by this NIC");
    if (isFate(a.type)) {
      if (fate_pos >= 0) {
        return err->set(ErrorType::kAction, EINVAL, pos,
                        "more than one fate action (" + std::string(actionName(static_cast<uint32_t>(fate))) + " and " + name + ")");
      }
      fate_pos = pos;
      fate = a.type;
    }
    switch (a.type) {
      case ActionType::kMark:
        if (mark_pos >= 0) return err->set(ErrorType::kAction, EINVAL, pos, "MARK appears twice");
        mark_pos = pos;
        if (a.value > p.max_mark) {
          return err->set(ErrorType::kActionConf, EINVAL, pos,
                          "MARK id " + std::to_string(a.value) + " is beyond the largest mark id " + std::to_string(p.max_mark));
        }
        break;
      case ActionType::kCount:
        if (count_pos >= 0) return err->set(ErrorType::kAction, EINVAL, pos, "COUNT appears twice");
        count_pos = pos;
        break;
      case ActionType::kQueue:
        if (a.value >= p.queues) {
          return err->set(ErrorType::kActionConf, EINVAL, pos,
                          "QUEUE index " + std::to_string(a.value) + " is beyond the port's " + std::to_string(p.queues) + " queues");
        }
        break;
      case ActionType::kRss: {
        const RssConf& rss = r.rss[a.rss];
        if (rss.func > 3) return err->set(ErrorType::kActionConf, ENOTSUP, pos, "RSS hash function " + std::to_string(rss.func) + " is not supported");
        if (rss.level > 1) return err->set(ErrorType::kActionConf, ENOTSUP, pos, "RSS level " + std::to_string(rss.level) + " (inner headers) is not supported");
        if (!rss.key.empty() && rss.key.size() != 40) {
          return err->set(ErrorType::kActionConf, EINVAL, pos, "RSS key must be 40 bytes, not " + std::to_string(rss.key.size()));
        }
        if (rss.queues.empty()) return err->set(ErrorType::kActionConf, EINVAL, pos, "RSS needs at least one queue");
        for (uint16_t q : rss.queues) {
          if (q >= p.queues) {
            return err->set(ErrorType::kActionConf, EINVAL, pos,
                            "RSS queue " + std::to_string(q) + " is beyond the port's " + std::to_string(p.queues) + " queues");
          }
        }
        break;
      }
      case ActionType::kPortId:
        if (a.value >= p.ports) {
          return err->set(ErrorType::kActionConf, EINVAL, pos, "PORT_ID " + std::to_string(a.value) + " does not exist");
        }
        break;
      default:
        break;
    }
  }
  if (mark_pos >= 0 && p.mark_needs_queue && fate != ActionType::kQueue && fate != ActionType::kRss) {
    return err->set(ErrorType::kAction, EINVAL, mark_pos, "MARK needs a QUEUE (or RSS) action on this NIC");
  }
  return true;
}

}  // namespace

bool validateRule(const Profile& profile, const Rule& rule, FlowError* err) {
  return checkAttributes(profile, rule, err) && checkPattern(profile, rule, err) && checkActions(profile, rule, err);
}

}  // namespace hwol
