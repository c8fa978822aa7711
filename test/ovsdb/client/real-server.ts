/**
 * Helpers for the client tests against real ovsdb-server processes.
 */
import fs from 'node:fs';
import type { ExecutionContext } from 'ava';
import { OvsdbClient } from '../../../src/ovsdb/client';
import { ReliableSession } from '../../../src/ovsdb/reliable-session';
import type { Row, RowChange } from '../../../src/ovsdb/row-change';
import { run, waitFor } from '../../../src/sandbox/processes';

export const COLUMNS = ['name', 'type', 'options', 'ofport_request', 'ofport', 'external_ids', 'error'];

export interface Watched {
  client: OvsdbClient;
  session: ReliableSession;
  batches: RowChange[][];
  /** Every state the client went through, as one line each (for t.log on failure). */
  states: string[];
}

/** A started client on `remotes` that records every batch; stopped at the end of the test. */
export function watch(t: ExecutionContext, remotes: string): Watched {
  const session = new ReliableSession(remotes, { minBackoffMs: 100, maxBackoffMs: 400, probeIntervalMs: 1000 });
  const client = new OvsdbClient({ session, tables: { Interface: COLUMNS } });
  const batches: RowChange[][] = [];
  client.updates$.subscribe((b) => batches.push(b));
  const states: string[] = [];
  client.state$.subscribe((s) => states.push(JSON.stringify(s)));
  t.teardown(() => client.stop());
  client.start();
  return { client, session, batches, states };
}

/** Waits for a batch (at index >= `from`) that has a change matching `pred`; returns that change. */
export function changeWhere(w: Watched, what: string, pred: (c: RowChange) => boolean, from = 0): Promise<RowChange> {
  return waitFor(what, () => w.batches.slice(from).flat().find(pred), 15_000);
}

/** Waits until the client reports a state matching `pred`. */
export async function stateWhere(w: Watched, what: string, pred: (s: OvsdbClient['state']) => boolean, timeoutMs = 20_000): Promise<OvsdbClient['state']> {
  try {
    return await waitFor(what, () => (pred(w.client.state) ? w.client.state : undefined), timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the last states:\n${w.states.slice(-12).join('\n')}`);
  }
}

/** Interface rows as the database holds them (via ovsdb-client dump), keyed by uuid, monitored columns only. */
export async function dumpInterfaces(remote: string): Promise<Map<string, Row>> {
  const out = await run('ovsdb-client', ['--timeout=10', '-f', 'json', 'dump', remote, 'Open_vSwitch', 'Interface', '_uuid', ...COLUMNS]);
  const table = JSON.parse(out) as { headings: string[]; data: unknown[][] } | Array<{ headings: string[]; data: unknown[][] }>;
  const t = Array.isArray(table) ? table[0] : table;
  const rows = new Map<string, Row>();
  for (const values of t.data) {
    const row: Row = {};
    t.headings.forEach((h, i) => (row[h] = values[i]));
    const uuid = (row._uuid as [string, string])[1];
    delete row._uuid;
    rows.set(uuid, row);
  }
  return sorted(rows);
}

function sorted(rows: Map<string, Row>): Map<string, Row> {
  return new Map([...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The client's Interface snapshot as plain JSON (for comparison with dumpInterfaces). */
export function snapshotJson(w: Watched): Map<string, Row> {
  return sorted(new Map([...w.client.snapshot('Interface')].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as Row])));
}

/** Options of a row as a plain object. */
export function optionsOf(row: Row): Record<string, string> {
  return Object.fromEntries((row.options as ['map', Array<[string, string]>])[1]);
}

/** Removes a server's private directory once `stopped` has settled (for t.teardown). */
export async function removeAfter(dir: string, stopped: Promise<unknown>): Promise<void> {
  await stopped;
  fs.rmSync(dir, { recursive: true, force: true });
}
