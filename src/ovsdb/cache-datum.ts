/**
 * Typed operations on datums in wire form, for the cache: validation into a canonical form,
 * equality, and applying an `update2` diff.
 *
 * Canonical form (what ovsdb-server itself sends): a scalar is a bare atom; a set with exactly one
 * element is a bare atom, any other set is `["set", [...]]`; a map is `["map", [[k, v], ...]]`;
 * uuids are `["uuid", id]`. Set elements and map keys are unique and sorted (numbers numerically,
 * strings by code point, uuids by their text, false before true). Canonical datums are frozen, so
 * the cache can hand them out without copying, and two canonical datums are equal exactly when
 * they are structurally equal.
 */
import { DatumError } from './datum';
import { columnKind, type AtomicType, type ColumnType } from './schema';

type WireAtom = string | number | boolean | readonly ['uuid', string];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const ARTICLE: Record<AtomicType, string> = { integer: 'an', real: 'a', boolean: 'a', string: 'a', uuid: 'a' };

function checkAtom(type: AtomicType, atom: unknown): WireAtom {
  switch (type) {
    case 'integer':
      if (typeof atom === 'number' && Number.isInteger(atom)) return atom;
      break;
    case 'real':
      if (typeof atom === 'number' && Number.isFinite(atom)) return atom;
      break;
    case 'boolean':
      if (typeof atom === 'boolean') return atom;
      break;
    case 'string':
      if (typeof atom === 'string') return atom;
      break;
    case 'uuid':
      if (Array.isArray(atom) && atom.length === 2 && atom[0] === 'uuid' && typeof atom[1] === 'string' && UUID_RE.test(atom[1])) {
        return Object.freeze(['uuid', atom[1].toLowerCase()] as const);
      }
      break;
  }
  throw new DatumError(`expected ${ARTICLE[type]} ${type} atom, got ${describe(atom)}`);
}

/** A string that identifies an atom within one column (all atoms there have the same type). */
function atomKey(atom: WireAtom): string {
  return typeof atom === 'object' ? atom[1] : typeof atom === 'string' ? atom : String(atom);
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function compareAtoms(a: WireAtom, b: WireAtom): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  return compareCodePoints(atomKey(a), atomKey(b));
}

/** Decoded datum: element key -> [atom, value atom (maps) or undefined]. */
type Entries = Map<string, [WireAtom, WireAtom | undefined]>;

function decode(type: ColumnType, datum: unknown): Entries {
  const entries: Entries = new Map();
  const kind = columnKind(type);
  if (kind === 'map') {
    if (!Array.isArray(datum) || datum[0] !== 'map' || datum.length !== 2 || !Array.isArray(datum[1])) {
      throw new DatumError(`expected a map, got ${describe(datum)}`);
    }
    for (const pair of datum[1] as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new DatumError(`malformed map pair ${describe(pair)}`);
      const k = checkAtom(type.key.type, pair[0]);
      entries.set(atomKey(k), [k, checkAtom(type.value!.type, pair[1])]);
    }
    return entries;
  }
  const atoms: unknown[] = Array.isArray(datum) && datum[0] === 'set' ? (datum.length === 2 && Array.isArray(datum[1]) ? (datum[1] as unknown[]) : badSet(datum)) : [datum];
  for (const a of atoms) {
    const atom = checkAtom(type.key.type, a);
    entries.set(atomKey(atom), [atom, undefined]);
  }
  return entries;
}

function badSet(datum: unknown): never {
  throw new DatumError(`malformed set ${describe(datum)}`);
}

function encode(type: ColumnType, entries: Entries): unknown {
  const kind = columnKind(type);
  const n = entries.size;
  if (n < type.min || n > type.max) {
    throw new DatumError(`${n} ${kind === 'map' ? 'pairs' : 'elements'} where the column takes ${type.min}..${type.max === Infinity ? 'unlimited' : type.max}`);
  }
  const sorted = [...entries.values()].sort((x, y) => compareAtoms(x[0], y[0]));
  if (kind === 'map') return Object.freeze(['map', Object.freeze(sorted.map(([k, v]) => Object.freeze([k, v!])))]);
  if (n === 1) return sorted[0][0];
  return Object.freeze(['set', Object.freeze(sorted.map(([k]) => k))]);
}

