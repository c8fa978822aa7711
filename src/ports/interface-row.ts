/**
 * Decoding of an `Interface` row (RFC 7047 wire form) into the few columns the port table needs.
 * Never throws: a row that cannot be decoded yields `error` naming the column and what was wrong.
 */
import { DatumError, decodeAtom, decodeOptional, decodeStringMap } from '../ovsdb/datum.js';
import type { Row } from '../ovsdb/row-change.js';

export interface InterfaceColumns {
  readonly name: string;
  /** '' when the column is empty (OVS's default type, a system interface). */
  readonly type: string;
  readonly options: Readonly<Record<string, string>>;
  /** The status column (OVS-DPDK writes the interface's DPDK port id there as `port_no`). */
  readonly status: Readonly<Record<string, string>>;
  readonly ofportRequest: number | undefined;
}

export type DecodedInterface =
  | ({ readonly error?: undefined } & InterfaceColumns)
  /** `name`: the row's name when that column could be read, else undefined. */
  | { readonly error: string; readonly name: string | undefined; readonly type: string | undefined };

/**
 * Decodes columns name (required string), type (string, default ''), options and status (string maps,
 * default empty), ofport_request and ofport (optional integers; ofport is checked but not used). Other
 * columns are ignored.
 */
export function decodeInterfaceRow(row: Row): DecodedInterface {
  let name: string | undefined;
  let type: string | undefined;
  try {
    name = column(row, 'name', (d) => decodeString(d), undefined);
    type = column(row, 'type', (d) => decodeString(d), '');
    const options = column(row, 'options', decodeStringMap, {});
    const status = column(row, 'status', decodeStringMap, {});
    const ofportRequest = column(row, 'ofport_request', decodeOptionalInteger, undefined);
    column(row, 'ofport', decodeOptionalInteger, undefined);
    if (name === undefined) throw new ColumnError('name', 'the column is missing');
    return { name, type, options, status, ofportRequest };
  } catch (err) {
    if (err instanceof ColumnError) return { error: err.message, name, type };
    throw err;
  }
}

/** What the port table reads of an Interface row; filled in place by {@link readInterfaceRow}. */
export interface InterfaceFields {
  /** The name, or undefined when the name column could not be read (then `error` says why). */
  name: string | undefined;
  /** The type ('' when the column is empty or absent), or undefined when it could not be read. */
  type: string | undefined;
  /** The value of `options:hw-port-id`, undefined when the key is absent. */
  hwPortId: string | undefined;
  /** The value of `status:port_no` (the DPDK port id OVS-DPDK reports), undefined when absent. */
  portNo: string | undefined;
  ofportRequest: number | undefined;
  /** Set when the row cannot be decoded: names the column and what was wrong (as decodeInterfaceRow). */
  error: string | undefined;
}

/**
 * Reads what the port table needs of a row into `out`, with exactly the results (and errors) of
 * {@link decodeInterfaceRow}, but without allocating for a well-formed row: plain string atoms, a
 * map of strings, an optional integer given as a bare number or an empty set. Anything else takes
 * decodeInterfaceRow's path. Never throws.
 */
export function readInterfaceRow(row: Row, out: InterfaceFields): void {
  const name = row.name;
  const type = Object.hasOwn(row, 'type') ? row.type : '';
  const hw = mapValue(row, 'options', 'hw-port-id');
  const portNo = mapValue(row, 'status', 'port_no');
  if (
    typeof name === 'string' && Object.hasOwn(row, 'name') &&
    typeof type === 'string' &&
    hw !== BAD && portNo !== BAD &&
    isOptionalInteger(row, 'ofport_request') &&
    isOptionalInteger(row, 'ofport')
  ) {
    const ofportRequest = row.ofport_request;
    out.name = name;
    out.type = type;
    out.hwPortId = hw;
    out.portNo = portNo;
    out.ofportRequest = typeof ofportRequest === 'number' ? ofportRequest : undefined;
    out.error = undefined;
    return;
  }
  const decoded = decodeInterfaceRow(row);
  out.name = decoded.name;
  out.type = decoded.type;
  if (decoded.error !== undefined) {
    out.hwPortId = undefined;
    out.portNo = undefined;
    out.ofportRequest = undefined;
    out.error = decoded.error;
  } else {
    out.hwPortId = Object.hasOwn(decoded.options, 'hw-port-id') ? decoded.options['hw-port-id'] : undefined;
    out.portNo = Object.hasOwn(decoded.status, 'port_no') ? decoded.status.port_no : undefined;
    out.ofportRequest = decoded.ofportRequest;
    out.error = undefined;
  }
}

/** Marks a column that the quick path cannot read (decodeInterfaceRow decides). */
const BAD = Symbol('bad');

/** `column:key` of a well-formed string map (the last one if repeated), undefined if absent, else BAD. */
function mapValue(row: Row, column: string, wanted: string): string | undefined | typeof BAD {
  if (!Object.hasOwn(row, column)) return undefined;
  const datum = row[column];
  if (!Array.isArray(datum) || datum.length !== 2 || datum[0] !== 'map') return BAD;
  const pairs: unknown = datum[1];
  if (!Array.isArray(pairs)) return BAD;
  let found: string | undefined;
  for (let i = 0; i < pairs.length; i++) {
    const pair: unknown = pairs[i];
    if (!Array.isArray(pair) || pair.length !== 2) return BAD;
    const key: unknown = pair[0];
    const value: unknown = pair[1];
    if (typeof key !== 'string' || typeof value !== 'string') return BAD;
    if (key === wanted) found = value;
  }
  return found;
}

/** True when `column` is absent, an empty set, or one safe integer given bare. */
function isOptionalInteger(row: Row, column: string): boolean {
  if (!Object.hasOwn(row, column)) return true;
  const datum = row[column];
  if (typeof datum === 'number') return Number.isSafeInteger(datum);
  return Array.isArray(datum) && datum.length === 2 && datum[0] === 'set' && Array.isArray(datum[1]) && (datum[1] as unknown[]).length === 0;
}

class ColumnError extends Error {
  override readonly name = 'ColumnError';
  constructor(column: string, detail: string) {
    super(`column ${column}: ${detail}`);
  }
}

function column<T, D>(row: Row, name: string, decode: (datum: unknown) => T, missing: D): T | D {
  if (!Object.hasOwn(row, name)) return missing;
  try {
    return decode(row[name]);
  } catch (err) {
    if (err instanceof DatumError) throw new ColumnError(name, err.message);
    throw err;
  }
}

function decodeString(datum: unknown): string {
  const atom = decodeAtom(datum);
  if (typeof atom !== 'string') throw new DatumError(`expected a string, got ${JSON.stringify(atom)}`);
  return atom;
}

function decodeOptionalInteger(datum: unknown): number | undefined {
  const atom = decodeOptional(datum);
  if (atom !== undefined && !Number.isSafeInteger(atom)) {
    throw new DatumError(`expected an integer, got ${JSON.stringify(atom)}`);
  }
  return atom as number | undefined;
}
