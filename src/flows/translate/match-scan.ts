/**
 * One pass over a megaflow's match: picks out the attributes a rule is built from, and finds the
 * first attribute that keeps the flow in software (DESIGN.md §1, "Fields that cannot be offloaded").
 *
 * Only what the megaflow actually matches counts: an attribute whose mask is all zeros (OVS prints
 * `skb_priority(0/0)`, `ct_state(0/0)`, `ct_zone(0x1/0)`, ... in almost every `-m` dump line) is a
 * wildcard and never blocks offload. Reasons name the field as DESIGN.md does:
 *
 *   skb_priority · pkt_mark (skb_mark) · dp_hash · recirc_id != 0 · ct_state · ct_zone · ct_mark ·
 *   ct_label · ct_tuple4 · ct_tuple6 · tunnel metadata · packet_type (not Ethernet) · MPLS · ARP ·
 *   IPv6 label · ND target · ND sll · ND tll · nd_ext · IGMP (IPv4 proto exactly 2) · QinQ ·
 *   vlan cfi=0 (truncated VLAN header) · fragments (frag=first) · fragments (frag=later) ·
 *   the name of any attribute the ODP model keeps opaque (`nsh`, `keyNN`; `metadata`, `conj_id`,
 *   `actset_output` if a caller builds one: OpenFlow fields that ODP text never carries) ·
 *   and for malformed matches: duplicate X, two IP headers, two L4 headers (a, b), encap without
 *   vlan, X inside encap.
 *
 * Tunnel options (geneve, GBP, ERSPAN, GTP-U) and `nd_ext` block whatever their masks: they never
 * occur in a megaflow that could otherwise be offloaded (the input would be a tunnel port, or an
 * ND packet).
 */
import type {
  ArpKey, CtTuple4Key, CtTuple6Key, EthKey, EthTypeKey, IcmpKey, InPortKey, Ipv4Key, Ipv6Addr, Ipv6Key, KeyAttr, L4PortsKey, MacAddr,
  Masked, MplsKey, NdKey, PacketTypeKey, TcpFlagsKey, TunnelKey, VlanKey,
} from '../odp';

/** The attributes a rule is built from; undefined when the match does not have them. */
export interface MatchScan {
  inPort: InPortKey | undefined;
  eth: EthKey | undefined;
  /** The outer eth_type: the EtherType, or the TPID when there is a VLAN. */
  ethType: EthTypeKey | undefined;
  vlan: VlanKey | undefined;
  /** The eth_type inside `encap(...)` (after the VLAN tag). */
  innerType: EthTypeKey | undefined;
  ipv4: Ipv4Key | undefined;
  ipv6: Ipv6Key | undefined;
  l4: L4PortsKey | IcmpKey | undefined;
  tcpFlags: TcpFlagsKey | undefined;
}

export function emptyScan(): MatchScan {
  return {
    inPort: undefined, eth: undefined, ethType: undefined, vlan: undefined, innerType: undefined,
    ipv4: undefined, ipv6: undefined, l4: undefined, tcpFlags: undefined,
  };
}

/** Clears `scan` for another match. */
export function resetScan(scan: MatchScan): void {
  scan.inPort = undefined;
  scan.eth = undefined;
  scan.ethType = undefined;
  scan.vlan = undefined;
  scan.innerType = undefined;
  scan.ipv4 = undefined;
  scan.ipv6 = undefined;
  scan.l4 = undefined;
  scan.tcpFlags = undefined;
}

/** Reason for a matched (non-zero mask) skb_mark; DESIGN.md calls the field pkt_mark. */
export const REASON_PKT_MARK = 'pkt_mark (skb_mark)';

const IGMP_PROTO = 2;

function matched(m: Masked<number> | undefined): boolean {
  return m !== undefined && m.mask !== 0;
}

function bytesMatched(m: Masked<MacAddr> | Masked<Ipv6Addr> | undefined): boolean {
  if (m === undefined) return false;
  const a = m.mask;
  if (typeof a === 'number') return a !== 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return true;
  return false;
}

/** True when a VLAN TPID is what `eth_type` (under its mask) asks for: the inner header is another tag. */
function isTpid(k: EthTypeKey): boolean {
  if (k.mask === 0) return false;
  const t = k.value & k.mask;
  return t === 0x8100 || t === 0x88a8 || t === 0x9100;
}

function tunnelMatched(k: TunnelKey): boolean {
  if (k.tunId !== undefined && k.tunId.mask !== 0n) return true;
  if (matched(k.src) || matched(k.dst) || matched(k.tos) || matched(k.ttl) || matched(k.tpSrc) || matched(k.tpDst) || matched(k.flags)) return true;
  if (bytesMatched(k.ipv6Src) || bytesMatched(k.ipv6Dst)) return true;
  // Options, GBP, ERSPAN and GTP-U metadata are tunnel metadata whatever their masks say.
  return k.geneve !== undefined || k.vxlanGbp !== undefined || k.erspan !== undefined || k.gtpu !== undefined;
}

function ctTupleMatched(k: CtTuple4Key | CtTuple6Key): boolean {
  if (matched(k.proto) || matched(k.tpSrc) || matched(k.tpDst)) return true;
  if (k.kind === 'ct_tuple4') return matched(k.src) || matched(k.dst);
  return bytesMatched(k.src) || bytesMatched(k.dst);
}

