/**
 * The pattern of a mark-mode rule (DESIGN.md §1, "Rule construction"), in DPDK 22.11's layout:
 *
 *     ETH (src, dst, type under their masks; has_vlan 1 when the megaflow has a VLAN, else 0)
 *     [VLAN (tci without the CFI/DEI bit, inner_type = the eth_type inside encap)]
 *     [IPV4 (src, dst, tos, ttl, proto; frag=no -> fragment_offset 0 under 0x3fff)
 *      | IPV6 (src, dst, tc, hop limit, proto; frag=no -> has_frag_ext 0)]
 *     [UDP | TCP (ports, flags) | SCTP (ports) | ICMP (type, code) | ICMP6 (type, code)]
 *
 * Every field is matched only under its megaflow mask; a zero mask leaves it out, and a spec
 * value keeps only the bits of its mask. An L4 item is present when the megaflow matches one of its
 * fields; it then implies the IP protocol, whose exact match is left out of the IP item (IPv4 as
 * DESIGN.md says, and IPv6 alike: its header's next-header field may be an extension header, while
 * the L4 item matches the upper layer). An IP item is present when it matches something or an L4
 * item follows. TCP flags map to rte_flow's 8 flag bits; a megaflow that matches OVS's NS or
 * reserved flag bits (an exact `tcp_flags(...)`) cannot be written. Addresses are text
 * (`"10.8.0.0"`, `"ffff:ffff::"`), numbers are host order. (The PORT item and END are added by
 * translate.ts.)
 */
import type { EthTypeKey, IcmpKey, Ipv4Key, Ipv6Key, L4PortsKey, Masked, TcpFlagsKey, VlanKey, EthKey } from '../odp';
import type {
  EthFields, EthItem, Icmp6Fields, IcmpFields, Ipv4Fields, Ipv6Fields, PatternItem, SctpFields, TcpFields, UdpFields, VlanFields, VlanItem,
} from '../../native/rule-spec';
import {
  byteMaskKind, ipv4MaskText, ipv6MaskText, macMaskText, maskedIpv4, maskedIpv6, maskedMac,
} from './address-text';
import type { MatchScan } from './match-scan';

/** IPv4 flags + offset bits that are zero in a packet that is not a fragment (MF and the offset). */
export const IPV4_FRAGMENT_MASK = 0x3fff;
/** The CFI/DEI bit of the TCI: OVS uses it to mean "a tag is present"; it is never matched. */
export const VLAN_CFI = 0x1000;
/** The bits of rte_flow's 8-bit TCP flags field (CWR ... FIN). */
const RTE_TCP_FLAGS = 0x00ff;
/**
 * OVS's tcp_flags bits 8..11: NS and the three reserved bits (the low nibble of the TCP data-offset
 * byte), which rte_flow's flags field does not hold. Bits 12..15 are always 0 in OVS's key, so a
 * mask over them (an exact `tcp_flags(syn)` has mask 0xffff) matches nothing and is ignored.
 */
const OVS_TCP_NS_RESERVED = 0x0f00;

const PROTO_OF_L4: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 };

function ethItem(eth: EthKey | undefined, ethType: EthTypeKey | undefined, hasVlan: boolean): EthItem {
  const spec: EthFields = {};
  const mask: EthFields = {};
  if (eth !== undefined) {
    if (eth.dst !== undefined) {
      const kind = byteMaskKind(eth.dst.mask);
      if (kind !== 0) {
        spec.dst = maskedMac(eth.dst.value, eth.dst.mask, kind === 2);
        mask.dst = macMaskText(eth.dst.mask, kind === 2);
      }
    }
    if (eth.src !== undefined) {
      const kind = byteMaskKind(eth.src.mask);
      if (kind !== 0) {
        spec.src = maskedMac(eth.src.value, eth.src.mask, kind === 2);
        mask.src = macMaskText(eth.src.mask, kind === 2);
      }
    }
  }
  if (ethType !== undefined && ethType.mask !== 0) {
    spec.type = ethType.value & ethType.mask;
    mask.type = ethType.mask;
  }
  spec.hasVlan = hasVlan ? 1 : 0;
  mask.hasVlan = 1;
  return { type: 'ETH', spec, mask };
}

/**
 * The VLAN item's TCI spec (high 16 bits) and mask (low 16 bits) for a megaflow's vlan key: VID and
 * PCP under their masks; the CFI/DEI bit, OVS's "tag present", is left out of both (DESIGN.md §1).
 */
export function packedTci(vlan: VlanKey): number {
  let tci = 0;
  let tciMask = 0;
  if (vlan.vid !== undefined) {
    tci |= vlan.vid.value & vlan.vid.mask & 0x0fff;
    tciMask |= vlan.vid.mask & 0x0fff;
  }
  if (vlan.pcp !== undefined) {
    tci |= (vlan.pcp.value & vlan.pcp.mask & 7) << 13;
    tciMask |= (vlan.pcp.mask & 7) << 13;
  }
  return ((tci << 16) | tciMask) >>> 0;
}

