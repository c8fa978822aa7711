/**
 * A hand-written cursor over ODP text: the primitives every ODP parser here is built from.
 *
 * It never backtracks more than a token, never uses regular expressions and never builds strings
 * character by character: tokens are taken with `slice` and numbers are accumulated from codes.
 * Every failure throws {@link OdpParseError} with the position and the token found there.
 *
 * Speed: the text is scanned as bytes ({@link Reader.b}), not with `charCodeAt`, which costs
 * several times more per character in V8. Position i of the bytes is UTF-16 unit i of the text,
 * so offsets, slices and error positions are those of the string.
 */
import { OdpParseError } from './errors';

/** The byte that stands for any non-ASCII UTF-16 unit: no ODP syntax uses it, as none uses those. */
export const NON_ASCII = 0x80;
/** Zero bytes written after the text, so that a look-ahead of a few bytes past the end reads 0. */
const SENTINELS = 4;

const encoder = new TextEncoder();
/** The bytes of the last Reader made (see {@link Reader.b}), for texts up to its size. */
let scratch = new Uint8Array(4096);
/** A view of {@link scratch}, to compare several bytes at a time ({@link Reader.atBytes}, atLiteral of literals.ts). */
let scratchView = new DataView(scratch.buffer);
/** Texts longer than this get bytes of their own, so that one huge text does not stay in memory. */
const SCRATCH_MAX = 1 << 16;

/**
 * The text's UTF-16 units as bytes: ASCII as itself, anything else as {@link NON_ASCII}, then
 * zeros. All-ASCII text (the normal case) is copied natively by TextEncoder.
 */
function unitsAsBytes(s: string): Uint8Array {
  const n = s.length;
  if (scratch.length < n + SENTINELS && n + SENTINELS <= SCRATCH_MAX) {
    scratch = new Uint8Array(SCRATCH_MAX);
    scratchView = new DataView(scratch.buffer);
  }
  const b = scratch.length >= n + SENTINELS ? scratch : new Uint8Array(n + SENTINELS);
  const done = encoder.encodeInto(s, b);
  if (done.read !== n || done.written !== n) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      b[i] = c < 0x80 ? c : NON_ASCII;
    }
  }
  for (let i = n; i < n + SENTINELS; i++) b[i] = 0;
  return b;
}

const C_0 = 48;
const C_9 = 57;
const C_A = 65;
const C_F = 70;
const C_a = 97;
const C_f = 102;
const C_x = 120;
const C_X = 88;

/** Characters that end a token in an error message. */
function isTokenEnd(c: number): boolean {
  return c === 44 /* , */ || c === 40 /* ( */ || c === 41 /* ) */ || c === 32 || c === 9 || c === 10 || c === 13;
}

/** Per byte: its hex digit value, or -1. */
export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 256; c++) {
  if (c >= C_0 && c <= C_9) HEX_VALUE[c] = c - C_0;
  else if (c >= C_a && c <= C_f) HEX_VALUE[c] = c - C_a + 10;
  else if (c >= C_A && c <= C_F) HEX_VALUE[c] = c - C_A + 10;
}

/** Value of a hex digit char code, or -1. */
export function hexDigit(c: number): number {
  return c >= 0 && c < 256 ? HEX_VALUE[c] : -1;
}

/** {@link NAME_DIGIT} of an uppercase letter: allowed in words, but not in a name code. */
const UPPER = 39;
/** Per byte: its base-39 digit in a name code (1 to 38 for `[a-z0-9_-]`), {@link UPPER} for `[A-Z]`, 0 for others. */
const NAME_DIGIT = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (c >= C_a && c <= 122) NAME_DIGIT[c] = c - 86;
  else if (c >= C_0 && c <= C_9) NAME_DIGIT[c] = c - 47;
  else if (c === 95) NAME_DIGIT[c] = 37;
  else if (c === 45) NAME_DIGIT[c] = 38;
  else if (c >= C_A && c <= 90) NAME_DIGIT[c] = UPPER;
}

