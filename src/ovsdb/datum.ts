/**
 * Decoding of RFC 7047 datums (wire form) into plain JavaScript values.
 *
 * Atoms are JSON strings, numbers and booleans, or ["uuid", id] / ["named-uuid", name].
 * A set is a single atom or ["set", [atoms]]; a map is ["map", [[key, value], ...]].
 * Every function throws `DatumError` naming what it found when the datum has another shape.
 */

/** Raised when a datum does not have the shape a column's type promises. */
export class DatumError extends Error {
  override readonly name = 'DatumError';
}

export type Atom = string | number | boolean;

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Decodes an atom; a uuid atom becomes its id string. */
export function decodeAtom(datum: unknown): Atom {
  if (typeof datum === 'string' || typeof datum === 'number' || typeof datum === 'boolean') return datum;
  if (Array.isArray(datum) && datum.length === 2 && (datum[0] === 'uuid' || datum[0] === 'named-uuid') && typeof datum[1] === 'string') {
    return datum[1];
  }
  throw new DatumError(`expected an OVSDB atom, got ${describe(datum)}`);
}

/** Decodes a set datum (or a bare atom, which is a set of one) into an array of atoms. */
export function decodeSet(datum: unknown): Atom[] {
  if (Array.isArray(datum) && datum[0] === 'set') {
    if (datum.length !== 2 || !Array.isArray(datum[1])) throw new DatumError(`malformed set ${describe(datum)}`);
    return (datum[1] as unknown[]).map(decodeAtom);
  }
  return [decodeAtom(datum)];
}

/** Decodes a map datum into a Map, keeping the server's order. */
export function decodeMap(datum: unknown): Map<Atom, Atom> {
  if (!Array.isArray(datum) || datum[0] !== 'map' || datum.length !== 2 || !Array.isArray(datum[1])) {
    throw new DatumError(`expected an OVSDB map, got ${describe(datum)}`);
  }
  const out = new Map<Atom, Atom>();
  for (const pair of datum[1] as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new DatumError(`malformed map pair ${describe(pair)}`);
    out.set(decodeAtom(pair[0]), decodeAtom(pair[1]));
  }
  return out;
}

/** Decodes a string->string map (e.g. Interface.options) into a plain object. */
export function decodeStringMap(datum: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of decodeMap(datum)) {
    if (typeof k !== 'string' || typeof v !== 'string') throw new DatumError(`expected a string map, got ${describe(datum)}`);
    out[k] = v;
  }
  return out;
}

/** Decodes an optional scalar column (a set of 0 or 1 atoms), e.g. Interface.ofport_request. */
export function decodeOptional(datum: unknown): Atom | undefined {
  const set = decodeSet(datum);
  if (set.length > 1) throw new DatumError(`expected at most one value, got ${describe(datum)}`);
  return set[0];
}
