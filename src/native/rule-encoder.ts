/**
 * Encodes {@link RuleSpec} batches into the compact buffer the native layer reads
 * (native/src/core/batch_reader.h), checking each rule's shape on the way.
 *
 * A rule whose JS value is malformed (a field that does not exist, a value out of range, an
 * address that does not parse, an unknown item or action type...) is not encoded: it fails on its
 * own with an {@link RteFlowError} (EINVAL, or ENOTSUP for an unknown type), typed by where the
 * problem is (ATTR*, ITEM_SPEC, ITEM_MASK, ITEM, ACTION_CONF, ...) and naming the field, while the
 * rest of the batch is encoded. Whether a NIC accepts a well-formed rule is the backend's business.
 *
 * Format: little-endian 32-bit words, one record per rule:
 *   [length in words][port][group][priority][flags: 1 ingress, 2 egress, 4 transfer][nItems][nActions]
 *   item:   [type code][1 spec given | 2 mask given][spec layout, padded to words][mask layout, padded]
 *   action: [type code][n][n words of configuration]
 */
import { parseIpv4, parseIpv6, parseMac } from './addresses';
import { RteFlowError, type RteFlowErrorType } from './errors';
import { ACTION_CODES, ACTION_NAMES, ITEM_LAYOUTS, type FieldLayout, type ItemLayout } from './item-fields';
import type { ActionName, RuleSpec } from './rule-spec';

const EINVAL = 22;
const ENOTSUP = 95;
const HEADER_WORDS = 7;
/** Longest pattern and action list accepted. */
export const MAX_ITEMS = 64;
export const MAX_ACTIONS = 64;
const MAX_RSS_KEY = 256;
const RSS_FUNCS: Readonly<Record<string, number>> = { DEFAULT: 0, TOEPLITZ: 1, SIMPLE_XOR: 2, SYMMETRIC_TOEPLITZ: 3 };
// Allowed property names, compared by identity first: for-in hands out internalized strings, so a
// short list scanned with === is cheaper than a Set lookup per key (the encoder's hot path).
const ATTR_KEYS: readonly string[] = ['port', 'group', 'priority', 'ingress', 'egress', 'transfer'];
const RULE_KEYS: readonly string[] = ['attr', 'pattern', 'actions'];
const ITEM_KEYS: readonly string[] = ['type', 'spec', 'mask'];
const ACTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  MARK: ['type', 'id'],
  COUNT: ['type', 'id'],
  QUEUE: ['type', 'index'],
  DROP: ['type'],
  RSS: ['type', 'queues', 'func', 'level', 'types', 'key'],
  PORT_ID: ['type', 'id', 'original'],
  END: ['type'],
};

/** Action types by name (END excluded; any other key is absent): code and allowed properties. */
const ACTION_INFO: ReadonlyMap<unknown, { readonly name: ActionName; readonly code: number; readonly keys: readonly string[] }> = new Map(
  ACTION_NAMES.map((name) => [name, { name, code: ACTION_CODES[name], keys: ACTION_KEYS[name] }]),
);

function listHas(list: readonly string[], key: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === key) return true;
  return false;
}

/** A batch in the native format, with the per-element failures found while encoding it. */
export class EncodedRules {
  /**
   * @param bytes the records
   * @param count number of records in `bytes`
   * @param total number of rules given to the encoder (records + failures)
   * @param positions input index of each record, or undefined when every rule was encoded
   * @param failures input index -> why that rule could not be encoded
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly count: number,
    readonly total: number,
    readonly positions: Uint32Array | undefined,
    readonly failures: ReadonlyMap<number, RteFlowError>,
  ) {}

  /** Input index of record `record`. */
  indexOf(record: number): number {
    return this.positions ? this.positions[record] : record;
  }
}