function vlanItem(vlan: VlanKey, innerType: EthTypeKey | undefined): VlanItem {
  const packed = packedTci(vlan);
  const tci = packed >>> 16;
  const tciMask = packed & 0xffff;
  const hasInner = innerType !== undefined && innerType.mask !== 0;
  if (tciMask === 0 && !hasInner) return { type: 'VLAN' };
  const spec: VlanFields = {};
  const mask: VlanFields = {};
  if (tciMask !== 0) {
    spec.tci = tci;
    mask.tci = tciMask;
  }
  if (hasInner) {
    spec.innerType = innerType.value & innerType.mask;
    mask.innerType = innerType.mask;
  }
  return { type: 'VLAN', spec, mask };
}

/**
 * Copies a masked integer field of the megaflow into an item: `spec[field] = value & mask`,
 * `mask[field] = mask`. Returns false, and sets nothing, when the field is absent or wildcarded.
 */
function putMasked<K extends string>(spec: Partial<Record<K, number>>, mask: Partial<Record<K, number>>, field: K, m: Masked<number> | undefined): boolean {
  if (m === undefined || m.mask === 0) return false;
  spec[field] = m.value & m.mask;
  mask[field] = m.mask;
  return true;
}

/** True when `m` is an exact match of `proto`, so that an L4 item of that protocol implies it. */
function impliedProto(m: Masked<number> | undefined, l4Proto: number): boolean {
  return m !== undefined && m.mask === 0xff && m.value === l4Proto;
}

function ipv4Item(k: Ipv4Key, l4Proto: number, needed: boolean): PatternItem | undefined {
  const spec: Ipv4Fields = {};
  const mask: Ipv4Fields = {};
  let any = false;
  if (k.src !== undefined && k.src.mask !== 0) {
    spec.src = maskedIpv4(k.src.value, k.src.mask);
    mask.src = ipv4MaskText(k.src.mask);
    any = true;
  }
  if (k.dst !== undefined && k.dst.mask !== 0) {
    spec.dst = maskedIpv4(k.dst.value, k.dst.mask);
    mask.dst = ipv4MaskText(k.dst.mask);
    any = true;
  }
  any = putMasked(spec, mask, 'tos', k.tos) || any;
  any = putMasked(spec, mask, 'ttl', k.ttl) || any;
  if (k.proto !== undefined && k.proto.mask !== 0 && !impliedProto(k.proto, l4Proto)) {
    spec.proto = k.proto.value & k.proto.mask;
    mask.proto = k.proto.mask;
    any = true;
  }
  if (k.frag === 'no') {
    spec.fragmentOffset = 0;
    mask.fragmentOffset = IPV4_FRAGMENT_MASK;
    any = true;
  }
  if (any) return { type: 'IPV4', spec, mask };
  return needed ? { type: 'IPV4' } : undefined;
}

function ipv6Item(k: Ipv6Key, l4Proto: number, needed: boolean): PatternItem | undefined {
  const spec: Ipv6Fields = {};
  const mask: Ipv6Fields = {};
  let any = false;
  if (k.src !== undefined) {
    const kind = byteMaskKind(k.src.mask);
    if (kind !== 0) {
      spec.src = maskedIpv6(k.src.value, k.src.mask, kind === 2);
      mask.src = ipv6MaskText(k.src.mask, kind === 2);
      any = true;
    }
  }
  if (k.dst !== undefined) {
    const kind = byteMaskKind(k.dst.mask);
    if (kind !== 0) {
      spec.dst = maskedIpv6(k.dst.value, k.dst.mask, kind === 2);
      mask.dst = ipv6MaskText(k.dst.mask, kind === 2);
      any = true;
    }
  }
  any = putMasked(spec, mask, 'tc', k.tclass) || any;
  any = putMasked(spec, mask, 'hopLimits', k.hlimit) || any;
  if (k.proto !== undefined && k.proto.mask !== 0 && !impliedProto(k.proto, l4Proto)) {
    spec.proto = k.proto.value & k.proto.mask;
    mask.proto = k.proto.mask;
    any = true;
  }
  if (k.frag === 'no') {
    spec.hasFragExt = 0;
    mask.hasFragExt = 1;
    any = true;
  }
  if (any) return { type: 'IPV6', spec, mask };
  return needed ? { type: 'IPV6' } : undefined;
}

function portsItem(k: L4PortsKey | undefined, flags: TcpFlagsKey | undefined, kind: 'tcp' | 'udp' | 'sctp'): PatternItem | undefined {
  const spec: TcpFields & UdpFields & SctpFields = {};
  const mask: TcpFields & UdpFields & SctpFields = {};
  let any = false;
  any = putMasked(spec, mask, 'srcPort', k?.src) || any;
  any = putMasked(spec, mask, 'dstPort', k?.dst) || any;
  if (flags !== undefined && (flags.mask & RTE_TCP_FLAGS) !== 0) {
    spec.flags = flags.value & flags.mask & RTE_TCP_FLAGS;
    mask.flags = flags.mask & RTE_TCP_FLAGS;
    any = true;
  }
  if (!any) return undefined;
  return kind === 'tcp' ? { type: 'TCP', spec, mask } : kind === 'udp' ? { type: 'UDP', spec, mask } : { type: 'SCTP', spec, mask };
}

