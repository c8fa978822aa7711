/**
 * writePlannedRule: the rule of a {@link FlowPlan} in one trial variant, encoded straight into a
 * {@link RuleBatchBuilder} from the megaflow's numbers: no RuleSpec objects, no address text.
 *
 * Contract: the bytes written equal RuleBatchBuilder.add(withVariant(translationOf(plan).rule,
 * variant)) — the same items (pattern.ts decides them, through the plan's PatternShape), the same
 * fields at the offsets of ITEM_LAYOUTS, the same actions (test/flows/translate/rule-writer.test.ts
 * checks this on fixtures and generated flows). A value that the RuleSpec encoder would refuse
 * (a mask wider than its field, a MAC or IPv6 word out of range, a port that is not a 32-bit
 * integer: never the case for flows the ODP parser reads) is not written here: the function returns
 * false and leaves the batch as it was, and the caller takes the RuleSpec path, whose encoder
 * reports the problem as it always has.
 */
import type { Ipv6Addr, L4PortsKey, MacAddr, Masked } from '../odp';
import { ACTION_CODES, ITEM_LAYOUTS, type ItemLayout } from '../../native/item-fields';
import type { RuleBatchBuilder } from '../../native/rule-encoder';
import type { ItemName } from '../../native/rule-spec';
import { byteMaskKind } from './address-text';
import { IPV4_FRAGMENT_MASK, packedTci } from './pattern';
import type { FlowPlan } from './translate';
import type { ActionVariant } from './variants';

/** An item's type code, its words (spec and mask each) and the byte offsets of its fields. */
interface ItemInfo {
  readonly code: number;
  readonly words: number;
  /** Byte offset of the mask from the spec. */
  readonly maskAt: number;
}

function infoOf(name: ItemName): ItemInfo {
  const l = ITEM_LAYOUTS[name];
  const words = (l.size + 3) >> 2;
  return { code: l.code, words, maskAt: words * 4 };
}

/** Byte offset of a byte-aligned field; the bit (as 0x80 >> n) of a flag is bitOf(). */
function byteOf(l: ItemLayout, field: string): number {
  const f = l.byName.get(field);
  if (f === undefined) throw new Error(`item ${l.name} has no field ${field}`);
  return f.bitOffset >> 3;
}

function bitOf(l: ItemLayout, field: string): number {
  const f = l.byName.get(field);
  if (f === undefined) throw new Error(`item ${l.name} has no field ${field}`);
  return 0x80 >> (f.bitOffset & 7);
}

const PORT = infoOf('PORT');
const ETH = infoOf('ETH');
const VLAN = infoOf('VLAN');
const IPV4 = infoOf('IPV4');
const IPV6 = infoOf('IPV6');
const UDP = infoOf('UDP');
const TCP = infoOf('TCP');
const SCTP = infoOf('SCTP');
const ICMP = infoOf('ICMP');
const ICMP6 = infoOf('ICMP6');

const L = ITEM_LAYOUTS;
const PORT_INDEX = byteOf(L.PORT, 'index');
const ETH_DST = byteOf(L.ETH, 'dst');
const ETH_SRC = byteOf(L.ETH, 'src');
const ETH_TYPE = byteOf(L.ETH, 'type');
const ETH_HAS_VLAN = byteOf(L.ETH, 'hasVlan');
const ETH_HAS_VLAN_BIT = bitOf(L.ETH, 'hasVlan');
const VLAN_TCI = byteOf(L.VLAN, 'tci');
const VLAN_INNER = byteOf(L.VLAN, 'innerType');
const V4_TOS = byteOf(L.IPV4, 'tos');
const V4_FRAG = byteOf(L.IPV4, 'fragmentOffset');
const V4_TTL = byteOf(L.IPV4, 'ttl');
const V4_PROTO = byteOf(L.IPV4, 'proto');
const V4_SRC = byteOf(L.IPV4, 'src');
const V4_DST = byteOf(L.IPV4, 'dst');
/** IPv6 tc sits at bits 4..11 (not byte-aligned). */
const V6_TC_BIT = L.IPV6.byName.get('tc')?.bitOffset ?? -1;
const V6_PROTO = byteOf(L.IPV6, 'proto');
const V6_HLIM = byteOf(L.IPV6, 'hopLimits');
const V6_SRC = byteOf(L.IPV6, 'src');
const V6_DST = byteOf(L.IPV6, 'dst');
const V6_FRAG_EXT = byteOf(L.IPV6, 'hasFragExt');
const V6_FRAG_EXT_BIT = bitOf(L.IPV6, 'hasFragExt');
const L4_SRC = byteOf(L.UDP, 'srcPort');
const L4_DST = byteOf(L.UDP, 'dstPort');
const TCP_FLAGS = byteOf(L.TCP, 'flags');
const ICMP_TYPE = byteOf(L.ICMP, 'type');
const ICMP_CODE = byteOf(L.ICMP, 'code');

