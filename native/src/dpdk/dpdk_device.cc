#include "dpdk_device.h"

#include <cerrno>
#include <string>

#include <rte_errno.h>
#include <rte_ethdev.h>

namespace hwol {

namespace {

bool isActionError(rte_flow_error_type t) {
  return t == RTE_FLOW_ERROR_TYPE_ACTION_NUM || t == RTE_FLOW_ERROR_TYPE_ACTION_CONF || t == RTE_FLOW_ERROR_TYPE_ACTION;
}

bool isItemError(rte_flow_error_type t) {
  return t == RTE_FLOW_ERROR_TYPE_ITEM_NUM || t == RTE_FLOW_ERROR_TYPE_ITEM_SPEC || t == RTE_FLOW_ERROR_TYPE_ITEM_LAST ||
         t == RTE_FLOW_ERROR_TYPE_ITEM_MASK || t == RTE_FLOW_ERROR_TYPE_ITEM;
}

}  // namespace

DpdkDevice::~DpdkDevice() { destroyAll(); }

bool DpdkDevice::checkPort(uint32_t port, FlowError* err) const {
  if (port <= UINT16_MAX && rte_eth_dev_is_valid_port(static_cast<uint16_t>(port))) return true;
  return err->set(ErrorType::kUnspecified, ENODEV, -1, "port " + std::to_string(port) + " does not exist");
}

bool DpdkDevice::fail(int rc, const rte_flow_error& e, const RteRule* rule, FlowError* err) const {
  int errnum = rc < 0 ? -rc : rte_errno;
  if (errnum == 0) errnum = EIO;
  int32_t position = -1;
  if (rule != nullptr) {
    if (isItemError(e.type)) position = rule->itemIndex(e.cause);
    if (isActionError(e.type)) position = rule->actionIndex(e.cause);
  }
  const int type = static_cast<int>(e.type);
  const auto t = type >= 1 && type <= static_cast<int>(ErrorType::kState) ? static_cast<ErrorType>(type) : ErrorType::kUnspecified;
  return err->set(t, errnum, position, e.message != nullptr ? e.message : rte_strerror(errnum));
}

bool DpdkDevice::validate(const Rule& rule, FlowError* err) {
  if (!checkPort(rule.port, err)) return false;
  scratch_.assign(rule);
  rte_flow_error e{};
  const int rc = rte_flow_validate(scratch_.port(), scratch_.attr(), scratch_.pattern(), scratch_.actions(), &e);
  return rc == 0 || fail(rc, e, &scratch_, err);
}

uint32_t DpdkDevice::create(const Rule& rule, FlowError* err) {
  if (!checkPort(rule.port, err)) return 0;
  scratch_.assign(rule);
  rte_flow_error e{};
  rte_flow* flow = rte_flow_create(scratch_.port(), scratch_.attr(), scratch_.pattern(), scratch_.actions(), &e);
  if (flow == nullptr) {
    fail(-rte_errno, e, &scratch_, err);
    return 0;
  }
  Flow* f = nullptr;
  const uint32_t handle = flows_.insert(&f);
  if (handle == 0) {
    rte_flow_error ignored{};
    rte_flow_destroy(scratch_.port(), flow, &ignored);
    err->set(ErrorType::kUnspecified, ENOSPC, -1, "too many rules for one dpdk backend");
    return 0;
  }
  f->port = scratch_.port();
  f->flow = flow;
  return handle;
}

bool DpdkDevice::destroy(uint32_t handle, FlowError* err) {
  Flow* f = flows_.find(handle);
  if (f == nullptr) return err->set(ErrorType::kHandle, EINVAL, -1, "no rule has handle " + std::to_string(handle));
  rte_flow_error e{};
  const int rc = rte_flow_destroy(f->port, f->flow, &e);
  if (rc != 0) return fail(rc, e, nullptr, err);
  flows_.erase(handle);
  return true;
}

bool DpdkDevice::query(uint32_t handle, bool reset, Counters* out, FlowError* err) {
  Flow* f = flows_.find(handle);
  if (f == nullptr) return err->set(ErrorType::kHandle, EINVAL, -1, "no rule has handle " + std::to_string(handle));
  rte_flow_query_count count{};
  count.reset = reset ? 1 : 0;
  const rte_flow_action actions[] = {{RTE_FLOW_ACTION_TYPE_COUNT, nullptr}, {RTE_FLOW_ACTION_TYPE_END, nullptr}};
  rte_flow_error e{};
  const int rc = rte_flow_query(f->port, f->flow, actions, &count, &e);
  if (rc != 0) return fail(rc, e, nullptr, err);
  out->hits = count.hits_set ? count.hits : 0;
  out->bytes = count.bytes_set ? count.bytes : 0;
  return true;
}

bool DpdkDevice::flush(uint32_t port, uint32_t* removed, FlowError* err) {
  if (!checkPort(port, err)) return false;
  rte_flow_error e{};
  const int rc = rte_flow_flush(static_cast<uint16_t>(port), &e);
  if (rc != 0 && rc != -ENOSYS) return fail(rc, e, nullptr, err);
  uint32_t n = 0;
  flows_.forEach([&](uint32_t handle, Flow& f) {
    if (f.port != port) return;
    flows_.erase(handle);
    n++;
  });
  *removed = n;
  return true;
}

bool DpdkDevice::ruleCount(uint32_t port, uint32_t* count, FlowError* err) {
  if (!checkPort(port, err)) return false;
  uint32_t n = 0;
  flows_.forEach([&](uint32_t, Flow& f) { n += f.port == port ? 1 : 0; });
  *count = n;
  return true;
}

void DpdkDevice::destroyAll() {
  flows_.forEach([&](uint32_t handle, Flow& f) {
    rte_flow_error e{};
    rte_flow_destroy(f.port, f.flow, &e);
    flows_.erase(handle);
  });
}

}  // namespace hwol
