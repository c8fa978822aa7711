/**
 * OVSDB benchmarks (issue "agent beside a real ovsdb-server"), each measured in the same run for
 * ovs-hwol's client + port derivation and for OVS's own Python IDL (python3-openvswitch), both as
 * processes of their own monitoring the same real ovsdb-server:
 *  - initial sync of ROWS Interface rows, from connect to the complete map (median of RUNS runs);
 *    also the whole-process time of the C `ovsdb-client dump` of the same rows;
 *  - latency from a commit (its transact reply, on one persistent connection) to the changed map,
 *    median and p99 over CHANGES changes.
 * Sizes: `ovsdb.rows` (10000; quick 1000), `ovsdb.changes` (1000; quick 100), `ovsdb.runs` (5; quick 2).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { JsonRpcConnection } from '../src/ovsdb/connection';
import { connectRemote, parseRemote } from '../src/ovsdb/remote';
import { startOvsdbServer, VSWITCH_SCHEMA, type OvsdbServer } from '../src/sandbox/ovsdb-server';
import { run } from '../src/sandbox/processes';
import { median, percentile, size, type Benchmark, type BenchOptions, type BenchResult } from './types';

const PYTHON = '/usr/bin/python3';
const PEERS = path.join(__dirname, 'peers');
const PY_PEER = path.resolve(__dirname, '..', '..', 'bench', 'peers', 'python_idl_monitor.py');

/** One transaction that creates bridge br0 with `rows` dpdk interfaces if0.. (hw-port-id i). */
function populateTxn(rows: number): unknown[] {
  const ops: unknown[] = [];
  const ports: unknown[] = [];
  for (let i = 0; i < rows; i++) {
    ops.push({ op: 'insert', table: 'Interface', 'uuid-name': `i${i}`, row: { name: `if${i}`, type: 'dpdk', ofport_request: i + 1, options: ['map', [['hw-port-id', String(i)]]] } });
    ops.push({ op: 'insert', table: 'Port', 'uuid-name': `p${i}`, row: { name: `if${i}`, interfaces: ['named-uuid', `i${i}`] } });
    ports.push(['named-uuid', `p${i}`]);
  }
  ops.push({ op: 'insert', table: 'Bridge', 'uuid-name': 'br', row: { name: 'br0', ports: ['set', ports] } });
  ops.push({ op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['bridges', 'insert', ['set', [['named-uuid', 'br']]]]] });
  return ['Open_vSwitch', ...ops];
}

async function connect(server: OvsdbServer): Promise<JsonRpcConnection> {
  return new JsonRpcConnection(await connectRemote(parseRemote(server.remote)));
}

async function transact(conn: JsonRpcConnection, params: unknown[]): Promise<void> {
  const result = (await conn.request('transact', params)) as Array<{ error?: string; details?: string }>;
  const failed = result.find((r) => r && r.error);
  if (failed) throw new Error(`transact failed: ${failed.error}: ${failed.details ?? ''}`);
}

/** A monitoring peer process and its protocol lines. */
class Peer {
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;

  constructor(readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.waiter?.();
    });
  }

  static start(kind: 'hwol' | 'python', remote: string, rows: number): Peer {
    const child = kind === 'hwol'
      ? spawn(process.execPath, [path.join(PEERS, 'hwol_monitor.js'), remote, String(rows)], { stdio: ['pipe', 'pipe', 'inherit'] })
      : spawn(PYTHON, [PY_PEER, remote, VSWITCH_SCHEMA, String(rows)], { stdio: ['pipe', 'pipe', 'inherit'] });
    return new Peer(child);
  }

  /** The next protocol line, waiting up to `timeoutMs`. */
  async next(timeoutMs = 60_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.child.exitCode !== null) throw new Error(`benchmark peer exited with ${this.child.exitCode}`);
      if (Date.now() > deadline) throw new Error('benchmark peer sent nothing in time');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 100);
      });
    }
    return (this.lines.shift() as string).split(' ');
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin?.end();
    if (this.child.exitCode === null) await exited;
  }
}

