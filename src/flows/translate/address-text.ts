/**
 * Address fields of a megaflow as rule-spec text: the value under its mask (bits outside the mask
 * cleared, so equal matches give equal specs) and the mask.
 */
import { formatIpv6, formatMac, MAC_ALL_ONES, type Ipv6Addr, type MacAddr } from '../odp';

export const FULL_MAC = 'ff:ff:ff:ff:ff:ff';
export const FULL_IPV4 = '255.255.255.255';
export const FULL_IPV6 = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

/** Kind of a MAC or IPv6 mask: 0 all zeros, 1 partial, 2 all ones. */
export function byteMaskKind(mask: MacAddr | Ipv6Addr): 0 | 1 | 2 {
  if (typeof mask === 'number') return mask === MAC_ALL_ONES ? 2 : mask === 0 ? 0 : 1;
  let ones = 0;
  let zeros = 0;
  for (let i = 0; i < mask.length; i++) {
    const w = mask[i];
    if (w === 0xffff) ones++;
    else if (w === 0) zeros++;
  }
  return ones === mask.length ? 2 : zeros === mask.length ? 0 : 1;
}

const TWO_32 = 4294967296;

/** The MAC `value & mask`; `full` says the mask is all ones (nothing to clear). */
export function maskedMac(value: MacAddr, mask: MacAddr, full: boolean): string {
  if (full) return formatMac(value);
  const hi = Math.floor(value / TWO_32) & Math.floor(mask / TWO_32);
  const lo = ((value % TWO_32) & (mask % TWO_32)) >>> 0;
  return formatMac(hi * TWO_32 + lo);
}

export function maskedIpv6(value: Ipv6Addr, mask: Ipv6Addr, full: boolean): string {
  return formatIpv6(full ? value : value.map((w, i) => w & mask[i]));
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

export function macMaskText(mask: MacAddr, full: boolean): string {
  return full ? FULL_MAC : formatMac(mask);
}

export function ipv6MaskText(mask: Ipv6Addr, full: boolean): string {
  return full ? FULL_IPV6 : formatIpv6(mask);
}

export function ipv4MaskText(mask: number): string {
  return mask === 0xffffffff ? FULL_IPV4 : ipv4Text(mask >>> 0);
}
