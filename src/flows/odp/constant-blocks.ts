/**
 * Constant blocks: attribute texts that nearly every megaflow of a `-m` dump shares, read in one
 * comparison instead of field by field (see {@link CONSTANT_BLOCKS}).
 */
import type { KeyAttr, Masked } from './model';
import { doublesOf } from './literals';
import type { Reader } from './reader';

/**
 * The metadata that `dpctl/dump-flows -m` writes, fully wildcarded, at the start of almost every
 * userspace-datapath megaflow. Reading it is the most common work of all.
 */
export const COMMON_METADATA = 'skb_priority(0/0),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),recirc_id(0),dp_hash(0/0)';

/** A text that most megaflows share, read in one comparison. */
export interface ConstantBlock {
  /** The text as bytes. */
  bytes: Uint8Array;
  /** The same as little-endian 64-bit floats (see Reader.atBytes). */
  doubles: Float64Array;
  /** Only where a match starts. */
  firstOnly: boolean;
  /** Appends the attributes that reading the text field by field gives (shared frozen objects). */
  push(keys: KeyAttr[]): void;
}

function block(text: string, firstOnly: boolean, push: (keys: KeyAttr[]) => void): ConstantBlock {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  return { bytes, doubles: doublesOf(bytes), firstOnly, push };
}

const exact16 = (value: number): Masked<number> => Object.freeze({ value, mask: 0xffff });

/** Deeply frozen attributes: one object shared by every flow that has it (the model is never changed in place). */
function shared<K extends KeyAttr>(k: K): K {
  return Object.freeze(k);
}

const METADATA_KEYS: readonly KeyAttr[] = [
  shared({ kind: 'skb_priority', value: 0, mask: 0 }),
  shared({ kind: 'skb_mark', value: 0, mask: 0 }),
  shared({ kind: 'ct_state', value: 0, mask: 0 }),
  shared({ kind: 'ct_zone', value: 0, mask: 0 }),
  shared({ kind: 'ct_mark', value: 0, mask: 0 }),
  shared({ kind: 'ct_label', value: 0n, mask: 0n }),
  shared({ kind: 'recirc_id', value: 0, mask: 0xffffffff }),
  shared({ kind: 'dp_hash', value: 0, mask: 0 }),
];
const ETHERNET_PACKET_TYPE: KeyAttr = shared({ kind: 'packet_type', ns: exact16(0), id: exact16(0) });
const ETH_TYPE_IPV4: KeyAttr = shared({ kind: 'eth_type', value: 0x0800, mask: 0xffff });
const ETH_TYPE_IPV6: KeyAttr = shared({ kind: 'eth_type', value: 0x86dd, mask: 0xffff });

/**
 * The constant blocks of `-m` dumps: the wildcarded metadata, the packet type of Ethernet flows
 * and the commonest Ethertypes. When the text at a key is exactly one of these (followed by `,`,
 * a blank, `)` or the end), its attributes are pushed without reading it field by field; the
 * result is the same (test/flows checks it), only faster. The attributes pushed are frozen objects
 * shared by every flow read (so reading them allocates nothing): the flow model is never changed
 * in place (ports.ts and the engine make copies), and a change would throw.
 */
export const CONSTANT_BLOCKS: readonly ConstantBlock[] = [
  block(COMMON_METADATA, true, (keys) => {
    const m = METADATA_KEYS;
    keys.push(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
  }),
  block('packet_type(ns=0,id=0)', false, (keys) => {
    keys.push(ETHERNET_PACKET_TYPE);
  }),
  block('eth_type(0x0800)', false, (keys) => {
    keys.push(ETH_TYPE_IPV4);
  }),
  block('eth_type(0x86dd)', false, (keys) => {
    keys.push(ETH_TYPE_IPV6);
  }),
];

/** The blocks by their first byte. */
const BLOCKS_BY_FIRST_BYTE: ReadonlyArray<readonly ConstantBlock[] | undefined> = (() => {
  const by: ConstantBlock[][] = [];
  for (const b of CONSTANT_BLOCKS) (by[b.bytes[0]] ??= []).push(b);
  return by;
})();

/** The constant block at the cursor, if there is one (`first`: at the start of a match). */
export function constantBlockAt(r: Reader, first: boolean): ConstantBlock | undefined {
  const candidates = BLOCKS_BY_FIRST_BYTE[r.b[r.pos]];
  if (candidates === undefined) return undefined;
  for (const c of candidates) {
    if (c.firstOnly && !first) continue;
    const after = r.pos + c.bytes.length;
    if (after > r.end || !r.atBytes(c.bytes, c.doubles)) continue;
    const next = after < r.end ? r.b[after] : 44;
    if (next === 44 || next === 32 || next === 41) return c;
  }
  return undefined;
}
