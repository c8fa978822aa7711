/**
 * Reads flow keys (the match) from ODP text into {@link KeyAttr}s.
 *
 * Accepts what OVS 3.1's odp_flow_from_string() accepts (plus `src_port=`/`dst_port=` in
 * `ct_tuple6`, which OVS prints but cannot read back), in any field order; fields left out are
 * wildcards, values without `/mask` are exact.
 */
import { ipv6AllOnes, MAC_ALL_ONES, readIpv4, readIpv6, readMac } from './addr';
import { CT_STATE_NAMES, TCP_FLAG_NAMES, TUN_FLAG_NAMES, readFlags } from './flags';
import type {
  U32Key, ArpKey, CtTuple4Key, CtTuple6Key, EthKey, FragType, GeneveOption, IcmpKey, Ipv4Key, Ipv6Key, Ipv6Addr, KeyAttr, L4PortsKey,
  MacAddr, Masked, MplsLse, NdExtKey, NdKey, PacketTypeKey, TunnelKey, VlanKey,
} from './model';
import { constantBlockAt } from './constant-blocks';
import { atLiteral, eatLiteral, literal, maxOf, nameCode, type Reader, type UintBits } from './reader';

/* Field name codes (see nameCode). */
const N_BOS = nameCode('bos');
const N_CFI = nameCode('cfi');
const N_CLASS = nameCode('class');
const N_CODE = nameCode('code');
const N_DIR = nameCode('dir');
const N_DST = nameCode('dst');
const N_DST_PORT = nameCode('dst_port');
const N_ERSPAN = nameCode('erspan');
const N_FLAGS = nameCode('flags');
const N_FRAG = nameCode('frag');
const N_GENEVE = nameCode('geneve');
const N_GTPU = nameCode('gtpu');
const N_HLIMIT = nameCode('hlimit');
const N_HWID = nameCode('hwid');
const N_ID = nameCode('id');
const N_IDX = nameCode('idx');
const N_IPV6_DST = nameCode('ipv6_dst');
const N_IPV6_SRC = nameCode('ipv6_src');
const N_LABEL = nameCode('label');
const N_LEN = nameCode('len');
const N_MSGTYPE = nameCode('msgtype');
const N_NS = nameCode('ns');
const N_OP = nameCode('op');
const N_PCP = nameCode('pcp');
const N_PROTO = nameCode('proto');
const N_SHA = nameCode('sha');
const N_SIP = nameCode('sip');
const N_SLL = nameCode('sll');
const N_SRC = nameCode('src');
const N_SRC_PORT = nameCode('src_port');
const N_TARGET = nameCode('target');
const N_TC = nameCode('tc');
const N_TCLASS = nameCode('tclass');
const N_THA = nameCode('tha');
const N_TIP = nameCode('tip');
const N_TLL = nameCode('tll');
const N_TOS = nameCode('tos');
const N_TP_DST = nameCode('tp_dst');
const N_TP_SRC = nameCode('tp_src');
const N_TTL = nameCode('ttl');
const N_TUN_ID = nameCode('tun_id');
const N_TYPE = nameCode('type');
const N_VER = nameCode('ver');
const N_VID = nameCode('vid');
const N_VXLAN = nameCode('vxlan');

const ALL64 = (1n << 64n) - 1n;
const ALL128 = (1n << 128n) - 1n;

/** `N[/M]` with N, M as C's %i; no mask = all ones of `bits`. */
export function readMaskedUint(r: Reader, bits: UintBits, what: string): Masked<number> {
  const value = r.uint(bits, what);
  if (!r.eat(47)) return { value, mask: maxOf(bits) };
  // The wildcard mask `/0` (a lone 0: not followed by an octal digit or `x`), the commonest.
  const p = r.pos;
  if (p < r.end && r.b[p] === 48) {
    const c = p + 1 < r.end ? r.b[p + 1] : 0;
    if ((c < 48 || c > 55) && (c | 32) !== 120) {
      r.pos = p + 1;
      return { value, mask: 0 };
    }
  }
  return { value, mask: r.uint(bits, what, true) };
}

/** Like {@link readMaskedUint} with a narrower field (`limit` = largest value, also the full mask). */
function readMaskedField(r: Reader, limit: number, what: string): Masked<number> {
  const start = r.pos;
  const value = r.uint(32, what);
  if (value > limit) r.fail(`${what} out of range (max ${limit})`, start);
  if (!r.eat(47)) return { value, mask: limit };
  const mstart = r.pos;
  const mask = r.uint(32, what, true);
  if (mask > limit) r.fail(`${what} mask out of range (max ${limit})`, mstart);
  return { value, mask };
}

