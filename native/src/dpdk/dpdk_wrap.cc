#include "dpdk_wrap.h"

#include <memory>
#include <string>
#include <vector>

#include <rte_version.h>

#include "../napi/addon_data.h"
#include "../napi/args.h"
#include "../napi/batch_ops.h"
#include "../napi/errors.h"
#include "dpdk_device.h"
#include "eal.h"
#include "ports.h"

namespace hwol {

namespace {

void requireEal(Napi::Env env, const char* fn) {
  if (!ealInitialized()) throwDpdkError(env, std::string(fn) + ": EAL is not initialised (call ealInit first)", ENODEV, fn);
}

std::string stringArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  if (!info[i].IsString()) throw Napi::TypeError::New(info.Env(), std::string(fn) + ": " + name + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

Napi::Object portObject(Napi::Env env, const PortInfo& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("id", p.id);
  o.Set("name", p.name);
  o.Set("driver", p.driver);
  return o;
}

void check(Napi::Env env, const PortResult& r) {
  if (r.errnum != 0) throwDpdkError(env, r.message, r.errnum, r.operation);
}

uint16_t portArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  const uint32_t port = uint32Arg(info, i, fn, "port");
  if (port > UINT16_MAX) throwRange(info.Env(), fn, "port must be below 65536");
  return static_cast<uint16_t>(port);
}

// ealInit(argv: string[]): { args, mainLcore, lcoreCount }
Napi::Value EalInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "ealInit: argv must be an array of strings");
  const Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<std::string> args;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    const Napi::Value v = arr.Get(i);
    if (!v.IsString()) throw Napi::TypeError::New(env, "ealInit: argv[" + std::to_string(i) + "] must be a string");
    args.push_back(v.As<Napi::String>().Utf8Value());
  }
  const EalOutcome out = ealInit(args);
  if (out.errnum != 0) throwDpdkError(env, out.message, out.errnum, "rte_eal_init");
  Napi::Object o = Napi::Object::New(env);
  Napi::Array argv = Napi::Array::New(env, out.argv.size());
  for (uint32_t i = 0; i < out.argv.size(); i++) argv.Set(i, out.argv[i]);
  o.Set("args", argv);
  o.Set("mainLcore", out.main_lcore);
  o.Set("lcoreCount", out.lcore_count);
  return o;
}

Napi::Value EalInitialized(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), ealInitialized()); }

Napi::Value Probe(const Napi::CallbackInfo& info) {
  const std::string devargs = stringArg(info, 0, "probe", "devargs");
  requireEal(info.Env(), "probe");
  PortInfo p;
  check(info.Env(), probePort(devargs, &p));
  return portObject(info.Env(), p);
}

Napi::Value Detach(const Napi::CallbackInfo& info) {
  const uint16_t port = portArg(info, 0, "detach");
  requireEal(info.Env(), "detach");
  check(info.Env(), detachPort(port));
  return info.Env().Undefined();
}

Napi::Value Ports(const Napi::CallbackInfo& info) {
  requireEal(info.Env(), "ports");
  const std::vector<PortInfo> ports = listPorts();
  Napi::Array arr = Napi::Array::New(info.Env(), ports.size());
  for (uint32_t i = 0; i < ports.size(); i++) arr.Set(i, portObject(info.Env(), ports[i]));
  return arr;
}

Napi::Value PortByName(const Napi::CallbackInfo& info) {
  const std::string name = stringArg(info, 0, "portByName", "name");
  requireEal(info.Env(), "portByName");
  return Napi::Number::New(info.Env(), portByName(name));
}

Napi::Value StartPort(const Napi::CallbackInfo& info) {
  const uint16_t port = portArg(info, 0, "startPort");
  const uint32_t rx = uint32Arg(info, 1, "startPort", "rxQueues");
  const uint32_t tx = uint32Arg(info, 2, "startPort", "txQueues");
  if (rx == 0 || tx == 0 || rx > 1024 || tx > 1024) throwRange(info.Env(), "startPort", "queue counts must be in 1..1024");
  requireEal(info.Env(), "startPort");
  check(info.Env(), startPort(port, static_cast<uint16_t>(rx), static_cast<uint16_t>(tx)));
  return info.Env().Undefined();
}

class DpdkDeviceWrap : public Napi::ObjectWrap<DpdkDeviceWrap> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "DpdkDevice",
                       {
                           InstanceMethod<&DpdkDeviceWrap::Validate>("validate"),
                           InstanceMethod<&DpdkDeviceWrap::Create>("create"),
                           InstanceMethod<&DpdkDeviceWrap::Destroy>("destroy"),
                           InstanceMethod<&DpdkDeviceWrap::Query>("query"),
                         InstanceMethod<&DpdkDeviceWrap::QueryInto>("queryInto"),
                           InstanceMethod<&DpdkDeviceWrap::Flush>("flush"),
                           InstanceMethod<&DpdkDeviceWrap::RuleCount>("ruleCount"),
                           InstanceMethod<&DpdkDeviceWrap::Close>("close"),
                       });
  }

  explicit DpdkDeviceWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DpdkDeviceWrap>(info) {
    requireEal(info.Env(), "DpdkDevice");
    device_ = std::make_unique<DpdkDevice>();
  }

 private:
  DpdkDevice& dev(const Napi::CallbackInfo& info) {
    if (!device_) throw Napi::Error::New(info.Env(), "DpdkDevice is closed");
    return *device_;
  }
  Napi::Value Validate(const Napi::CallbackInfo& info) { return batchValidate(info, dev(info)); }
  Napi::Value Create(const Napi::CallbackInfo& info) { return batchCreate(info, dev(info)); }
  Napi::Value Destroy(const Napi::CallbackInfo& info) { return batchDestroy(info, dev(info)); }
  Napi::Value Query(const Napi::CallbackInfo& info) { return batchQuery(info, dev(info)); }
  Napi::Value QueryInto(const Napi::CallbackInfo& info) { return batchQueryInto(info, dev(info)); }
  Napi::Value Flush(const Napi::CallbackInfo& info) { return flushPort(info, dev(info)); }
  Napi::Value RuleCount(const Napi::CallbackInfo& info) { return portRuleCount(info, dev(info)); }
  // close(): destroys every rule created through this device.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    device_.reset();
    return info.Env().Undefined();
  }

  std::unique_ptr<DpdkDevice> device_;
};

}  // namespace

Napi::Value dpdkVersion(Napi::Env env) { return Napi::String::New(env, rte_version()); }

void defineDpdk(Napi::Env env, Napi::Object exports) {
  Napi::Object dpdk = Napi::Object::New(env);
  dpdk.Set("ealInit", Napi::Function::New(env, EalInit, "ealInit"));
  dpdk.Set("ealInitialized", Napi::Function::New(env, EalInitialized, "ealInitialized"));
  dpdk.Set("probe", Napi::Function::New(env, Probe, "probe"));
  dpdk.Set("detach", Napi::Function::New(env, Detach, "detach"));
  dpdk.Set("ports", Napi::Function::New(env, Ports, "ports"));
  dpdk.Set("portByName", Napi::Function::New(env, PortByName, "portByName"));
  dpdk.Set("startPort", Napi::Function::New(env, StartPort, "startPort"));
  Napi::Function device = DpdkDeviceWrap::define(env);
  addonData(env).dpdk_device = Napi::Persistent(device);
  dpdk.Set("Device", device);
  exports.Set("dpdk", dpdk);
}

}  // namespace hwol