if (V6_TC_BIT !== 4 || byteOf(L.TCP, 'srcPort') !== L4_SRC || byteOf(L.SCTP, 'dstPort') !== L4_DST || byteOf(L.ICMP6, 'code') !== ICMP_CODE) {
  throw new Error('rule-writer.ts: item layouts differ from what it writes');
}

const MARK = ACTION_CODES.MARK;
const COUNT = ACTION_CODES.COUNT;
const QUEUE = ACTION_CODES.QUEUE;
const DROP = ACTION_CODES.DROP;
const TWO_32 = 4294967296;
const MAC_MAX = 0xffffffffffff;
const RTE_TCP_FLAGS = 0xff;

/** Thrown inside this module for a value the fast path does not write (see the file comment). */
const NOT_WRITTEN = -1;

function isUint(v: number, max: number): boolean {
  return v >= 0 && v <= max && Math.floor(v) === v;
}

function put16(u8: Uint8Array, at: number, v: number): void {
  u8[at] = v >>> 8;
  u8[at + 1] = v & 0xff;
}

function put32(u8: Uint8Array, at: number, v: number): void {
  u8[at] = v >>> 24;
  u8[at + 1] = (v >>> 16) & 0xff;
  u8[at + 2] = (v >>> 8) & 0xff;
  u8[at + 3] = v & 0xff;
}

function putMac(u8: Uint8Array, at: number, m: number): void {
  const hi = (m / TWO_32) >>> 0;
  const lo = (m - hi * TWO_32) >>> 0;
  u8[at] = (hi >>> 8) & 0xff;
  u8[at + 1] = hi & 0xff;
  put32(u8, at + 2, lo);
}

/** `value & mask` of two MACs (48-bit numbers). */
function andMac(value: MacAddr, mask: MacAddr): number {
  const hi = Math.floor(value / TWO_32) & Math.floor(mask / TWO_32);
  const lo = ((value % TWO_32) & (mask % TWO_32)) >>> 0;
  return hi * TWO_32 + lo;
}

function isIpv6(a: Ipv6Addr): boolean {
  if (a.length !== 8) return false;
  for (let i = 0; i < 8; i++) if (!isUint(a[i], 0xffff)) return false;
  return true;
}

/**
 * A masked 8/16-bit field: writes `value & mask` into the spec and `mask` into the mask at `at`.
 * Returns 1 when written, 0 when wildcarded (absent or zero mask), NOT_WRITTEN when the mask does not
 * fit the field.
 */
function putMasked(u8: Uint8Array, at: number, maskAt: number, m: Masked<number> | undefined, max: number): number {
  if (m === undefined || m.mask === 0) return 0;
  const mask = m.mask;
  if (!isUint(mask, max)) return NOT_WRITTEN;
  const v = m.value & mask;
  if (max === 0xff) {
    u8[at] = v;
    u8[at + maskAt] = mask;
  } else {
    put16(u8, at, v);
    put16(u8, at + maskAt, mask);
  }
  return 1;
}

/** ETH; returns false when a value is out of range. */
function writeEth(b: RuleBatchBuilder, plan: FlowPlan): boolean {
  const scan = plan.scan;
  const at = b.item(ETH.code, ETH.words, true, true);
  const u8 = b.bytes;
  const mAt = at + ETH.maskAt;
  const eth = scan.eth;
  if (eth !== undefined) {
    const dst = eth.dst;
    if (dst !== undefined) {
      const kind = byteMaskKind(dst.mask);
      if (kind !== 0) {
        if (!isUint(dst.value, MAC_MAX) || !isUint(dst.mask, MAC_MAX)) return false;
        putMac(u8, at + ETH_DST, kind === 2 ? dst.value : andMac(dst.value, dst.mask));
        putMac(u8, mAt + ETH_DST, dst.mask);
      }
    }
    const src = eth.src;
    if (src !== undefined) {
      const kind = byteMaskKind(src.mask);
      if (kind !== 0) {
        if (!isUint(src.value, MAC_MAX) || !isUint(src.mask, MAC_MAX)) return false;
        putMac(u8, at + ETH_SRC, kind === 2 ? src.value : andMac(src.value, src.mask));
        putMac(u8, mAt + ETH_SRC, src.mask);
      }
    }
  }
  if (putMasked(u8, at + ETH_TYPE, ETH.maskAt, scan.ethType, 0xffff) < 0) return false;
  if (scan.vlan !== undefined) u8[at + ETH_HAS_VLAN] |= ETH_HAS_VLAN_BIT;
  u8[mAt + ETH_HAS_VLAN] |= ETH_HAS_VLAN_BIT;
  return true;
}

