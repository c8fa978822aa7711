/**
 * The pieces every key attribute reader is built from: the codes of field names (see nameCode),
 * the readers of one field value (`N[/M]`, addresses, `frag=`), each giving a {@link Masked} value
 * whose mask is all ones when none is written, and the grammar of a field list
 * (`name=value,...)`): {@link firstField}, {@link nextField}, {@link unknownField}.
 * Every failure throws OdpParseError at the position of what was wrong.
 */
import { ipv6AllOnes, MAC_ALL_ONES, readIpv4, readIpv6, readMac } from './addr';
import type { FragType, Ipv6Addr, MacAddr, Masked } from './model';
import { atLiteral, literal } from './literals';
import { maxOf, nameCode, type Reader, type UintBits } from './reader';

/* Field name codes (see nameCode). */
export const N_BOS = nameCode('bos');
export const N_CFI = nameCode('cfi');
export const N_CLASS = nameCode('class');
export const N_CODE = nameCode('code');
export const N_DIR = nameCode('dir');
export const N_DST = nameCode('dst');
export const N_DST_PORT = nameCode('dst_port');
export const N_ERSPAN = nameCode('erspan');
export const N_FLAGS = nameCode('flags');
export const N_FRAG = nameCode('frag');
export const N_GENEVE = nameCode('geneve');
export const N_GTPU = nameCode('gtpu');
export const N_HLIMIT = nameCode('hlimit');
export const N_HWID = nameCode('hwid');
export const N_ID = nameCode('id');
export const N_IDX = nameCode('idx');
export const N_IPV6_DST = nameCode('ipv6_dst');
export const N_IPV6_SRC = nameCode('ipv6_src');
export const N_LABEL = nameCode('label');
export const N_LEN = nameCode('len');
export const N_MSGTYPE = nameCode('msgtype');
export const N_NS = nameCode('ns');
export const N_OP = nameCode('op');
export const N_PCP = nameCode('pcp');
export const N_PROTO = nameCode('proto');
export const N_SHA = nameCode('sha');
export const N_SIP = nameCode('sip');
export const N_SLL = nameCode('sll');
export const N_SRC = nameCode('src');
export const N_SRC_PORT = nameCode('src_port');
export const N_TARGET = nameCode('target');
export const N_TC = nameCode('tc');
export const N_TCLASS = nameCode('tclass');
export const N_THA = nameCode('tha');
export const N_TIP = nameCode('tip');
export const N_TLL = nameCode('tll');
export const N_TOS = nameCode('tos');
export const N_TP_DST = nameCode('tp_dst');
export const N_TP_SRC = nameCode('tp_src');
export const N_TTL = nameCode('ttl');
export const N_TUN_ID = nameCode('tun_id');
export const N_TYPE = nameCode('type');
export const N_VER = nameCode('ver');
export const N_VID = nameCode('vid');
export const N_VXLAN = nameCode('vxlan');

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
export function readMaskedField(r: Reader, limit: number, what: string): Masked<number> {
  const start = r.pos;
  const value = r.uint(32, what);
  if (value > limit) r.fail(`${what} out of range (max ${limit})`, start);
  if (!r.eat(47)) return { value, mask: limit };
  const mstart = r.pos;
  const mask = r.uint(32, what, true);
  if (mask > limit) r.fail(`${what} mask out of range (max ${limit})`, mstart);
  return { value, mask };
}

export function readMaskedBig(r: Reader, bits: 64 | 128, what: string): Masked<bigint> {
  const value = r.bigUint(bits, what);
  const mask = r.eat(47) ? r.bigUint(bits, what, true) : bits === 64 ? ALL64 : ALL128;
  return { value, mask };
}

export function readMaskedIpv4(r: Reader, what: string): Masked<number> {
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

export function readMaskedIpv6(r: Reader, what: string): Masked<Ipv6Addr> {
  const value = readIpv6(r, what);
  const mask = r.eat(47) ? readIpv6(r, what, true) : ipv6AllOnes();
  return { value, mask };
}

export function readMaskedMac(r: Reader, what: string): Masked<MacAddr> {
  const value = readMac(r, what);
  const mask = r.eat(47) ? readMac(r, what, true) : MAC_ALL_ONES;
  return { value, mask };
}

/** `frag=` value: `no`, `first` or `later`, in any letter case (as OVS's strcasecmp). */
export function readFrag(r: Reader): FragType {
  const start = r.pos;
  r.skipWord();
  if (r.isTextIgnoringCase(start, r.pos, 'no')) return 'no';
  if (r.isTextIgnoringCase(start, r.pos, 'first')) return 'first';
  if (r.isTextIgnoringCase(start, r.pos, 'later')) return 'later';
  return r.fail('expected frag=no, first or later', start);
}

/** After a field: `,` continues (returns true), `)` ends the attribute (returns false). */
export function nextField(r: Reader, attr: string): boolean {
  if (r.eat(44)) {
    if (!r.eat(41)) return true;
    return false;
  }
  if (r.eat(41)) return false;
  return r.fail(`expected "," or ")" in ${attr}(...)`);
}

/** Before the first field: false (the `)` read) when the attribute closes right away (`eth()`), else true. */
export function firstField(r: Reader): boolean {
  if (r.eat(41)) return false;
  return true;
}

/** Throws the error for the field whose name (and `=`) ends at the cursor and starts at `start`. */
export function unknownField(r: Reader, attr: string, start: number): never {
  const name = r.s.slice(start, r.pos - 1);
  return r.fail(`unknown field "${name}" in ${attr}(...)`, start);
}