/**
 * Validates `datum` against the column type and returns its canonical form.
 * @throws DatumError naming what does not fit the type.
 */
export function canonicalDatum(type: ColumnType, datum: unknown): unknown {
  return encode(type, decode(type, datum));
}

/**
 * Validates a datum received from the server and returns its canonical form, like
 * {@link canonicalDatum}, but without copying in the usual case: ovsdb-server sends datums in
 * canonical form, and then `datum` itself is returned, frozen in place (its arrays included). Only a
 * datum that is valid but not canonical (e.g. from another server) is rebuilt.
 * For values that nobody else holds, such as freshly parsed JSON: the caller's arrays get frozen.
 * @throws DatumError naming what does not fit the type.
 */
export function adoptDatum(type: ColumnType, datum: unknown): unknown {
  return isCanonical(type, datum) ? freezeDatum(datum) : canonicalDatum(type, datum);
}

/** True when `datum` is valid for `type` and already in canonical form (checked without allocating). */
function isCanonical(type: ColumnType, datum: unknown): boolean {
  const key = type.key.type;
  if (!Array.isArray(datum)) return type.value === undefined && isCanonicalAtom(key, datum);
  const tag: unknown = datum[0];
  if (tag === 'uuid') return type.value === undefined && isCanonicalAtom(key, datum);
  if (datum.length !== 2) return false;
  const list: unknown = datum[1];
  if (!Array.isArray(list)) return false;
  const n = list.length;
  if (n < type.min || n > type.max) return false;
  if (type.value === undefined) {
    // A set; one element would be sent bare.
    if (tag !== 'set' || n === 1) return false;
    for (let i = 0; i < n; i++) {
      if (!isCanonicalAtom(key, list[i]) || (i > 0 && compareAtoms(list[i - 1] as WireAtom, list[i] as WireAtom) >= 0)) return false;
    }
    return true;
  }
  if (tag !== 'map') return false;
  const valueType = type.value.type;
  for (let i = 0; i < n; i++) {
    const pair: unknown = list[i];
    if (!Array.isArray(pair) || pair.length !== 2 || !isCanonicalAtom(key, pair[0]) || !isCanonicalAtom(valueType, pair[1])) return false;
    if (i > 0 && compareAtoms((list[i - 1] as WireAtom[])[0], pair[0] as WireAtom) >= 0) return false;
  }
  return true;
}

function isCanonicalAtom(type: AtomicType, atom: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof atom === 'string';
    case 'integer':
      return typeof atom === 'number' && Number.isInteger(atom);
    case 'real':
      return typeof atom === 'number' && Number.isFinite(atom);
    case 'boolean':
      return typeof atom === 'boolean';
    case 'uuid':
      return Array.isArray(atom) && atom.length === 2 && atom[0] === 'uuid' && typeof atom[1] === 'string' && UUID_RE.test(atom[1]) && !/[A-F]/.test(atom[1]);
  }
}

/** Freezes a wire datum and the arrays inside it; returns it. */
function freezeDatum(datum: unknown): unknown {
  if (Array.isArray(datum)) {
    for (let i = 0; i < datum.length; i++) freezeDatum(datum[i]);
    Object.freeze(datum);
  }
  return datum;
}

/**
 * Applies an `update2` "modify" diff to a column's current (canonical) value, as ovsdb-server
 * computes diffs: a scalar, or a set/map of at most one element that is not empty, is replaced by
 * the diff; otherwise a set takes the symmetric difference with the diff's elements, and a map
 * removes the diff's pairs that it holds with the same value and adds or updates the others.
 * @returns the new canonical value
 * @throws DatumError when the diff does not fit the type or the result breaks its size limits.
 */
export function applyDatumDiff(type: ColumnType, current: unknown, diff: unknown): unknown {
  const kind = columnKind(type);
  const entries = decode(type, current);
  if (kind === 'scalar' || (type.max === 1 && entries.size > 0)) return canonicalDatum(type, diff);
  for (const [key, [atom, value]] of decode(type, diff)) {
    const held = entries.get(key);
    if (held && (kind === 'set' || atomKey(held[1]!) === atomKey(value!))) entries.delete(key);
    else entries.set(key, [atom, value]);
  }
  return encode(type, entries);
}

/** Structural equality of two JSON values (for canonical datums: equality of the values). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
  return true;
}
