/**
 * The byte layout of each pattern item as the native layer receives it: the protocol header as on
 * the wire (network byte order, as DPDK's `rte_flow_item_*` structures), followed for ETH, VLAN
 * and IPV6 by flag bits. Fields are bit ranges; bit 0 is the most significant bit of byte 0.
 * This table mirrors native/src/core/layout.cc; test/native/item-fields.test.ts checks they agree.
 */
import type { ActionName, ItemName } from './rule-spec';

/** How a field's value is written: an unsigned integer, a flag, or an address. */
export type FieldKind = 'uint' | 'bit' | 'mac' | 'ipv4' | 'ipv6';

export interface FieldLayout {
  readonly name: string;
  readonly bitOffset: number;
  readonly bitWidth: number;
  readonly kind: FieldKind;
}

export interface ItemLayout {
  readonly name: ItemName;
  /** Item type code of the batch format. */
  readonly code: number;
  /** Layout size in bytes. */
  readonly size: number;
  readonly fields: readonly FieldLayout[];
  readonly byName: ReadonlyMap<string, FieldLayout>;
  /** DPDK's default mask for the item (`rte_flow_item_*_mask`). */
  readonly defaultMask: Uint8Array;
}

type FieldRow = [name: string, bitOffset: number, bitWidth: number, kind?: FieldKind];

function kindOf(row: FieldRow): FieldKind {
  return row[3] ?? (row[2] === 1 ? 'bit' : 'uint');
}

/** Sets bits [offset, offset + width) of `buf`. */
export function setBits(buf: Uint8Array, offset: number, width: number): void {
  for (let b = offset; b < offset + width; b++) buf[b >> 3] |= 0x80 >> (b & 7);
}

function layout(name: ItemName, code: number, size: number, rows: FieldRow[], defaults: string[]): ItemLayout {
  const fields = rows.map((r) => ({ name: r[0], bitOffset: r[1], bitWidth: r[2], kind: kindOf(r) }));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const defaultMask = new Uint8Array(size);
  for (const d of defaults) {
    const f = byName.get(d);
    if (f) setBits(defaultMask, f.bitOffset, f.bitWidth);
  }
  return { name, code, size, fields, byName, defaultMask };
}

const vlan = layout('VLAN', 3, 8, [['tci', 0, 16], ['innerType', 16, 16], ['hasMoreVlan', 32, 1]], []);
setBits(vlan.defaultMask, 4, 12); // the VID part of the TCI, as rte_flow_item_vlan_mask

/** Every item type's layout, by name. */
export const ITEM_LAYOUTS: Readonly<Record<ItemName, ItemLayout>> = {
  PORT: layout('PORT', 1, 4, [['index', 0, 32]], ['index']),
  ETH: layout('ETH', 2, 16, [['dst', 0, 48, 'mac'], ['src', 48, 48, 'mac'], ['type', 96, 16], ['hasVlan', 112, 1]], ['dst', 'src']),
  VLAN: vlan,
  IPV4: layout(
    'IPV4',
    4,
    20,
    [
      ['versionIhl', 0, 8],
      ['tos', 8, 8],
      ['totalLength', 16, 16],
      ['packetId', 32, 16],
      ['fragmentOffset', 48, 16],
      ['ttl', 64, 8],
      ['proto', 72, 8],
      ['checksum', 80, 16],
      ['src', 96, 32, 'ipv4'],
      ['dst', 128, 32, 'ipv4'],
    ],
    ['src', 'dst'],
  ),
  IPV6: layout(
    'IPV6',
    5,
    44,
    [
      ['tc', 4, 8],
      ['flowLabel', 12, 20],
      ['payloadLen', 32, 16],
      ['proto', 48, 8],
      ['hopLimits', 56, 8],
      ['src', 64, 128, 'ipv6'],
      ['dst', 192, 128, 'ipv6'],
      ['hasHopExt', 320, 1],
      ['hasRouteExt', 321, 1],
      ['hasFragExt', 322, 1],
      ['hasAuthExt', 323, 1],
      ['hasEspExt', 324, 1],
      ['hasDestExt', 325, 1],
      ['hasMobilExt', 326, 1],
      ['hasHipExt', 327, 1],
      ['hasShim6Ext', 328, 1],
    ],
    ['src', 'dst'],
  ),
  ICMP: layout('ICMP', 6, 8, [['type', 0, 8], ['code', 8, 8], ['checksum', 16, 16], ['ident', 32, 16], ['seq', 48, 16]], ['type', 'code']),
  ICMP6: layout('ICMP6', 7, 4, [['type', 0, 8], ['code', 8, 8], ['checksum', 16, 16]], ['type', 'code']),
  UDP: layout('UDP', 8, 8, [['srcPort', 0, 16], ['dstPort', 16, 16], ['length', 32, 16], ['checksum', 48, 16]], ['srcPort', 'dstPort']),
  TCP: layout(
    'TCP',
    9,
    20,
    [
      ['srcPort', 0, 16],
      ['dstPort', 16, 16],
      ['seq', 32, 32],
      ['ack', 64, 32],
      ['dataOff', 96, 8],
      ['flags', 104, 8],
      ['window', 112, 16],
      ['checksum', 128, 16],
      ['urgent', 144, 16],
    ],
    ['srcPort', 'dstPort'],
  ),
  SCTP: layout('SCTP', 10, 12, [['srcPort', 0, 16], ['dstPort', 16, 16], ['tag', 32, 32], ['checksum', 64, 32]], ['srcPort', 'dstPort']),
};

/** Item names in code order. */
export const ITEM_NAMES = Object.keys(ITEM_LAYOUTS) as ItemName[];

/** Action type codes of the batch format. */
export const ACTION_CODES: Readonly<Record<ActionName, number>> = {
  MARK: 1,
  COUNT: 2,
  QUEUE: 3,
  DROP: 4,
  RSS: 5,
  PORT_ID: 6,
};

/** Action names in code order. */
export const ACTION_NAMES = Object.keys(ACTION_CODES) as ActionName[];

/** Whether `name` is a pattern item name (END excluded). */
export function isItemName(name: unknown): name is ItemName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ITEM_LAYOUTS, name);
}

/** Whether `name` is an action name (END excluded). */
export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ACTION_CODES, name);
}
