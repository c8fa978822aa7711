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
  readonly ofportRequest: number | undefined;
}

export type DecodedInterface =
  | ({ readonly error?: undefined } & InterfaceColumns)
  /** `name`: the row's name when that column could be read, else undefined. */
  | { readonly error: string; readonly name: string | undefined; readonly type: string | undefined };

/**
 * Decodes columns name (required string), type (string, default ''), options (string map, default empty),
 * ofport_request and ofport (optional integers; ofport is checked but not used). Other columns are ignored.
 */
export function decodeInterfaceRow(row: Row): DecodedInterface {
  let name: string | undefined;
  let type: string | undefined;
  try {
    name = column(row, 'name', (d) => decodeString(d), undefined);
    type = column(row, 'type', (d) => decodeString(d), '');
    const options = column(row, 'options', decodeStringMap, {});
    const ofportRequest = column(row, 'ofport_request', decodeOptionalInteger, undefined);
    column(row, 'ofport', decodeOptionalInteger, undefined);
    if (name === undefined) throw new ColumnError('name', 'the column is missing');
    return { name, type, options, ofportRequest };
  } catch (err) {
    if (err instanceof ColumnError) return { error: err.message, name, type };
    throw err;
  }
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