/** A rule that cannot be encoded: becomes that element's RteFlowError. */
class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    message: string,
    readonly type: RteFlowErrorType,
    readonly errno: number,
    readonly position = -1,
  ) {
    super(message);
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

function isUint(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

function fieldMax(width: number): number {
  return width >= 32 ? 0xffffffff : 2 ** width - 1;
}

const MAX_CACHE = 8192;
const macCache = new Map<string, Uint8Array | undefined>();
const ipv6Cache = new Map<string, Uint8Array | undefined>();

function cached(cache: Map<string, Uint8Array | undefined>, text: string, parse: (t: string) => Uint8Array | undefined): Uint8Array | undefined {
  let v = cache.get(text);
  if (v === undefined && !cache.has(text)) {
    v = parse(text);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(text, v);
  }
  return v;
}

/** Grows as needed; new space is zero. */
class Writer {
  u8: Uint8Array;
  u32: Uint32Array;
  pos = 0; // in words
  /** End of the space handed out by ensure() since the last rewind (may hold partial writes). */
  private touched = 0;

  constructor(words: number) {
    const buf = new ArrayBuffer(Math.max(64, words) * 4);
    this.u8 = new Uint8Array(buf);
    this.u32 = new Uint32Array(buf);
  }

  ensure(words: number): void {
    this.touched = Math.max(this.touched, this.pos + words);
    if (this.pos + words <= this.u32.length) return;
    let size = this.u32.length * 2;
    while (size < this.pos + words) size *= 2;
    const buf = new ArrayBuffer(size * 4);
    const u8 = new Uint8Array(buf);
    u8.set(this.u8.subarray(0, this.pos * 4));
    this.u8 = u8;
    this.u32 = new Uint32Array(buf);
  }

  /** Drops everything written since `start`, leaving zeros. */
  rewind(start: number): void {
    this.u32.fill(0, start, Math.max(this.pos, this.touched));
    this.pos = start;
    this.touched = start;
  }
}

type FieldWriter = (u8: Uint8Array, base: number, value: unknown) => string | undefined;

function uintWriter(f: FieldLayout): FieldWriter {
  const max = fieldMax(f.bitWidth);
  const at = f.bitOffset >> 3;
  const bad = (value: unknown): string => `${describe(value)} is not an integer in 0..${max}`;
  if ((f.bitOffset & 7) === 0 && f.bitWidth === 8) {
    return (u8, base, value) => {
      if (!isUint(value, max)) return bad(value);
      u8[base + at] = value;
      return undefined;
    };
  }
  if ((f.bitOffset & 7) === 0 && f.bitWidth === 16) {
    return (u8, base, value) => {
      if (!isUint(value, max)) return bad(value);
      u8[base + at] = value >>> 8;
      u8[base + at + 1] = value & 0xff;
      return undefined;
    };
  }
  if ((f.bitOffset & 7) === 0 && f.bitWidth === 32) {
    return (u8, base, value) => {
      if (!isUint(value, max)) return bad(value);
      u8[base + at] = value >>> 24;
      u8[base + at + 1] = (value >>> 16) & 0xff;
      u8[base + at + 2] = (value >>> 8) & 0xff;
      u8[base + at + 3] = value & 0xff;
      return undefined;
    };
  }
  // A field that does not start or end on a byte boundary (IPv6 tc and flowLabel): bit by bit.
  return (u8, base, value) => {
    if (!isUint(value, max)) return bad(value);
    for (let b = 0; b < f.bitWidth; b++) {
      if ((value >>> (f.bitWidth - 1 - b)) & 1) {
        const bit = f.bitOffset + b;
        u8[base + (bit >> 3)] |= 0x80 >> (bit & 7);
      }
    }
    return undefined;
  };
}

function bitWriter(f: FieldLayout): FieldWriter {
  const at = f.bitOffset >> 3;
  const bit = 0x80 >> (f.bitOffset & 7);
  return (u8, base, value) => {
    if (value === 1 || value === true) u8[base + at] |= bit;
    else if (value !== 0 && value !== false) return `${describe(value)} is not 0, 1, false or true`;
    return undefined;
  };
}

function addressWriter(f: FieldLayout): FieldWriter {
  const at = f.bitOffset >> 3;
  const n = f.kind === 'mac' ? 6 : f.kind === 'ipv4' ? 4 : 16;
  const parse = f.kind === 'mac' ? (t: string) => cached(macCache, t, parseMac) : (t: string) => cached(ipv6Cache, t, parseIpv6);
  const what = f.kind === 'mac' ? 'a MAC' : f.kind === 'ipv4' ? 'an IPv4' : 'an IPv6';
  return (u8, base, value) => {
    if (typeof value === 'string') {
      if (f.kind === 'ipv4') return parseIpv4(value, u8, base + at) ? undefined : `${describe(value)} is not an IPv4 address`;
      const bytes = parse(value);
      if (!bytes) return `${describe(value)} is not ${what} address`;
      u8.set(bytes, base + at);
      return undefined;
    }
    if (value instanceof Uint8Array && value.length === n) {
      u8.set(value, base + at);
      return undefined;
    }
    return `${describe(value)} is not ${what} address (a string or ${n} bytes)`;
  };
}

/** Item layouts by name; any other key (END, a number...) is absent. */
const LAYOUT_BY_NAME: ReadonlyMap<unknown, ItemLayout> = new Map<unknown, ItemLayout>(Object.values(ITEM_LAYOUTS).map((l) => [l.name, l]));

interface FieldEntry {
  readonly name: string;
  readonly write: FieldWriter;
}

/** Per item type code: its fields' writers (a few, scanned with ===: see listHas). */
const FIELD_TABLES: Array<readonly FieldEntry[]> = [];
for (const layout of Object.values(ITEM_LAYOUTS)) {
  FIELD_TABLES[layout.code] = layout.fields.map((f) => ({ name: f.name, write: f.kind === 'uint' ? uintWriter(f) : f.kind === 'bit' ? bitWriter(f) : addressWriter(f) }));
}

function writerOf(table: readonly FieldEntry[], key: string): FieldWriter | undefined {
  for (let i = 0; i < table.length; i++) if (table[i].name === key) return table[i].write;
  return undefined;
}

function writeFields(w: Writer, byteBase: number, layout: ItemLayout, fields: unknown, which: 'spec' | 'mask', pos: number): void {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new SpecError(`${layout.name} ${which} must be an object of fields, not ${describe(fields)}`, which === 'spec' ? 'ITEM_SPEC' : 'ITEM_MASK', EINVAL, pos);
  }
  const obj = fields as Record<string, unknown>;
  const table = FIELD_TABLES[layout.code];
  const u8 = w.u8;
  for (const key in obj) {
    const write = writerOf(table, key);
    if (!write) throw new SpecError(`${layout.name} ${which} has no field "${key}"`, which === 'spec' ? 'ITEM_SPEC' : 'ITEM_MASK', EINVAL, pos);
    const value = obj[key];
    if (value === undefined) continue;
    const problem = write(u8, byteBase, value);
    if (problem !== undefined) throw new SpecError(`${layout.name} ${which}.${key}: ${problem}`, which === 'spec' ? 'ITEM_SPEC' : 'ITEM_MASK', EINVAL, pos);
  }
}

/** Throws for a property of `obj` not in `allowed`; `what` + `suffix` names the object (built only then). */
function checkKeys(obj: object, allowed: readonly string[], what: string, suffix: string, type: RteFlowErrorType, pos: number): void {
  for (const key in obj) {
    if (!listHas(allowed, key)) {
      const hint = key === 'last' ? ' (ranges are not supported)' : '';
      throw new SpecError(`${what}${suffix} has no property "${key}"${hint}`, key === 'last' ? 'ITEM_LAST' : type, key === 'last' ? ENOTSUP : EINVAL, pos);
    }
  }
}

function writeItems(w: Writer, pattern: unknown): number {
  if (!Array.isArray(pattern)) throw new SpecError(`pattern must be an array, not ${describe(pattern)}`, 'ITEM_NUM', EINVAL);
  const items = pattern as unknown[];
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== 'object') throw new SpecError(`pattern[${i}] is not an item object`, 'ITEM', EINVAL, i);
    const { type, spec, mask } = item as { type?: unknown; spec?: unknown; mask?: unknown };
    if (type === 'END') {
      if (i !== items.length - 1) throw new SpecError(`pattern[${i}] is END but items follow it`, 'ITEM', EINVAL, i + 1);
      break;
    }
    const layout = LAYOUT_BY_NAME.get(type);
    if (layout === undefined) throw new SpecError(`pattern[${i}]: unknown item type ${describe(type)}`, 'ITEM', ENOTSUP, i);
    checkKeys(item, ITEM_KEYS, layout.name, ' item', 'ITEM', i);
    if (++n > MAX_ITEMS) throw new SpecError(`pattern has more than ${MAX_ITEMS} items`, 'ITEM_NUM', EINVAL, i);
    const words = (layout.size + 3) >> 2;
    w.ensure(2 + 2 * words);
    const at = w.pos;
    const hasSpec = spec !== undefined;
    const hasMask = mask !== undefined;
    if (hasMask && !hasSpec) throw new SpecError(`${layout.name} has a mask but no spec`, 'ITEM_MASK', EINVAL, i);
    w.u32[at] = layout.code;
    w.u32[at + 1] = (hasSpec ? 1 : 0) | (hasMask ? 2 : 0);
    w.pos += 2 + 2 * words;
    if (hasSpec) writeFields(w, (at + 2) * 4, layout, spec, 'spec', i);
    if (hasMask) writeFields(w, (at + 2 + words) * 4, layout, mask, 'mask', i);
  }
  return n;
}

