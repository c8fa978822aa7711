// A stand-alone driver of the native core (no Node), built and run by scripts/asan.sh under
// AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer. It pushes every core module
// through its paths, good and bad: batch decoding (valid, per-element errors, broken framing,
// random words), validation under each mask policy, create/destroy/query/flush with handle reuse,
// classifier growth and shrinking, and classification of valid, mutated and random frames.
// It checks a few invariants on the way and exits non-zero when one fails.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../src/core/batch_reader.h"
#include "../src/core/packet_parser.h"
#include "../src/core/soft_nic.h"
#include "../src/core/soft_validate.h"

namespace {

using namespace hwol;

int g_failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "core_test: FAILED: %s\n", what.c_str());
    g_failures++;
  }
}

// Writes the batch format of batch_reader.h.
class BatchWriter {
 public:
  void rule(uint32_t port, uint32_t priority, const std::vector<PatternItem>& items, const std::vector<RuleAction>& actions,
            const RssConf* rss = nullptr) {
    const size_t start = words_.size();
    words_.insert(words_.end(), {0u, port, 0u, priority, 1u, static_cast<uint32_t>(items.size()), static_cast<uint32_t>(actions.size())});
    for (const PatternItem& it : items) {
      const ItemDesc& d = *itemDesc(static_cast<uint32_t>(it.type));
      const size_t w = (d.size + 3) / 4;
      words_.push_back(static_cast<uint32_t>(it.type));
      words_.push_back((it.has_spec ? 1u : 0u) | (it.has_mask ? 2u : 0u));
      const size_t at = words_.size();
      words_.resize(at + 2 * w, 0);
      std::memcpy(&words_[at], it.spec, d.size);
      std::memcpy(&words_[at + w], it.mask, d.size);
    }
    for (const RuleAction& a : actions) {
      words_.push_back(static_cast<uint32_t>(a.type));
      if (a.type == ActionType::kRss && rss != nullptr) {
        const uint32_t kw = static_cast<uint32_t>((rss->key.size() + 3) / 4);
        words_.push_back(6 + kw + static_cast<uint32_t>(rss->queues.size()));
        words_.insert(words_.end(), {rss->func, rss->level, static_cast<uint32_t>(rss->types), static_cast<uint32_t>(rss->types >> 32),
                                     static_cast<uint32_t>(rss->key.size()), static_cast<uint32_t>(rss->queues.size())});
        const size_t at = words_.size();
        words_.resize(at + kw, 0);
        if (!rss->key.empty()) std::memcpy(&words_[at], rss->key.data(), rss->key.size());
        for (uint16_t q : rss->queues) words_.push_back(q);
      } else if (a.type == ActionType::kDrop) {
        words_.push_back(0);
      } else if (a.type == ActionType::kPortId) {
        words_.insert(words_.end(), {2u, a.value, a.value2});
      } else {
        words_.insert(words_.end(), {1u, a.value});
      }
    }
    words_[start] = static_cast<uint32_t>(words_.size() - start);
    count_++;
  }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(words_.data()); }
  size_t size() const { return words_.size() * 4; }
  uint32_t count() const { return count_; }
  std::vector<uint32_t>& words() { return words_; }

 private:
  std::vector<uint32_t> words_;
  uint32_t count_ = 0;
};

Profile fullProfile(MaskPolicy policy) {
  Profile p;
  p.name = "test";
  p.ports = 2;
  p.queues = 4;
  p.max_rules = 50000;
  p.priorities = 4;
  p.groups = 2;
  p.mask_policy = policy;
  for (uint32_t t = 1; t < kNumItemTypes; t++) {
    p.items[t] = true;
    std::memcpy(p.matchable[t], itemDesc(t)->defined, kMaxItemSize);
  }
  for (uint32_t t = 1; t < kNumActionTypes; t++) p.actions[t] = true;
  return p;
}

PatternItem item(ItemType t, std::mt19937& rng, bool random_mask) {
  PatternItem it;
  it.type = t;
  const ItemDesc& d = *itemDesc(static_cast<uint32_t>(t));
  it.has_spec = rng() % 4 != 0;
  it.has_mask = it.has_spec && random_mask;
  for (size_t b = 0; b < d.size; b++) {
    it.spec[b] = static_cast<uint8_t>(rng() % 4);  // few distinct values: overlaps and duplicates
    const uint32_t r = rng() % 3;
    it.mask[b] = static_cast<uint8_t>((r == 0 ? 0x00 : r == 1 ? 0xff : 0xf0) & d.defined[b]);
  }
  return it;
}

