// Tuple-space search over the rules of one (port, group): one hash table ("subtable") per distinct
// mask, subtables probed in order of the best (priority, insertion sequence) they may hold, and the
// search stops as soon as no remaining subtable can hold a better rule than the one found.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "flow_key.h"

namespace hwol {

struct Subtable;

// A rule as the classifier sees it; the owner keeps it at a stable address while it is inserted.
struct ClsRule {
  FlowKey masked{};       // the rule's key, already ANDed with its mask
  uint32_t priority = 0;  // 0 is the highest
  uint64_t seq = 0;       // insertion order, unique and increasing
  uint32_t hash = 0;
  ClsRule* next_same = nullptr;  // other rules with the same mask and masked key, by (priority, seq)
  Subtable* subtable = nullptr;
};

class Classifier {
 public:
  Classifier();
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;
  ~Classifier();

  // Inserts `rule` (masked, priority and seq set) under `mask`. When a rule with the same mask,
  // masked key and priority exists, nothing is inserted and that rule is returned; else nullptr.
  ClsRule* insert(ClsRule* rule, const FlowKey& mask);
  // Removes an inserted rule.
  void remove(ClsRule* rule);
  // The matching rule with the lowest (priority, seq), or nullptr.
  const ClsRule* lookup(const FlowKey& key);

  size_t subtableCount() const { return subtables_.size(); }

  // The OR of every subtable's mask, and the indexes of its non-zero words: two keys equal under
  // it are classified alike (what an exact-match cache keys on). Changes only with insert/remove.
  const FlowKey& unionMask() const { return union_mask_; }
  const uint8_t* unionWords() const { return union_words_; }
  uint32_t unionWordCount() const { return union_nwords_; }

 private:
  void recomputeUnion();

  Subtable* findOrCreate(const FlowKey& mask);
  void sortIfNeeded();

  std::vector<std::unique_ptr<Subtable>> subtables_;
  std::unordered_map<uint64_t, std::vector<Subtable*>> by_mask_;
  std::vector<Subtable*> order_;  // by (bound priority, bound seq)
  bool order_dirty_ = false;
  Subtable* last_ = nullptr;  // the subtable of the last findOrCreate (a cache; nullptr when removed)
  FlowKey union_mask_{};
  uint8_t union_words_[kKeyWords] = {};
  uint32_t union_nwords_ = 0;
};

}  // namespace hwol