function uintProp(obj: Record<string, unknown>, key: string, max: number, what: string, pos: number, optional: boolean): number {
  const v = obj[key];
  if (v === undefined && optional) return 0;
  if (!isUint(v, max)) throw new SpecError(`${what}.${key}: ${describe(v)} is not an integer in 0..${max}`, 'ACTION_CONF', EINVAL, pos);
  return v;
}

function writeRss(w: Writer, a: Record<string, unknown>, pos: number): void {
  const queues = a.queues;
  if (!Array.isArray(queues)) throw new SpecError(`RSS.queues must be an array of queue indexes`, 'ACTION_CONF', EINVAL, pos);
  const func = a.func ?? 'DEFAULT';
  if (typeof func !== 'string' || !(func in RSS_FUNCS)) {
    throw new SpecError(`RSS.func: ${describe(func)} is not one of ${Object.keys(RSS_FUNCS).join(', ')}`, 'ACTION_CONF', EINVAL, pos);
  }
  const level = uintProp(a, 'level', 0xffffffff, 'RSS', pos, true);
  let types = a.types ?? 0;
  if (typeof types === 'number' && Number.isSafeInteger(types) && types >= 0) types = BigInt(types);
  if (typeof types !== 'bigint' || types < 0n || types > 0xffffffffffffffffn) {
    throw new SpecError(`RSS.types: ${describe(a.types)} is not a 64-bit unsigned integer`, 'ACTION_CONF', EINVAL, pos);
  }
  const key = a.key ?? new Uint8Array(0);
  if (!(key instanceof Uint8Array) || key.length > MAX_RSS_KEY) {
    throw new SpecError(`RSS.key must be a Uint8Array of at most ${MAX_RSS_KEY} bytes`, 'ACTION_CONF', EINVAL, pos);
  }
  const keyWords = (key.length + 3) >> 2;
  const n = 6 + keyWords + queues.length;
  w.ensure(2 + n);
  const at = w.pos;
  w.u32[at] = ACTION_CODES.RSS;
  w.u32[at + 1] = n;
  w.u32[at + 2] = RSS_FUNCS[func];
  w.u32[at + 3] = level;
  w.u32[at + 4] = Number(types & 0xffffffffn);
  w.u32[at + 5] = Number(types >> 32n);
  w.u32[at + 6] = key.length;
  w.u32[at + 7] = queues.length;
  w.u8.set(key, (at + 8) * 4);
  const q = at + 8 + keyWords;
  for (let k = 0; k < queues.length; k++) {
    const v: unknown = queues[k];
    if (!isUint(v, 0xffff)) throw new SpecError(`RSS.queues[${k}]: ${describe(v)} is not a queue index in 0..65535`, 'ACTION_CONF', EINVAL, pos);
    w.u32[q + k] = v;
  }
  w.pos += 2 + n;
}