function readMaskedBig(r: Reader, bits: 64 | 128, what: string): Masked<bigint> {
  const value = r.bigUint(bits, what);
  const mask = r.eat(47) ? r.bigUint(bits, what, true) : bits === 64 ? ALL64 : ALL128;
  return { value, mask };
}

function readMaskedIpv4(r: Reader, what: string): Masked<number> {
  const value = readIpv4(r, what);
  if (!r.eat(47)) return { value, mask: 0xffffffff };
  // The wildcard mask, the commonest, when no digit follows it (else it is not all of the address).
  if (atLiteral(r, L_IPV4_ZERO)) {
    const c = r.pos + 7 < r.end ? r.b[r.pos + 7] : 0;
    if (c < 48 || c > 57) {
      r.pos += 7;
      return { value, mask: 0 };
    }
  }
  return { value, mask: readIpv4(r, what, true) };
}

const L_IPV4_ZERO = literal('0.0.0.0');

function readMaskedIpv6(r: Reader, what: string): Masked<Ipv6Addr> {
  const value = readIpv6(r, what);
  const mask = r.eat(47) ? readIpv6(r, what, true) : ipv6AllOnes();
  return { value, mask };
}

function readMaskedMac(r: Reader, what: string): Masked<MacAddr> {
  const value = readMac(r, what);
  const mask = r.eat(47) ? readMac(r, what, true) : MAC_ALL_ONES;
  return { value, mask };
}

/** `frag=` value: `no`, `first` or `later`, in any letter case (as OVS's strcasecmp). */
function readFrag(r: Reader): FragType {
  const start = r.pos;
  r.skipWord();
  if (r.isTextIgnoringCase(start, r.pos, 'no')) return 'no';
  if (r.isTextIgnoringCase(start, r.pos, 'first')) return 'first';
  if (r.isTextIgnoringCase(start, r.pos, 'later')) return 'later';
  return r.fail('expected frag=no, first or later', start);
}

/** After a field: `,` continues (returns true), `)` ends the attribute (returns false). */
function nextField(r: Reader, attr: string): boolean {
  if (r.eat(44)) {
    if (!r.eat(41)) return true;
    return false;
  }
  if (r.eat(41)) return false;
  return r.fail(`expected "," or ")" in ${attr}(...)`);
}

/** Reads the field name, or returns '' when the attribute closes right away (`eth()`). */
function firstField(r: Reader): boolean {
  if (r.eat(41)) return false;
  return true;
}

function unknownField(r: Reader, attr: string, start: number): never {
  const name = r.s.slice(start, r.pos - 1);
  return r.fail(`unknown field "${name}" in ${attr}(...)`, start);
}