std::vector<PatternItem> randomPattern(std::mt19937& rng) {
  std::vector<PatternItem> items;
  if (rng() % 8 == 0) items.push_back(item(ItemType::kPort, rng, true));
  items.push_back(item(ItemType::kEth, rng, rng() % 2 == 0));
  items.back().mask[14] = 0;  // no has_vlan constraint, so a VLAN item may follow
  items.back().mask[12] = items.back().mask[13] = 0;
  if (rng() % 4 == 0) {
    items.push_back(item(ItemType::kVlan, rng, true));
    items.back().mask[2] = items.back().mask[3] = 0;
  }
  const bool v6 = rng() % 2 == 0;
  if (rng() % 5 != 0) {
    items.push_back(item(v6 ? ItemType::kIpv6 : ItemType::kIpv4, rng, true));
    items.back().mask[v6 ? 6 : 9] = 0;  // no protocol constraint
    const ItemType l4[] = {ItemType::kUdp, ItemType::kTcp, ItemType::kSctp, v6 ? ItemType::kIcmp6 : ItemType::kIcmp};
    if (rng() % 3 != 0) items.push_back(item(l4[rng() % 4], rng, true));
  }
  return items;
}

std::vector<uint8_t> randomFrame(std::mt19937& rng) {
  std::vector<uint8_t> f(14 + 4 + 60 + 40, 0);
  for (auto& b : f) b = static_cast<uint8_t>(rng() % 4);
  size_t off = 12;
  if (rng() % 4 == 0) {
    f[off] = 0x81;
    f[off + 1] = 0x00;
    off += 4;
  }
  const bool v6 = rng() % 2 == 0;
  f[off] = v6 ? 0x86 : 0x08;
  f[off + 1] = v6 ? 0xdd : 0x00;
  off += 2;
  const uint8_t protos[] = {17, 6, 132, 1, 58, 0, 44};
  const uint8_t proto = protos[rng() % 7];
  if (v6) {
    f[off] = 0x60;
    f[off + 4] = 0;
    f[off + 5] = 40;
    f[off + 6] = proto;
  } else {
    f[off] = 0x45;
    f[off + 2] = 0;
    f[off + 3] = 60;
    f[off + 6] = 0;
    f[off + 7] = 0;
    f[off + 9] = proto;
  }
  if (proto == 6) f[off + (v6 ? 40 : 20) + 12] = 0x50;
  if (rng() % 3 == 0) f[rng() % f.size()] = static_cast<uint8_t>(rng());  // a mutation
  if (rng() % 4 == 0) f.resize(rng() % f.size());                          // a truncation
  return f;
}

void testDecoding(std::mt19937& rng) {
  // per-element errors: an unknown item type, a truncated RSS, trailing words
  std::vector<uint32_t> bad = {9, 0, 0, 0, 1, 1, 0, 99, 0};
  BatchReader r1(reinterpret_cast<const uint8_t*>(bad.data()), bad.size() * 4, 1);
  Rule rule;
  FlowError err;
  expect(!r1.next(&rule, &err) && err.errnum != 0, "unknown item type is a per-element error");
  std::vector<uint32_t> rss = {11, 0, 0, 0, 1, 0, 1, 5, 2, 0, 0};
  BatchReader r2(reinterpret_cast<const uint8_t*>(rss.data()), rss.size() * 4, 1);
  err.clear();
  expect(!r2.next(&rule, &err) && err.type == ErrorType::kActionConf, "truncated RSS is ACTION_CONF");
  // broken framing
  std::vector<uint32_t> framing = {1000, 0, 0};
  BatchReader r3(reinterpret_cast<const uint8_t*>(framing.data()), framing.size() * 4, 1);
  bool thrown = false;
  try {
    r3.checkFraming();
  } catch (const BatchFormatError&) {
    thrown = true;
  }
  expect(thrown, "broken framing throws");
  // random records with valid framing: decoding never reads outside them
  for (int i = 0; i < 20000; i++) {
    std::vector<uint32_t> words(7 + rng() % 40);
    for (auto& w : words) w = rng() % 3 == 0 ? static_cast<uint32_t>(rng()) : rng() % 12;
    words[0] = static_cast<uint32_t>(words.size());
    BatchReader r(reinterpret_cast<const uint8_t*>(words.data()), words.size() * 4, 1);
    r.checkFraming();
    err.clear();
    r.next(&rule, &err);
  }
}

