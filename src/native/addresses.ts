/**
 * Parsing of MAC, IPv4 and IPv6 address text into network-order bytes, for the rule encoder.
 * Each parser returns undefined for text that is not an address of its kind (never throws).
 */

const HEX = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[65 + i] = 10 + i;
    t[97 + i] = 10 + i;
  }
  return t;
})();

function hexDigit(code: number): number {
  return code < 128 ? HEX[code] : -1;
}

/** "00:11:22:33:44:55" (or with '-') -> 6 bytes. */
export function parseMac(text: string): Uint8Array | undefined {
  if (text.length !== 17) return undefined;
  const out = new Uint8Array(6);
  const sep = text.charCodeAt(2);
  if (sep !== 58 && sep !== 45) return undefined;
  for (let i = 0; i < 6; i++) {
    const p = i * 3;
    const hi = hexDigit(text.charCodeAt(p));
    const lo = hexDigit(text.charCodeAt(p + 1));
    if (hi < 0 || lo < 0 || (i < 5 && text.charCodeAt(p + 2) !== sep)) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Dotted quad -> 4 bytes, or writes into out[at..at+3] when `out` is given. Leading zeros are refused. */
export function parseIpv4(text: string, out: Uint8Array = new Uint8Array(4), at = 0): Uint8Array | undefined {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return undefined; // leading zero
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || part > 3) return undefined;
      out[at + part++] = value;
      value = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return part === 4 ? out : undefined;
}

/** RFC 4291 text (with "::" and an embedded dotted quad) -> 16 bytes. */
export function parseIpv6(text: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string, allowV4: boolean): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (allowV4 && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return undefined;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (g.length === 0 || g.length > 4) return undefined;
      let w = 0;
      for (let k = 0; k < g.length; k++) {
        const d = hexDigit(g.charCodeAt(k));
        if (d < 0) return undefined;
        w = (w << 4) | d;
      }
      words.push(w);
    }
    return words;
  };
  const head = parseGroups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1], true) : [];
  if (!head || !tail) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i] >> 8;
    out[2 * i + 1] = words[i] & 0xff;
  }
  return out;
}
