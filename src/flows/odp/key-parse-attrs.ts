/**
 * The general readers of the key attributes other than `tunnel(...)` (see key-parse-tunnel.ts):
 * each reads its attribute's fields after the `(` through the `)`, in any order and form that
 * OVS 3.1's odp_flow_from_string() accepts (plus `src_port=`/`dst_port=` in `ct_tuple6`, which
 * OVS prints but cannot read back). Fields left out are wildcards, values without `/mask` exact.
 * These are the readers that define the results; the fast paths of key-fast-paths.ts must agree.
 */
import { CT_STATE_NAMES, TCP_FLAG_NAMES, readFlags } from './flags';
import type {
  U32Key, ArpKey, CtTuple4Key, CtTuple6Key, EthKey, IcmpKey, Ipv4Key, Ipv6Key, KeyAttr, L4PortsKey, Masked, MplsLse, NdExtKey, NdKey,
  PacketTypeKey, VlanKey,
} from './model';
import {
  firstField, nextField, readFrag, readMaskedField, readMaskedIpv4, readMaskedIpv6, readMaskedMac, readMaskedUint, unknownField,
  N_BOS, N_CFI, N_CODE, N_DST, N_DST_PORT, N_FRAG, N_HLIMIT, N_ID, N_LABEL, N_NS, N_OP, N_PCP, N_PROTO, N_SHA, N_SIP, N_SLL, N_SRC,
  N_SRC_PORT, N_TARGET, N_TC, N_TCLASS, N_THA, N_TIP, N_TLL, N_TOS, N_TP_DST, N_TP_SRC, N_TTL, N_TYPE, N_VID,
} from './key-parse-fields';
import type { Reader } from './reader';

/** `in_port(` ... `)` after the `(`: a number with an optional mask, or a name up to the `)`. */
export function readInPort(r: Reader): KeyAttr {
  const c = r.peek();
  if (c >= 48 && c <= 57) {
    const port = r.uint(32, 'in_port');
    const mask = r.eat(47) ? r.uint(32, 'in_port', true) : 0xffffffff;
    r.expect(41);
    return { kind: 'in_port', port, mask };
  }
  const start = r.pos;
  while (r.pos < r.end && r.b[r.pos] !== 41) r.pos++;
  if (r.pos === start) r.fail('expected a port number or name in in_port(...)');
  const port = r.s.slice(start, r.pos);
  r.expect(41);
  return { kind: 'in_port', port, mask: 0xffffffff };
}

export function readEth(r: Reader): EthKey {
  const k: EthKey = { kind: 'eth' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    if (f === N_SRC) k.src = readMaskedMac(r, 'eth src');
    else if (f === N_DST) k.dst = readMaskedMac(r, 'eth dst');
    else unknownField(r, 'eth', at);
  } while (nextField(r, 'eth'));
  return k;
}

export function readIpv4Key(r: Reader): Ipv4Key {
  const k: Ipv4Key = { kind: 'ipv4' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    switch (f) {
      case N_SRC: k.src = readMaskedIpv4(r, 'ipv4 src'); break;
      case N_DST: k.dst = readMaskedIpv4(r, 'ipv4 dst'); break;
      case N_PROTO: k.proto = readMaskedUint(r, 8, 'ipv4 proto'); break;
      case N_TOS: k.tos = readMaskedUint(r, 8, 'ipv4 tos'); break;
      case N_TTL: k.ttl = readMaskedUint(r, 8, 'ipv4 ttl'); break;
      case N_FRAG: k.frag = readFrag(r); break;
      default: unknownField(r, 'ipv4', at);
    }
  } while (nextField(r, 'ipv4'));
  return k;
}

export function readIpv6Key(r: Reader): Ipv6Key {
  const k: Ipv6Key = { kind: 'ipv6' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    switch (f) {
      case N_SRC: k.src = readMaskedIpv6(r, 'ipv6 src'); break;
      case N_DST: k.dst = readMaskedIpv6(r, 'ipv6 dst'); break;
      case N_LABEL: k.label = readMaskedField(r, 0xfffff, 'ipv6 label'); break;
      case N_PROTO: k.proto = readMaskedUint(r, 8, 'ipv6 proto'); break;
      case N_TCLASS: k.tclass = readMaskedUint(r, 8, 'ipv6 tclass'); break;
      case N_HLIMIT: k.hlimit = readMaskedUint(r, 8, 'ipv6 hlimit'); break;
      case N_FRAG: k.frag = readFrag(r); break;
      default: unknownField(r, 'ipv6', at);
    }
  } while (nextField(r, 'ipv6'));
  return k;
}