void testNic(std::mt19937& rng, MaskPolicy policy) {
  SoftNic nic(fullProfile(policy));
  BatchWriter w;
  for (int i = 0; i < 6000; i++) {
    std::vector<RuleAction> actions;
    RuleAction count;
    count.type = ActionType::kCount;
    actions.push_back(count);
    RuleAction mark;
    mark.type = ActionType::kMark;
    mark.value = static_cast<uint32_t>(i);
    if (rng() % 2 == 0) actions.push_back(mark);
    RssConf rss;
    if (rng() % 10 == 0) {
      RuleAction a;
      a.type = ActionType::kRss;
      rss.queues = {1, 2};
      if (rng() % 2 == 0) rss.key.assign(40, 7);
      actions.push_back(a);
    } else if (rng() % 10 == 0) {
      RuleAction a;
      a.type = ActionType::kPortId;
      a.value = 1;
      actions.push_back(a);
    }
    w.rule(static_cast<uint32_t>(rng() % 2), static_cast<uint32_t>(rng() % 4), randomPattern(rng), actions, &rss);
  }
  BatchReader reader(w.data(), w.size(), w.count());
  reader.checkFraming();
  Rule rule;
  std::vector<uint32_t> handles;
  for (uint32_t i = 0; i < w.count(); i++) {
    FlowError err;
    if (!reader.next(&rule, &err)) continue;
    FlowError verr;
    const bool valid = nic.validate(rule, &verr);
    const uint32_t h = nic.create(rule, &err);
    expect(valid || h == 0, "create refuses what validate refuses");
    if (h != 0) handles.push_back(h);
  }
  expect(!handles.empty(), "some rules were created");
  const size_t created = handles.size();
  uint64_t total_hits = 0;

  std::vector<std::vector<uint8_t>> frames;
  for (int i = 0; i < 4000; i++) frames.push_back(randomFrame(rng));
  std::vector<uint8_t> data;
  std::vector<uint32_t> offsets = {0};
  for (const auto& f : frames) {
    data.insert(data.end(), f.begin(), f.end());
    offsets.push_back(static_cast<uint32_t>(data.size()));
  }
  const size_t n = frames.size();
  std::vector<uint32_t> out_h(n), out_m(n), out_f(n);
  std::vector<uint8_t> flags(n);
  const VerdictArrays out{out_h.data(), out_m.data(), out_f.data(), flags.data()};
  for (int round = 0; round < 3; round++) {
    for (uint32_t port = 0; port < 2; port++) {
      uint32_t hits = 0;
      FlowError err;
      expect(nic.classify(port, port, data.data(), offsets.data(), static_cast<uint32_t>(n), out, &hits, &err), "classify");
      total_hits += hits;
      for (size_t i = 0; i < n; i++) {
        if (out_h[i] == 0) continue;
        Counters c;
        FlowError qerr;
        expect(nic.query(out_h[i], false, &c, &qerr) && c.hits > 0, "a rule hit is a live rule that counted");
      }
    }
    // destroy a third, then classify again (the exact-match cache must not hand out a dead rule)
    std::vector<uint32_t> keep;
    for (uint32_t h : handles) {
      FlowError err;
      if (rng() % 3 == 0) {
        expect(nic.destroy(h, &err), "destroy a live rule");
        expect(!nic.destroy(h, &err) && err.type == ErrorType::kHandle, "destroy twice is a HANDLE error");
      } else {
        keep.push_back(h);
      }
    }
    handles.swap(keep);
  }
  for (uint32_t port = 0; port < 2; port++) {
    uint32_t removed = 0;
    FlowError err;
    expect(nic.flush(port, &removed, &err), "flush");
    uint32_t left = 1;
    expect(nic.ruleCount(port, &left, &err) && left == 0, "flush empties the port");
  }
  FlowError err;
  uint32_t removed = 0;
  expect(!nic.flush(7, &removed, &err) && err.errnum != 0, "flush of a port that does not exist");
  std::printf("core_test: mask policy %d: %zu of %u rules created, %llu frame hits\n", static_cast<int>(policy), created, w.count(),
              static_cast<unsigned long long>(total_hits));
  expect(total_hits > 0, "some frames hit");
}

void testParser(std::mt19937& rng) {
  FlowKey key;
  for (int i = 0; i < 200000; i++) {
    std::vector<uint8_t> f(rng() % 200);
    for (auto& b : f) b = static_cast<uint8_t>(rng());
    if (f.size() > 14 && rng() % 2 == 0) {
      f[12] = rng() % 2 == 0 ? 0x86 : 0x08;
      f[13] = f[12] == 0x86 ? 0xdd : 0x00;
      f[14] = f[12] == 0x86 ? 0x60 : 0x45;
    }
    parseFrame(f.data(), static_cast<uint32_t>(f.size()), 0, &key);
  }
  expect(!parseFrame(nullptr, 0, 0, &key), "an empty frame is malformed");
}

}  // namespace

int main() {
  std::mt19937 rng(12345);
  testDecoding(rng);
  testParser(rng);
  testNic(rng, MaskPolicy::kAny);
  testNic(rng, MaskPolicy::kExact);
  testNic(rng, MaskPolicy::kPrefix);
  if (g_failures != 0) {
    std::fprintf(stderr, "core_test: %d checks failed\n", g_failures);
    return 1;
  }
  std::printf("core_test: all checks passed\n");
  return 0;
}