function writeActions(w: Writer, actions: unknown): number {
  if (!Array.isArray(actions)) throw new SpecError(`actions must be an array, not ${describe(actions)}`, 'ACTION_NUM', EINVAL);
  const list = actions as unknown[];
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const action = list[i];
    if (action === null || typeof action !== 'object') throw new SpecError(`actions[${i}] is not an action object`, 'ACTION', EINVAL, i);
    const a = action as Record<string, unknown>;
    const type = a.type;
    if (type === 'END') {
      if (i !== list.length - 1) throw new SpecError(`actions[${i}] is END but actions follow it`, 'ACTION', EINVAL, i + 1);
      break;
    }
    const info = ACTION_INFO.get(type);
    if (info === undefined) throw new SpecError(`actions[${i}]: unknown action type ${describe(type)}`, 'ACTION', ENOTSUP, i);
    checkKeys(a, info.keys, info.name, ' action', 'ACTION_CONF', i);
    if (++n > MAX_ACTIONS) throw new SpecError(`more than ${MAX_ACTIONS} actions`, 'ACTION_NUM', EINVAL, i);
    if (type === 'RSS') {
      writeRss(w, a, i);
      continue;
    }
    w.ensure(4);
    const at = w.pos;
    w.u32[at] = info.code;
    switch (info.name) {
      case 'MARK':
        w.u32[at + 1] = 1;
        w.u32[at + 2] = uintProp(a, 'id', 0xffffffff, info.name, i, false);
        break;
      case 'COUNT':
        w.u32[at + 1] = 1;
        w.u32[at + 2] = uintProp(a, 'id', 0xffffffff, info.name, i, true);
        break;
      case 'QUEUE':
        w.u32[at + 1] = 1;
        w.u32[at + 2] = uintProp(a, 'index', 0xffff, info.name, i, false);
        break;
      case 'PORT_ID': {
        w.u32[at + 1] = 2;
        w.u32[at + 2] = uintProp(a, 'id', 0xffffffff, info.name, i, false);
        const original = a.original ?? false;
        if (typeof original !== 'boolean') throw new SpecError(`PORT_ID.original: ${describe(original)} is not a boolean`, 'ACTION_CONF', EINVAL, i);
        w.u32[at + 3] = original ? 1 : 0;
        break;
      }
      case 'DROP':
        w.u32[at + 1] = 0;
        break;
    }
    w.pos += 2 + w.u32[at + 1];
  }
  return n;
}

