/**
 * OVSDB database schemas (RFC 7047 §3.2), as `get_schema` returns them, reduced to what a
 * monitoring client needs: the tables, their columns and each column's type.
 *
 * The column type decides how a datum is encoded and how an `update2` diff applies to it
 * (src/ovsdb/cache-datum.ts), and what value a column has when `update2` leaves it out
 * (`defaultDatum`).
 */

/** Raised when a schema document does not have the shape RFC 7047 §3.2 describes. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
}

export const ATOMIC_TYPES = ['integer', 'real', 'boolean', 'string', 'uuid'] as const;
export type AtomicType = (typeof ATOMIC_TYPES)[number];

/** The type of a column's keys or values. Constraints (enum, ranges) are not kept. */
export interface BaseType {
  readonly type: AtomicType;
  /** For uuid columns that reference another table. */
  readonly refTable?: string;
}

/**
 * A column type. `max` is `Infinity` for "unlimited". A column is
 * - a scalar when it has no `value`, `min` = `max` = 1;
 * - a map when it has a `value`;
 * - a set otherwise (including optional scalars: min 0, max 1).
 */
export interface ColumnType {
  readonly key: BaseType;
  readonly value?: BaseType;
  readonly min: number;
  readonly max: number;
}

export interface TableSchema {
  readonly name: string;
  /** Column name -> type; includes the implicit `_uuid` and `_version` columns. */
  readonly columns: ReadonlyMap<string, ColumnType>;
}

export interface DatabaseSchema {
  readonly name: string;
  readonly version: string;
  readonly tables: ReadonlyMap<string, TableSchema>;
}

export type ColumnKind = 'scalar' | 'set' | 'map';

/** How a column's datums are encoded: a bare atom, a set, or a map. */
export function columnKind(type: ColumnType): ColumnKind {
  if (type.value) return 'map';
  return type.min === 1 && type.max === 1 ? 'scalar' : 'set';
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The default atom of an atomic type (RFC 7047 §5.1: 0, 0.0, false, "", the all-zero uuid). */
export function defaultAtom(type: AtomicType): unknown {
  switch (type) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ['uuid', ZERO_UUID];
  }
}

/**
 * The default value of a column in wire form, as ovsdb-server assumes it when an `update2`
 * `initial`/`insert` leaves the column out: empty for min 0; otherwise one default atom (or one
 * default key/value pair).
 */
export function defaultDatum(type: ColumnType): unknown {
  const kind = columnKind(type);
  if (kind === 'scalar') return defaultAtom(type.key.type);
  if (kind === 'map') {
    return ['map', type.min === 0 ? [] : [[defaultAtom(type.key.type), defaultAtom(type.value!.type)]]];
  }
  return type.min === 0 ? ['set', []] : defaultAtom(type.key.type);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseBaseType(json: unknown, where: string): BaseType {
  if (typeof json === 'string') {
    if (!(ATOMIC_TYPES as readonly string[]).includes(json)) throw new SchemaError(`${where}: unknown atomic type "${json}"`);
    return { type: json as AtomicType };
  }
  if (!isRecord(json)) throw new SchemaError(`${where}: expected an atomic type name or an object, got ${JSON.stringify(json)}`);
  const base = parseBaseType(json.type, where);
  return typeof json.refTable === 'string' ? { type: base.type, refTable: json.refTable } : base;
}

function parseLimit(json: unknown, fallback: number, where: string, allowUnlimited: boolean): number {
  if (json === undefined) return fallback;
  if (allowUnlimited && json === 'unlimited') return Infinity;
  if (typeof json !== 'number' || !Number.isInteger(json) || json < 0) throw new SchemaError(`${where}: bad limit ${JSON.stringify(json)}`);
  return json;
}

/** Parses a column type (`"integer"` or `{key, value?, min?, max?}`). */
export function parseColumnType(json: unknown, where = 'column type'): ColumnType {
  if (typeof json === 'string') return { key: parseBaseType(json, where), min: 1, max: 1 };
  if (!isRecord(json)) throw new SchemaError(`${where}: expected a type name or an object, got ${JSON.stringify(json)}`);
  const key = parseBaseType(json.key, `${where} key`);
  const value = json.value === undefined ? undefined : parseBaseType(json.value, `${where} value`);
  const min = parseLimit(json.min, 1, `${where} min`, false);
  const max = parseLimit(json.max, 1, `${where} max`, true);
  if (min > 1 || max < 1 || min > max) throw new SchemaError(`${where}: min ${min} / max ${max} out of range`);
  return value ? { key, value, min, max } : { key, min, max };
}

const IMPLICIT_COLUMNS: ReadonlyArray<[string, ColumnType]> = [
  ['_uuid', { key: { type: 'uuid' }, min: 1, max: 1 }],
  ['_version', { key: { type: 'uuid' }, min: 1, max: 1 }],
];

/**
 * Parses a database schema (the result of `get_schema`).
 * @throws SchemaError naming the table/column whose definition is malformed.
 */
export function parseSchema(json: unknown): DatabaseSchema {
  if (!isRecord(json)) throw new SchemaError(`schema: expected an object, got ${JSON.stringify(json)?.slice(0, 80)}`);
  if (typeof json.name !== 'string') throw new SchemaError('schema: missing "name"');
  if (!isRecord(json.tables)) throw new SchemaError(`schema ${json.name}: missing "tables"`);
  const tables = new Map<string, TableSchema>();
  for (const [tableName, tableJson] of Object.entries(json.tables)) {
    if (!isRecord(tableJson) || !isRecord(tableJson.columns)) throw new SchemaError(`schema ${json.name}: table ${tableName} has no "columns"`);
    const columns = new Map<string, ColumnType>(IMPLICIT_COLUMNS);
    for (const [columnName, columnJson] of Object.entries(tableJson.columns)) {
      const where = `schema ${json.name}: column ${tableName}.${columnName}`;
      if (!isRecord(columnJson)) throw new SchemaError(`${where}: expected an object`);
      columns.set(columnName, parseColumnType(columnJson.type, where));
    }
    tables.set(tableName, { name: tableName, columns });
  }
  return { name: json.name, version: typeof json.version === 'string' ? json.version : '', tables };
}