function writeVlan(b: RuleBatchBuilder, plan: FlowPlan): boolean {
  const vlan = plan.scan.vlan;
  const inner = plan.scan.innerType;
  if (vlan === undefined) return true;
  const packed = packedTci(vlan);
  const tci = packed >>> 16;
  const tciMask = packed & 0xffff;
  const hasInner = inner !== undefined && inner.mask !== 0;
  if (tciMask === 0 && !hasInner) {
    b.item(VLAN.code, VLAN.words, false, false);
    return true;
  }
  const at = b.item(VLAN.code, VLAN.words, true, true);
  const u8 = b.bytes;
  if (tciMask !== 0) {
    put16(u8, at + VLAN_TCI, tci);
    put16(u8, at + VLAN.maskAt + VLAN_TCI, tciMask);
  }
  return putMasked(u8, at + VLAN_INNER, VLAN.maskAt, inner, 0xffff) >= 0;
}

function writeIpv4(b: RuleBatchBuilder, plan: FlowPlan): boolean {
  const k = plan.scan.ipv4;
  if (k === undefined) return true;
  const l4Proto = plan.shape.l4Proto;
  const srcOn = k.src !== undefined && k.src.mask !== 0;
  const dstOn = k.dst !== undefined && k.dst.mask !== 0;
  const tosOn = k.tos !== undefined && k.tos.mask !== 0;
  const ttlOn = k.ttl !== undefined && k.ttl.mask !== 0;
  const p = k.proto;
  const protoOn = p !== undefined && p.mask !== 0 && !(p.mask === 0xff && p.value === l4Proto);
  const fragOn = k.frag === 'no';
  if (!(srcOn || dstOn || tosOn || ttlOn || protoOn || fragOn)) {
    if (plan.shape.hasL4) b.item(IPV4.code, IPV4.words, false, false);
    return true;
  }
  const at = b.item(IPV4.code, IPV4.words, true, true);
  const u8 = b.bytes;
  const mAt = at + IPV4.maskAt;
  if (srcOn && k.src !== undefined) {
    put32(u8, at + V4_SRC, (k.src.value & k.src.mask) >>> 0);
    put32(u8, mAt + V4_SRC, k.src.mask >>> 0);
  }
  if (dstOn && k.dst !== undefined) {
    put32(u8, at + V4_DST, (k.dst.value & k.dst.mask) >>> 0);
    put32(u8, mAt + V4_DST, k.dst.mask >>> 0);
  }
  if (putMasked(u8, at + V4_TOS, IPV4.maskAt, k.tos, 0xff) < 0) return false;
  if (putMasked(u8, at + V4_TTL, IPV4.maskAt, k.ttl, 0xff) < 0) return false;
  if (protoOn && putMasked(u8, at + V4_PROTO, IPV4.maskAt, p, 0xff) < 0) return false;
  if (fragOn) put16(u8, mAt + V4_FRAG, IPV4_FRAGMENT_MASK);
  return true;
}

function putIpv6(u8: Uint8Array, at: number, a: Ipv6Addr, mask: Ipv6Addr | undefined): void {
  for (let i = 0; i < 8; i++) put16(u8, at + 2 * i, mask === undefined ? a[i] : a[i] & mask[i]);
}

