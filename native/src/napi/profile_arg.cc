#include "profile_arg.h"

#include <cmath>
#include <string>

namespace hwol {

namespace {

[[noreturn]] void bad(Napi::Env env, const std::string& what) {
  throw Napi::TypeError::New(env, "SoftNic profile: " + what);
}

uint32_t uintProp(Napi::Env env, const Napi::Object& o, const char* name, uint32_t min, uint32_t max) {
  const Napi::Value v = o.Get(name);
  if (!v.IsNumber()) bad(env, std::string(name) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || std::floor(d) != d) {
    bad(env, std::string(name) + " must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
  }
  return static_cast<uint32_t>(d);
}

bool boolProp(Napi::Env env, const Napi::Object& o, const char* name) {
  const Napi::Value v = o.Get(name);
  if (!v.IsBoolean()) bad(env, std::string(name) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

}  // namespace

Profile profileFromObject(Napi::Env env, const Napi::Value& value) {
  if (!value.IsObject()) bad(env, "must be an object");
  const Napi::Object o = value.As<Napi::Object>();
  Profile p;
  const Napi::Value name = o.Get("name");
  if (!name.IsString()) bad(env, "name must be a string");
  p.name = name.As<Napi::String>().Utf8Value();
  p.ports = uintProp(env, o, "ports", 1, 1024);
  p.queues = uintProp(env, o, "queues", 1, 65535);
  p.max_rules = uintProp(env, o, "maxRules", 0, 1u << 22);
  p.max_mark = uintProp(env, o, "maxMark", 0, 0xffffffffu);
  p.priorities = uintProp(env, o, "priorities", 1, 0xffffffffu);
  p.groups = uintProp(env, o, "groups", 1, 0xffffffffu);
  p.egress = boolProp(env, o, "egress");
  p.transfer = boolProp(env, o, "transfer");
  p.mark_needs_queue = boolProp(env, o, "markNeedsQueue");
  const Napi::Value policy = o.Get("maskPolicy");
  const std::string pol = policy.IsString() ? policy.As<Napi::String>().Utf8Value() : "";
  if (pol == "any") {
    p.mask_policy = MaskPolicy::kAny;
  } else if (pol == "exact") {
    p.mask_policy = MaskPolicy::kExact;
  } else if (pol == "prefix") {
    p.mask_policy = MaskPolicy::kPrefix;
  } else {
    bad(env, "maskPolicy must be \"any\", \"exact\" or \"prefix\"");
  }

  const Napi::Value items = o.Get("items");
  if (!items.IsObject() || items.IsArray()) bad(env, "items must be an object mapping item names to field lists");
  const Napi::Object io = items.As<Napi::Object>();
  const Napi::Array names = io.GetPropertyNames();
  for (uint32_t i = 0; i < names.Length(); i++) {
    const std::string item = names.Get(i).As<Napi::String>().Utf8Value();
    const int32_t t = itemTypeByName(item.c_str());
    if (t < 0) bad(env, "items: unknown pattern item \"" + item + "\"");
    const ItemDesc& d = *itemDesc(static_cast<uint32_t>(t));
    p.items[t] = true;
    const Napi::Value fields = io.Get(item);
    if (fields.IsString() && fields.As<Napi::String>().Utf8Value() == "*") {
      for (size_t b = 0; b < d.size; b++) p.matchable[t][b] = d.defined[b];
      continue;
    }
    if (!fields.IsArray()) bad(env, "items." + item + " must be \"*\" or a list of field names");
    const Napi::Array list = fields.As<Napi::Array>();
    for (uint32_t k = 0; k < list.Length(); k++) {
      const Napi::Value f = list.Get(k);
      if (!f.IsString()) bad(env, "items." + item + " must list field names");
      const std::string field = f.As<Napi::String>().Utf8Value();
      const FieldDesc* fd = fieldByName(d, field.c_str());
      if (fd == nullptr) bad(env, "items." + item + ": " + item + " has no field \"" + field + "\"");
      setBits(p.matchable[t], fd->bit_offset, fd->bit_width);
    }
  }

  const Napi::Value actions = o.Get("actions");
  if (!actions.IsArray()) bad(env, "actions must be a list of action names");
  const Napi::Array al = actions.As<Napi::Array>();
  for (uint32_t i = 0; i < al.Length(); i++) {
    const Napi::Value a = al.Get(i);
    const std::string action = a.IsString() ? a.As<Napi::String>().Utf8Value() : "";
    const int32_t t = actionTypeByName(action.c_str());
    if (t < 0) bad(env, "actions: unknown action \"" + action + "\"");
    p.actions[t] = true;
  }
  return p;
}

}  // namespace hwol