/** The names of the port fields in error messages, by attribute. */
export const PORT_NAMES = {
  tcp: { src: 'tcp src', dst: 'tcp dst' },
  udp: { src: 'udp src', dst: 'udp dst' },
  sctp: { src: 'sctp src', dst: 'sctp dst' },
};

export function readPorts(r: Reader, kind: 'tcp' | 'udp' | 'sctp'): L4PortsKey {
  const k: L4PortsKey = { kind };
  const names = kind === 'udp' ? PORT_NAMES.udp : kind === 'tcp' ? PORT_NAMES.tcp : PORT_NAMES.sctp;
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    if (f === N_SRC) k.src = readMaskedUint(r, 16, names.src);
    else if (f === N_DST) k.dst = readMaskedUint(r, 16, names.dst);
    else unknownField(r, kind, at);
  } while (nextField(r, kind));
  return k;
}

export function readIcmp(r: Reader, kind: 'icmp' | 'icmpv6'): IcmpKey {
  const k: IcmpKey = { kind };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    if (f === N_TYPE) k.type = readMaskedUint(r, 8, kind === 'icmp' ? 'icmp type' : 'icmpv6 type');
    else if (f === N_CODE) k.code = readMaskedUint(r, 8, kind === 'icmp' ? 'icmp code' : 'icmpv6 code');
    else unknownField(r, kind, at);
  } while (nextField(r, kind));
  return k;
}

export function readArp(r: Reader): ArpKey {
  const k: ArpKey = { kind: 'arp' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    switch (f) {
      case N_SIP: k.sip = readMaskedIpv4(r, 'arp sip'); break;
      case N_TIP: k.tip = readMaskedIpv4(r, 'arp tip'); break;
      case N_OP: k.op = readMaskedUint(r, 16, 'arp op'); break;
      case N_SHA: k.sha = readMaskedMac(r, 'arp sha'); break;
      case N_THA: k.tha = readMaskedMac(r, 'arp tha'); break;
      default: unknownField(r, 'arp', at);
    }
  } while (nextField(r, 'arp'));
  return k;
}

export function readNd(r: Reader): NdKey {
  const k: NdKey = { kind: 'nd' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    if (f === N_TARGET) k.target = readMaskedIpv6(r, 'nd target');
    else if (f === N_SLL) k.sll = readMaskedMac(r, 'nd sll');
    else if (f === N_TLL) k.tll = readMaskedMac(r, 'nd tll');
    else unknownField(r, 'nd', at);
  } while (nextField(r, 'nd'));
  return k;
}

export function readNdExt(r: Reader): NdExtKey {
  const k: NdExtKey = { kind: 'nd_ext', ndReserved: 0 };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    const name = f === -1 ? r.s.slice(at, r.pos - 1) : '';
    if (name === 'nd_reserved') k.ndReserved = readMaskedUint(r, 32, 'nd_reserved').value;
    else if (name === 'nd_options_type') k.ndOptionsType = readMaskedUint(r, 8, 'nd_options_type');
    else unknownField(r, 'nd_ext', at);
  } while (nextField(r, 'nd_ext'));
  return k;
}

export function readCtTuple4(r: Reader): CtTuple4Key {
  const k: CtTuple4Key = { kind: 'ct_tuple4' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    switch (f) {
      case N_SRC: k.src = readMaskedIpv4(r, 'ct_tuple4 src'); break;
      case N_DST: k.dst = readMaskedIpv4(r, 'ct_tuple4 dst'); break;
      case N_PROTO: k.proto = readMaskedUint(r, 8, 'ct_tuple4 proto'); break;
      case N_TP_SRC: k.tpSrc = readMaskedUint(r, 16, 'ct_tuple4 tp_src'); break;
      case N_TP_DST: k.tpDst = readMaskedUint(r, 16, 'ct_tuple4 tp_dst'); break;
      default: unknownField(r, 'ct_tuple4', at);
    }
  } while (nextField(r, 'ct_tuple4'));
  return k;
}

