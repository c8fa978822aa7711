/**
 * Addresses in ODP text: IPv4 (dotted quad), IPv6 (as glibc's inet_pton reads and inet_ntop
 * writes it), Ethernet (`xx:xx:xx:xx:xx:xx`). Readers take a {@link Reader}; writers return strings.
 * Ethernet addresses are 48-bit numbers and IPv6 addresses eight 16-bit words (see model.ts);
 * conversions to and from bytes are here for callers that need bytes.
 */
import { described, HEX_VALUE, type Reader } from './reader';
import { DEC8, HEX2 } from './numfmt';
import type { Ipv6Addr, MacAddr } from './model';

/** Reads `a.b.c.d` into an unsigned 32-bit number. */
export function readIpv4(r: Reader, what: string, mask = false): number {
  const start = r.pos;
  const b = r.b;
  let p = start;
  let result = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0) {
      if (b[p] !== 46 || p >= r.end) r.fail(`expected an IPv4 address for ${described(what, mask)}`, start);
      p++;
    }
    const q = p;
    let v = 0;
    while (p < r.end) {
      const c = b[p];
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      p++;
    }
    if (p === q || p - q > 3 || v > 255) r.fail(`expected an IPv4 address for ${described(what, mask)}`, start);
    result = result * 256 + v;
  }
  r.pos = p;
  return result;
}

/**
 * The 256 texts `prefix` + `a.` for each first octet `a`: with {@link formatIpv4With}, an address
 * and what comes before it (`src=`, `/`) cost no more concatenations than the address alone.
 */
export function ipv4FirstOctets(prefix: string): readonly string[] {
  return DEC8.map((d) => prefix + d + '.');
}

const DOT = ipv4FirstOctets('');
/** `b.c.` by the 16-bit value of two middle octets, filled on first use (at most 65536 texts). */
const DOT_PAIR: Array<string | undefined> = new Array<string | undefined>(65536).fill(undefined);

/** `a.b.c.d` for an unsigned 32-bit number, after the prefix of `firstOctets` ({@link ipv4FirstOctets}). */
export function formatIpv4With(firstOctets: readonly string[], v: number): string {
  const mid = (v >>> 8) & 0xffff;
  return firstOctets[(v >>> 24) & 255] + (DOT_PAIR[mid] ??= DOT[mid >>> 8] + DOT[mid & 255]) + DEC8[v & 255];
}

/** `a.b.c.d` for an unsigned 32-bit number. */
export function formatIpv4(v: number): string {
  return formatIpv4With(DOT, v);
}

/** 2^32: the weight of the first two bytes of a {@link MacAddr}. */
const TWO_32 = 4294967296;

/** The all-ones Ethernet address (ff:ff:ff:ff:ff:ff), an exact mask. */
export const MAC_ALL_ONES: MacAddr = 0xffffffffffff;

/** Reads `xx:xx:xx:xx:xx:xx` (1 or 2 hex digits per byte) into a 48-bit number. */
export function readMac(r: Reader, what: string, mask = false): MacAddr {
  const start = r.pos;
  const b = r.b;
  const end = r.end;
  // The form OVS writes (two digits a byte): the colons at their places, then the digits at once.
  if (start + 17 <= end && b[start + 2] === 58 && b[start + 5] === 58 && b[start + 8] === 58 && b[start + 11] === 58 && b[start + 14] === 58) {
    const h = HEX_VALUE;
    const d0 = h[b[start]];
    const d1 = h[b[start + 1]];
    const d2 = h[b[start + 3]];
    const d3 = h[b[start + 4]];
    const d4 = h[b[start + 6]];
    const d5 = h[b[start + 7]];
    const d6 = h[b[start + 9]];
    const d7 = h[b[start + 10]];
    const d8 = h[b[start + 12]];
    const d9 = h[b[start + 13]];
    const d10 = h[b[start + 15]];
    const d11 = h[b[start + 16]];
    // A non-digit is -1 in HEX_VALUE: all its bits set, so the OR of the digits shows it.
    if ((d0 | d1 | d2 | d3 | d4 | d5 | d6 | d7 | d8 | d9 | d10 | d11) >= 0) {
      r.pos = start + 17;
      const hi = (d0 << 12) | (d1 << 8) | (d2 << 4) | d3;
      const lo = (d4 << 28) | (d5 << 24) | (d6 << 20) | (d7 << 16) | (d8 << 12) | (d9 << 8) | (d10 << 4) | d11;
      return hi * TWO_32 + (lo >>> 0);
    }
  }
  return readMacDigits(r, what, mask);
}