function arpMatched(k: ArpKey): boolean {
  return matched(k.sip) || matched(k.tip) || matched(k.op) || bytesMatched(k.sha) || bytesMatched(k.tha);
}

function mplsMatched(k: MplsKey): boolean {
  for (const l of k.lses) if (l.label.mask !== 0 || l.tc.mask !== 0 || l.ttl.mask !== 0 || l.bos.mask !== 0) return true;
  return false;
}

function ndReason(k: NdKey): string | undefined {
  if (bytesMatched(k.target)) return 'ND target';
  if (bytesMatched(k.sll)) return 'ND sll';
  if (bytesMatched(k.tll)) return 'ND tll';
  return undefined;
}

function packetTypeMatched(k: PacketTypeKey): boolean {
  // Ethernet is ns=0,id=0: anything else under a non-zero mask is a non-Ethernet packet type.
  return (k.ns !== undefined && (k.ns.value & k.ns.mask) !== 0) || (k.id !== undefined && (k.id.value & k.id.mask) !== 0);
}

function ipv4Reason(k: Ipv4Key): string | undefined {
  if (k.frag === 'first' || k.frag === 'later') return `fragments (frag=${k.frag})`;
  if (k.proto !== undefined && k.proto.mask === 0xff && k.proto.value === IGMP_PROTO) return 'IGMP';
  return undefined;
}

function ipv6Reason(k: Ipv6Key): string | undefined {
  if (k.frag === 'first' || k.frag === 'later') return `fragments (frag=${k.frag})`;
  if (matched(k.label)) return 'IPv6 label';
  return undefined;
}

/**
 * Scans `keys` into `scan`. Returns the reason the flow cannot be offloaded, or undefined.
 * @param inner true inside `encap(...)`, i.e. after the VLAN tag
 */
export function scanMatch(keys: readonly KeyAttr[], scan: MatchScan, inner = false): string | undefined {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    let reason: string | undefined;
    switch (k.kind) {
      case 'skb_priority': if (k.mask !== 0) reason = 'skb_priority'; break;
      case 'skb_mark': if (k.mask !== 0) reason = REASON_PKT_MARK; break;
      case 'recirc_id': if ((k.value & k.mask) !== 0) reason = 'recirc_id != 0'; break;
      case 'dp_hash': if (k.mask !== 0) reason = 'dp_hash'; break;
      case 'ct_state': case 'ct_mark': case 'ct_zone': if (k.mask !== 0) reason = k.kind; break;
      case 'ct_label': if (k.mask !== 0n) reason = 'ct_label'; break;
      case 'ct_tuple4': case 'ct_tuple6': if (ctTupleMatched(k)) reason = k.kind; break;
      case 'tunnel': if (tunnelMatched(k)) reason = 'tunnel metadata'; break;
      case 'packet_type': if (packetTypeMatched(k)) reason = 'packet_type (not Ethernet)'; break;
      case 'in_port':
        if (inner) reason = 'in_port inside encap';
        else if (scan.inPort !== undefined) reason = 'duplicate in_port';
        else scan.inPort = k;
        break;
      case 'eth':
        if (inner) reason = 'eth inside encap';
        else if (scan.eth !== undefined) reason = 'duplicate eth';
        else scan.eth = k;
        break;
      case 'eth_type':
        if (inner) {
          if (scan.innerType !== undefined) reason = 'duplicate eth_type';
          else if (isTpid(k)) reason = 'QinQ';
          else scan.innerType = k;
        } else if (scan.ethType !== undefined) reason = 'duplicate eth_type';
        else scan.ethType = k;
        break;
      case 'vlan':
        if (inner || scan.vlan !== undefined) reason = 'QinQ';
        else if (k.cfi !== undefined && (k.cfi.value & k.cfi.mask) === 0 && k.cfi.mask !== 0) reason = 'vlan cfi=0 (truncated VLAN header)';
        else scan.vlan = k;
        break;
      case 'encap':
        if (inner) reason = 'QinQ';
        else if (scan.vlan === undefined) reason = 'encap without vlan';
        else reason = scanMatch(k.keys, scan, true);
        break;
      case 'mpls': if (mplsMatched(k)) reason = 'MPLS'; break;
      case 'ipv4':
        if (scan.ipv4 !== undefined || scan.ipv6 !== undefined) reason = 'two IP headers';
        else {
          reason = ipv4Reason(k);
          scan.ipv4 = k;
        }
        break;
      case 'ipv6':
        if (scan.ipv4 !== undefined || scan.ipv6 !== undefined) reason = 'two IP headers';
        else {
          reason = ipv6Reason(k);
          scan.ipv6 = k;
        }
        break;
      case 'tcp': case 'udp': case 'sctp': case 'icmp': case 'icmpv6':
        if (scan.l4 !== undefined) reason = `two L4 headers (${scan.l4.kind}, ${k.kind})`;
        else scan.l4 = k;
        break;
      case 'tcp_flags':
        if (scan.tcpFlags !== undefined) reason = 'duplicate tcp_flags';
        else scan.tcpFlags = k;
        break;
      case 'arp': if (arpMatched(k)) reason = 'ARP'; break;
      case 'nd': reason = ndReason(k); break;
      case 'nd_ext': reason = 'nd_ext'; break;
      case 'opaque': reason = k.name; break;
    }
    if (reason !== undefined) return reason;
  }
  return undefined;
}