function icmpItem(k: IcmpKey): PatternItem | undefined {
  const spec: IcmpFields & Icmp6Fields = {};
  const mask: IcmpFields & Icmp6Fields = {};
  let any = false;
  any = putMasked(spec, mask, 'type', k.type) || any;
  any = putMasked(spec, mask, 'code', k.code) || any;
  if (!any) return undefined;
  return k.kind === 'icmp' ? { type: 'ICMP', spec, mask } : { type: 'ICMP6', spec, mask };
}

/**
 * What the pattern of a scanned match holds, decided before any item is built: shared by
 * {@link buildPattern} (rule-spec objects) and rule-writer.ts (the native encoding), so that both
 * give the same items and the same reasons. Callers may reuse one object.
 */
export interface PatternShape {
  /** The TCP flags matched (some of rte_flow's 8 bits under the mask), or undefined. */
  flags: TcpFlagsKey | undefined;
  /** The kind of the L4 header (`tcp` when only tcp_flags are matched), or undefined. */
  l4Kind: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'icmpv6' | undefined;
  /** Whether an L4 item is written (it matches at least one field). */
  hasL4: boolean;
  /** The IP protocol the L4 item implies, or -1 when there is no L4 item. */
  l4Proto: number;
}

export function emptyShape(): PatternShape {
  return { flags: undefined, l4Kind: undefined, hasL4: false, l4Proto: -1 };
}

function isMatched(m: Masked<number> | undefined): boolean {
  return m !== undefined && m.mask !== 0;
}

/**
 * Fills `shape` from the scanned match. Returns the reason the match cannot be written as a rule
 * (TCP flags rte_flow has no field for, an L4 match without an IP header), or undefined.
 */
export function shapePattern(scan: MatchScan, shape: PatternShape): string | undefined {
  const flags = scan.tcpFlags !== undefined && (scan.tcpFlags.mask & (RTE_TCP_FLAGS | OVS_TCP_NS_RESERVED)) !== 0 ? scan.tcpFlags : undefined;
  shape.flags = flags;
  shape.hasL4 = false;
  shape.l4Proto = -1;
  if (flags !== undefined) {
    if ((flags.mask & OVS_TCP_NS_RESERVED) !== 0) return 'tcp_flags (NS/reserved bits)';
    if (scan.l4 !== undefined && scan.l4.kind !== 'tcp') return `tcp_flags with ${scan.l4.kind}`;
  }
  const l4Kind = scan.l4 !== undefined ? scan.l4.kind : flags !== undefined ? 'tcp' : undefined;
  shape.l4Kind = l4Kind;
  if (l4Kind === 'icmp' || l4Kind === 'icmpv6') {
    const k = scan.l4 as IcmpKey;
    shape.hasL4 = isMatched(k.type) || isMatched(k.code);
  } else if (l4Kind !== undefined) {
    const k = scan.l4 as L4PortsKey | undefined;
    shape.hasL4 = flags !== undefined || isMatched(k?.src) || isMatched(k?.dst);
  }
  if (shape.hasL4 && l4Kind !== undefined) {
    shape.l4Proto = PROTO_OF_L4[l4Kind];
    if (scan.ipv4 === undefined && scan.ipv6 === undefined) return `${l4Kind} without an IP header`;
  }
  return undefined;
}

/**
 * Appends the ETH ... L4 items of the scanned match, shaped by {@link shapePattern} (which
 * returned no reason), to `out`.
 */
export function buildPatternItems(scan: MatchScan, shape: PatternShape, out: PatternItem[]): void {
  const l4Kind = shape.l4Kind;
  let l4: PatternItem | undefined;
  if (l4Kind === 'icmp' || l4Kind === 'icmpv6') l4 = icmpItem(scan.l4 as IcmpKey);
  else if (l4Kind !== undefined) l4 = portsItem(scan.l4 as L4PortsKey | undefined, shape.flags, l4Kind);
  out.push(ethItem(scan.eth, scan.ethType, scan.vlan !== undefined));
  if (scan.vlan !== undefined) out.push(vlanItem(scan.vlan, scan.innerType));
  const l3 = scan.ipv4 !== undefined ? ipv4Item(scan.ipv4, shape.l4Proto, l4 !== undefined)
    : scan.ipv6 !== undefined ? ipv6Item(scan.ipv6, shape.l4Proto, l4 !== undefined) : undefined;
  if (l3 !== undefined) out.push(l3);
  if (l4 !== undefined) out.push(l4);
}

/**
 * Appends the ETH ... L4 items of the scanned match to `out`. Returns the reason the match cannot
 * be written as a rule (TCP flags rte_flow has no field for, an L4 match without an IP header),
 * or undefined.
 */
export function buildPattern(scan: MatchScan, out: PatternItem[]): string | undefined {
  const shape = emptyShape();
  const reason = shapePattern(scan, shape);
  if (reason !== undefined) return reason;
  buildPatternItems(scan, shape, out);
  return undefined;
}