/** `in_port(` ... `)` after the `(`: a number with an optional mask, or a name up to the `)`. */
function readInPort(r: Reader): KeyAttr {
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

function readEth(r: Reader): EthKey {
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

function readIpv4Key(r: Reader): Ipv4Key {
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

function readIpv6Key(r: Reader): Ipv6Key {
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
const PORT_NAMES = {
  tcp: { src: 'tcp src', dst: 'tcp dst' },
  udp: { src: 'udp src', dst: 'udp dst' },
  sctp: { src: 'sctp src', dst: 'sctp dst' },
};

function readPorts(r: Reader, kind: 'tcp' | 'udp' | 'sctp'): L4PortsKey {
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

function readIcmp(r: Reader, kind: 'icmp' | 'icmpv6'): IcmpKey {
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

function readArp(r: Reader): ArpKey {
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

function readNd(r: Reader): NdKey {
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

function readNdExt(r: Reader): NdExtKey {
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

function readCtTuple4(r: Reader): CtTuple4Key {
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

function readCtTuple6(r: Reader): CtTuple6Key {
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

function readPacketType(r: Reader): PacketTypeKey {
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

function readVlan(r: Reader): VlanKey {
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

function readMpls(r: Reader): KeyAttr {
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

function readGeneve(r: Reader): GeneveOption[] {
  const opts: GeneveOption[] = [];
  while (r.eat(123 /* { */)) {
    const o: GeneveOption = {};
    for (;;) {
      if (r.eat(125 /* } */)) break;
      const c = r.peek();
      if (c === 48 && (r.b[r.pos + 1] | 32) === 120) {
        o.data = hexBlob(r, 'geneve option data');
        if (r.eat(47)) o.dataMask = hexBlob(r, 'geneve option mask');
      } else {
        const at = r.pos;
        const f = r.fieldCode();
        if (f === N_CLASS) o.class = readMaskedUint(r, 16, 'geneve class');
        else if (f === N_TYPE) o.type = readMaskedUint(r, 8, 'geneve type');
        else if (f === N_LEN) {
          o.len = readMaskedUint(r, 8, 'geneve len');
          if (o.len.value > 124 || o.len.value % 4 !== 0) r.fail('geneve len must be a multiple of 4 up to 124', at);
        } else unknownField(r, 'geneve', at);
      }
      if (!r.eat(44)) {
        r.expect(125);
        break;
      }
    }
    opts.push(o);
  }
  r.expect(41);
  return opts;
}

/** `0x` + hex digits, kept as written (lowercased). */
function hexBlob(r: Reader, what: string): string {
  const start = r.pos;
  r.pos += 2;
  const q = r.pos;
  while (r.pos < r.end && ((r.b[r.pos] >= 48 && r.b[r.pos] <= 57) || ((r.b[r.pos] | 32) >= 97 && (r.b[r.pos] | 32) <= 102))) r.pos++;
  if (r.pos === q) r.fail(`expected hex digits for ${what}`, start);
  return r.s.slice(start, r.pos).toLowerCase();
}

function readTunnel(r: Reader): TunnelKey {
  const k: TunnelKey = { kind: 'tunnel' };
  if (!firstField(r)) return k;
  do {
    const at = r.pos;
    const f = r.code();
    if (r.eat(40 /* ( */)) {
      switch (f) {
        case N_FLAGS: {
          const v = readFlags(r, TUN_FLAG_NAMES, 0xf, 0xf, 'tunnel');
          k.flags = v;
          r.expect(41);
          break;
        }
        case N_GENEVE: k.geneve = readGeneve(r); break;
        case N_VXLAN: {
          r.expectText('gbp(');
          const g: NonNullable<TunnelKey['vxlanGbp']> = {};
          if (firstField(r)) {
            do {
              const fa = r.pos;
              const gf = r.fieldCode();
              if (gf === N_ID) g.id = readMaskedUint(r, 16, 'vxlan gbp id');
              else if (gf === N_FLAGS) g.flags = readMaskedUint(r, 8, 'vxlan gbp flags');
              else unknownField(r, 'gbp', fa);
            } while (nextField(r, 'gbp'));
          }
          r.expect(41);
          k.vxlanGbp = g;
          break;
        }
        case N_ERSPAN: {
          const e: NonNullable<TunnelKey['erspan']> = {};
          if (firstField(r)) {
            do {
              const fa = r.pos;
              const ef = r.fieldCode();
              if (ef === N_VER) e.ver = readMaskedUint(r, 8, 'erspan ver');
              else if (ef === N_IDX) {
                const value = r.uint(32, 'erspan idx');
                e.idx = r.eat(47) ? { value, mask: r.uint(32, 'erspan idx mask') } : { value };
              } else if (ef === N_DIR) e.dir = readMaskedUint(r, 8, 'erspan dir');
              else if (ef === N_HWID) e.hwid = readMaskedUint(r, 8, 'erspan hwid');
              else unknownField(r, 'erspan', fa);
            } while (nextField(r, 'erspan'));
          }
          k.erspan = e;
          break;
        }
        case N_GTPU: {
          const g: NonNullable<TunnelKey['gtpu']> = {};
          if (firstField(r)) {
            do {
              const fa = r.pos;
              const gf = r.fieldCode();
              if (gf === N_FLAGS) g.flags = readMaskedUint(r, 8, 'gtpu flags');
              else if (gf === N_MSGTYPE) g.msgtype = readMaskedUint(r, 8, 'gtpu msgtype');
              else unknownField(r, 'gtpu', fa);
            } while (nextField(r, 'gtpu'));
          }
          k.gtpu = g;
          break;
        }
        default: r.fail(`unknown field "${r.s.slice(at, r.pos - 1)}(" in tunnel(...)`, at);
      }
      continue;
    }
    if (!r.eat(61)) r.fail(r.pos === at ? 'expected a field name' : `expected "=" after "${r.lastWord()}"`, at);
    switch (f) {
      case N_TUN_ID: k.tunId = readMaskedBig(r, 64, 'tunnel tun_id'); break;
      case N_SRC: k.src = readMaskedIpv4(r, 'tunnel src'); break;
      case N_DST: k.dst = readMaskedIpv4(r, 'tunnel dst'); break;
      case N_IPV6_SRC: k.ipv6Src = readMaskedIpv6(r, 'tunnel ipv6_src'); break;
      case N_IPV6_DST: k.ipv6Dst = readMaskedIpv6(r, 'tunnel ipv6_dst'); break;
      case N_TOS: k.tos = readMaskedUint(r, 8, 'tunnel tos'); break;
      case N_TTL: k.ttl = readMaskedUint(r, 8, 'tunnel ttl'); break;
      case N_TP_SRC: k.tpSrc = readMaskedUint(r, 16, 'tunnel tp_src'); break;
      case N_TP_DST: k.tpDst = readMaskedUint(r, 16, 'tunnel tp_dst'); break;
      default: unknownField(r, 'tunnel', at);
    }
  } while (nextField(r, 'tunnel'));
  return k;
}

/*
 * Fast paths: an attribute's fields in the order and form that `dpctl/dump-flows -m` writes them,
 * matched as literal texts (`,dst=`) instead of field names read and looked up. At the first
 * difference a fast path puts the cursor back and returns undefined, and the general reader reads
 * the attribute: the result is the same either way, only the work differs. A value that does not
 * read throws the error the general reader would throw at that place.
 */

const L_SRC = literal('src=');
const L_DST = literal(',dst=');
const L_PROTO = literal(',proto=');
const L_TOS = literal(',tos=');
const L_TTL = literal(',ttl=');
const L_FRAG = literal(',frag=');

/** `src=..,dst=..)` of `eth(`. */
function fastEth(r: Reader): EthKey | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const src = readMaskedMac(r, 'eth src');
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedMac(r, 'eth dst');
    if (r.eat(41)) return { kind: 'eth', src, dst };
  }
  r.pos = start;
  return undefined;
}

/** `src=..,dst=..,proto=..,tos=..,ttl=..,frag=..)` of `ipv4(`. */
function fastIpv4(r: Reader): Ipv4Key | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const src = readMaskedIpv4(r, 'ipv4 src');
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedIpv4(r, 'ipv4 dst');
    if (eatLiteral(r, L_PROTO)) {
      const proto = readMaskedUint(r, 8, 'ipv4 proto');
      if (eatLiteral(r, L_TOS)) {
        const tos = readMaskedUint(r, 8, 'ipv4 tos');
        if (eatLiteral(r, L_TTL)) {
          const ttl = readMaskedUint(r, 8, 'ipv4 ttl');
          if (eatLiteral(r, L_FRAG)) {
            const frag = readFrag(r);
            if (r.eat(41)) return { kind: 'ipv4', src, dst, proto, tos, ttl, frag };
          }
        }
      }
    }
  }
  r.pos = start;
  return undefined;
}

const L_LABEL = literal(',label=');
const L_TCLASS = literal(',tclass=');
const L_HLIMIT = literal(',hlimit=');

/** `src=..,dst=..,label=..,proto=..,tclass=..,hlimit=..,frag=..)` of `ipv6(`. */
function fastIpv6(r: Reader): Ipv6Key | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const src = readMaskedIpv6(r, 'ipv6 src');
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedIpv6(r, 'ipv6 dst');
    if (eatLiteral(r, L_LABEL)) {
      const label = readMaskedField(r, 0xfffff, 'ipv6 label');
      if (eatLiteral(r, L_PROTO)) {
        const proto = readMaskedUint(r, 8, 'ipv6 proto');
        if (eatLiteral(r, L_TCLASS)) {
          const tclass = readMaskedUint(r, 8, 'ipv6 tclass');
          if (eatLiteral(r, L_HLIMIT)) {
            const hlimit = readMaskedUint(r, 8, 'ipv6 hlimit');
            if (eatLiteral(r, L_FRAG)) {
              const frag = readFrag(r);
              if (r.eat(41)) return { kind: 'ipv6', src, dst, label, proto, tclass, hlimit, frag };
            }
          }
        }
      }
    }
  }
  r.pos = start;
  return undefined;
}

/** `src=..,dst=..)` of `tcp(`, `udp(`. */
function fastPorts(r: Reader, kind: 'tcp' | 'udp'): L4PortsKey | undefined {
  const start = r.pos;
  if (!eatLiteral(r, L_SRC)) return undefined;
  const names = kind === 'udp' ? PORT_NAMES.udp : PORT_NAMES.tcp;
  const src = readMaskedUint(r, 16, names.src);
  if (eatLiteral(r, L_DST)) {
    const dst = readMaskedUint(r, 16, names.dst);
    if (r.eat(41)) return { kind, src, dst };
  }
  r.pos = start;
  return undefined;
}

/* Attribute name codes. */
const A_SKB_MARK = nameCode('skb_mark');
const A_RECIRC_ID = nameCode('recirc_id');
const A_DP_HASH = nameCode('dp_hash');
const A_CT_MARK = nameCode('ct_mark');
const A_CT_STATE = nameCode('ct_state');
const A_CT_ZONE = nameCode('ct_zone');
const A_CT_LABEL = nameCode('ct_label');
const A_ETH_TYPE = nameCode('eth_type');
const A_TCP_FLAGS = nameCode('tcp_flags');
const A_IN_PORT = nameCode('in_port');
const A_ETH = nameCode('eth');
const A_IPV4 = nameCode('ipv4');
const A_IPV6 = nameCode('ipv6');
const A_TCP = nameCode('tcp');
const A_UDP = nameCode('udp');
const A_SCTP = nameCode('sctp');
const A_ICMP = nameCode('icmp');
const A_ICMPV6 = nameCode('icmpv6');
const A_ARP = nameCode('arp');
const A_ND = nameCode('nd');
const A_ND_EXT = nameCode('nd_ext');
const A_CT_TUPLE4 = nameCode('ct_tuple4');
const A_CT_TUPLE6 = nameCode('ct_tuple6');
const A_VLAN = nameCode('vlan');
const A_MPLS = nameCode('mpls');
const A_TUNNEL = nameCode('tunnel');
const A_ENCAP = nameCode('encap');
const A_NSH = nameCode('nsh');

function readEncap(r: Reader, blocks: boolean): KeyAttr {
  const keys = readKeyList(r, true, blocks);
  r.expect(41);
  return { kind: 'encap', keys };
}

function readU32Key(r: Reader, kind: U32Key['kind']): KeyAttr {
  const m = readMaskedUint(r, 32, kind);
  r.expect(41);
  return { kind, value: m.value, mask: m.mask };
}

/** Reads the single-number attributes `ct_zone(..)`, `eth_type(..)` after the `(`, through the `)`. */
function readNumberKey(r: Reader, kind: 'ct_zone' | 'eth_type'): KeyAttr {
  const m = readMaskedUint(r, 16, kind);
  r.expect(41);
  return { kind, value: m.value, mask: m.mask };
}

/** Reads a flag attribute (`ct_state(..)`, `tcp_flags(..)`) after the `(`, through the `)`. */
function readFlagKey(r: Reader, kind: 'ct_state' | 'tcp_flags'): KeyAttr {
  const m = kind === 'ct_state' ? readFlags(r, CT_STATE_NAMES, 0xff, 0xffffffff, 'ct_state') : readFlags(r, TCP_FLAG_NAMES, 0xfff, 0xffff, 'tcp_flags');
  r.expect(41);
  return { kind, value: m.value, mask: m.mask };
}

/**
 * Reads the attribute whose name (code `code`, see nameCode) and `(` were read. The cases come
 * in the order of how often they appear in megaflows: a switch tests them one after the other.
 */
function readKeyArgs(r: Reader, code: number, start: number, blocks: boolean): KeyAttr {
  switch (code) {
    case A_IN_PORT: return readInPort(r);
    case A_ETH: return (blocks ? fastEth(r) : undefined) ?? readEth(r);
    case A_ETH_TYPE: return readNumberKey(r, 'eth_type');
    case A_IPV4: return (blocks ? fastIpv4(r) : undefined) ?? readIpv4Key(r);
    case A_UDP: return (blocks ? fastPorts(r, 'udp') : undefined) ?? readPorts(r, 'udp');
    case A_TCP: return (blocks ? fastPorts(r, 'tcp') : undefined) ?? readPorts(r, 'tcp');
    case A_IPV6: return readIpv6Key(r);
    case A_TCP_FLAGS: return readFlagKey(r, 'tcp_flags');
    case A_RECIRC_ID: return readU32Key(r, 'recirc_id');
    case A_CT_STATE: return readFlagKey(r, 'ct_state');
    case A_CT_ZONE: return readNumberKey(r, 'ct_zone');
    case A_CT_MARK: return readU32Key(r, 'ct_mark');
    case A_CT_LABEL: {
      const m = readMaskedBig(r, 128, 'ct_label');
      r.expect(41);
      return { kind: 'ct_label', value: m.value, mask: m.mask };
    }
    case A_SKB_MARK: return readU32Key(r, 'skb_mark');
    case A_DP_HASH: return readU32Key(r, 'dp_hash');
    case A_TUNNEL: return readTunnel(r);
    case A_VLAN: return readVlan(r);
    case A_ENCAP: return readEncap(r, blocks);
    case A_ICMP: return readIcmp(r, 'icmp');
    case A_ICMPV6: return readIcmp(r, 'icmpv6');
    case A_ARP: return readArp(r);
    case A_ND: return readNd(r);
    case A_ND_EXT: return readNdExt(r);
    case A_SCTP: return readPorts(r, 'sctp');
    case A_MPLS: return readMpls(r);
    case A_CT_TUPLE4: return readCtTuple4(r);
    case A_CT_TUPLE6: return readCtTuple6(r);
  }
  // Names longer than a code.
  const nameEnd = r.pos - 1;
  if (r.isText(start, nameEnd, 'packet_type')) return readPacketType(r);
  if (r.isText(start, nameEnd, 'skb_priority')) return readU32Key(r, 'skb_priority');
  const name = r.s.slice(start, nameEnd);
  if (code === A_NSH || /^key\d+$/.test(name)) {
    const k: KeyAttr = { kind: 'opaque', name, text: r.balanced(false, name) };
    r.expect(41);
    return k;
  }
  return r.fail(`unknown key attribute "${name}"`, start);
}

/** Reads one attribute `name(...)` at the cursor (`blocks`: see {@link readKeyList}). */
export function readKeyAttr(r: Reader, blocks = true): KeyAttr {
  const start = r.pos;
  const code = r.code();
  if (r.pos === start) r.fail('expected a key attribute');
  if (!r.eat(40)) r.fail(`expected "(" after "${r.lastWord()}"`);
  r.enter();
  const k = readKeyArgs(r, code, start, blocks);
  r.leave();
  return k;
}

/**
 * Reads attributes separated by `,` (and optional spaces) until `)` (when `inParens`), the end of
 * the text, or a `word:` section label (`packets:`, `actions:`, ...), which is left unread.
 * `blocks`: take the constant blocks of constant-blocks.ts whole and use the fast paths (false
 * only to test that this changes nothing).
 */
export function readKeyList(r: Reader, inParens: boolean, blocks = true): KeyAttr[] {
  const keys: KeyAttr[] = [];
  for (;;) {
    const before = r.pos;
    // Between attributes -m writes one `,`: a common attribute after it is read at once.
    if (blocks && r.b[before] === 44 && before + 1 < r.end) {
      r.pos = before + 1;
      if (readCommonKey(r, keys)) continue;
      r.pos = before;
    }
    const blank = r.skipSeparators();
    if (r.pos >= r.end || r.peek() === 41) {
      if (!inParens || r.peek() === 41) return keys;
      r.fail('expected ")" to close encap(...)');
    }
    // A common `name(` is an attribute, never a section label.
    if (blocks && readCommonKey(r, keys)) continue;
    if (!inParens && (blank || keys.length === 0 || mayBeLabel(r.peek())) && isSectionLabel(r)) {
      r.pos = before;
      return keys;
    }
    const block = blocks ? constantBlockAt(r, keys.length === 0) : undefined;
    if (block !== undefined) {
      block.push(keys);
      r.pos += block.bytes.length;
    } else keys.push(readKeyAttr(r, blocks));
  }
}

/** The first four bytes of a text as a little-endian word. */
function word4(text: string): number {
  return text.charCodeAt(0) | (text.charCodeAt(1) << 8) | (text.charCodeAt(2) << 16) | (text.charCodeAt(3) << 24);
}

const W_ETH = word4('eth(');
const W_IN_P = word4('in_port(');
const W_IPV4 = word4('ipv4(');
const W_UDP = word4('udp(');
const W_TCP = word4('tcp(');
const W_IPV6 = word4('ipv6(');
const W_TCP_ = word4('tcp_flags(');
const W_ARP = word4('arp(');
const W_ICMP = word4('icmp(');
const W_VLAN = word4('vlan(');
const W_ENCA = word4('encap(');
const W_SKB_ = word4('skb_priority(');
const W_PACK = word4('packet_type(');
const W_ETH_ = word4('eth_type(');
const L_IN_PORT = literal('in_port(');
const L_IPV4 = literal('ipv4(');
const L_IPV6 = literal('ipv6(');
const L_TCP_FLAGS = literal('tcp_flags(');
const L_ICMP = literal('icmp(');
const L_ICMPV6 = literal('icmpv6(');
const L_VLAN = literal('vlan(');
const L_ENCAP = literal('encap(');

/**
 * Reads the attribute at the cursor when it is a common one, known by its first four bytes and
 * read from its `name(` with the same readers as by name (so which ones are known here changes
 * only the speed); also takes the constant blocks. Returns false, the cursor unmoved, for others.
 */
function readCommonKey(r: Reader, keys: KeyAttr[]): boolean {
  const p = r.pos;
  if (p + 4 > r.end) return false;
  let k: KeyAttr;
  switch (r.v.getInt32(p, true)) {
    case W_ETH:
      r.pos = p + 4;
      r.enter();
      k = fastEth(r) ?? readEth(r);
      break;
    case W_IN_P:
      if (!atLiteral(r, L_IN_PORT)) return false;
      r.pos = p + L_IN_PORT.len;
      r.enter();
      k = readInPort(r);
      break;
    case W_IPV4:
      if (!atLiteral(r, L_IPV4)) return false;
      r.pos = p + L_IPV4.len;
      r.enter();
      k = fastIpv4(r) ?? readIpv4Key(r);
      break;
    case W_UDP:
      r.pos = p + 4;
      r.enter();
      k = fastPorts(r, 'udp') ?? readPorts(r, 'udp');
      break;
    case W_TCP:
      r.pos = p + 4;
      r.enter();
      k = fastPorts(r, 'tcp') ?? readPorts(r, 'tcp');
      break;
    case W_IPV6:
      if (!atLiteral(r, L_IPV6)) return false;
      r.pos = p + L_IPV6.len;
      r.enter();
      k = fastIpv6(r) ?? readIpv6Key(r);
      break;
    case W_TCP_:
      if (!atLiteral(r, L_TCP_FLAGS)) return false;
      r.pos = p + L_TCP_FLAGS.len;
      r.enter();
      k = readFlagKey(r, 'tcp_flags');
      break;
    case W_ARP:
      r.pos = p + 4;
      r.enter();
      k = readArp(r);
      break;
    case W_ICMP:
      if (atLiteral(r, L_ICMP)) {
        r.pos = p + L_ICMP.len;
        r.enter();
        k = readIcmp(r, 'icmp');
      } else if (atLiteral(r, L_ICMPV6)) {
        r.pos = p + L_ICMPV6.len;
        r.enter();
        k = readIcmp(r, 'icmpv6');
      } else return false;
      break;
    case W_VLAN:
      if (!atLiteral(r, L_VLAN)) return false;
      r.pos = p + L_VLAN.len;
      r.enter();
      k = readVlan(r);
      break;
    case W_ENCA:
      if (!atLiteral(r, L_ENCAP)) return false;
      r.pos = p + L_ENCAP.len;
      r.enter();
      k = readEncap(r, true);
      break;
    case W_SKB_: case W_PACK: case W_ETH_: {
      const block = constantBlockAt(r, keys.length === 0);
      if (block !== undefined) {
        block.push(keys);
        r.pos += block.bytes.length;
        return true;
      }
      return false;
    }
    default:
      return false;
  }
  r.leave();
  keys.push(k);
  return true;
}

/** First letters of the dump-line labels (actions, bytes, dp, flags, offloaded, packets, used). */
function mayBeLabel(c: number): boolean {
  return c === 97 || c === 98 || c === 100 || c === 102 || c === 111 || c === 112 || c === 117;
}

/** True when the cursor is at `word:` (a dump-line section such as `packets:`). */
export function isSectionLabel(r: Reader): boolean {
  let p = r.pos;
  while (p < r.end) {
    const c = r.b[p];
    if ((c >= 97 && c <= 122) || c === 95 || c === 45 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) p++;
    else return c === 58 && p > r.pos;
  }
  return false;
}
