// A table of live objects addressed by 32-bit handles that JS holds as plain numbers.
//
// handle = generation << 22 | slot, with generation in 1..1023, so a handle is never 0 (0 means
// "no rule" in result arrays) and a stale handle is recognised until its slot has been reused
// 1023 times; slots are reused first-in first-out to push that far away. At most 2^22 live objects.
// Storage is chunked: objects never move, and growth copies nothing.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace hwol {

template <typename T>
class HandleTable {
 public:
  static constexpr uint32_t kSlotBits = 22;
  static constexpr uint32_t kMaxSlots = 1u << kSlotBits;

  // Stores a default-constructed T and returns its handle (0 when the table is full); *out points to it.
  uint32_t insert(T** out) {
    uint32_t slot;
    if (!free_.empty() && (free_.size() > kReuseDelay || next_ == kMaxSlots)) {
      slot = free_.front();
      free_.pop_front();
    } else if (next_ < kMaxSlots) {
      slot = next_++;
      if ((slot & kChunkMask) == 0) chunks_.emplace_back(new Entry[kChunkSize]);
    } else {
      return 0;
    }
    Entry& e = entry(slot);
    e.live = true;
    e.value = T();
    live_++;
    *out = &e.value;
    return (static_cast<uint32_t>(e.generation) << kSlotBits) | slot;
  }

  // The object behind `handle`, or nullptr when it is not live.
  T* find(uint32_t handle) {
    const uint32_t slot = handle & (kMaxSlots - 1);
    if (slot >= next_) return nullptr;
    Entry& e = entry(slot);
    if (!e.live || e.generation != (handle >> kSlotBits)) return nullptr;
    return &e.value;
  }

  // Releases `handle` (which must be live).
  void erase(uint32_t handle) {
    const uint32_t slot = handle & (kMaxSlots - 1);
    Entry& e = entry(slot);
    e.live = false;
    e.value = T();
    e.generation = static_cast<uint16_t>(e.generation == 1023 ? 1 : e.generation + 1);
    free_.push_back(slot);
    live_--;
  }

  // Calls f(handle, T&) for every live object.
  template <typename F>
  void forEach(F&& f) {
    for (uint32_t slot = 0; slot < next_; slot++) {
      Entry& e = entry(slot);
      if (e.live) f((static_cast<uint32_t>(e.generation) << kSlotBits) | slot, e.value);
    }
  }

  uint32_t size() const { return live_; }

 private:
  static constexpr uint32_t kChunkSize = 4096;
  static constexpr uint32_t kChunkMask = kChunkSize - 1;
  // Fresh slots are preferred while fewer than this many are free, so that a handle just destroyed
  // is not handed out again at once.
  static constexpr size_t kReuseDelay = 64;

  struct Entry {
    T value{};
    uint16_t generation = 1;
    bool live = false;
  };

  Entry& entry(uint32_t slot) { return chunks_[slot / kChunkSize][slot & kChunkMask]; }

  std::vector<std::unique_ptr<Entry[]>> chunks_;
  std::deque<uint32_t> free_;
  uint32_t next_ = 0;
  uint32_t live_ = 0;
};

}  // namespace hwol
