#include "soft_nic.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>

#include "packet_parser.h"
#include "soft_validate.h"

namespace hwol {

namespace {

void compile(const Rule& rule, FlowKey* key, FlowKey* mask) {
  std::memset(key->w, 0, sizeof key->w);
  std::memset(mask->w, 0, sizeof mask->w);
  uint8_t* k = key->bytes();
  uint8_t* m = mask->bytes();
  uint32_t presence = 0;
  for (const PatternItem& item : rule.items) {
    const ItemDesc& d = *itemDesc(static_cast<uint32_t>(item.type));
    const uint8_t* im = item.effectiveMask(d);
    const size_t off = keyOffset(item.type);
    for (size_t b = 0; b < d.size; b++) {
      k[off + b] = static_cast<uint8_t>(item.spec[b] & im[b]);
      m[off + b] = im[b];
    }
    presence |= presenceBit(item.type);
  }
  std::memcpy(k + kOffPresence, &presence, 4);
  std::memcpy(m + kOffPresence, &presence, 4);
}

}  // namespace

SoftNic::SoftNic(const Profile& profile) : profile_(profile), ports_(profile.ports) {}

SoftNic::~SoftNic() = default;

SoftNic::SoftRule* SoftNic::ruleOf(const ClsRule* cls) {
  static_assert(std::is_standard_layout<SoftRule>::value, "SoftRule must be standard-layout");
  static_assert(offsetof(SoftRule, cls) == 0, "cls must come first");
  return reinterpret_cast<SoftRule*>(const_cast<ClsRule*>(cls));
}

bool SoftNic::checkPort(uint32_t port, FlowError* err) const {
  if (port < ports_.size()) return true;
  return err->set(ErrorType::kUnspecified, ENODEV, -1,
                  "port " + std::to_string(port) + " does not exist (the NIC has " + std::to_string(ports_.size()) + " ports)");
}

bool SoftNic::validate(const Rule& rule, FlowError* err) { return validateRule(profile_, rule, err); }

uint32_t SoftNic::create(const Rule& rule, FlowError* err) {
  if (!validateRule(profile_, rule, err)) return 0;
  Port& port = ports_[rule.port];
  if (port.nrules >= profile_.max_rules) {
    err->set(ErrorType::kUnspecified, ENOSPC, -1,
             "rule table of port " + std::to_string(rule.port) + " is full (" + std::to_string(profile_.max_rules) + " rules)");
    return 0;
  }
  SoftRule* r = nullptr;
  const uint32_t handle = rules_.insert(&r);
  if (handle == 0) {
    err->set(ErrorType::kUnspecified, ENOSPC, -1, "the NIC holds the most rules a soft NIC can track");
    return 0;
  }
  FlowKey mask;
  compile(rule, &r->cls.masked, &mask);
  r->cls.priority = rule.priority;
  r->cls.seq = next_seq_++;
  r->port = rule.port;
  r->group = rule.group;
  r->handle = handle;
  for (const RuleAction& a : rule.actions) {
    switch (a.type) {
      case ActionType::kMark: r->flags |= kVerdictMarked; r->mark = a.value; break;
      case ActionType::kCount: r->flags |= kVerdictCounted; break;
      case ActionType::kQueue: r->flags |= kVerdictQueue; r->fate_arg = a.value; break;
      case ActionType::kDrop: r->flags |= kVerdictDrop; break;
      case ActionType::kRss: r->flags |= kVerdictRss; r->fate_arg = rule.rss[a.rss].queues[0]; break;
      case ActionType::kPortId: r->flags |= kVerdictPortId; r->fate_arg = a.value; break;
      default: break;
    }
  }
  std::unique_ptr<Classifier>& cls = port.groups[rule.group];
  if (!cls) cls = std::make_unique<Classifier>();
  const ClsRule* same = cls->insert(&r->cls, mask);
  if (same != nullptr) {
    const uint32_t other = ruleOf(same)->handle;
    rules_.erase(handle);
    err->set(ErrorType::kUnspecified, EEXIST, -1,
             "a rule with the same pattern and priority exists on port " + std::to_string(rule.port) + " (handle " +
                 std::to_string(other) + ")");
    return 0;
  }
  port.nrules++;
  port.generation++;
  return handle;
}

bool SoftNic::destroy(uint32_t handle, FlowError* err) {
  SoftRule* r = rules_.find(handle);
  if (r == nullptr) return err->set(ErrorType::kHandle, EINVAL, -1, "no rule has handle " + std::to_string(handle));
  Port& port = ports_[r->port];
  auto it = port.groups.find(r->group);
  it->second->remove(&r->cls);
  if (it->second->subtableCount() == 0) port.groups.erase(it);
  port.nrules--;
  port.generation++;
  rules_.erase(handle);
  return true;
}

void SoftNic::takeCounters(SoftRule* r, bool reset, Counters* out) {
  out->hits = r->hits;
  out->bytes = r->bytes;
  if (reset) {
    r->hits = 0;
    r->bytes = 0;
  }
}

bool SoftNic::query(uint32_t handle, bool reset, Counters* out, FlowError* err) {
  SoftRule* r = rules_.find(handle);
  if (r == nullptr) return err->set(ErrorType::kHandle, EINVAL, -1, "no rule has handle " + std::to_string(handle));
  if ((r->flags & kVerdictCounted) == 0) {
    return err->set(ErrorType::kAction, ENOTSUP, -1, "rule " + std::to_string(handle) + " has no COUNT action");
  }
  takeCounters(r, reset, out);
  return true;
}

bool SoftNic::queryFast(uint32_t handle, bool reset, Counters* out) {
  SoftRule* r = rules_.find(handle);
  if (r == nullptr || (r->flags & kVerdictCounted) == 0) return false;
  takeCounters(r, reset, out);
  return true;
}

bool SoftNic::flush(uint32_t port, uint32_t* removed, FlowError* err) {
  if (!checkPort(port, err)) return false;
  uint32_t n = 0;
  rules_.forEach([&](uint32_t handle, SoftRule& r) {
    if (r.port != port) return;
    rules_.erase(handle);
    n++;
  });
  ports_[port].groups.clear();
  ports_[port].nrules = 0;
  ports_[port].generation++;
  *removed = n;
  return true;
}

bool SoftNic::ruleCount(uint32_t port, uint32_t* count, FlowError* err) {
  if (!checkPort(port, err)) return false;
  *count = ports_[port].nrules;
  return true;
}

const ClsRule* SoftNic::lookup(Port& port, Classifier& cls, const FlowKey& key) {
  const FlowKey& um = cls.unionMask();
  const uint8_t* words = cls.unionWords();
  const uint32_t n = cls.unionWordCount();
  uint64_t h = n;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t w = words[i];
    h += (key.w[w] & um.w[w]) * (0x9e3779b97f4a7c15ull + 2 * static_cast<uint64_t>(w));
  }
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  const auto hash = static_cast<uint32_t>(h >> 32);
  EmcEntry& e = port.emc[hash & (kEmcEntries - 1)];
  if (e.generation == port.generation && e.hash == hash) {
    bool same = true;
    for (uint32_t i = 0; i < n && same; i++) same = e.key.w[words[i]] == (key.w[words[i]] & um.w[words[i]]);
    if (same) return e.rule;
  }
  const ClsRule* rule = cls.lookup(key);
  // Insert one miss in kEmcInsertInverse (as OVS's emc-insert-inv-prob): a flow seen often gets
  // in quickly, while a stream of new flows does not keep rewriting the cache.
  emc_insert_state_ ^= emc_insert_state_ << 13;
  emc_insert_state_ ^= emc_insert_state_ >> 7;
  emc_insert_state_ ^= emc_insert_state_ << 17;
  if ((emc_insert_state_ & (kEmcInsertInverse - 1)) != 0) return rule;
  e.generation = port.generation;
  e.hash = hash;
  e.rule = rule;
  for (uint32_t i = 0; i < n; i++) e.key.w[words[i]] = key.w[words[i]] & um.w[words[i]];
  return rule;
}

