/**
 * Addresses in ODP text: IPv4 (dotted quad), IPv6 (as glibc's inet_pton reads and inet_ntop
 * writes it), Ethernet (`xx:xx:xx:xx:xx:xx`). Readers take a {@link Reader}; writers return strings.
 */
import { described, HEX_VALUE, hexDigit, type Reader } from './reader';
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

/** `a.b.c.d` for an unsigned 32-bit number, after the prefix of `firstOctets` ({@link ipv4FirstOctets}). */
export function formatIpv4With(firstOctets: readonly string[], v: number): string {
  return firstOctets[(v >>> 24) & 255] + DOT[(v >>> 16) & 255] + DOT[(v >>> 8) & 255] + DEC8[v & 255];
}

/** `a.b.c.d` for an unsigned 32-bit number. */
export function formatIpv4(v: number): string {
  return formatIpv4With(DOT, v);
}

/** Reads `xx:xx:xx:xx:xx:xx` (1 or 2 hex digits per byte). */
export function readMac(r: Reader, what: string, mask = false): MacAddr {
  const start = r.pos;
  const b = r.b;
  const end = r.end;
  let p = start;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    if (i > 0) {
      if (p >= end || b[p] !== 58) r.fail(`expected an Ethernet address for ${described(what, mask)}`, start);
      p++;
    }
    const d1 = p < end ? HEX_VALUE[b[p]] : -1;
    if (d1 < 0) r.fail(`expected an Ethernet address for ${described(what, mask)}`, start);
    p++;
    const d2 = p < end ? HEX_VALUE[b[p]] : -1;
    if (d2 >= 0) {
      out[i] = d1 * 16 + d2;
      p++;
    } else out[i] = d1;
  }
  r.pos = p;
  return out;
}

/** The 256 texts `prefix` + `xx:` for each first byte, for {@link formatMacWith} (as {@link ipv4FirstOctets}). */
export function macFirstBytes(prefix: string): readonly string[] {
  return HEX2.map((h) => prefix + h + ':');
}

const HEX2_COLON = macFirstBytes('');

/** `xx:xx:xx:xx:xx:xx` after the prefix of `firstBytes` ({@link macFirstBytes}). */
export function formatMacWith(firstBytes: readonly string[], m: MacAddr): string {
  return firstBytes[m[0]] + HEX2_COLON[m[1]] + HEX2_COLON[m[2]] + HEX2_COLON[m[3]] + HEX2_COLON[m[4]] + HEX2[m[5]];
}

/** `xx:xx:xx:xx:xx:xx`. */
export function formatMac(m: MacAddr): string {
  return formatMacWith(HEX2_COLON, m);
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
  const out = new Uint8Array(16);
  let p = start;
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
    const d = hexDigit(c);
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
      if (tp + 2 > 16) return null;
      out[tp++] = (val >> 8) & 0xff;
      out[tp++] = val & 0xff;
      sawXdigit = false;
      val = 0;
      ndigits = 0;
      continue;
    }
    if (c === 46 && tp + 4 <= 16) {
      const v4 = parseDotted(b, curtok, end);
      if (v4 === null) return null;
      out[tp++] = (v4 >>> 24) & 255;
      out[tp++] = (v4 >>> 16) & 255;
      out[tp++] = (v4 >>> 8) & 255;
      out[tp++] = v4 & 255;
      sawXdigit = false;
      p = end;
      break;
    }
    return null;
  }
  if (sawXdigit) {
    if (tp + 2 > 16) return null;
    out[tp++] = (val >> 8) & 0xff;
    out[tp++] = val & 0xff;
  }
  if (colonp >= 0) {
    if (tp === 16) return null;
    const n = tp - colonp;
    for (let i = 1; i <= n; i++) {
      out[16 - i] = out[colonp + n - i];
      out[colonp + n - i] = 0;
    }
    tp = 16;
  }
  return tp === 16 ? out : null;
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
const HEX_WORD: string[] = [];
const HEX_WORD_COLON: string[] = [];

/** inet_ntop(AF_INET6) as glibc writes it (longest zero run compressed, embedded IPv4 forms). */
export function formatIpv6(a: Ipv6Addr): string {
  // The longest run of two or more zero 16-bit words (the first of equals) becomes `::`.
  let bestBase = -1;
  let bestLen = 1;
  let curBase = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && a[2 * i] === 0 && a[2 * i + 1] === 0) {
      if (curBase === -1) curBase = i;
    } else if (curBase !== -1) {
      if (i - curBase > bestLen) {
        bestBase = curBase;
        bestLen = i - curBase;
      }
      curBase = -1;
    }
  }
  if (bestBase === 0 && (bestLen === 6 || (bestLen === 5 && a[10] === 0xff && a[11] === 0xff))) {
    return formatIpv4With(bestLen === 6 ? V4_IN_V6 : V4_MAPPED, ((a[12] << 24) | (a[13] << 16) | (a[14] << 8) | a[15]) >>> 0);
  }
  // Words before the run end with ':', words after it start with one.
  const runEnd = bestBase === -1 ? 8 : bestBase + bestLen;
  let out = '';
  for (let i = 0; i < (bestBase === -1 ? 8 : bestBase); i++) {
    const w = (a[2 * i] << 8) | a[2 * i + 1];
    out += i === 7 ? (HEX_WORD[w] ??= w.toString(16)) : (HEX_WORD_COLON[w] ??= w.toString(16) + ':');
  }
  if (bestBase === -1) return out;
  out += bestBase === 0 ? '::' : ':';
  for (let i = runEnd; i < 8; i++) {
    const w = (a[2 * i] << 8) | a[2 * i + 1];
    out += i === 7 ? (HEX_WORD[w] ??= w.toString(16)) : (HEX_WORD_COLON[w] ??= w.toString(16) + ':');
  }
  return out;
}

/** True when every byte is 0xff. */
export function isAllOnes(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0xff) return false;
  return true;
}

/** True when every byte is 0. */
export function isAllZeros(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** A fresh all-ones mask of `n` bytes. */
export function onesBytes(n: number): Uint8Array {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = 0xff;
  return a;
}
