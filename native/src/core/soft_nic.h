// The soft NIC: a software model of an rte_flow NIC, configured by a capability profile.
//
// It accepts or refuses rules as the profile says (soft_validate.h), keeps them in a per-port,
// per-group tuple-space classifier, and classifies raw frames: for each frame the rule hit (lowest
// priority value, then earliest insertion), its MARK and fate, with the COUNT counters updated.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "classifier.h"
#include "flow_device.h"
#include "handle_table.h"
#include "profile.h"

namespace hwol {

// Per-frame verdict flags.
constexpr uint8_t kVerdictHit = 1u << 0;
constexpr uint8_t kVerdictMarked = 1u << 1;
constexpr uint8_t kVerdictDrop = 1u << 2;
constexpr uint8_t kVerdictQueue = 1u << 3;
constexpr uint8_t kVerdictRss = 1u << 4;
constexpr uint8_t kVerdictPortId = 1u << 5;
constexpr uint8_t kVerdictCounted = 1u << 6;
constexpr uint8_t kVerdictMalformed = 1u << 7;

// Output arrays of classify(), one element per frame.
struct VerdictArrays {
  uint32_t* handles;    // rule hit, 0 on a miss
  uint32_t* marks;      // MARK id when kVerdictMarked
  uint32_t* fate_args;  // QUEUE index, PORT_ID id, or the first RSS queue
  uint8_t* flags;       // kVerdict* bits
};

class SoftNic final : public FlowDevice {
 public:
  explicit SoftNic(const Profile& profile);
  ~SoftNic() override;

  bool validate(const Rule& rule, FlowError* err) override;
  uint32_t create(const Rule& rule, FlowError* err) override;
  bool destroy(uint32_t handle, FlowError* err) override;
  bool query(uint32_t handle, bool reset, Counters* out, FlowError* err) override;
  bool queryFast(uint32_t handle, bool reset, Counters* out) override;
  bool flush(uint32_t port, uint32_t* removed, FlowError* err) override;
  bool ruleCount(uint32_t port, uint32_t* count, FlowError* err) override;

  // Classifies n frames received on `port` with input port index `port_index` (what a PORT item
  // matches). Frame i is data[offsets[i], offsets[i+1]); the caller guarantees the offsets are
  // non-decreasing and within the data. Returns the number of hits. Fails only for a bad port.
  bool classify(uint32_t port, uint32_t port_index, const uint8_t* data, const uint32_t* offsets, uint32_t n,
                const VerdictArrays& out, uint32_t* hits, FlowError* err);

  const Profile& profile() const { return profile_; }

 private:
  struct SoftRule {
    ClsRule cls;
    uint32_t port = 0;
    uint32_t group = 0;
    uint32_t handle = 0;
    uint32_t mark = 0;
    uint32_t fate_arg = 0;
    uint8_t flags = 0;  // kVerdict* bits this rule sets on a hit
    uint64_t hits = 0;
    uint64_t bytes = 0;
  };
  // An exact-match cache in front of the tuple-space search of group 0, as OVS puts one in front
  // of its dpcls: keyed by the packet's key under the classifier's union mask, invalidated as a
  // whole (generation bump) whenever a rule of the port is created or destroyed.
  struct EmcEntry {
    uint64_t generation = 0;  // 0: empty
    uint32_t hash = 0;
    const ClsRule* rule = nullptr;  // nullptr: a cached miss
    FlowKey key{};                  // masked by the union mask
  };
  struct Port {
    std::unordered_map<uint32_t, std::unique_ptr<Classifier>> groups;
    uint32_t nrules = 0;
    uint64_t generation = 1;
    std::vector<EmcEntry> emc;  // allocated on the first classify
  };
  static constexpr size_t kEmcEntries = 4096;
  static constexpr uint64_t kEmcInsertInverse = 8;  // a power of two

  const ClsRule* lookup(Port& port, Classifier& cls, const FlowKey& key);

  bool checkPort(uint32_t port, FlowError* err) const;
  static SoftRule* ruleOf(const ClsRule* cls);
  // Copies a rule's counters to `out`, zeroing them when `reset`.
  static void takeCounters(SoftRule* r, bool reset, Counters* out);

  Profile profile_;
  std::vector<Port> ports_;
  HandleTable<SoftRule> rules_;
  uint64_t next_seq_ = 1;
  uint64_t emc_insert_state_ = 0x2545f4914f6cdd1dull;
};

}  // namespace hwol