/**
 * An exact numeric code for a name of 1 to 10 characters from `[a-z0-9_-]` (base 39 digits), so
 * that parsers can `switch` on numbers instead of comparing strings. -1 for anything else.
 */
export function nameCode(name: string): number {
  const r = new Reader(name);
  const h = r.code();
  return r.pos === name.length ? h : -1;
}

/**
 * What a value is, for an error message: `what`, or `what mask` for its mask. Readers take the
 * two apart and join them only when they fail, so that reading a mask builds no string.
 */
export function described(what: string, mask: boolean): string {
  return mask ? what + ' mask' : what;
}

/** Bit widths accepted by {@link Reader.uint}. */
export type UintBits = 8 | 16 | 32;

/** The largest value of `bits` bits. */
export function maxOf(bits: UintBits): number {
  return bits === 32 ? 0xffffffff : bits === 16 ? 0xffff : 0xff;
}

/**
 * A cursor over `s` from `pos` to `end`.
 *
 * Readers of texts up to 64 KiB share one byte buffer: making a Reader invalidates the bytes of
 * the one made before. Parsing is synchronous and each entry point (parseFlow, parseMatch, ...)
 * makes one Reader and is done with it before it returns, so this never shows; do not keep a
 * Reader.
 */
export class Reader {
  pos: number;
  /** Nesting depth of parentheses being parsed (bounded to stop runaway recursion). */
  depth = 0;
  /**
   * `s` as bytes (ASCII as itself, other units as {@link NON_ASCII}) followed by zeros: read
   * `b[i]` where a string parser would read `s.charCodeAt(i)`; past the end it gives 0.
   */
  readonly b: Uint8Array;
  /** A view of {@link b}'s bytes (little-endian words and floats for {@link atBytes} and atLiteral of literals.ts). */
  readonly v: DataView;

  constructor(
    readonly s: string,
    pos = 0,
    readonly end = s.length,
  ) {
    this.pos = pos;
    const b = unitsAsBytes(s);
    this.b = b;
    this.v = b === scratch ? scratchView : new DataView(b.buffer);
  }

  /** Throws an {@link OdpParseError} at `at` (default: the current position). */
  fail(reason: string, at = this.pos): never {
    let e = at;
    while (e < this.end && e - at < 40 && !isTokenEnd(this.b[e])) e++;
    if (e === at && at < this.end) e = at + 1;
    throw new OdpParseError(reason, at, this.s.slice(at, e), this.s);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The char code at the cursor, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.b[this.pos] : -1;
  }

