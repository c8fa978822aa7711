/**
 * Monitor requests (RFC 7047 §4.1.5 `monitor`, and OVS's `monitor_cond` and `monitor_cond_since`
 * from ovsdb-server(7)), as pure functions that build the `params` of each method.
 */

/** The monitor methods, newest first: the order in which a client tries them. */
export const MONITOR_METHODS = ['monitor_cond_since', 'monitor_cond', 'monitor'] as const;
export type MonitorMethod = (typeof MONITOR_METHODS)[number];

/** The `last-txn-id` that means "no transaction seen": the server answers with a full snapshot. */
export const ZERO_TXN_ID = '00000000-0000-0000-0000-000000000000';

/** A condition clause `[column, function, value]`, e.g. `["name", "==", "Open_vSwitch"]`. */
export type Condition = readonly [string, string, unknown];

/** What to monitor in one table. */
export interface TableMonitor {
  readonly columns: readonly string[];
  /**
   * Rows to monitor (conjunction of clauses) for `monitor_cond` and `monitor_cond_since`; all rows
   * when absent. Plain `monitor` cannot filter: the caller filters the rows it gets.
   */
  readonly where?: readonly Condition[];
}

/**
 * The `params` of a monitor request.
 * - `monitor`:            [db, monitor-id, {table: {columns}}]
 * - `monitor_cond`:       [db, monitor-id, {table: [{columns, where?}]}]
 * - `monitor_cond_since`: [db, monitor-id, {table: [{columns, where?}]}, last-txn-id]
 * @param lastTxnId for `monitor_cond_since`: the last transaction the client has (ZERO_TXN_ID if none)
 */
export function monitorParams(method: MonitorMethod, database: string, monitorId: string, tables: Readonly<Record<string, TableMonitor>>, lastTxnId: string = ZERO_TXN_ID): unknown[] {
  const requests: Record<string, unknown> = {};
  for (const [table, t] of Object.entries(tables)) {
    if (method === 'monitor') requests[table] = { columns: [...t.columns] };
    else requests[table] = [t.where ? { columns: [...t.columns], where: t.where.map((c) => [...c]) } : { columns: [...t.columns] }];
  }
  const params: unknown[] = [database, monitorId, requests];
  if (method === 'monitor_cond_since') params.push(lastTxnId);
  return params;
}
