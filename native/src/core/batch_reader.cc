#include "batch_reader.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace hwol {

namespace {
constexpr uint32_t kHeaderWords = 7;
constexpr uint32_t kMaxRssKeyLen = 256;
constexpr uint32_t kMaxRssQueues = 65536;
uint32_t wordsFor(uint32_t bytes) { return (bytes + 3) / 4; }
}  // namespace

BatchReader::BatchReader(const uint8_t* data, size_t size, uint32_t count)
    : data_(data), words_(size / 4), remaining_(count) {}

void BatchReader::checkFraming() const {
  size_t pos = pos_;
  for (uint32_t i = 0; i < remaining_; i++) {
    if (pos >= words_) throw BatchFormatError("rule batch holds " + std::to_string(i) + " records, fewer than its count");
    const uint32_t len = word(pos);
    if (len < kHeaderWords || len > words_ - pos) {
      throw BatchFormatError("record " + std::to_string(i) + " at word " + std::to_string(pos) + " has an invalid length " +
                             std::to_string(len));
    }
    pos += len;
  }
}

bool BatchReader::next(Rule* rule, FlowError* err) {
  if (remaining_ == 0) throw BatchFormatError("rule batch holds fewer records than its count");
  if (pos_ >= words_) throw BatchFormatError("rule batch ends before record " + std::to_string(pos_));
  const size_t start = pos_;
  const uint32_t len = word(start);
  if (len < kHeaderWords || len > words_ - start) {
    throw BatchFormatError("rule batch record at word " + std::to_string(start) + " has an invalid length " +
                           std::to_string(len));
  }
  const size_t end = start + len;
  pos_ = end;
  remaining_--;

  rule->port = word(start + 1);
  rule->group = word(start + 2);
  rule->priority = word(start + 3);
  const uint32_t flags = word(start + 4);
  rule->ingress = (flags & 1u) != 0;
  rule->egress = (flags & 2u) != 0;
  rule->transfer = (flags & 4u) != 0;
  const uint32_t n_items = word(start + 5);
  const uint32_t n_actions = word(start + 6);
  rule->items.clear();
  rule->actions.clear();
  rule->rss.clear();
  if (n_items > len || n_actions > len) {
    return err->set(ErrorType::kItemNum, EINVAL, -1, "rule record counts exceed its length");
  }

  size_t p = start + kHeaderWords;
  for (uint32_t i = 0; i < n_items; i++) {
    if (end - p < 2) return err->set(ErrorType::kItemNum, EINVAL, static_cast<int32_t>(i), "rule record truncated in its pattern");
    const uint32_t type = word(p);
    const uint32_t item_flags = word(p + 1);
    const ItemDesc* desc = itemDesc(type);
    if (desc == nullptr) {
      return err->set(ErrorType::kItem, ENOTSUP, static_cast<int32_t>(i), "unknown pattern item type " + std::to_string(type));
    }
    const uint32_t w = wordsFor(desc->size);
    if (end - p - 2 < 2 * static_cast<size_t>(w)) {
      return err->set(ErrorType::kItemNum, EINVAL, static_cast<int32_t>(i), "rule record truncated in item " + std::string(desc->name));
    }
    rule->items.emplace_back();
    PatternItem& item = rule->items.back();
    item.type = static_cast<ItemType>(type);
    item.has_spec = (item_flags & 1u) != 0;
    item.has_mask = (item_flags & 2u) != 0;
    std::memcpy(item.spec, data_ + (p + 2) * 4, desc->size);
    std::memcpy(item.mask, data_ + (p + 2 + w) * 4, desc->size);
    std::memset(item.spec + desc->size, 0, kMaxItemSize - desc->size);
    std::memset(item.mask + desc->size, 0, kMaxItemSize - desc->size);
    p += 2 + 2 * static_cast<size_t>(w);
  }

  for (uint32_t i = 0; i < n_actions; i++) {
    const auto pos = static_cast<int32_t>(i);
    if (end - p < 2) return err->set(ErrorType::kActionNum, EINVAL, pos, "rule record truncated in its actions");
    const uint32_t type = word(p);
    const uint32_t n = word(p + 1);
    if (n > end - p - 2) return err->set(ErrorType::kActionNum, EINVAL, pos, "rule record truncated in its actions");
    const size_t conf = p + 2;
    p = conf + n;
    const char* name = actionName(type);
    if (name == nullptr || type == 0) {
      return err->set(ErrorType::kAction, ENOTSUP, pos, "unknown action type " + std::to_string(type));
    }
    RuleAction a;
    a.type = static_cast<ActionType>(type);
    uint32_t need = 0;
    switch (a.type) {
      case ActionType::kMark:
      case ActionType::kCount:
      case ActionType::kQueue:
        need = 1;
        break;
      case ActionType::kPortId:
        need = 2;
        break;
      case ActionType::kRss:
        need = 6;
        break;
      default:
        break;
    }
    if (n < need) return err->set(ErrorType::kActionConf, EINVAL, pos, std::string(name) + " configuration is truncated");
    if (need >= 1) a.value = word(conf);
    if (need >= 2) a.value2 = word(conf + 1);
    if (a.type == ActionType::kRss) {
      RssConf rss;
      rss.func = word(conf);
      rss.level = word(conf + 1);
      rss.types = static_cast<uint64_t>(word(conf + 2)) | (static_cast<uint64_t>(word(conf + 3)) << 32);
      const uint32_t key_len = word(conf + 4);
      const uint32_t n_queues = word(conf + 5);
      if (key_len > kMaxRssKeyLen || n_queues > kMaxRssQueues || 6 + wordsFor(key_len) + static_cast<size_t>(n_queues) != n) {
        return err->set(ErrorType::kActionConf, EINVAL, pos, "RSS configuration has inconsistent key or queue lengths");
      }
      rss.key.assign(data_ + (conf + 6) * 4, data_ + (conf + 6) * 4 + key_len);
      const size_t q = conf + 6 + wordsFor(key_len);
      rss.queues.reserve(n_queues);
      for (uint32_t k = 0; k < n_queues; k++) {
        const uint32_t queue = word(q + k);
        if (queue > 0xffff) return err->set(ErrorType::kActionConf, EINVAL, pos, "RSS queue index " + std::to_string(queue) + " is out of range");
        rss.queues.push_back(static_cast<uint16_t>(queue));
      }
      a.rss = static_cast<uint32_t>(rule->rss.size());
      rule->rss.push_back(std::move(rss));
    }
    rule->actions.push_back(a);
  }
  if (p != end) return err->set(ErrorType::kUnspecified, EINVAL, -1, "rule record has trailing words");
  return true;
}

}  // namespace hwol