function attrUint(v: unknown, key: string, type: RteFlowErrorType): number {
  if (!isUint(v, 0xffffffff)) throw new SpecError(`attr.${key}: ${describe(v)} is not an integer in 0..4294967295`, type, EINVAL);
  return v;
}

function attrBool(v: unknown, key: string, type: RteFlowErrorType, optional: boolean): boolean {
  if (v === undefined && optional) return false;
  if (typeof v !== 'boolean') throw new SpecError(`attr.${key}: ${describe(v)} is not a boolean`, type, EINVAL);
  return v;
}

function writeRule(w: Writer, rule: unknown): void {
  if (rule === null || typeof rule !== 'object') throw new SpecError(`a rule must be an object, not ${describe(rule)}`, 'UNSPECIFIED', EINVAL);
  checkKeys(rule, RULE_KEYS, 'rule', '', 'UNSPECIFIED', -1);
  const { attr, pattern, actions } = rule as { attr?: unknown; pattern?: unknown; actions?: unknown };
  if (attr === null || typeof attr !== 'object') throw new SpecError(`attr must be an object, not ${describe(attr)}`, 'ATTR', EINVAL);
  checkKeys(attr, ATTR_KEYS, 'attr', '', 'ATTR', -1);
  const at = attr as Record<string, unknown>;
  w.ensure(HEADER_WORDS);
  const start = w.pos;
  const u32 = w.u32;
  u32[start + 1] = attrUint(at.port, 'port', 'UNSPECIFIED');
  u32[start + 2] = attrUint(at.group, 'group', 'ATTR_GROUP');
  u32[start + 3] = attrUint(at.priority, 'priority', 'ATTR_PRIORITY');
  u32[start + 4] =
    (attrBool(at.ingress, 'ingress', 'ATTR_INGRESS', false) ? 1 : 0) |
    (attrBool(at.egress, 'egress', 'ATTR_EGRESS', true) ? 2 : 0) |
    (attrBool(at.transfer, 'transfer', 'ATTR_TRANSFER', true) ? 4 : 0);
  w.pos += HEADER_WORDS;
  const nItems = writeItems(w, pattern);
  const nActions = writeActions(w, actions);
  // w.u32 may have been reallocated while writing items and actions
  w.u32[start] = w.pos - start;
  w.u32[start + 5] = nItems;
  w.u32[start + 6] = nActions;
}