  /** Consumes `c` if it is next; returns whether it did. */
  eat(c: number): boolean {
    if (this.pos < this.end && this.b[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Consumes `c` or fails with `expected "c"`. */
  expect(c: number): void {
    if (this.pos < this.end && this.b[this.pos] === c) this.pos++;
    else this.fail(`expected "${String.fromCharCode(c)}"`);
  }

  /**
   * True when `bytes` come next (not consumed); `doubles` are the same bytes as little-endian
   * 64-bit floats (doublesOf of literals.ts), compared first, eight bytes at a time.
   */
  atBytes(bytes: Uint8Array, doubles: Float64Array): boolean {
    const n = bytes.length;
    const p = this.pos;
    if (p + n > this.end) return false;
    const v = this.v;
    const nd = doubles.length;
    for (let i = 0; i < nd; i++) if (v.getFloat64(p + 8 * i, true) !== doubles[i]) return false;
    const b = this.b;
    for (let i = 8 * nd; i < n; i++) if (b[p + i] !== bytes[i]) return false;
    return true;
  }

  /** True when the text from `start` to `end` is `text`. */
  isText(start: number, end: number, text: string): boolean {
    if (end - start !== text.length) return false;
    const b = this.b;
    for (let i = 0; i < text.length; i++) if (b[start + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /** Like {@link isText}, ignoring the case of ASCII letters (`text` is lowercase). */
  isTextIgnoringCase(start: number, end: number, text: string): boolean {
    if (end - start !== text.length) return false;
    const b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = b[start + i];
      if ((c >= C_A && c <= 90 ? c | 32 : c) !== text.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Consumes `text` if it comes next; returns whether it did. */
  eatText(text: string): boolean {
    const n = text.length;
    const p = this.pos;
    if (p + n > this.end) return false;
    const b = this.b;
    for (let i = 0; i < n; i++) if (b[p + i] !== text.charCodeAt(i)) return false;
    this.pos = p + n;
    return true;
  }

  expectText(text: string): void {
    if (!this.eatText(text)) this.fail(`expected "${text}"`);
  }

  /** Skips spaces and tabs. */
  skipSpaces(): void {
    while (this.pos < this.end) {
      const c = this.b[this.pos];
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  /**
   * Skips the separators between list elements: commas and white space. Returns whether any white
   * space was among them (a `word:` section label may only follow white space).
   */
  skipSeparators(): boolean {
    let blank = false;
    while (this.pos < this.end) {
      const c = this.b[this.pos];
      if (c === 44) this.pos++;
      else if (c === 32 || c === 9 || c === 10 || c === 13) {
        this.pos++;
        blank = true;
      } else break;
    }
    return blank;
  }

  /** Reads `[A-Za-z0-9_-]*` (an attribute, action or field name); may be empty. */
  word(): string {
    const start = this.pos;
    let p = start;
    while (p < this.end && NAME_DIGIT[this.b[p]] !== 0) p++;
    this.pos = p;
    return this.s.slice(start, p);
  }

  /** Skips `[A-Za-z0-9_-]*` like {@link word}, without taking the text. */
  skipWord(): void {
    let p = this.pos;
    while (p < this.end && NAME_DIGIT[this.b[p]] !== 0) p++;
    this.pos = p;
  }

  /** Start of the last word read by {@link code}, for {@link lastWord}. */
  wordStart = 0;

  /**
   * Reads `[a-z0-9_-]*` like {@link word} without allocating and returns its {@link nameCode}
   * (-1 when it is longer than 10 characters or has other letters; then use {@link lastWord}).
   */
  code(): number {
    const b = this.b;
    const end = this.end;
    const start = this.pos;
    let p = start;
    let h = 0;
    let ok = true;
    while (p < end) {
      const d = NAME_DIGIT[b[p]];
      if (d === 0) break;
      if (d === UPPER) ok = false;
      h = h * 39 + d;
      p++;
    }
    this.wordStart = start;
    this.pos = p;
    return ok && p - start <= 10 ? h : -1;
  }

  /** The text of the last word read by {@link code}. */
  lastWord(): string {
    return this.s.slice(this.wordStart, this.pos);
  }

  /** Like {@link code} for a field: reads `name=` and returns the name's code. */
  fieldCode(): number {
    const h = this.code();
    if (!this.eat(61 /* = */)) {
      const name = this.lastWord();
      this.fail(name === '' ? 'expected a field name' : `expected "=" after "${name}"`, this.wordStart);
    }
    return h;
  }

  /** Reads a field name up to and including `=`; fails if there is none. */
  fieldName(): string {
    const start = this.pos;
    const name = this.word();
    if (!this.eat(61 /* = */)) this.fail(name === '' ? 'expected a field name' : `expected "=" after "${name}"`, start);
    return name;
  }

  /**
   * Reads an unsigned integer as C's `%i` does (`0x` hex, leading `0` octal, else decimal) and
   * checks it fits in `bits`.
   */
  uint(bits: UintBits, what: string, mask = false): number {
    const b = this.b;
    const end = this.end;
    const start = this.pos;
    let p = start;
    let v = 0;
    const c0 = p < end ? b[p] : -1;
    if (c0 > C_0 && c0 <= C_9) {
      // Decimal, the common case.
      for (; p < end; p++) {
        const c = b[p];
        if (c < C_0 || c > C_9) break;
        v = v * 10 + (c - C_0);
      }
    } else if (c0 === C_0 && p + 1 < end && (b[p + 1] | 32) === C_x) {
      p += 2;
      for (; p < end; p++) {
        const d = HEX_VALUE[b[p]];
        if (d < 0) break;
        v = v * 16 + d;
      }
      if (p === start + 2) this.fail(`expected hex digits for ${described(what, mask)}`, start);
    } else if (c0 === C_0) {
      // Octal (a lone 0 is zero).
      for (p++; p < end; p++) {
        const c = b[p];
        if (c < C_0 || c > 55) break;
        v = v * 8 + (c - C_0);
      }
    } else this.fail(`expected a number for ${described(what, mask)}`, start);
    if (v > maxOf(bits)) this.fail(`${described(what, mask)} does not fit in ${bits} bits`, start);
    this.pos = p;
    return v;
  }

  /** Reads a decimal unsigned integer (at most 2^53 - 1). */
  decimal(what: string): number {
    const start = this.pos;
    let p = start;
    let v = 0;
    for (; p < this.end; p++) {
      const c = this.b[p];
      if (c < C_0 || c > C_9) break;
      v = v * 10 + (c - C_0);
    }
    if (p === start) this.fail(`expected a number for ${what}`);
    if (!Number.isSafeInteger(v)) this.fail(`${what} is too large`, start);
    this.pos = p;
    return v;
  }

  /** Reads hex digits without a prefix (as after a literal `0x` in a format). */
  hexDigits(what: string, maxBits: UintBits): number {
    const start = this.pos;
    let p = start;
    let v = 0;
    for (; p < this.end; p++) {
      const d = hexDigit(this.b[p]);
      if (d < 0) break;
      v = v * 16 + d;
    }
    if (p === start) this.fail(`expected hex digits for ${what}`);
    if (v > maxOf(maxBits)) this.fail(`${what} does not fit in ${maxBits} bits`, start);
    this.pos = p;
    return v;
  }

  /** Reads a `%i`-style unsigned integer of up to `bits` (64 or 128) bits as a bigint. */
  bigUint(bits: 64 | 128, what: string, mask = false): bigint {
    const start = this.pos;
    const s = this.s;
    const b = this.b;
    let p = start;
    let v: bigint;
    if (b[p] === C_0 && (b[p + 1] === C_x || b[p + 1] === C_X) && p + 1 < this.end) {
      p += 2;
      const q = p;
      while (p < this.end && hexDigit(b[p]) >= 0) p++;
      if (p === q) this.fail(`expected hex digits for ${described(what, mask)}`, start);
      v = BigInt('0x' + s.slice(q, p));
    } else if (b[p] === C_0 && p < this.end) {
      p++;
      const q = p;
      while (p < this.end && b[p] >= C_0 && b[p] <= 55) p++;
      v = p === q ? 0n : BigInt('0o' + s.slice(q, p));
    } else {
      while (p < this.end && b[p] >= C_0 && b[p] <= C_9) p++;
      if (p === start) this.fail(`expected a number for ${described(what, mask)}`, start);
      v = BigInt(s.slice(start, p));
    }
    if (v >> (bits === 64 ? 64n : 128n) !== 0n) this.fail(`${described(what, mask)} does not fit in ${bits} bits`, start);
    this.pos = p;
    return v;
  }

  /** Reads up to (not including) the first of `stops` at nesting depth 0, balancing parentheses. */
  balanced(stopAtComma: boolean, what: string): string {
    const start = this.pos;
    let depth = 0;
    let p = start;
    for (; p < this.end; p++) {
      const c = this.b[p];
      if (c === 40) depth++;
      else if (c === 41) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (c === 32 || (stopAtComma && c === 44))) break;
    }
    if (depth !== 0) this.fail(`unbalanced parentheses in ${what}`, start);
    this.pos = p;
    return this.s.slice(start, p);
  }

  /** Enters a nested construct; fails past 32 levels (OVS's MAX_ODP_NESTED). */
  enter(): void {
    if (++this.depth >= 32) this.fail('nesting too deep');
  }

  leave(): void {
    this.depth--;
  }
}
