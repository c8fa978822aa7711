/**
 * Number formatting as OVS's printf formats write it, with lookup tables for the common small
 * values so that formatting a flow does not call `toString` for every field.
 */

/** `%02x` for 0..255. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const TABLE = 4096;
const DEC_T: readonly string[] = Array.from({ length: TABLE }, (_, i) => String(i));
const HEXP_T: readonly string[] = Array.from({ length: TABLE }, (_, i) => (i === 0 ? '0' : '0x' + i.toString(16)));

const DEC_16: string[] = [];

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

/** `0x%x`: always prefixed (`0x0` for zero). */
export function hex0x(v: number): string {
  return '0x' + (v < 16 ? HEX_DIGIT[v] : v.toString(16));
}

const HEX_DIGIT = '0123456789abcdef';

/** `0x%04x`. */
export function hex04(v: number): string {
  return '0x' + HEX2[(v >>> 8) & 255] + HEX2[v & 255];
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