/**
 * Encodes `rules`. Never throws for a malformed rule: that rule is left out and its failure is
 * recorded in the result. Throws TypeError only when `rules` is not an array.
 */
export function encodeRules(rules: readonly RuleSpec[]): EncodedRules {
  if (!Array.isArray(rules)) throw new TypeError(`rules must be an array of rule specs, not ${describe(rules)}`);
  const w = new Writer(Math.min(rules.length * 48, 1 << 22));
  const failures = new Map<number, RteFlowError>();
  let positions: Uint32Array | undefined;
  let count = 0;
  for (let i = 0; i < rules.length; i++) {
    const start = w.pos;
    try {
      writeRule(w, rules[i]);
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      w.rewind(start);
      failures.set(i, new RteFlowError(err.message, err.type, err.errno, err.position));
      if (!positions) {
        positions = new Uint32Array(rules.length);
        for (let k = 0; k < count; k++) positions[k] = k;
      }
      continue;
    }
    if (positions) positions[count] = i;
    count++;
  }
  // a batch that used less than half of its buffer keeps a copy of its own, not the whole buffer
  const used = w.pos * 4;
  const bytes = used * 2 < w.u8.length ? w.u8.slice(0, used) : w.u8.subarray(0, used);
  return new EncodedRules(bytes, count, rules.length, positions, failures);
}

/**
 * Encodes a batch one rule at a time into a buffer that is kept from batch to batch (so a caller
 * can drop each RuleSpec as soon as it is added). The result of finish() equals encodeRules() of
 * the rules added since the last reset(), except that its bytes are a view of the builder's buffer:
 * valid until the next add() or reset(), so pass it to the backend before either.
 */
export class RuleBatchBuilder {
  private w = new Writer(1024);
  private count = 0;
  private total = 0;
  private positions: Uint32Array | undefined;
  private failures = new Map<number, RteFlowError>();

  /** Number of rules added since the last reset (records + failures). */
  get size(): number {
    return this.total;
  }

  /** Counts the record just written as the batch's next rule, rule `i` of the add()/beginRule() calls. */
  private appendRule(i: number): void {
    if (this.positions) {
      if (this.count >= this.positions.length) {
        const grown = new Uint32Array(this.positions.length * 2);
        grown.set(this.positions);
        this.positions = grown;
      }
      this.positions[this.count] = i;
    }
    this.count++;
  }

  /** Starts a new batch; the buffer is kept (zeroed where used). */
  reset(): void {
    this.w.rewind(0);
    this.count = 0;
    this.total = 0;
    this.positions = undefined;
    if (this.failures.size > 0) this.failures = new Map();
  }