bool SoftNic::classify(uint32_t port, uint32_t port_index, const uint8_t* data, const uint32_t* offsets, uint32_t n,
                       const VerdictArrays& out, uint32_t* hits, FlowError* err) {
  if (!checkPort(port, err)) return false;
  Port& p = ports_[port];
  auto it = p.groups.find(0);
  Classifier* cls = it == p.groups.end() ? nullptr : it->second.get();
  if (cls != nullptr && p.emc.empty()) p.emc.resize(kEmcEntries);
  uint32_t nhits = 0;
  FlowKey key;
  for (uint32_t i = 0; i < n; i++) {
    const uint32_t len = offsets[i + 1] - offsets[i];
    out.handles[i] = 0;
    out.marks[i] = 0;
    out.fate_args[i] = 0;
    out.flags[i] = 0;
    if (!parseFrame(data + offsets[i], len, port_index, &key)) {
      out.flags[i] = kVerdictMalformed;
      continue;
    }
    if (cls == nullptr) continue;
    const ClsRule* hit = lookup(p, *cls, key);
    if (hit == nullptr) continue;
    SoftRule* r = ruleOf(hit);
    r->hits++;
    r->bytes += len;
    out.handles[i] = r->handle;
    out.marks[i] = r->mark;
    out.fate_args[i] = r->fate_arg;
    out.flags[i] = static_cast<uint8_t>(r->flags | kVerdictHit);
    nhits++;
  }
  *hits = nhits;
  return true;
}

}  // namespace hwol
