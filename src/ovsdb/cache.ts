/**
 * The client's copy of the monitored part of a database: for each monitored table, uuid -> the
 * full row (every monitored column, in canonical wire form; see cache-datum.ts).
 *
 * It applies parsed monitor updates ({@link RowUpdate}) and says what changed as {@link RowChange}s,
 * in the order the server sent the rows. It never throws on bad server data: a row or column that
 * cannot be applied is skipped and reported in `problems` (as OVS's own IDL warns and goes on).
 *
 * Rows held and handed out are frozen and shared: callers must not (and cannot) modify them.
 */
import { applyDatumDiff, canonicalDatum, jsonEqual } from './cache-datum';
import type { RowUpdate } from './monitor-updates';
import type { Row, RowChange } from './row-change';
import { defaultDatum, type ColumnType, type DatabaseSchema } from './schema';
import { SchemaMismatchError } from './schema-check';

/** What applying updates did. */
export interface CacheResult {
  /** One change per row that really changed, in server order. */
  changes: RowChange[];
  /** Updates that could not be applied (skipped), one sentence each, for a warning. */
  problems: string[];
}

type Table = Map<string, Row>;

/** A monitored column: its type and its canonical default value. */
interface ColumnInfo {
  readonly type: ColumnType;
  readonly dflt: unknown;
}

export class DatabaseCache {
  private readonly data = new Map<string, Table>();
  private types = new Map<string, Map<string, ColumnInfo>>();
  private everSynced = false;

  /** @param tables table -> columns kept in the cache (other columns in updates are ignored) */
  constructor(private readonly monitored: Readonly<Record<string, readonly string[]>>) {
    for (const table of Object.keys(monitored)) this.data.set(table, new Map());
  }

  /**
   * Takes the column types from the server's schema. Must be called before the first update and
   * whenever a new connection brings a (possibly different) schema.
   * @throws SchemaMismatchError when the schema lacks a monitored table or column
   */
  setSchema(schema: DatabaseSchema): void {
    const types = new Map<string, Map<string, ColumnInfo>>();
    const missing: string[] = [];
    for (const [table, columns] of Object.entries(this.monitored)) {
      const t = schema.tables.get(table);
      if (!t) {
        missing.push(table);
        continue;
      }
      const m = new Map<string, ColumnInfo>();
      for (const c of columns) {
        const type = t.columns.get(c);
        if (type) m.set(c, { type, dflt: canonicalDatum(type, defaultDatum(type)) });
        else missing.push(`${table}.${c}`);
      }
      types.set(table, m);
    }
    if (missing.length > 0) throw new SchemaMismatchError(schema.name, missing);
    this.types = types;
  }

  /** True once a full snapshot has been applied (later snapshots are diffed, not `initial`). */
  get hasSynced(): boolean {
    return this.everSynced;
  }

  /** A copy of one table's index (uuid -> frozen row); empty for a table that is not monitored. */
  snapshot(table: string): Map<string, Row> {
    return new Map(this.data.get(table));
  }

  /** Number of rows held in `table`. */
  size(table: string): number {
    return this.data.get(table)?.size ?? 0;
  }

  /**
   * Applies incremental updates (a notification, or a `monitor_cond_since` reply with found=true).
   * `initial`/`insert` of a new row gives `initial`/`insert`; of a row already held, `modify`.
   */
  apply(updates: readonly RowUpdate[]): CacheResult {
    const result: CacheResult = { changes: [], problems: [] };
    for (const u of updates) {
      const table = this.data.get(u.table);
      const types = this.types.get(u.table);
      if (!table || !types) {
        result.problems.push(`update for table ${u.table}, which is not monitored`);
        continue;
      }
      const old = table.get(u.uuid);
      if (u.op === 'delete') {
        if (!old) result.problems.push(`cannot delete ${u.table} row ${u.uuid}: not in the cache`);
        else {
          table.delete(u.uuid);
          result.changes.push({ event: 'delete', table: u.table, uuid: u.uuid, row: old });
        }
        continue;
      }
      let row: Row | undefined;
      if (u.op === 'modify') {
        if (!old) {
          if (u.diff) {
            result.problems.push(`cannot modify ${u.table} row ${u.uuid}: not in the cache`);
            continue;
          }
          row = this.buildRow(u, types, result.problems);
        } else row = this.modifyRow(old, u, types, result.problems);
      } else row = this.buildRow(u, types, result.problems);
      if (!row) continue;
      if (old) {
        const change = modifyChange(u.table, u.uuid, old, row);
        if (change) {
          table.set(u.uuid, row);
          result.changes.push(change);
        }
      } else {
        table.set(u.uuid, row);
        result.changes.push({ event: u.op === 'initial' ? 'initial' : 'insert', table: u.table, uuid: u.uuid, row });
      }
    }
    return result;
  }

