/**
 * The `_Server` database (ovsdb-server(5)): one `Database` row per database a server serves, with
 * its storage model and, for a clustered database, whether this member is connected to the
 * cluster, whether it is the leader, and the Raft log index it has applied.
 *
 * A client monitors this row to choose a usable server (as OVS's IDL does): a cluster member that
 * is not connected to the cluster serves stale data and is left for another; one whose index is
 * below an index already seen from another member is behind and is left too.
 */
import { decodeOptional } from './datum';
import type { TableMonitor } from './monitor-request';
import type { Row } from './row-change';
import { parseSchema, type DatabaseSchema } from './schema';

export const SERVER_DATABASE = '_Server';
export const SERVER_TABLE = 'Database';
export const SERVER_COLUMNS = ['name', 'model', 'connected', 'leader', 'index'] as const;

/** The part of `_Server`'s schema (OVS 2.9 and later) that the client monitors. */
export const SERVER_SCHEMA: DatabaseSchema = parseSchema({
  name: SERVER_DATABASE,
  version: '1.2.0',
  tables: {
    Database: {
      columns: {
        name: { type: 'string' },
        model: { type: { key: { type: 'string', enum: ['set', ['clustered', 'relay', 'standalone']] } } },
        connected: { type: 'boolean' },
        leader: { type: 'boolean' },
        index: { type: { key: 'integer', min: 0 } },
      },
    },
  },
});

/** The `_Server` monitor request for the row of `database`. */
export function serverMonitor(database: string): Record<string, TableMonitor> {
  return { [SERVER_TABLE]: { columns: SERVER_COLUMNS, where: [['name', '==', database]] } };
}

/** What `_Server` says about one database on the server the client is connected to. */
export interface ServerDbStatus {
  readonly model: string;
  readonly connected: boolean;
  readonly leader: boolean;
  /** Raft index applied (clustered databases only). */
  readonly index?: number;
}

/** Either the server is usable for `database`, with its status, or a reason to leave it. */
export type ServerVerdict = { readonly ok: true; readonly status: ServerDbStatus } | { readonly ok: false; readonly reason: string; readonly status?: ServerDbStatus };

/**
 * Judges a server from its `_Server.Database` rows (plain `monitor` cannot filter, so every row
 * may be there; the one named `database` counts).
 * @param minIndex the highest Raft index already seen for this database (from any member)
 */
export function judgeServer(rows: Iterable<Row>, database: string, minIndex: number | undefined): ServerVerdict {
  const row = [...rows].find((r) => r.name === database);
  if (!row) return { ok: false, reason: `the server does not serve database ${database}` };
  let index: unknown;
  try {
    index = row.index === undefined ? undefined : decodeOptional(row.index);
  } catch {
    index = undefined; // a malformed index is treated as absent
  }
  const status: ServerDbStatus = {
    model: typeof row.model === 'string' ? row.model : 'standalone',
    connected: row.connected === true,
    leader: row.leader === true,
    ...(typeof index === 'number' ? { index } : {}),
  };
  if (status.model === 'clustered') {
    if (!status.connected) return { ok: false, reason: `this cluster member is not connected to the cluster of ${database}`, status };
    if (status.index !== undefined && minIndex !== undefined && status.index < minIndex) {
      return { ok: false, reason: `this cluster member has stale data for ${database} (index ${status.index} < ${minIndex} seen before)`, status };
    }
  }
  return { ok: true, status };
}
