/**
 * Parsing of monitor replies and update notifications into one neutral form, {@link RowUpdate},
 * that the cache applies. Pure functions; no I/O.
 *
 * Wire forms (RFC 7047 §4.1.5-6, ovsdb-server(7)):
 * - `monitor` reply: table-updates `{table: {uuid: {old?, new?}}}`; notification
 *   `update [monitor-id, table-updates]`.
 * - `monitor_cond` reply: table-updates2 `{table: {uuid: {initial|insert|modify|delete: row|null}}}`;
 *   notification `update2 [monitor-id, table-updates2]`.
 * - `monitor_cond_since` reply: `[found, last-txn-id, table-updates2]`; notification
 *   `update3 [monitor-id, last-txn-id, table-updates2]`.
 * - `monitor_canceled [monitor-id]`: the server dropped the monitor (e.g. the database changed).
 */
import type { RpcNotification } from './rpc-channel';
import type { Row } from './row-change';
import type { MonitorMethod } from './monitor-request';

/** A reply or notification that does not have the shape its method promises. */
export class MonitorProtocolError extends Error {
  override readonly name = 'MonitorProtocolError';
}

export type RowOp = 'initial' | 'insert' | 'modify' | 'delete';

/** One row's change, whatever the monitor method. */
export interface RowUpdate {
  readonly table: string;
  /** Lower-case row uuid. */
  readonly uuid: string;
  readonly op: RowOp;
  /**
   * `initial`/`insert`: the row's columns (update2 leaves out columns that hold their default).
   * `modify`: the changed columns, as update2 diffs (`diff` true) or as new values (`diff` false,
   * from `update`, which may also carry unchanged columns). `delete`: empty.
   */
  readonly columns: Row;
  readonly diff: boolean;
}

export interface MonitorReply {
  /** `monitor_cond_since` only: true when the reply holds just the changes after the client's last-txn-id. */
  readonly found: boolean;
  /** `monitor_cond_since` only: the id of the last transaction the reply reflects. */
  readonly lastTxnId?: string;
  readonly updates: RowUpdate[];
}

export type MonitorNotification =
  | { readonly kind: 'update'; readonly method: 'update' | 'update2' | 'update3'; readonly monitorId: unknown; readonly lastTxnId?: string; readonly updates: RowUpdate[] }
  | { readonly kind: 'canceled'; readonly monitorId: unknown };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Checks the outer `{table: {uuid: ...}}` shape; calls `each` for every row, in server order. */
function forEachRow(json: unknown, where: string, each: (table: string, uuid: string, rowJson: unknown) => void): void {
  if (!isRecord(json)) throw new MonitorProtocolError(`${where}: expected an object of tables, got ${describe(json)}`);
  for (const table of Object.keys(json)) {
    const tableJson = json[table];
    if (!isRecord(tableJson)) throw new MonitorProtocolError(`${where}: table ${table}: expected an object of rows, got ${describe(tableJson)}`);
    // forEach, not a loop here: see DatabaseCache.apply (a loop compiled for a large reply fails on later updates).
    Object.keys(tableJson).forEach((uuid) => {
      if (!isUuid(uuid)) throw new MonitorProtocolError(`${where}: table ${table}: "${uuid}" is not a row uuid`);
      each(table, lowerUuid(uuid), tableJson[uuid]);
    });
  }
}

/** True for a uuid in its 36-character text form (either case). */
function isUuid(text: string): boolean {
  return text.length === 36 && UUID_RE.test(text);
}

/** ovsdb-server sends lower-case uuids: only convert (and allocate) when there is an upper-case digit. */
function lowerUuid(uuid: string): string {
  return /[A-F]/.test(uuid) ? uuid.toLowerCase() : uuid;
}

function rowObject(json: unknown, where: () => string): Row {
  if (!isRecord(json)) throw new MonitorProtocolError(`${where()}: expected a row object, got ${describe(json)}`);
  return json;
}

/**
 * Parses RFC 7047 table-updates (`monitor`).
 * @param inReply true for the monitor reply, whose rows are `initial`; in notifications a row with
 *   only `new` is an `insert`.
 */
export function parseTableUpdates(json: unknown, inReply: boolean): RowUpdate[] {
  const out: RowUpdate[] = [];
  forEachRow(json, 'table-updates', (table, uuid, u) => {
    const where = (): string => `table-updates: ${table} ${uuid}`;
    if (!isRecord(u)) throw new MonitorProtocolError(`${where()}: expected {old?, new?}, got ${describe(u)}`);
    if (u.new !== undefined) {
      const columns = rowObject(u.new, where);
      if (u.old === undefined) out.push({ table, uuid, op: inReply ? 'initial' : 'insert', columns, diff: false });
      else {
        rowObject(u.old, where);
        out.push({ table, uuid, op: 'modify', columns, diff: false });
      }
    } else if (u.old !== undefined) out.push({ table, uuid, op: 'delete', columns: NO_COLUMNS, diff: false });
    else throw new MonitorProtocolError(`${where()}: neither "old" nor "new"`);
  });
  return out;
}