/** {@link readMac} digit by digit: the general reader, which the two-digit form must agree with. */
export function readMacDigits(r: Reader, what: string, mask = false): MacAddr {
  const start = r.pos;
  const b = r.b;
  const end = r.end;
  let p = start;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 6; i++) {
    if (i > 0) {
      if (p >= end || b[p] !== 58) r.fail(`expected an Ethernet address for ${described(what, mask)}`, start);
      p++;
    }
    const d1 = p < end ? HEX_VALUE[b[p]] : -1;
    if (d1 < 0) r.fail(`expected an Ethernet address for ${described(what, mask)}`, start);
    p++;
    const d2 = p < end ? HEX_VALUE[b[p]] : -1;
    let v = d1;
    if (d2 >= 0) {
      v = d1 * 16 + d2;
      p++;
    }
    if (i < 2) hi = (hi << 8) | v;
    else lo = (lo << 8) | v;
  }
  r.pos = p;
  return hi * TWO_32 + (lo >>> 0);
}

/** The 256 texts `prefix` + `xx:` for each first byte, for {@link formatMacWith} (as {@link ipv4FirstOctets}). */
export function macFirstBytes(prefix: string): readonly string[] {
  return HEX2.map((h) => prefix + h + ':');
}

const HEX2_COLON = macFirstBytes('');
/** `xx:xx:` by 16-bit value, filled on first use (at most 65536 texts). */
const HEX4_COLON: Array<string | undefined> = new Array<string | undefined>(65536).fill(undefined);

function hex4Colon(w: number): string {
  return (HEX4_COLON[w] ??= HEX2_COLON[w >>> 8] + HEX2_COLON[w & 255]);
}

/** `xx:xx:xx:xx:xx:xx` after the prefix of `firstBytes` ({@link macFirstBytes}). */
export function formatMacWith(firstBytes: readonly string[], m: MacAddr): string {
  const hi = (m / TWO_32) >>> 0;
  const lo = m - hi * TWO_32;
  return firstBytes[(hi >>> 8) & 255] + hex4Colon(((hi & 255) << 8) | (lo >>> 24)) + hex4Colon((lo >>> 8) & 0xffff) + HEX2[lo & 255];
}

/** `xx:xx:xx:xx:xx:xx`, from a {@link MacAddr} or from 6 bytes. */
export function formatMac(m: MacAddr | Uint8Array): string {
  return formatMacWith(HEX2_COLON, typeof m === 'number' ? m : macFromBytes(m));
}

/** A {@link MacAddr} from its 6 bytes (network order). */
export function macFromBytes(b: ArrayLike<number>): MacAddr {
  return ((b[0] << 8) | b[1]) * TWO_32 + (((b[2] << 24) | (b[3] << 16) | (b[4] << 8) | b[5]) >>> 0);
}

/** The 6 bytes (network order) of a {@link MacAddr}. */
export function macToBytes(m: MacAddr): Uint8Array {
  const hi = (m / TWO_32) >>> 0;
  const lo = (m - hi * TWO_32) >>> 0;
  return Uint8Array.of(hi >>> 8, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255);
}

function isV6Char(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46;
}

/** Reads an IPv6 address as inet_pton(AF_INET6) accepts it (with an optional trailing dotted IPv4). */
export function readIpv6(r: Reader, what: string, mask = false): Ipv6Addr {
  const start = r.pos;
  let end = start;
  while (end < r.end && end - start < 46 && isV6Char(r.b[end])) end++;
  const out = parseIpv6Bytes(r.b, start, end);
  if (!out) r.fail(`expected an IPv6 address for ${described(what, mask)}`, start);
  r.pos = end;
  return out;
}

/** inet_pton for s[start, end); null when invalid. */
export function parseIpv6(s: string, start: number, end: number): Ipv6Addr | null {
  const b = new Uint8Array(end + 1);
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    b[i] = c < 0x80 ? c : 0x80;
  }
  return parseIpv6Bytes(b, start, end);
}

/** inet_pton for the text bytes b[start, end) (see Reader.b); null when invalid. */
export function parseIpv6Bytes(b: Uint8Array, start: number, end: number): Ipv6Addr | null {
  const out = [0, 0, 0, 0, 0, 0, 0, 0];
  let p = start;
  /** The next word of `out` to fill. */
  let tp = 0;
  let colonp = -1;
  if (p < end && b[p] === 58) {
    if (p + 1 >= end || b[p + 1] !== 58) return null;
    p++;
  }
  let curtok = p;
  let sawXdigit = false;
  let val = 0;
  let ndigits = 0;
  while (p < end) {
    const c = b[p++];
    const d = HEX_VALUE[c];
    if (d >= 0) {
      if (++ndigits > 4) return null;
      val = (val << 4) | d;
      sawXdigit = true;
      continue;
    }
    if (c === 58) {
      curtok = p;
      if (!sawXdigit) {
        if (colonp >= 0) return null;
        colonp = tp;
        continue;
      }
      if (p >= end) return null;
      if (tp >= 8) return null;
      out[tp++] = val;
      sawXdigit = false;
      val = 0;
      ndigits = 0;
      continue;
    }
    if (c === 46 && tp + 2 <= 8) {
      const v4 = parseDotted(b, curtok, end);
      if (v4 === null) return null;
      out[tp++] = v4 >>> 16;
      out[tp++] = v4 & 0xffff;
      sawXdigit = false;
      p = end;
      break;
    }
    return null;
  }
  if (sawXdigit) {
    if (tp >= 8) return null;
    out[tp++] = val;
  }
  if (colonp >= 0) {
    if (tp === 8) return null;
    const n = tp - colonp;
    for (let i = 1; i <= n; i++) {
      out[8 - i] = out[colonp + n - i];
      out[colonp + n - i] = 0;
    }
    tp = 8;
  }
  return tp === 8 ? out : null;
}