  /** Appends `rule`; returns why it could not be encoded (it is then a failure of the batch), or undefined. */
  add(rule: RuleSpec): RteFlowError | undefined {
    const i = this.total++;
    const start = this.w.pos;
    try {
      writeRule(this.w, rule);
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      this.w.rewind(start);
      const error = new RteFlowError(err.message, err.type, err.errno, err.position);
      this.failures.set(i, error);
      if (!this.positions) {
        this.positions = new Uint32Array(Math.max(64, i + 1));
        for (let k = 0; k < this.count; k++) this.positions[k] = k;
      }
      return error;
    }
    this.appendRule(i);
    return undefined;
  }

  // ---- Writing a rule straight into the buffer (no RuleSpec), for a caller that checks its own
  // values (src/flows/translate/rule-writer.ts). A record is beginRule(), item()s, action()s,
  // endRule() — or abortRule(), which leaves the batch as it was. Item fields are written by the
  // caller into `bytes` (big-endian, at the offsets of ITEM_LAYOUTS) between the calls; `bytes`
  // may be a new array after any of these calls, so read it again after each.

  private ruleStart = -1;
  private ruleItems = 0;
  private ruleActions = 0;

  /** The buffer the records are written in (see above). */
  get bytes(): Uint8Array {
    return this.w.u8;
  }

  /** Starts a record: the rule's attributes. `flags`: 1 ingress, 2 egress, 4 transfer. */
  beginRule(port: number, group: number, priority: number, flags: number): void {
    const w = this.w;
    w.ensure(HEADER_WORDS);
    const start = w.pos;
    this.ruleStart = start;
    this.ruleItems = 0;
    this.ruleActions = 0;
    const u32 = w.u32;
    u32[start + 1] = port;
    u32[start + 2] = group;
    u32[start + 3] = priority;
    u32[start + 4] = flags;
    w.pos = start + HEADER_WORDS;
  }

  /**
   * Appends a pattern item of type `code` whose layout takes `words` words (ITEM_LAYOUTS, padded),
   * with zeroed spec and mask; returns the byte offset of its spec in `bytes` (the mask follows at
   * + 4 * words).
   */
  item(code: number, words: number, hasSpec: boolean, hasMask: boolean): number {
    const w = this.w;
    w.ensure(2 + 2 * words);
    const at = w.pos;
    w.u32[at] = code;
    w.u32[at + 1] = (hasSpec ? 1 : 0) | (hasMask ? 2 : 0);
    w.pos = at + 2 + 2 * words;
    this.ruleItems++;
    return (at + 2) * 4;
  }

  /** Appends an action with one configuration word (MARK id, COUNT id, QUEUE index). */
  action1(code: number, conf: number): void {
    const w = this.w;
    w.ensure(3);
    const at = w.pos;
    w.u32[at] = code;
    w.u32[at + 1] = 1;
    w.u32[at + 2] = conf;
    w.pos = at + 3;
    this.ruleActions++;
  }

  /** Appends an action without configuration (DROP). */
  action0(code: number): void {
    const w = this.w;
    w.ensure(2);
    const at = w.pos;
    w.u32[at] = code;
    w.u32[at + 1] = 0;
    w.pos = at + 2;
    this.ruleActions++;
  }

  /** Ends the record begun by beginRule(): it becomes the batch's next rule. */
  endRule(): void {
    const start = this.ruleStart;
    const w = this.w;
    w.u32[start] = w.pos - start;
    w.u32[start + 5] = this.ruleItems;
    w.u32[start + 6] = this.ruleActions;
    this.ruleStart = -1;
    const i = this.total++;
    this.appendRule(i);
  }

  /** Drops the record begun by beginRule() (the batch is as before it). */
  abortRule(): void {
    if (this.ruleStart < 0) return;
    this.w.rewind(this.ruleStart);
    this.ruleStart = -1;
  }

  /** The batch so far (a view of the builder's buffer; see the class comment). */
  finish(): EncodedRules {
    return new EncodedRules(this.w.u8.subarray(0, this.w.pos * 4), this.count, this.total, this.positions, this.failures);
  }
}
