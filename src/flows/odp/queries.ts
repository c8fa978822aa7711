/**
 * Small questions about parsed flows that consumers (the offload engine) ask often.
 */
import { isIpv6AllOnes, MAC_ALL_ONES } from './addr';
import type { Action, KeyAttr, KeyKind, SetAction } from './model';

/** The member(s) of {@link KeyAttr} whose `kind` may be `K`. */
export type KeyOfKind<K extends KeyKind> = KeyAttr extends infer T ? (T extends { kind: infer U } ? (K extends U ? T : never) : never) : never;

/** The first attribute of `kind` at the top level of a match (not inside `encap`). */
export function findKey<K extends KeyKind>(keys: readonly KeyAttr[], kind: K): KeyOfKind<K> | undefined {
  for (const k of keys) if (k.kind === kind) return k as KeyOfKind<K>;
  return undefined;
}

/** True when the actions drop the packet: none at all, or only explicit `drop`s. */
export function isDrop(actions: readonly Action[]): boolean {
  return actions.every((a) => a.kind === 'drop');
}

/** Full mask of each field of the attributes a set action may carry; 'ipv6' = all-ones words, 'enum' = exact when present. */
type FullMask = number | 'ipv6' | 'enum';
const SET_FIELDS: Partial<Record<KeyKind, Record<string, FullMask>>> = {
  eth: { src: MAC_ALL_ONES, dst: MAC_ALL_ONES },
  ipv4: { src: 0xffffffff, dst: 0xffffffff, proto: 0xff, tos: 0xff, ttl: 0xff, frag: 'enum' },
  ipv6: { src: 'ipv6', dst: 'ipv6', label: 0xfffff, proto: 0xff, tclass: 0xff, hlimit: 0xff, frag: 'enum' },
  tcp: { src: 0xffff, dst: 0xffff },
  udp: { src: 0xffff, dst: 0xffff },
  sctp: { src: 0xffff, dst: 0xffff },
  icmp: { type: 0xff, code: 0xff },
  icmpv6: { type: 0xff, code: 0xff },
  arp: { sip: 0xffffffff, tip: 0xffffffff, op: 0xffff, sha: MAC_ALL_ONES, tha: MAC_ALL_ONES },
  nd: { target: 'ipv6', sll: MAC_ALL_ONES, tll: MAC_ALL_ONES },
};
const SINGLE_FULL: Partial<Record<KeyKind, number>> = {
  skb_priority: 0xffffffff, skb_mark: 0xffffffff, ct_mark: 0xffffffff, ct_state: 0xffffffff, recirc_id: 0xffffffff,
  dp_hash: 0xffffffff, ct_zone: 0xffff, eth_type: 0xffff, tcp_flags: 0xffff,
};

/**
 * True when a `set(...)` is a masked set (OVS_ACTION_ATTR_SET_MASKED, as OVS's parser decides):
 * some field of the key is left out or has a partial mask. A plain set writes every field exactly.
 */
export function isMaskedSet(a: SetAction): boolean {
  const key = a.key;
  const single = SINGLE_FULL[key.kind];
  if (single !== undefined) return (key as { mask: number }).mask !== single;
  const fields = SET_FIELDS[key.kind];
  if (fields === undefined) return false;
  const rec = key as unknown as Record<string, { value: unknown; mask: unknown } | string | undefined>;
  for (const [name, full] of Object.entries(fields)) {
    const v = rec[name];
    if (v === undefined) return true;
    if (full === 'enum' || typeof v === 'string') continue;
    if (full === 'ipv6' ? !isIpv6AllOnes(v.mask as readonly number[]) : v.mask !== full) return true;
  }
  return false;
}