export function readCtTuple6(r: Reader): CtTuple6Key {
  const k: CtTuple6Key = { kind: 'ct_tuple6' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    switch (f) {
      case N_SRC: k.src = readMaskedIpv6(r, 'ct_tuple6 src'); break;
      case N_DST: k.dst = readMaskedIpv6(r, 'ct_tuple6 dst'); break;
      case N_PROTO: k.proto = readMaskedUint(r, 8, 'ct_tuple6 proto'); break;
      case N_TP_SRC: case N_SRC_PORT: k.tpSrc = readMaskedUint(r, 16, 'ct_tuple6 src_port'); break;
      case N_TP_DST: case N_DST_PORT: k.tpDst = readMaskedUint(r, 16, 'ct_tuple6 dst_port'); break;
      default: unknownField(r, 'ct_tuple6', at);
    }
  } while (nextField(r, 'ct_tuple6'));
  return k;
}

export function readPacketType(r: Reader): PacketTypeKey {
  const k: PacketTypeKey = { kind: 'packet_type' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    if (f === N_NS) k.ns = readMaskedUint(r, 16, 'packet_type ns');
    else if (f === N_ID) k.id = readMaskedUint(r, 16, 'packet_type id');
    else unknownField(r, 'packet_type', at);
  } while (nextField(r, 'packet_type'));
  return k;
}

export function readVlan(r: Reader): VlanKey {
  const k: VlanKey = { kind: 'vlan' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.fieldCode();
    if (f === N_VID) k.vid = readMaskedField(r, 0xfff, 'vlan vid');
    else if (f === N_PCP) k.pcp = readMaskedField(r, 7, 'vlan pcp');
    else if (f === N_CFI) k.cfi = readMaskedField(r, 1, 'vlan cfi');
    else unknownField(r, 'vlan', at);
  } while (nextField(r, 'vlan'));
  return k;
}

export function readMpls(r: Reader): KeyAttr {
  const lses: MplsLse[] = [];
  const zero = (): Masked<number> => ({ value: 0, mask: 0 });
  let cur: Partial<MplsLse> = {};
  if (firstField(r)) {
    do {
      const at = r.pos;
      const f = r.fieldCode();
      let field: keyof MplsLse;
      let limit: number;
      switch (f) {
        case N_LABEL: field = 'label'; limit = 0xfffff; break;
        case N_TC: field = 'tc'; limit = 7; break;
        case N_TTL: field = 'ttl'; limit = 0xff; break;
        case N_BOS: field = 'bos'; limit = 1; break;
        default: unknownField(r, 'mpls', at);
      }
      if (cur[field] !== undefined) {
        lses.push({ label: cur.label ?? zero(), tc: cur.tc ?? zero(), ttl: cur.ttl ?? zero(), bos: cur.bos ?? zero() });
        if (lses.length === 3) r.fail('more than 3 MPLS labels', at);
        cur = {};
      }
      cur[field] = readMaskedField(r, limit, `mpls ${f}`);
    } while (nextField(r, 'mpls'));
  }
  lses.push({ label: cur.label ?? zero(), tc: cur.tc ?? zero(), ttl: cur.ttl ?? zero(), bos: cur.bos ?? zero() });
  return { kind: 'mpls', lses };
}

export function readU32Key(r: Reader, kind: U32Key['kind']): KeyAttr {
  const m = readMaskedUint(r, 32, kind);
  r.expect(41);
  return { kind, value: m.value, mask: m.mask };
}

/** Reads the single-number attributes `ct_zone(..)`, `eth_type(..)` after the `(`, through the `)`. */
export function readNumberKey(r: Reader, kind: 'ct_zone' | 'eth_type'): KeyAttr {
  const m = readMaskedUint(r, 16, kind);
  r.expect(41);
  return { kind, value: m.value, mask: m.mask };
}

/** Reads a flag attribute (`ct_state(..)`, `tcp_flags(..)`) after the `(`, through the `)`. */
export function readFlagKey(r: Reader, kind: 'ct_state' | 'tcp_flags'): KeyAttr {
  const m = kind === 'ct_state' ? readFlags(r, CT_STATE_NAMES, 0xff, 0xffffffff, 'ct_state') : readFlags(r, TCP_FLAG_NAMES, 0xfff, 0xffff, 'tcp_flags');
  r.expect(41);
  return { kind, value: m.value, mask: m.mask };
}
