#include "rule.h"

namespace hwol {

namespace {
const uint8_t kZeros[kMaxItemSize] = {};
}

const uint8_t* PatternItem::effectiveMask(const ItemDesc& desc) const {
  if (!has_spec) return kZeros;
  return has_mask ? mask : desc.default_mask;
}

}  // namespace hwol