function writeIpv6(b: RuleBatchBuilder, plan: FlowPlan): boolean {
  const k = plan.scan.ipv6;
  if (k === undefined) return true;
  const l4Proto = plan.shape.l4Proto;
  const srcKind = k.src !== undefined ? byteMaskKind(k.src.mask) : 0;
  const dstKind = k.dst !== undefined ? byteMaskKind(k.dst.mask) : 0;
  const tcOn = k.tclass !== undefined && k.tclass.mask !== 0;
  const hlimOn = k.hlimit !== undefined && k.hlimit.mask !== 0;
  const p = k.proto;
  const protoOn = p !== undefined && p.mask !== 0 && !(p.mask === 0xff && p.value === l4Proto);
  const fragOn = k.frag === 'no';
  if (srcKind === 0 && dstKind === 0 && !tcOn && !hlimOn && !protoOn && !fragOn) {
    if (plan.shape.hasL4) b.item(IPV6.code, IPV6.words, false, false);
    return true;
  }
  const at = b.item(IPV6.code, IPV6.words, true, true);
  const u8 = b.bytes;
  const mAt = at + IPV6.maskAt;
  if (srcKind !== 0 && k.src !== undefined) {
    if (!isIpv6(k.src.value) || !isIpv6(k.src.mask)) return false;
    putIpv6(u8, at + V6_SRC, k.src.value, srcKind === 2 ? undefined : k.src.mask);
    putIpv6(u8, mAt + V6_SRC, k.src.mask, undefined);
  }
  if (dstKind !== 0 && k.dst !== undefined) {
    if (!isIpv6(k.dst.value) || !isIpv6(k.dst.mask)) return false;
    putIpv6(u8, at + V6_DST, k.dst.value, dstKind === 2 ? undefined : k.dst.mask);
    putIpv6(u8, mAt + V6_DST, k.dst.mask, undefined);
  }
  if (tcOn && k.tclass !== undefined) {
    const mask = k.tclass.mask;
    if (!isUint(mask, 0xff)) return false;
    const v = k.tclass.value & mask;
    // tc is bits 4..11: the low nibble of byte 0 and the high nibble of byte 1.
    u8[at] |= v >>> 4;
    u8[at + 1] |= (v & 0xf) << 4;
    u8[mAt] |= mask >>> 4;
    u8[mAt + 1] |= (mask & 0xf) << 4;
  }
  if (putMasked(u8, at + V6_HLIM, IPV6.maskAt, k.hlimit, 0xff) < 0) return false;
  if (protoOn && putMasked(u8, at + V6_PROTO, IPV6.maskAt, p, 0xff) < 0) return false;
  if (fragOn) u8[mAt + V6_FRAG_EXT] |= V6_FRAG_EXT_BIT;
  return true;
}

function writeL4(b: RuleBatchBuilder, plan: FlowPlan): boolean {
  const shape = plan.shape;
  if (!shape.hasL4) return true;
  const kind = shape.l4Kind;
  const l4 = plan.scan.l4;
  if (kind === 'icmp' || kind === 'icmpv6') {
    if (l4 === undefined || !(l4.kind === 'icmp' || l4.kind === 'icmpv6')) return false;
    const info = kind === 'icmp' ? ICMP : ICMP6;
    const at = b.item(info.code, info.words, true, true);
    const u8 = b.bytes;
    if (putMasked(u8, at + ICMP_TYPE, info.maskAt, l4.type, 0xff) < 0) return false;
    return putMasked(u8, at + ICMP_CODE, info.maskAt, l4.code, 0xff) >= 0;
  }
  const info = kind === 'tcp' ? TCP : kind === 'udp' ? UDP : SCTP;
  const at = b.item(info.code, info.words, true, true);
  const u8 = b.bytes;
  if (l4 !== undefined) {
    const ports = l4 as L4PortsKey;
    if (putMasked(u8, at + L4_SRC, info.maskAt, ports.src, 0xffff) < 0) return false;
    if (putMasked(u8, at + L4_DST, info.maskAt, ports.dst, 0xffff) < 0) return false;
  }
  const flags = shape.flags;
  if (flags !== undefined && (flags.mask & RTE_TCP_FLAGS) !== 0) {
    u8[at + TCP_FLAGS] = flags.value & flags.mask & RTE_TCP_FLAGS;
    u8[at + info.maskAt + TCP_FLAGS] = flags.mask & RTE_TCP_FLAGS;
  }
  return true;
}

/**
 * Appends the rule of `plan` (which succeeded) in `variant` to `b`. Returns false, with `b` as it
 * was, when a value is out of the range the RuleSpec encoder accepts (see the file comment).
 */
export function writePlannedRule(b: RuleBatchBuilder, plan: FlowPlan, variant: ActionVariant): boolean {
  const port = plan.dpdkPortId;
  const inHw = plan.inHw;
  if (!isUint(port, 0xffffffff) || !isUint(inHw, 0xffffffff)) return false;
  b.beginRule(port, 0, 0, 1);
  if (port !== inHw) {
    const at = b.item(PORT.code, PORT.words, true, true);
    const u8 = b.bytes;
    put32(u8, at + PORT_INDEX, inHw);
    put32(u8, at + PORT.maskAt + PORT_INDEX, 0xffffffff);
  }
  if (!writeEth(b, plan) || !writeVlan(b, plan) || !writeIpv4(b, plan) || !writeIpv6(b, plan) || !writeL4(b, plan)) {
    b.abortRule();
    return false;
  }
  if (variant.count) b.action1(COUNT, 0);
  if (plan.fate === 'mark') {
    b.action1(MARK, plan.mark);
    if (variant.queue) b.action1(QUEUE, 0);
  } else {
    if (variant.queue) {
      b.abortRule();
      return false; // withVariant refuses QUEUE with DROP: the RuleSpec path throws as it always has
    }
    b.action0(DROP);
  }
  b.endRule();
  return true;
}