/** Starts a peer and returns its initial-sync time in ms. */
async function syncOnce(kind: 'hwol' | 'python', server: OvsdbServer, rows: number): Promise<{ ms: number; peer: Peer }> {
  const peer = Peer.start(kind, server.remote, rows);
  const line = await peer.next();
  if (line[0] !== 'synced' || Number(line[1]) < rows) throw new Error(`${kind} peer: unexpected "${line.join(' ')}"`);
  return { ms: Number(BigInt(line[3]) - BigInt(line[2])) / 1e6, peer };
}

/** Commits `changes` hw-port-id changes one by one; per change, the ms from commit reply to the peer's map. */
async function latencies(conn: JsonRpcConnection, peer: Peer, rows: number, changes: number, base: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < changes; k++) {
    const name = `if${k % rows}`;
    const id = base + k;
    await transact(conn, ['Open_vSwitch', { op: 'update', table: 'Interface', where: [['name', '==', name]], row: { options: ['map', [['hw-port-id', String(id)]]] } }]);
    const committed = process.hrtime.bigint();
    for (;;) {
      const line = await peer.next(10_000);
      if (line[0] === 'seen' && line[1] === name && line[2] === String(id)) {
        out.push(Number(BigInt(line[3]) - committed) / 1e6);
        break;
      }
    }
  }
  return out;
}

async function ovsdbClientDumpMs(server: OvsdbServer): Promise<number> {
  const t0 = process.hrtime.bigint();
  await run('ovsdb-client', ['dump', server.remote, 'Open_vSwitch', 'Interface', 'name', 'options']);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function runOvsdbBench(options: BenchOptions): Promise<BenchResult[]> {
  const rows = size(options, 'ovsdb.rows', 10_000, 1000);
  const changes = size(options, 'ovsdb.changes', 1000, 100);
  const runs = size(options, 'ovsdb.runs', 5, 2);
  const server = await startOvsdbServer();
  const conn = await connect(server);
  try {
    const t0 = process.hrtime.bigint();
    await transact(conn, populateTxn(rows));
    options.log(`ovsdb: populated ${rows} interfaces in one transaction in ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
    const sync: Record<'hwol' | 'python', number[]> = { hwol: [], python: [] };
    const dump: number[] = [];
    for (let r = 0; r < runs; r++) {
      for (const kind of ['hwol', 'python'] as const) {
        const { ms, peer } = await syncOnce(kind, server, rows);
        sync[kind].push(ms);
        await peer.stop();
      }
      dump.push(await ovsdbClientDumpMs(server));
    }
    options.log(`ovsdb: initial sync hwol ${sync.hwol.map((v) => v.toFixed(1)).join(', ')} ms; python ${sync.python.map((v) => v.toFixed(1)).join(', ')} ms`);
    const lat: Record<'hwol' | 'python', number[]> = { hwol: [], python: [] };
    let base = rows;
    for (const kind of ['hwol', 'python'] as const) {
      const { peer } = await syncOnce(kind, server, rows);
      lat[kind] = await latencies(conn, peer, rows, changes, base);
      base += changes;
      await peer.stop();
    }
    const bench = `ovsdb-${rows}-rows`;
    return [
      { bench, metric: 'initial sync to complete map (median)', value: median(sync.hwol), unit: 'ms', peer: 'python ovs.db.idl', peerValue: median(sync.python) },
      { bench, metric: 'initial sync, ovsdb-client dump whole process (median)', value: median(sync.hwol), unit: 'ms', peer: 'ovsdb-client dump', peerValue: median(dump) },
      { bench, metric: `commit to changed map, median of ${changes}`, value: median(lat.hwol), unit: 'ms', peer: 'python ovs.db.idl', peerValue: median(lat.python) },
      { bench, metric: `commit to changed map, p99 of ${changes}`, value: percentile(lat.hwol, 99), unit: 'ms', peer: 'python ovs.db.idl', peerValue: percentile(lat.python, 99) },
    ];
  } finally {
    conn.close();
    await server.destroy();
  }
}

export const benchmarks: Benchmark[] = [{ name: 'ovsdb', run: runOvsdbBench }];
