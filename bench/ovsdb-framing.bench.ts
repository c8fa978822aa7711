/**
 * OVSDB transport throughput: stream framing + JSON-RPC 1.0 codec.
 *
 * - `initial-sync`: a monitor_cond_since reply carrying `rows` Interface rows (about 500 bytes each,
 *   ~5 MB for 10k rows), fed in 64 KiB chunks through JsonStreamDecoder and the codec. The peer
 *   figure is a bare `JSON.parse` of the same text (the floor any framing can reach).
 * - `updates`: `updates` update3 notifications of one row each, back to back, in 64 KiB chunks.
 * - `socket`: the same initial sync through a JsonRpcConnection over a unix socket pair, from the
 *   first byte written to the request resolving.
 * The reply has id 1: the first request of a new connection.
 * Sizes: `rows` (full 10000, quick 1000), `updates` (full 20000, quick 2000), `runs` (full 15, quick 3).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { OvsdbJsonRpcCodec } from '../src/ovsdb/codec';
import { JsonRpcConnection } from '../src/ovsdb/connection';
import { JsonStreamDecoder } from '../src/ovsdb/framing';
import { median, percentile, size, type BenchOptions, type BenchResult, type Benchmark } from './types';

const CHUNK = 64 * 1024;

function uuid(i: number, salt: number): string {
  const hex = ((i * 2654435761 + salt * 40503) >>> 0).toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(5, 8)}-${hex}${hex.slice(0, 4)}`;
}

function interfaceRow(i: number): Record<string, unknown> {
  return {
    name: `dpdk${i}`,
    type: 'dpdk',
    options: ['map', [['dpdk-devargs', `0000:01:00.${i % 8}`], ['hw-port-id', String(i % 64)]]],
    ofport: i + 1,
    ofport_request: ['set', []],
    admin_state: 'up',
    link_state: 'up',
    mtu: 1500,
    mac_in_use: '0a:1b:2c:3d:4e:5f',
    external_ids: ['map', [['attached-mac', 'fa:16:3e:00:00:01'], ['iface-id', uuid(i, 1)], ['vm-uuid', uuid(i, 2)]]],
    status: ['map', [['driver_name', 'net_mlx5'], ['numa_id', '0'], ['port_no', String(i)]]],
    _uuid: ['uuid', uuid(i, 3)],
  };
}

function initialSyncText(rows: number): string {
  const table: Record<string, unknown> = {};
  for (let i = 0; i < rows; i++) table[uuid(i, 4)] = { initial: interfaceRow(i) };
  return JSON.stringify({ id: 1, result: [false, uuid(0, 5), { Interface: table }], error: null });
}

function chunks(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) out.push(bytes.subarray(i, i + CHUNK));
  return out;
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function decodeAll(parts: Buffer[]): number {
  const decoder = new JsonStreamDecoder();
  const codec = new OvsdbJsonRpcCodec();
  let n = 0;
  for (const part of parts) for (const value of decoder.feed(part)) if (codec.decode(value)) n++;
  return n;
}

async function socketSync(bytes: Buffer): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-hwol-bench-'));
  const sock = path.join(dir, 'b.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect({ path: sock });
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const peer = await accepted;
  const conn = new JsonRpcConnection(client);
  const request = conn.request('monitor_cond_since', []);
  await new Promise<void>((resolve) => peer.once('data', () => resolve()));
  const start = process.hrtime.bigint();
  peer.write(bytes);
  await request;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  conn.close();
  peer.destroy();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function run(options: BenchOptions): Promise<BenchResult[]> {
  const rows = size(options, 'rows', 10_000, 1000);
  const updates = size(options, 'updates', 20_000, 2000);
  const runs = size(options, 'runs', 15, 3);
  const text = initialSyncText(rows);
  const bytes = Buffer.from(text);
  const parts = chunks(bytes);
  options.log(`ovsdb-framing: initial sync of ${rows} rows = ${(bytes.length / 1e6).toFixed(2)} MB in ${parts.length} chunks`);

  const ours: number[] = [];
  const parse: number[] = [];
  for (let r = 0; r < runs + 2; r++) {
    const a = timeMs(() => decodeAll(parts));
    const b = timeMs(() => JSON.parse(text) as unknown);
    if (r >= 2) {
      ours.push(a);
      parse.push(b);
    }
  }

  const stream = Buffer.from(
    Array.from({ length: updates }, (_, i) => JSON.stringify({ method: 'update3', params: [null, uuid(i, 6), { Interface: { [uuid(i, 4)]: { modify: { link_state: i % 2 ? 'up' : 'down' } } } }], id: null })).join(''),
  );
  const streamParts = chunks(stream);
  const perSecond: number[] = [];
  for (let r = 0; r < runs + 2; r++) {
    const ms = timeMs(() => decodeAll(streamParts));
    if (r >= 2) perSecond.push(updates / (ms / 1000));
  }

  const socket: number[] = [];
  for (let r = 0; r < Math.max(3, Math.ceil(runs / 3)); r++) socket.push(await socketSync(bytes));

  const name = 'ovsdb-framing';
  return [
    { bench: name, metric: `initial-sync ${rows} rows median`, value: median(ours), unit: 'ms', peer: 'JSON.parse alone', peerValue: median(parse) },
    { bench: name, metric: `initial-sync ${rows} rows p90`, value: percentile(ours, 90), unit: 'ms', peer: 'JSON.parse alone', peerValue: percentile(parse, 90) },
    { bench: name, metric: 'initial-sync size', value: bytes.length / 1e6, unit: 'MB' },
    { bench: name, metric: 'update3 notifications', value: median(perSecond), unit: 'msg/s' },
    { bench: name, metric: `initial-sync ${rows} rows over a unix socket median`, value: median(socket), unit: 'ms' },
  ];
}

export const benchmarks: Benchmark[] = [{ name: 'ovsdb-framing', run }];