  /**
   * Replaces the contents with a full snapshot (a monitor reply that is not a resumption) and
   * returns only the differences: rows gone as `delete`, changed as `modify`, new as `insert` —
   * or, for the very first snapshot, every row as `initial`. Per table: deletes first, then the
   * other changes in snapshot order.
   */
  resync(snapshot: readonly RowUpdate[]): CacheResult {
    const result: CacheResult = { changes: [], problems: [] };
    const fresh = new Map<string, Table>();
    for (const table of this.data.keys()) fresh.set(table, new Map());
    for (const u of snapshot) {
      const table = fresh.get(u.table);
      const types = this.types.get(u.table);
      if (!table || !types) {
        result.problems.push(`snapshot row for table ${u.table}, which is not monitored`);
        continue;
      }
      if (u.op !== 'initial' && u.op !== 'insert') {
        result.problems.push(`snapshot holds a "${u.op}" for ${u.table} row ${u.uuid}`);
        continue;
      }
      const row = this.buildRow(u, types, result.problems);
      if (row) table.set(u.uuid, row);
    }
    const first = !this.everSynced;
    for (const [name, next] of fresh) {
      const prev = this.data.get(name)!;
      if (!first) {
        for (const [uuid, row] of prev) if (!next.has(uuid)) result.changes.push({ event: 'delete', table: name, uuid, row });
      }
      for (const [uuid, row] of next) {
        const old = first ? undefined : prev.get(uuid);
        if (!old) result.changes.push({ event: first ? 'initial' : 'insert', table: name, uuid, row });
        else {
          const change = modifyChange(name, uuid, old, row);
          if (change) result.changes.push(change);
          else next.set(uuid, old); // keep the identical row object already handed out
        }
      }
      this.data.set(name, next);
    }
    this.everSynced = true;
    return result;
  }

  /** A full row from `initial`/`insert` (or `update`'s new values): defaults, then the given columns. */
  private buildRow(u: RowUpdate, types: Map<string, ColumnInfo>, problems: string[]): Row | undefined {
    const row: Row = {};
    for (const [column, { type, dflt }] of types) {
      if (!Object.hasOwn(u.columns, column)) {
        row[column] = dflt;
        continue;
      }
      try {
        row[column] = canonicalDatum(type, u.columns[column]);
      } catch (err) {
        problems.push(`${u.table} row ${u.uuid} skipped: column ${column}: ${(err as Error).message}`);
        return undefined;
      }
    }
    return Object.freeze(row);
  }

  private modifyRow(old: Row, u: RowUpdate, types: Map<string, ColumnInfo>, problems: string[]): Row | undefined {
    const row: Row = { ...old };
    for (const [column, { type }] of types) {
      if (!Object.hasOwn(u.columns, column)) continue;
      const datum = u.columns[column];
      try {
        row[column] = u.diff ? applyDatumDiff(type, old[column], datum) : canonicalDatum(type, datum);
      } catch (err) {
        problems.push(`${u.table} row ${u.uuid} modification skipped: column ${column}: ${(err as Error).message}`);
        return undefined;
      }
    }
    return Object.freeze(row);
  }
}

/** A `modify` change from `old` to `row`, with `old` holding the previous values of changed columns; undefined if nothing changed. */
function modifyChange(table: string, uuid: string, old: Row, row: Row): RowChange | undefined {
  let before: Row | undefined;
  for (const column of Object.keys(row)) {
    if (!jsonEqual(old[column], row[column])) (before ??= {})[column] = old[column];
  }
  return before ? { event: 'modify', table, uuid, row, old: Object.freeze(before) } : undefined;
}
