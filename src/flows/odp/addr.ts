/**
 * Addresses in ODP text: IPv4 (dotted quad), IPv6 (as glibc's inet_pton reads and inet_ntop
 * writes it), Ethernet (`xx:xx:xx:xx:xx:xx`). Readers take a {@link Reader}; writers return strings.
 */
import { hexDigit, type Reader } from './reader';
import { HEX2 } from './numfmt';
import type { Ipv6Addr, MacAddr } from './model';

const DEC: string[] = Array.from({ length: 256 }, (_, i) => String(i));

/** Reads `a.b.c.d` into an unsigned 32-bit number. */
export function readIpv4(r: Reader, what: string): number {
  const start = r.pos;
  const s = r.s;
  let p = start;
  let result = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0) {
      if (s.charCodeAt(p) !== 46 || p >= r.end) r.fail(`expected an IPv4 address for ${what}`, start);
      p++;
    }
    const q = p;
    let v = 0;
    while (p < r.end) {
      const c = s.charCodeAt(p);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      p++;
    }
    if (p === q || p - q > 3 || v > 255) r.fail(`expected an IPv4 address for ${what}`, start);
    result = result * 256 + v;
  }
  r.pos = p;
  return result;
}

/** `a.b.c.d` for an unsigned 32-bit number. */
export function formatIpv4(v: number): string {
  return DEC[(v >>> 24) & 255] + '.' + DEC[(v >>> 16) & 255] + '.' + DEC[(v >>> 8) & 255] + '.' + DEC[v & 255];
}

/** Reads `xx:xx:xx:xx:xx:xx` (1 or 2 hex digits per byte). */
export function readMac(r: Reader, what: string): MacAddr {
  const start = r.pos;
  const s = r.s;
  let p = start;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    if (i > 0) {
      if (s.charCodeAt(p) !== 58 || p >= r.end) r.fail(`expected an Ethernet address for ${what}`, start);
      p++;
    }
    const c1 = s.charCodeAt(p);
    const d1 = p >= r.end ? -1 : c1 >= 48 && c1 <= 57 ? c1 - 48 : c1 >= 97 && c1 <= 102 ? c1 - 87 : hexDigit(c1);
    if (d1 < 0) r.fail(`expected an Ethernet address for ${what}`, start);
    p++;
    const c2 = s.charCodeAt(p);
    const d2 = p >= r.end ? -1 : c2 >= 48 && c2 <= 57 ? c2 - 48 : c2 >= 97 && c2 <= 102 ? c2 - 87 : hexDigit(c2);
    if (d2 >= 0) {
      out[i] = d1 * 16 + d2;
      p++;
    } else out[i] = d1;
  }
  r.pos = p;
  return out;
}

export function formatMac(m: MacAddr): string {
  return HEX2[m[0]] + ':' + HEX2[m[1]] + ':' + HEX2[m[2]] + ':' + HEX2[m[3]] + ':' + HEX2[m[4]] + ':' + HEX2[m[5]];
}

function isV6Char(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46;
}

/** Reads an IPv6 address as inet_pton(AF_INET6) accepts it (with an optional trailing dotted IPv4). */
export function readIpv6(r: Reader, what: string): Ipv6Addr {
  const start = r.pos;
  const s = r.s;
  let end = start;
  while (end < r.end && end - start < 46 && isV6Char(s.charCodeAt(end))) end++;
  const out = parseIpv6(s, start, end);
  if (!out) r.fail(`expected an IPv6 address for ${what}`, start);
  r.pos = end;
  return out;
}

/** inet_pton for s[start, end); null when invalid. */
export function parseIpv6(s: string, start: number, end: number): Ipv6Addr | null {
  const out = new Uint8Array(16);
  let p = start;
  let tp = 0;
  let colonp = -1;
  if (p < end && s.charCodeAt(p) === 58) {
    if (p + 1 >= end || s.charCodeAt(p + 1) !== 58) return null;
    p++;
  }
  let curtok = p;
  let sawXdigit = false;
  let val = 0;
  let ndigits = 0;
  while (p < end) {
    const c = s.charCodeAt(p++);
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
      const v4 = parseDotted(s, curtok, end);
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

function parseDotted(s: string, start: number, end: number): number | null {
  let p = start;
  let result = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0) {
      if (p >= end || s.charCodeAt(p) !== 46) return null;
      p++;
    }
    const q = p;
    let v = 0;
    while (p < end) {
      const c = s.charCodeAt(p);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      p++;
    }
    if (p === q || v > 255 || (p - q > 1 && s.charCodeAt(q) === 48)) return null;
    result = result * 256 + v;
  }
  return p === end ? result : null;
}

const HEXW: string[] = [];
function hexWord(w: number): string {
  if (w < 4096) return (HEXW[w] ??= w.toString(16));
  return w.toString(16);
}

/** inet_ntop(AF_INET6) as glibc writes it (longest zero run compressed, embedded IPv4 forms). */
export function formatIpv6(a: Ipv6Addr): string {
  const w0 = (a[0] << 8) | a[1];
  const w1 = (a[2] << 8) | a[3];
  const w2 = (a[4] << 8) | a[5];
  const w3 = (a[6] << 8) | a[7];
  const w4 = (a[8] << 8) | a[9];
  const w5 = (a[10] << 8) | a[11];
  const w6 = (a[12] << 8) | a[13];
  const w7 = (a[14] << 8) | a[15];
  const words = [w0, w1, w2, w3, w4, w5, w6, w7];
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += DEC[a[12]] + '.' + DEC[a[13]] + '.' + DEC[a[14]] + '.' + DEC[a[15]];
      return out;
    }
    out += hexWord(words[i]);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
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
