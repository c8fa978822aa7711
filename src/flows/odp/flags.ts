/**
 * Flag sets in ODP text: TCP flags (`tcp_flags(...)`, `flags:S.` in stats), conntrack state
 * (`ct_state(...)`) and tunnel flags (`tunnel(...,flags(...))`), read and written as OVS's
 * parse_flags/format_flags/format_flags_masked do.
 */
import type { Reader } from './reader';
import { hex0x } from './numfmt';

/** Bit -> name tables, lowest bit first. */
export type FlagNames = ReadonlyArray<readonly [number, string]>;

export const TCP_FLAG_NAMES: FlagNames = [
  [0x001, 'fin'], [0x002, 'syn'], [0x004, 'rst'], [0x008, 'psh'], [0x010, 'ack'], [0x020, 'urg'],
  [0x040, 'ece'], [0x080, 'cwr'], [0x100, 'ns'], [0x200, '[200]'], [0x400, '[400]'], [0x800, '[800]'],
];

export const CT_STATE_NAMES: FlagNames = [
  [0x01, 'new'], [0x02, 'est'], [0x04, 'rel'], [0x08, 'rpl'], [0x10, 'inv'], [0x20, 'trk'], [0x40, 'snat'], [0x80, 'dnat'],
];

export const TUN_FLAG_NAMES: FlagNames = [[0x1, 'oam'], [0x2, 'df'], [0x4, 'csum'], [0x8, 'key']];

function nameOf(names: FlagNames, bit: number): string | undefined {
  for (const [b, n] of names) if (b === bit) return n;
  return undefined;
}

function bitOf(names: FlagNames, name: string): number {
  for (const [b, n] of names) if (n === name) return b;
  return 0;
}

/** format_flags(): `syn|ack`, `0` for none, unknown bits as one trailing `0x..`. */
export function formatFlags(names: FlagNames, flags: number, del: string): string {
  if (flags === 0) return '0';
  let out = '';
  let bad = 0;
  let f = flags >>> 0;
  while (f !== 0) {
    const bit = f & -f;
    const n = nameOf(names, bit >>> 0);
    if (n !== undefined) out += (out === '' ? '' : del) + n;
    else bad |= bit;
    f = (f & ~bit) >>> 0;
  }
  if (bad !== 0) out += (out === '' ? '' : del) + hex0x(bad >>> 0);
  return out;
}

/** format_flags_masked(): full mask as {@link formatFlags}, `0/0`, else `+syn-ack` (lowest bit first). */
export function formatFlagsMasked(names: FlagNames, flags: number, mask: number, maxMask: number): string {
  if (mask === maxMask) return formatFlags(names, flags, '|');
  if (mask === 0) return '0/0';
  let out = '';
  let m = mask >>> 0;
  while (m !== 0) {
    const bit = (m & -m) >>> 0;
    out += (flags & bit ? '+' : '-') + (nameOf(names, bit) ?? '[Unknown]');
    m = (m & ~bit) >>> 0;
  }
  return out;
}

/**
 * parse_flags() up to (not including) `end`: `V/M` numbers, `+a-b` (masked), or `a|b|0x..`
 * (exact; the mask is then `exactMask`). Bits outside `allowed` are an error.
 */
export function readFlags(r: Reader, names: FlagNames, allowed: number, exactMask: number, what: string): { value: number; mask: number } {
  const start = r.pos;
  const c0 = r.peek();
  if (c0 >= 48 && c0 <= 57) {
    // A number: either V/M or the first of a `|` list.
    const v = r.uint(32, what);
    if (r.eat(47 /* / */)) {
      const m = r.uint(32, what, true);
      if ((v & ~allowed) !== 0 || (m & ~allowed) !== 0) r.fail(`unknown ${what} flag(s)`, start);
      return { value: v, mask: m };
    }
    r.pos = start;
  }
  if (c0 === 43 || c0 === 45) {
    let value = 0;
    let mask = 0;
    while (r.peek() === 43 || r.peek() === 45) {
      const set = r.peek() === 43;
      r.pos++;
      const nameStart = r.pos;
      const name = flagToken(r, true);
      const bit = bitOf(names, name);
      if (bit === 0 || (bit & allowed) === 0) r.fail(`unknown ${what} flag "${name}"`, nameStart);
      if (mask & bit) r.fail(`${what} flag "${name}" given twice`, nameStart);
      if (set) value |= bit;
      mask |= bit;
    }
    return { value: value >>> 0, mask: mask >>> 0 };
  }
  let value = 0;
  for (;;) {
    const tokStart = r.pos;
    const c = r.peek();
    if (c >= 48 && c <= 57) {
      const v = r.uint(32, what);
      if ((v & ~allowed) !== 0) r.fail(`unknown ${what} flag(s)`, tokStart);
      value |= v;
    } else {
      const name = flagToken(r, false);
      const bit = bitOf(names, name);
      if (bit === 0 || (bit & allowed) === 0) r.fail(name === '' ? `expected ${what} flags` : `unknown ${what} flag "${name}"`, tokStart);
      value |= bit;
    }
    if (!r.eat(124 /* | */)) break;
  }
  return { value: value >>> 0, mask: exactMask };
}

/** A flag name: up to `+`, `-` (masked form), `|`, `)`, `,` or the end. */
function flagToken(r: Reader, masked: boolean): string {
  const start = r.pos;
  let p = start;
  while (p < r.end) {
    const c = r.b[p];
    if (c === 41 || c === 44 || c === 124 || (masked && (c === 43 || c === 45))) break;
    p++;
  }
  r.pos = p;
  return r.s.slice(start, p);
}

const STATS_LETTERS: ReadonlyArray<readonly [number, string]> = [
  [0x002, 'S'], [0x001, 'F'], [0x008, 'P'], [0x004, 'R'], [0x020, 'U'], [0x010, '.'], [0x040, 'E'], [0x080, 'C'], [0x100, 'N'],
  [0x200, '[200]'], [0x400, '[400]'], [0x800, '[800]'],
];

/** packet_format_tcp_flags(): `S.` style letters, `none` for 0. */
export function formatStatsTcpFlags(flags: number): string {
  if (flags === 0) return 'none';
  let out = '';
  for (const [bit, letter] of STATS_LETTERS) if (flags & bit) out += letter;
  return out;
}

/** The bit of each letter of {@link STATS_LETTERS} (the one-character ones), by char code. */
const STATS_LETTER_BIT = new Uint16Array(128);
for (const [bit, letter] of STATS_LETTERS) if (letter.length === 1) STATS_LETTER_BIT[letter.charCodeAt(0)] = bit;

/** Reads the letters of `flags:` in a stats section (up to `,` or the end). */
export function readStatsTcpFlags(r: Reader): number {
  if (r.eatText('none')) return 0;
  let flags = 0;
  const start = r.pos;
  while (r.pos < r.end) {
    const c = r.b[r.pos];
    if (c === 44 || c === 32) break;
    const bit = c < 128 ? STATS_LETTER_BIT[c] : 0;
    if (bit !== 0) {
      flags |= bit;
      r.pos++;
    } else if (r.eatText('[200]')) flags |= 0x200;
    else if (r.eatText('[400]')) flags |= 0x400;
    else if (r.eatText('[800]')) flags |= 0x800;
    else r.fail('unknown TCP flag letter in "flags:"');
  }
  if (r.pos === start) r.fail('expected TCP flag letters after "flags:"');
  return flags;
}
