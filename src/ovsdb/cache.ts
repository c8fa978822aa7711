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
import { adoptDatum, applyDatumDiff, canonicalDatum, jsonEqual } from './cache-datum';
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

/** The monitored columns of one table, in monitored order, with their types and canonical defaults. */
interface TableColumns {
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
  readonly defaults: readonly unknown[];
}

export class DatabaseCache {
  private readonly data = new Map<string, Table>();
  private types = new Map<string, TableColumns>();
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
    const types = new Map<string, TableColumns>();
    const missing: string[] = [];
    for (const [table, columns] of Object.entries(this.monitored)) {
      const t = schema.tables.get(table);
      if (!t) {
        missing.push(table);
        continue;
      }
      const m: { names: string[]; types: ColumnType[]; defaults: unknown[] } = { names: [], types: [], defaults: [] };
      for (const c of columns) {
        const type = t.columns.get(c);
        if (!type) {
          missing.push(`${table}.${c}`);
          continue;
        }
        m.names.push(c);
        m.types.push(type);
        m.defaults.push(canonicalDatum(type, defaultDatum(type)));
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
    // A callback per update rather than a loop here: a loop over a large resumption would be compiled on the
    // spot (V8 on-stack replacement) and that code reused, failing, for every later small update.
    updates.forEach((u) => this.applyOne(u, result));
    return result;
  }

  private applyOne(u: RowUpdate, result: CacheResult): void {
    const table = this.data.get(u.table);
    const types = this.types.get(u.table);
    if (!table || !types) {
      result.problems.push(`update for table ${u.table}, which is not monitored`);
      return;
    }
    const old = table.get(u.uuid);
    if (u.op === 'delete') {
      if (!old) result.problems.push(`cannot delete ${u.table} row ${u.uuid}: not in the cache`);
      else {
        table.delete(u.uuid);
        result.changes.push({ event: 'delete', table: u.table, uuid: u.uuid, row: old });
      }
      return;
    }
    let row: Row | undefined;
    if (u.op === 'modify') {
      if (!old) {
        if (u.diff) {
          result.problems.push(`cannot modify ${u.table} row ${u.uuid}: not in the cache`);
          return;
        }
        row = this.buildRow(u, types, result.problems);
      } else row = this.modifyRow(old, u, types, result.problems);
    } else row = this.buildRow(u, types, result.problems);
    if (!row) return;
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

  /**
   * Replaces the contents with a full snapshot (a monitor reply that is not a resumption) and
   * returns only the differences: rows gone as `delete`, changed as `modify`, new as `insert` —
   * or, for the very first snapshot, every row as `initial`. Per table: deletes first, then the
   * other changes in snapshot order.
   */
  resync(snapshot: readonly RowUpdate[]): CacheResult {
    const result: CacheResult = { changes: [], problems: [] };
    const first = !this.everSynced;
    // Per table: the new index and, for the first snapshot, the `initial` changes in snapshot order.
    const fresh = new Map<string, { rows: Table; initial: RowChange[] }>();
    for (const table of this.data.keys()) fresh.set(table, { rows: new Map(), initial: [] });
    let last: { name: string; rows: Table; initial: RowChange[]; columns: TableColumns } | undefined;
    for (let i = 0; i < snapshot.length; i++) {
      const u = snapshot[i];
      if (last?.name !== u.table) {
        const target = fresh.get(u.table);
        const columns = this.types.get(u.table);
        if (!target || !columns) {
          result.problems.push(`snapshot row for table ${u.table}, which is not monitored`);
          continue;
        }
        last = { name: u.table, rows: target.rows, initial: target.initial, columns };
      }
      if (u.op !== 'initial' && u.op !== 'insert') {
        result.problems.push(`snapshot holds a "${u.op}" for ${u.table} row ${u.uuid}`);
        continue;
      }
      const row = this.buildRow(u, last.columns, result.problems);
      if (!row) continue;
      last.rows.set(u.uuid, row);
      if (first) last.initial.push({ event: 'initial', table: u.table, uuid: u.uuid, row });
    }
    for (const [name, { rows: next, initial }] of fresh) {
      if (first) {
        // A row repeated in the snapshot is listed once, with its last value, where it first appeared.
        if (initial.length !== next.size) this.pushInitial(result.changes, name, next);
        else if (result.changes.length === 0) result.changes = initial;
        else for (const change of initial) result.changes.push(change);
      } else {
        const prev = this.data.get(name)!;
        for (const [uuid, row] of prev) if (!next.has(uuid)) result.changes.push({ event: 'delete', table: name, uuid, row });
        for (const [uuid, row] of next) {
          const old = prev.get(uuid);
          if (!old) result.changes.push({ event: 'insert', table: name, uuid, row });
          else {
            const change = modifyChange(name, uuid, old, row);
            if (change) result.changes.push(change);
            else next.set(uuid, old); // keep the identical row object already handed out
          }
        }
      }
      this.data.set(name, next);
    }
    this.everSynced = true;
    return result;
  }

  private pushInitial(changes: RowChange[], table: string, rows: Table): void {
    for (const [uuid, row] of rows) changes.push({ event: 'initial', table, uuid, row });
  }

  /**
   * A full row from `initial`/`insert` (or `update`'s new values): defaults, then the given columns.
   * The server's datums are kept (frozen) when they are canonical, as they normally are.
   */
  private buildRow(u: RowUpdate, columns: TableColumns, problems: string[]): Row | undefined {
    const row: Row = {};
    const given = u.columns;
    const { names, types, defaults } = columns;
    for (let i = 0; i < names.length; i++) {
      const column = names[i];
      const datum = given[column];
      if (datum === undefined || !Object.hasOwn(given, column)) {
        row[column] = defaults[i];
        continue;
      }
      try {
        row[column] = adoptDatum(types[i], datum);
      } catch (err) {
        problems.push(`${u.table} row ${u.uuid} skipped: column ${column}: ${(err as Error).message}`);
        return undefined;
      }
    }
    return Object.freeze(row);
  }

  private modifyRow(old: Row, u: RowUpdate, columns: TableColumns, problems: string[]): Row | undefined {
    const row: Row = { ...old };
    const given = u.columns;
    const { names, types } = columns;
    for (let i = 0; i < names.length; i++) {
      const column = names[i];
      const datum = given[column];
      if (datum === undefined || !Object.hasOwn(given, column)) continue;
      try {
        row[column] = u.diff ? applyDatumDiff(types[i], old[column], datum) : adoptDatum(types[i], datum);
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