function parseDotted(b: Uint8Array, start: number, end: number): number | null {
  let p = start;
  let result = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0) {
      if (p >= end || b[p] !== 46) return null;
      p++;
    }
    const q = p;
    let v = 0;
    while (p < end) {
      const c = b[p];
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      p++;
    }
    if (p === q || v > 255 || (p - q > 1 && b[q] === 48)) return null;
    result = result * 256 + v;
  }
  return p === end ? result : null;
}

const V4_IN_V6 = ipv4FirstOctets('::');
const V4_MAPPED = ipv4FirstOctets('::ffff:');
/** `%x` and `%x:` by 16-bit value, filled on first use. */
const HEX_WORD: Array<string | undefined> = new Array<string | undefined>(65536).fill(undefined);
const HEX_WORD_COLON: Array<string | undefined> = new Array<string | undefined>(65536).fill(undefined);

/** inet_ntop(AF_INET6) as glibc writes it (longest zero run compressed, embedded IPv4 forms). */
export function ipv6Text(a: Ipv6Addr): string {
  // The longest run of two or more zero 16-bit words (the first of equals) becomes `::`.
  let bestBase = -1;
  let bestLen = 1;
  let curBase = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && a[i] === 0) {
      if (curBase === -1) curBase = i;
    } else if (curBase !== -1) {
      if (i - curBase > bestLen) {
        bestBase = curBase;
        bestLen = i - curBase;
      }
      curBase = -1;
    }
  }
  if (bestBase === 0 && (bestLen === 6 || (bestLen === 5 && a[5] === 0xffff))) {
    return formatIpv4With(bestLen === 6 ? V4_IN_V6 : V4_MAPPED, a[6] * 65536 + a[7]);
  }
  // Words before the run end with ':', words after it start with one.
  const runEnd = bestBase === -1 ? 8 : bestBase + bestLen;
  let out = '';
  for (let i = 0; i < (bestBase === -1 ? 8 : bestBase); i++) {
    const w = a[i];
    out += i === 7 ? (HEX_WORD[w] ??= w.toString(16)) : (HEX_WORD_COLON[w] ??= w.toString(16) + ':');
  }
  if (bestBase === -1) return out;
  out += bestBase === 0 ? '::' : ':';
  for (let i = runEnd; i < 8; i++) {
    const w = a[i];
    out += i === 7 ? (HEX_WORD[w] ??= w.toString(16)) : (HEX_WORD_COLON[w] ??= w.toString(16) + ':');
  }
  return out;
}

/** inet_ntop(AF_INET6) as glibc writes it, from an {@link Ipv6Addr} or from 16 bytes. */
export function formatIpv6(a: Ipv6Addr | Uint8Array): string {
  return ipv6Text(a instanceof Uint8Array ? ipv6FromBytes(a) : a);
}

/** An {@link Ipv6Addr} from its 16 bytes (network order). */
export function ipv6FromBytes(b: ArrayLike<number>): Ipv6Addr {
  const out = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) out[i] = (b[2 * i] << 8) | b[2 * i + 1];
  return out;
}

/** The 16 bytes (network order) of an {@link Ipv6Addr}. */
export function ipv6ToBytes(a: Ipv6Addr): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = a[i] >>> 8;
    out[2 * i + 1] = a[i] & 255;
  }
  return out;
}

/** True when every word is 0xffff (an exact IPv6 mask). */
export function isIpv6AllOnes(a: Ipv6Addr): boolean {
  for (let i = 0; i < 8; i++) if (a[i] !== 0xffff) return false;
  return true;
}

/** True when every word is 0 (a wildcard IPv6 mask, or `::`). */
export function isIpv6AllZeros(a: Ipv6Addr): boolean {
  for (let i = 0; i < 8; i++) if (a[i] !== 0) return false;
  return true;
}

/** A fresh all-ones IPv6 mask (ffff:...:ffff). */
export function ipv6AllOnes(): number[] {
  return [0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff];
}
