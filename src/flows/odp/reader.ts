/**
 * A hand-written cursor over ODP text: the primitives every ODP parser here is built from.
 *
 * It never backtracks more than a token, never uses regular expressions and never builds strings
 * character by character: tokens are taken with `slice` and numbers are accumulated from char codes.
 * Every failure throws {@link OdpParseError} with the position and the token found there.
 */
import { OdpParseError } from './errors';

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

/** Value of a hex digit char code, or -1. */
export function hexDigit(c: number): number {
  if (c >= C_0 && c <= C_9) return c - C_0;
  if (c >= C_a && c <= C_f) return c - C_a + 10;
  if (c >= C_A && c <= C_F) return c - C_A + 10;
  return -1;
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

/** Bit widths accepted by {@link Reader.uint}. */
export type UintBits = 8 | 16 | 32;

const MAX_BY_BITS: Record<UintBits, number> = { 8: 0xff, 16: 0xffff, 32: 0xffffffff };

export class Reader {
  pos: number;
  /** Nesting depth of parentheses being parsed (bounded to stop runaway recursion). */
  depth = 0;

  constructor(
    readonly s: string,
    pos = 0,
    readonly end = s.length,
  ) {
    this.pos = pos;
  }

  /** Throws an {@link OdpParseError} at `at` (default: the current position). */
  fail(reason: string, at = this.pos): never {
    let e = at;
    while (e < this.end && e - at < 40 && !isTokenEnd(this.s.charCodeAt(e))) e++;
    if (e === at && at < this.end) e = at + 1;
    throw new OdpParseError(reason, at, this.s.slice(at, e), this.s);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The char code at the cursor, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.s.charCodeAt(this.pos) : -1;
  }

  /** Consumes `c` if it is next; returns whether it did. */
  eat(c: number): boolean {
    if (this.pos < this.end && this.s.charCodeAt(this.pos) === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Consumes `c` or fails with `expected "c"`. */
  expect(c: number): void {
    if (this.pos < this.end && this.s.charCodeAt(this.pos) === c) this.pos++;
    else this.fail(`expected "${String.fromCharCode(c)}"`);
  }

  /** Consumes `text` if it comes next; returns whether it did. */
  eatText(text: string): boolean {
    if (this.s.startsWith(text, this.pos) && this.pos + text.length <= this.end) {
      this.pos += text.length;
      return true;
    }
    return false;
  }

  expectText(text: string): void {
    if (!this.eatText(text)) this.fail(`expected "${text}"`);
  }

  /** Skips spaces and tabs. */
  skipSpaces(): void {
    while (this.pos < this.end) {
      const c = this.s.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  /** Reads `[A-Za-z0-9_-]*` (an attribute, action or field name); may be empty. */
  word(): string {
    const start = this.pos;
    let p = start;
    while (p < this.end) {
      const c = this.s.charCodeAt(p);
      if ((c >= C_a && c <= 122) || (c >= C_0 && c <= C_9) || c === 95 || (c >= C_A && c <= 90) || c === 45) p++;
      else break;
    }
    this.pos = p;
    return this.s.slice(start, p);
  }

  /** Start of the last word read by {@link code}, for {@link lastWord}. */
  wordStart = 0;

  /**
   * Reads `[a-z0-9_-]*` like {@link word} without allocating and returns its {@link nameCode}
   * (-1 when it is longer than 10 characters or has other letters; then use {@link lastWord}).
   */
  code(): number {
    const s = this.s;
    const start = this.pos;
    let p = start;
    let h = 0;
    let ok = true;
    while (p < this.end) {
      const c = s.charCodeAt(p);
      let d: number;
      if (c >= C_a && c <= 122) d = c - 86;
      else if (c >= C_0 && c <= C_9) d = c - 47;
      else if (c === 95) d = 37;
      else if (c === 45) d = 38;
      else if (c >= C_A && c <= 90) {
        ok = false;
        d = 0;
      } else break;
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
  uint(bits: UintBits, what: string): number {
    const start = this.pos;
    const s = this.s;
    let p = start;
    let v = 0;
    let digits = 0;
    if (p < this.end && s.charCodeAt(p) === C_0 && p + 1 < this.end && (s.charCodeAt(p + 1) === C_x || s.charCodeAt(p + 1) === C_X)) {
      p += 2;
      for (; p < this.end; p++) {
        const d = hexDigit(s.charCodeAt(p));
        if (d < 0) break;
        v = v * 16 + d;
        digits++;
      }
      if (digits === 0) this.fail(`expected hex digits for ${what}`, start);
    } else if (p < this.end && s.charCodeAt(p) === C_0) {
      p++;
      digits = 1;
      for (; p < this.end; p++) {
        const c = s.charCodeAt(p);
        if (c < C_0 || c > 55) break;
        v = v * 8 + (c - C_0);
      }
    } else {
      for (; p < this.end; p++) {
        const c = s.charCodeAt(p);
        if (c < C_0 || c > C_9) break;
        v = v * 10 + (c - C_0);
        digits++;
      }
      if (digits === 0) this.fail(`expected a number for ${what}`, start);
    }
    if (v > (bits === 32 ? 0xffffffff : bits === 16 ? 0xffff : 0xff)) this.fail(`${what} does not fit in ${bits} bits`, start);
    this.pos = p;
    return v;
  }

  /** Reads a decimal unsigned integer (at most 2^53 - 1). */
  decimal(what: string): number {
    const start = this.pos;
    let p = start;
    let v = 0;
    for (; p < this.end; p++) {
      const c = this.s.charCodeAt(p);
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
      const d = hexDigit(this.s.charCodeAt(p));
      if (d < 0) break;
      v = v * 16 + d;
    }
    if (p === start) this.fail(`expected hex digits for ${what}`);
    if (v > MAX_BY_BITS[maxBits]) this.fail(`${what} does not fit in ${maxBits} bits`, start);
    this.pos = p;
    return v;
  }

  /** Reads a `%i`-style unsigned integer of up to `bits` (64 or 128) bits as a bigint. */
  bigUint(bits: 64 | 128, what: string): bigint {
    const start = this.pos;
    const s = this.s;
    let p = start;
    let v: bigint;
    if (s.charCodeAt(p) === C_0 && (s.charCodeAt(p + 1) === C_x || s.charCodeAt(p + 1) === C_X) && p + 1 < this.end) {
      p += 2;
      const q = p;
      while (p < this.end && hexDigit(s.charCodeAt(p)) >= 0) p++;
      if (p === q) this.fail(`expected hex digits for ${what}`, start);
      v = BigInt('0x' + s.slice(q, p));
    } else if (s.charCodeAt(p) === C_0 && p < this.end) {
      p++;
      const q = p;
      while (p < this.end && s.charCodeAt(p) >= C_0 && s.charCodeAt(p) <= 55) p++;
      v = p === q ? 0n : BigInt('0o' + s.slice(q, p));
    } else {
      while (p < this.end && s.charCodeAt(p) >= C_0 && s.charCodeAt(p) <= C_9) p++;
      if (p === start) this.fail(`expected a number for ${what}`, start);
      v = BigInt(s.slice(start, p));
    }
    if (v >> (bits === 64 ? 64n : 128n) !== 0n) this.fail(`${what} does not fit in ${bits} bits`, start);
    this.pos = p;
    return v;
  }

  /** Reads up to (not including) the first of `stops` at nesting depth 0, balancing parentheses. */
  balanced(stopAtComma: boolean, what: string): string {
    const start = this.pos;
    let depth = 0;
    let p = start;
    for (; p < this.end; p++) {
      const c = this.s.charCodeAt(p);
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
