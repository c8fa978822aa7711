/**
 * Number formatting as OVS's printf formats write it.
 *
 * Speed: in V8 a formatted line costs roughly one allocation per string concatenation, so these
 * return whole pieces from lookup tables instead of building them: tables filled once, or, for
 * 16-bit values, arrays filled on first use (at most 65536 entries). No Map memo keeps the texts of
 * values that may all differ (addresses): measured over a dump of distinct flows, such a memo
 * costs more in misses and GC than it saves.
 */

/** `%02x` for 0..255. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `%u` for 0..255. */
export const DEC8: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

const TABLE = 4096;
const DEC_T: readonly string[] = Array.from({ length: TABLE }, (_, i) => String(i));
const HEXP_T: readonly string[] = Array.from({ length: TABLE }, (_, i) => (i === 0 ? '0' : '0x' + i.toString(16)));
const SLASH_HEXP_T: readonly string[] = HEXP_T.map((h) => '/' + h);

/**
 * A table of 65536 texts filled on first use. Made at its full length: writing far into an empty
 * array would make V8 keep it as a hash table (dictionary elements), slow to read.
 */
export function table16<T>(): Array<T | undefined> {
  return new Array<T | undefined>(65536).fill(undefined);
}

const DEC_16 = table16<string>();

/** `%u` */
export function dec(v: number): string {
  if (v < TABLE) return DEC_T[v];
  if (v < 65536) return (DEC_16[v] ??= String(v));
  return String(v);
}

/** `%#x`: `0` for zero, else `0x` + lowercase hex. */
export function hexAlt(v: number): string {
  return v < TABLE ? HEXP_T[v] : '0x' + v.toString(16);
}

/** `/%#x`: a mask after its value. */
export function slashHexAlt(v: number): string {
  return v < TABLE ? SLASH_HEXP_T[v] : '/0x' + v.toString(16);
}

/** `0x%x`: always prefixed (`0x0` for zero). */
export function hex0x(v: number): string {
  return '0x' + (v < 16 ? HEX_DIGIT[v] : v.toString(16));
}

const HEX_DIGIT = '0123456789abcdef';

const HEX04_T = table16<string>();

/** `0x%04x`. */
export function hex04(v: number): string {
  return (HEX04_T[v & 0xffff] ??= '0x' + HEX2[(v >>> 8) & 255] + HEX2[v & 255]);
}

/** `%#llx` / `0x%llx` for a bigint (`alt`: zero prints as `0`). */
export function hexBig(v: bigint, alt: boolean): string {
  if (v === 0n && alt) return '0';
  return '0x' + v.toString(16);
}

/** OVS's ds_put_hex of a 128-bit big-endian value: `0x` + hex without leading zeros, `0` for zero. */
export function hexU128(v: bigint): string {
  return v === 0n ? '0' : '0x' + v.toString(16);
}
