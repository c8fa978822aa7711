/**
 * Row changes as the OVSDB client emits them, one per row per update, in the order the server sent
 * them. Rows are in RFC 7047 wire form (each column a JSON datum: atom, ["set", [...]],
 * ["map", [[k, v], ...]], ["uuid", "..."]); src/ovsdb/datum.ts decodes them.
 */

/** A table row: column name -> datum in wire form. Only the monitored columns are present. */
export type Row = Record<string, unknown>;

/**
 * - `initial`: the row was there when the monitor started (or restarted after a reconnect that
 *   could not resume; see `resync`).
 * - `insert`, `modify`, `delete`: a change committed after the monitor started.
 */
export type RowEvent = 'initial' | 'insert' | 'modify' | 'delete';

export interface RowChange {
  event: RowEvent;
  table: string;
  uuid: string;
  /** The row after the change (for `delete`: the row as it was before deletion), all monitored columns. */
  row: Row;
  /** For `modify`: the previous values of the columns that changed. */
  old?: Row;
}
