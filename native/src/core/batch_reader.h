// Reads a batch of rules in the compact format written by src/native/rule-encoder.ts.
//
// Format: little-endian 32-bit words, one record per rule, back to back.
//   record  := length attrs items actions
//   length  := 1 word: the record's size in words, this word included (>= 7)
//   attrs   := port group priority flags nItems nActions   (flags: bit0 ingress, bit1 egress, bit2 transfer)
//   item    := type itemFlags spec mask   (itemFlags: bit0 spec given, bit1 mask given; spec and mask
//              are the item's layout bytes (layout.h), each padded to whole words)
//   action  := type nWords conf[nWords]
//     MARK: id | COUNT: id | QUEUE: index | DROP: - | PORT_ID: id original
//     RSS: func level typesLow typesHigh keyLen nQueues key[ceil(keyLen/4) words] queues[nQueues words]
// END items and actions are not written: a record's counts say where its lists stop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "flow_error.h"
#include "rule.h"

namespace hwol {

// The batch's framing is broken (a record claims more words than the buffer holds, ...): nothing
// after that point can be trusted. The N-API layer turns it into a TypeError.
class BatchFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class BatchReader {
 public:
  // `data` holds `count` records; `size` is its length in bytes.
  BatchReader(const uint8_t* data, size_t size, uint32_t count);

  // Decodes the next record into *rule (reusing its storage). Returns false and fills *err when the
  // record's content is invalid (an unknown item type, a bad RSS configuration...): that element
  // fails on its own and the reader moves to the next record.
  // Throws BatchFormatError when the framing is broken or there is no record left.
  bool next(Rule* rule, FlowError* err);

  // Walks every record's length word without decoding: throws BatchFormatError when the framing is
  // broken anywhere, so that a caller can refuse a batch before acting on any of its elements.
  void checkFraming() const;

  uint32_t remaining() const { return remaining_; }

 private:
  // Defined here so that the decoding loops inline it (one unaligned load).
  uint32_t word(size_t index) const {
    uint32_t v;
    std::memcpy(&v, data_ + index * 4, 4);
    return v;  // little-endian hosts only (x86-64, arm64), as Node's typed arrays
  }

  const uint8_t* data_;
  size_t words_;
  size_t pos_ = 0;  // in words
  uint32_t remaining_;
};

}  // namespace hwol
