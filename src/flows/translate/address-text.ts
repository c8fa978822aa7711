/**
 * Address fields of a megaflow as rule-spec text: the value under its mask (bits outside the mask
 * cleared, so equal matches give equal specs) and the mask.
 */
import { formatIpv6, formatMac } from '../odp';

export const FULL_MAC = 'ff:ff:ff:ff:ff:ff';
export const FULL_IPV4 = '255.255.255.255';
export const FULL_IPV6 = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

/** Kind of a byte mask: 0 all zeros, 1 partial, 2 all ones. */
export function byteMaskKind(mask: Uint8Array): 0 | 1 | 2 {
  let ones = 0;
  let zeros = 0;
  for (let i = 0; i < mask.length; i++) {
    const b = mask[i];
    if (b === 0xff) ones++;
    else if (b === 0) zeros++;
  }
  return ones === mask.length ? 2 : zeros === mask.length ? 0 : 1;
}

function and(value: Uint8Array, mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = value[i] & mask[i];
  return out;
}

/** The MAC `value & mask`; `full` says the mask is all ones (no copy needed). */
export function maskedMac(value: Uint8Array, mask: Uint8Array, full: boolean): string {
  return formatMac(full ? value : and(value, mask));
}

export function maskedIpv6(value: Uint8Array, mask: Uint8Array, full: boolean): string {
  return formatIpv6(full ? value : and(value, mask));
}

const DEC: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
const DEC_DOT: readonly string[] = DEC.map((d) => d + '.');

/** Dotted quad of an unsigned 32-bit address (no cache: rules carry many distinct addresses). */
export function ipv4Text(v: number): string {
  return DEC_DOT[v >>> 24] + DEC_DOT[(v >>> 16) & 255] + DEC_DOT[(v >>> 8) & 255] + DEC[v & 255];
}

export function maskedIpv4(value: number, mask: number): string {
  return ipv4Text((value & mask) >>> 0);
}

export function macMaskText(mask: Uint8Array, full: boolean): string {
  return full ? FULL_MAC : formatMac(mask);
}

export function ipv6MaskText(mask: Uint8Array, full: boolean): string {
  return full ? FULL_IPV6 : formatIpv6(mask);
}

export function ipv4MaskText(mask: number): string {
  return mask === 0xffffffff ? FULL_IPV4 : ipv4Text(mask >>> 0);
}
