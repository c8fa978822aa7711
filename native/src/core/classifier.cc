#include "classifier.h"

#include <algorithm>
#include <cstring>

namespace hwol {

namespace {

inline uint64_t mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

// Odd multipliers, one per key word position: a key's hash is the sum of its words times these,
// so the multiplications are independent of each other (no dependency chain through the hash).
constexpr uint64_t kWordMul[kKeyWords] = {
    0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0xd6e8feb86659fd93ull, 0xff51afd7ed558ccdull,
    0xc4ceb9fe1a85ec53ull, 0x94d049bb133111ebull, 0xbf58476d1ce4e5b9ull, 0x2545f4914f6cdd1dull, 0x9fb21c651e98df25ull,
    0xa0761d6478bd642full, 0xe7037ed1a0b428dbull, 0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull, 0x1d8e4e27c47d124full,
};

inline uint32_t finish(uint64_t h) {
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  return static_cast<uint32_t>(h >> 32);
}

uint64_t hashMask(const FlowKey& mask) {
  uint64_t h = 0;
  for (size_t i = 0; i < kKeyWords; i++) h = mix(h, mask.w[i]);
  return h;
}

}  // namespace

struct Subtable {
  struct Slot {
    uint32_t hash;
    ClsRule* head;  // nullptr: empty
  };

  FlowKey mask{};
  uint8_t words[kKeyWords] = {};  // indexes of the mask's non-zero words
  uint32_t nwords = 0;
  uint64_t mask_hash = 0;
  std::vector<Slot> slots;  // open addressing, linear probing, power-of-two size
  uint32_t used = 0;        // occupied slots (distinct masked keys)
  uint32_t nrules = 0;
  struct PrioInfo {
    uint32_t count;
    uint64_t min_seq;  // a lower bound of the seqs at this priority
  };
  std::map<uint32_t, PrioInfo> prios;
  uint32_t bound_prio = 0;  // no rule here has a lower (priority, seq) than (bound_prio, bound_seq)
  uint64_t bound_seq = 0;

  explicit Subtable(const FlowKey& m) : mask(m), slots(8, Slot{0, nullptr}) {
    for (size_t i = 0; i < kKeyWords; i++) {
      if (mask.w[i] != 0) words[nwords++] = static_cast<uint8_t>(i);
    }
    mask_hash = hashMask(mask);
  }

  uint32_t hashOf(const FlowKey& key) const {
    uint64_t h = nwords;
    for (uint32_t i = 0; i < nwords; i++) {
      const uint8_t w = words[i];
      h += (key.w[w] & mask.w[w]) * kWordMul[w];
    }
    return finish(h);
  }

  bool sameMasked(const FlowKey& key, const ClsRule* r) const {
    for (uint32_t i = 0; i < nwords; i++) {
      const uint8_t w = words[i];
      if ((key.w[w] & mask.w[w]) != r->masked.w[w]) return false;
    }
    return true;
  }

  // Index of the slot holding the rules whose masked key equals key's, or of the empty slot ending the probe.
  size_t probe(const FlowKey& key, uint32_t hash) const {
    const size_t m = slots.size() - 1;
    size_t i = hash & m;
    while (slots[i].head != nullptr) {
      if (slots[i].hash == hash && sameMasked(key, slots[i].head)) return i;
      i = (i + 1) & m;
    }
    return i;
  }

  void grow() {
    std::vector<Slot> old(slots.size() * 2, Slot{0, nullptr});
    old.swap(slots);
    const size_t m = slots.size() - 1;
    for (const Slot& s : old) {
      if (s.head == nullptr) continue;
      size_t i = s.hash & m;
      while (slots[i].head != nullptr) i = (i + 1) & m;
      slots[i] = s;
    }
  }

  // Backward-shift deletion keeps probe sequences intact without tombstones.
  void eraseSlot(size_t i) {
    const size_t m = slots.size() - 1;
    size_t j = i;
    for (;;) {
      j = (j + 1) & m;
      if (slots[j].head == nullptr) break;
      const size_t home = slots[j].hash & m;
      const bool movable = (i <= j) ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        slots[i] = slots[j];
        i = j;
      }
    }
    slots[i] = Slot{0, nullptr};
    used--;
  }
};

Classifier::Classifier() = default;
Classifier::~Classifier() = default;

Subtable* Classifier::findOrCreate(const FlowKey& mask) {
  // Batches of megaflows mostly share a few masks: the subtable of the last insert first.
  if (last_ != nullptr && std::memcmp(last_->mask.w, mask.w, sizeof mask.w) == 0) return last_;
  const uint64_t h = hashMask(mask);
  std::vector<Subtable*>& bucket = by_mask_[h];
  for (Subtable* st : bucket) {
    if (std::memcmp(st->mask.w, mask.w, sizeof mask.w) == 0) return last_ = st;
  }
  subtables_.push_back(std::make_unique<Subtable>(mask));
  Subtable* st = subtables_.back().get();
  bucket.push_back(st);
  order_.push_back(st);
  recomputeUnion();
  return last_ = st;
}

