/**
 * Literal texts compared with the text at a {@link Reader}'s cursor a word at a time instead of
 * byte by byte: {@link literal} and {@link atLiteral}/{@link eatLiteral} for short texts (up to 12
 * bytes), {@link doublesOf} for the longer ones of Reader.atBytes. The comparisons read whole
 * words past the cursor, which the Reader's zero sentinels make safe; the length check decides.
 */
import type { Reader } from './reader';

/** The whole little-endian 32-bit words of `bytes` (its last `length % 4` bytes are left out), for {@link literal}. */
export function wordsOf(bytes: Uint8Array): Int32Array {
  const words = new Int32Array(bytes.length >>> 2);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words.length; i++) words[i] = v.getInt32(4 * i, true);
  return words;
}

/**
 * A literal text of 1 to 12 bytes for {@link eatLiteral}: its length and its bytes as three
 * little-endian words, with masks that keep only the literal's bytes.
 */
export interface Literal {
  len: number;
  w0: number;
  m0: number;
  w1: number;
  m1: number;
  w2: number;
  m2: number;
}

export function literal(text: string): Literal {
  if (text.length < 1 || text.length > 12) throw new Error(`literal of ${text.length} bytes`);
  const bytes = new Uint8Array(12);
  const mask = new Uint8Array(12);
  for (let i = 0; i < text.length; i++) {
    bytes[i] = text.charCodeAt(i);
    mask[i] = 0xff;
  }
  const [w0, w1, w2] = wordsOf(bytes);
  const [m0, m1, m2] = wordsOf(mask);
  return { len: text.length, w0, m0, w1, m1, w2, m2 };
}

/**
 * True when `l` comes next (not consumed). Reads whole words from the cursor: past the end of
 * the text these are the Reader's zero sentinels or other text, and the length check decides.
 */
export function atLiteral(r: Reader, l: Literal): boolean {
  const p = r.pos;
  const len = l.len;
  if (p + len > r.end) return false;
  const v = r.v;
  if ((v.getInt32(p, true) & l.m0) !== l.w0) return false;
  if (len <= 4) return true;
  if ((v.getInt32(p + 4, true) & l.m1) !== l.w1) return false;
  return len <= 8 || (v.getInt32(p + 8, true) & l.m2) === l.w2;
}

/** Consumes `l` if it comes next. */
export function eatLiteral(r: Reader, l: Literal): boolean {
  if (!atLiteral(r, l)) return false;
  r.pos += l.len;
  return true;
}

/**
 * The whole 8-byte groups of `bytes` (its last `length % 8` bytes are left out) as little-endian
 * 64-bit floats, for {@link Reader.atBytes}. `bytes` must be ASCII without NUL: then no group is
 * a NaN or a zero, and two groups of bytes are equal exactly when their floats are.
 */
export function doublesOf(bytes: Uint8Array): Float64Array {
  for (const c of bytes) if (c === 0 || c >= 0x80) throw new Error('doublesOf takes ASCII text without NUL');
  const doubles = new Float64Array(bytes.length >>> 3);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < doubles.length; i++) doubles[i] = v.getFloat64(8 * i, true);
  return doubles;
}