/** The `columns` of a delete: empty, shared. */
const NO_COLUMNS: Row = Object.freeze({});

/** Parses table-updates2 (`monitor_cond`, `monitor_cond_since`, `update2`, `update3`). */
export function parseTableUpdates2(json: unknown): RowUpdate[] {
  const out: RowUpdate[] = [];
  forEachRow(json, 'table-updates2', (table, uuid, u) => {
    // The common shapes first, without building an error context: {initial|insert|modify: {...}}, {delete: null}.
    if (isRecord(u)) {
      let op: RowOp | undefined;
      let count = 0;
      for (const key in u) {
        if (!Object.hasOwn(u, key)) continue;
        count++;
        op = key as RowOp;
      }
      if (count === 1) {
        switch (op) {
          case 'initial':
          case 'insert':
          case 'modify': {
            const columns = u[op];
            if (isRecord(columns)) {
              out.push({ table, uuid, op, columns, diff: op === 'modify' });
              return;
            }
            break;
          }
          case 'delete':
            out.push({ table, uuid, op, columns: NO_COLUMNS, diff: false });
            return;
        }
      }
    }
    throw badUpdate2(table, uuid, u);
  });
  return out;
}

/** The error for a row of table-updates2 that does not have one of the four shapes. */
function badUpdate2(table: string, uuid: string, u: unknown): MonitorProtocolError {
  const where = `table-updates2: ${table} ${uuid}`;
  if (!isRecord(u)) return new MonitorProtocolError(`${where}: expected {<op>: <row>}, got ${describe(u)}`);
  const ops = Object.keys(u);
  if (ops.length !== 1) return new MonitorProtocolError(`${where}: expected exactly one of initial, insert, modify, delete, got ${describe(u)}`);
  const op = ops[0];
  if (op === 'initial' || op === 'insert' || op === 'modify') return new MonitorProtocolError(`${where}: expected a row object, got ${describe(u[op])}`);
  return new MonitorProtocolError(`${where}: unknown row operation "${op}"`);
}

function txnId(json: unknown, where: string): string {
  if (typeof json !== 'string' || !isUuid(json)) throw new MonitorProtocolError(`${where}: expected a transaction id (uuid), got ${describe(json)}`);
  return lowerUuid(json);
}

/**
 * Parses the result of a monitor request of `method`.
 * @throws MonitorProtocolError when the result does not have the method's shape.
 */
export function parseMonitorReply(method: MonitorMethod, result: unknown): MonitorReply {
  switch (method) {
    case 'monitor':
      return { found: false, updates: parseTableUpdates(result, true) };
    case 'monitor_cond':
      return { found: false, updates: parseTableUpdates2(result) };
    case 'monitor_cond_since': {
      if (!Array.isArray(result) || result.length !== 3 || typeof result[0] !== 'boolean') {
        throw new MonitorProtocolError(`monitor_cond_since reply: expected [found, last-txn-id, table-updates2], got ${describe(result)}`);
      }
      return { found: result[0], lastTxnId: txnId(result[1], 'monitor_cond_since reply'), updates: parseTableUpdates2(result[2]) };
    }
  }
}

/**
 * Parses a notification from the server. Returns undefined for methods that are not about
 * monitors (the caller ignores them).
 * @throws MonitorProtocolError when a monitor notification is malformed.
 */
export function parseMonitorNotification(n: RpcNotification): MonitorNotification | undefined {
  const p = n.params;
  switch (n.method) {
    case 'update':
      if (!Array.isArray(p) || p.length !== 2) throw new MonitorProtocolError(`update: expected [monitor-id, table-updates], got ${describe(p)}`);
      return { kind: 'update', method: 'update', monitorId: p[0], updates: parseTableUpdates(p[1], false) };
    case 'update2':
      if (!Array.isArray(p) || p.length !== 2) throw new MonitorProtocolError(`update2: expected [monitor-id, table-updates2], got ${describe(p)}`);
      return { kind: 'update', method: 'update2', monitorId: p[0], updates: parseTableUpdates2(p[1]) };
    case 'update3':
      if (!Array.isArray(p) || p.length !== 3) throw new MonitorProtocolError(`update3: expected [monitor-id, last-txn-id, table-updates2], got ${describe(p)}`);
      return { kind: 'update', method: 'update3', monitorId: p[0], lastTxnId: txnId(p[1], 'update3'), updates: parseTableUpdates2(p[2]) };
    case 'monitor_canceled':
      if (!Array.isArray(p) || p.length !== 1) throw new MonitorProtocolError(`monitor_canceled: expected [monitor-id], got ${describe(p)}`);
      return { kind: 'canceled', monitorId: p[0] };
    default:
      return undefined;
  }
}