void Classifier::recomputeUnion() {
  std::memset(union_mask_.w, 0, sizeof union_mask_.w);
  for (const auto& st : subtables_) {
    for (size_t i = 0; i < kKeyWords; i++) union_mask_.w[i] |= st->mask.w[i];
  }
  union_nwords_ = 0;
  for (size_t i = 0; i < kKeyWords; i++) {
    if (union_mask_.w[i] != 0) union_words_[union_nwords_++] = static_cast<uint8_t>(i);
  }
}

ClsRule* Classifier::insert(ClsRule* rule, const FlowKey& mask) {
  Subtable* st = findOrCreate(mask);
  rule->hash = st->hashOf(rule->masked);
  size_t i = st->probe(rule->masked, rule->hash);
  if (st->slots[i].head != nullptr) {
    // Same masked key: keep the chain sorted by (priority, seq); seq only grows, so a new rule goes
    // after every rule of its priority or a higher one.
    ClsRule** link = &st->slots[i].head;
    while (*link != nullptr && (*link)->priority <= rule->priority) {
      if ((*link)->priority == rule->priority) return *link;
      link = &(*link)->next_same;
    }
    rule->next_same = *link;
    *link = rule;
  } else {
    rule->next_same = nullptr;
    st->slots[i] = Subtable::Slot{rule->hash, rule};
    st->used++;
    if (st->used * 2 > st->slots.size()) st->grow();
  }
  rule->subtable = st;
  st->nrules++;
  auto [it, fresh] = st->prios.try_emplace(rule->priority, Subtable::PrioInfo{0, rule->seq});
  it->second.count++;
  (void)fresh;
  if (st->nrules == 1 || rule->priority < st->bound_prio) {
    st->bound_prio = rule->priority;
    st->bound_seq = it->second.min_seq;
    order_dirty_ = true;
  }
  return nullptr;
}

void Classifier::remove(ClsRule* rule) {
  Subtable* st = rule->subtable;
  const size_t i = st->probe(rule->masked, rule->hash);
  ClsRule** link = &st->slots[i].head;
  while (*link != rule) link = &(*link)->next_same;
  *link = rule->next_same;
  if (st->slots[i].head == nullptr) st->eraseSlot(i);
  rule->next_same = nullptr;
  rule->subtable = nullptr;
  st->nrules--;
  auto it = st->prios.find(rule->priority);
  if (--it->second.count == 0) {
    st->prios.erase(it);
    if (!st->prios.empty() && st->prios.begin()->first != st->bound_prio) {
      st->bound_prio = st->prios.begin()->first;
      st->bound_seq = st->prios.begin()->second.min_seq;
      order_dirty_ = true;
    }
  }
  if (st->nrules == 0) {
    if (last_ == st) last_ = nullptr;
    std::vector<Subtable*>& bucket = by_mask_[st->mask_hash];
    bucket.erase(std::find(bucket.begin(), bucket.end(), st));
    if (bucket.empty()) by_mask_.erase(st->mask_hash);
    order_.erase(std::find(order_.begin(), order_.end(), st));
    subtables_.erase(std::find_if(subtables_.begin(), subtables_.end(), [st](const auto& p) { return p.get() == st; }));
    recomputeUnion();
  }
}

void Classifier::sortIfNeeded() {
  if (!order_dirty_) return;
  std::sort(order_.begin(), order_.end(), [](const Subtable* a, const Subtable* b) {
    return a->bound_prio != b->bound_prio ? a->bound_prio < b->bound_prio : a->bound_seq < b->bound_seq;
  });
  order_dirty_ = false;
}

const ClsRule* Classifier::lookup(const FlowKey& key) {
  sortIfNeeded();
  const ClsRule* best = nullptr;
  for (const Subtable* st : order_) {
    if (best != nullptr && (st->bound_prio > best->priority || (st->bound_prio == best->priority && st->bound_seq >= best->seq))) {
      break;
    }
    const uint32_t h = st->hashOf(key);
    const size_t m = st->slots.size() - 1;
    size_t i = h & m;
    const Subtable::Slot* slots = st->slots.data();
    while (slots[i].head != nullptr) {
      if (slots[i].hash == h && st->sameMasked(key, slots[i].head)) {
        const ClsRule* r = slots[i].head;
        if (best == nullptr || r->priority < best->priority || (r->priority == best->priority && r->seq < best->seq)) best = r;
        break;
      }
      i = (i + 1) & m;
    }
  }
  return best;
}

}  // namespace hwol
