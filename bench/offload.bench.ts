/**
 * The offload engine on the soft NIC, full profile (issue 5's targets in brackets):
 *
 * - offload.put: flows per second from flow/put to `offloaded` for N distinct megaflows
 *   (`in_port(1),eth_type(0x0800),ipv4(src,dst,proto=17),udp(src,dst)` with a ufid each), in batches:
 *   through the control socket (JSON-RPC, one client in this process, and one in its own process as a
 *   controller would be) [300k/s], in-process with engine.put() [1M/s],
 *   next to the raw native batch insertion of the same rules (backend.createInto of batches encoded
 *   beforehand, the floor) as the peer. The first min(60,000, 60%) flows output to port 2 (a MARK, a flow_id
 *   each: there are 65,536), the rest drop (no mark, no flow_id).
 * - offload.stages: where the in-process time of a flow goes, as cumulative pipelines over the same
 *   flows and batches, each stage's result dropped at once as the engine drops it: parseFlowInput;
 *   + translation (FlowPlan.plan, as the engine's put path); + encoding straight into a
 *   RuleBatchBuilder (writePlannedRule); + native create of each
 *   encoded batch (a fresh NIC per round). The difference between engine.put and the last pipeline
 *   is the engine's own bookkeeping (records, flow_ids, trial planning, outcomes) and the GC its
 *   surviving records cost. Microseconds per flow, CPU time of this thread and helpers (medians).
 * - offload.sweep: one statistics sweep (a single batched query) over N offloaded counting flows,
 *   and over the large size [100k < 10 ms].
 * - offload.memory: agent bytes per offloaded flow after a GC: JS heap, and JS heap plus external buffers
 *   (the soft NIC's rule table is native memory of the model NIC, not the agent's, and is not counted) [< 1 KiB].
 *
 * Rates are wall-clock (the socket benchmark has the server and the client in this process).
 * Sizes: `offload.flows` (100000; quick 20000), `offload.batch` flows per put (10000; quick 5000),
 * `offload.sweepLarge` (1000000; quick 0 = skipped), `offload.rounds` (3; quick 1), the median reported.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ControlClient, ControlServer } from '../src/control';
import { parseFlowInput } from '../src/offload/flow-input';
import { FlowPlan, VARIANT_COUNT, writePlannedRule } from '../src/flows/translate';
import { EncodedRules, RuleBatchBuilder } from '../src/native/rule-encoder';
import { SoftNicBackend } from '../src/native/soft-backend';
import { OffloadEngine, registerOffloadMethods, type EnginePorts, type FlowInput } from '../src/offload';
import { flowAt, flows } from './offload-flows';
import { median, size, type Benchmark, type BenchOptions, type BenchResult } from './types';

const NAME_PUT = 'offload.put';
const NAME_SWEEP = 'offload.sweep';
const NAME_MEMORY = 'offload.memory';
const NAME_STAGES = 'offload.stages';

const PORTS: EnginePorts = {
  hwPortIdOf: (odp) => (odp === 1 ? 0 : odp === 2 ? 1 : undefined),
  port: () => undefined,
  hwLocalPortMap: { 0: 1, 1: 2 },
};

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function batches<T>(list: readonly T[], batch: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += batch) out.push(list.slice(i, i + batch));
  return out;
}

let gcFn: (() => void) | undefined;
function gc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

function countOffloaded(engine: OffloadEngine, n: number, log: (m: string) => void): void {
  const s = engine.stats().flows;
  if (s.offloaded !== n) log(`warning: ${s.offloaded} of ${n} flows offloaded (${s.software} in software)`);
}

/**
 * Runs `body` against an engine on a fresh soft NIC behind a control server on a private socket,
 * then stops and removes everything.
 */
async function withControlServer<T>(body: (socketPath: string, engine: OffloadEngine) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwbench-'));
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: PORTS });
  const server = new ControlServer({ socketPath: path.join(dir, 'ctl') });
  registerOffloadMethods(server, () => engine);
  try {
    await server.start();
    return await body(server.socketPath, engine);
  } finally {
    await server.stop();
    nic.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * flow/put through the control socket from a client in its own process (bench/put-client.ts), as an
 * operator's controller or ovs-hwol-ctl would be: the client's JSON work runs beside the agent's
 * instead of on the same thread.
 */
function separateClientRate(n: number, batch: number, log: (m: string) => void): Promise<number> {
  return withControlServer(async (socketPath, engine) => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [path.join(__dirname, 'put-client.js'), socketPath, String(n), String(batch)], { timeout: 600_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`put-client failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
    countOffloaded(engine, n, log);
    return n / (JSON.parse(out) as { seconds: number }).seconds;
  });
}

/** flow/put through the control socket from a client in this process. */
function socketRate(input: FlowInput[], batch: number, log: (m: string) => void): Promise<number> {
  return withControlServer(async (socketPath, engine) => {
    const client = await ControlClient.connect(socketPath);
    try {
      const parts = batches(input, batch);
      const start = process.hrtime.bigint();
      for (const flowsPart of parts) await client.call('flow/put', { flows: flowsPart });
      const s = seconds(start);
      countOffloaded(engine, input.length, log);
      return input.length / s;
    } finally {
      client.close();
    }
  });
}

function inProcessRate(input: FlowInput[], batch: number, log: (m: string) => void): number {
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: PORTS });
  try {
    const parts = batches(input, batch);
    const start = process.hrtime.bigint();
    for (const part of parts) engine.put(part);
    const s = seconds(start);
    countOffloaded(engine, input.length, log);
    return input.length / s;
  } finally {
    nic.close();
  }
}

/**
 * The floor: the same rules (COUNT variant) encoded beforehand, batch by batch, exactly as the
 * engine writes them, then only created through the backend (createInto, as the engine calls it).
 */
function nativeRate(input: FlowInput[], batch: number): number {
  const plan = new FlowPlan();
  const builder = new RuleBatchBuilder();
  const encoded = batches(input, batch).map((part, b) => {
    builder.reset();
    part.forEach((f, i) => {
      if (!plan.plan(parseFlowInput(f, i), PORTS, { flowId: (b * batch + i) & 0xffff })) throw new Error(`bench flow does not translate: ${plan.reason}`);
      if (!writePlannedRule(builder, plan, VARIANT_COUNT)) throw new Error('bench flow not written');
    });
    const e = builder.finish();
    return new EncodedRules(e.bytes.slice(), e.count, e.total, e.positions?.slice(), e.failures);
  });
  const handles = new Uint32Array(batch);
  const nic = new SoftNicBackend('full');
  try {
    const start = process.hrtime.bigint();
    for (const e of encoded) if (nic.createInto(e, handles) !== undefined) throw new Error('the NIC refused a bench rule');
    return input.length / seconds(start);
  } finally {
    nic.close();
  }
}

/** CPU microseconds per flow of f() over `n` flows. */
function cpuUsPerFlow(n: number, f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

type Stage = 'parse' | 'translate' | 'encode' | 'create';
const STAGES: readonly Stage[] = ['parse', 'translate', 'encode', 'create'];

/** Runs the pipeline up to `last` over every flow, batch by batch; returns CPU us per flow. */
function pipeline(parts: readonly FlowInput[][], n: number, last: Stage): number {
  const stop = STAGES.indexOf(last);
  const builder = new RuleBatchBuilder();
  const plan = new FlowPlan();
  const opts = { flowId: 0 };
  const nic = stop >= 3 ? new SoftNicBackend('full') : undefined;
  let sink = 0;
  try {
    return cpuUsPerFlow(n, () => {
      let id = 0;
      for (const part of parts) {
        builder.reset();
        for (let i = 0; i < part.length; i++) {
          const p = parseFlowInput(part[i], i);
          if (stop === 0) {
            sink += p.matchText.length;
            continue;
          }
          opts.flowId = id++ & 0xffff;
          if (!plan.plan(p, PORTS, opts)) throw new Error(`bench flow does not translate: ${plan.reason}`);
          if (stop >= 2 && !writePlannedRule(builder, plan, VARIANT_COUNT)) throw new Error('bench flow not written');
        }
        if (nic) sink += nic.create(builder.finish()).length;
      }
    });
  } finally {
    nic?.close();
    if (sink < 0) throw new Error('unreachable');
  }
}

/** Median CPU us per flow of each cumulative pipeline, and of engine.put. */
function stageCosts(input: FlowInput[], batch: number, rounds: number): Record<Stage | 'engine', number> {
  const parts = batches(input, batch);
  const samples: Record<Stage | 'engine', number[]> = { parse: [], translate: [], encode: [], create: [], engine: [] };
  for (let r = 0; r < Math.max(3, rounds); r++) {
    for (const st of STAGES) samples[st].push(pipeline(parts, input.length, st));
    const nic = new SoftNicBackend('full');
    const engine = new OffloadEngine({ backend: nic, ports: PORTS });
    samples.engine.push(cpuUsPerFlow(input.length, () => {
      for (const part of parts) engine.put(part);
    }));
    nic.close();
  }
  return { parse: median(samples.parse), translate: median(samples.translate), encode: median(samples.encode), create: median(samples.create), engine: median(samples.engine) };
}

/** Median time of one sweep over `n` offloaded counting flows, ms. */
function sweepMs(n: number, batch: number, rounds: number, log: (m: string) => void): number {
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: PORTS });
  try {
    // Drops beyond the flow_id pool: every flow counts, whatever the size.
    const markCount = Math.min(60000, Math.floor(n * 0.6));
    for (let i = 0; i < n; i += batch) {
      const part: FlowInput[] = [];
      for (let k = i; k < Math.min(n, i + batch); k++) part.push(flowAt(k, markCount));
      engine.put(part);
    }
    const times: number[] = [];
    for (let r = 0; r < Math.max(3, rounds); r++) {
      const start = process.hrtime.bigint();
      const swept = engine.sweep();
      times.push(seconds(start) * 1000);
      if (swept !== n) throw new Error(`sweep covered ${swept} of ${n} flows`);
    }
    log(`${NAME_SWEEP}: ${n} flows, rounds (ms): ${times.map((x) => x.toFixed(2)).join(', ')}`);
    return median(times);
  } finally {
    nic.close();
  }
}

/**
 * JS heap, and JS heap plus memory held outside it for JS (Buffers, typed arrays), per flow, after a GC.
 * The flows arrive as the control socket delivers them: JSON text parsed batch by batch, so that what the
 * engine keeps of them (the match and action texts) is counted and the input objects are not. (Feeding
 * the engine the bench's own template-literal strings undercounted: they were in the heap before the
 * first measurement, and flattening them during the put freed memory that offset the records.)
 */
function memoryPerFlow(input: FlowInput[], batch: number): { heap: number; withExternal: number } {
  const texts = batches(input, batch).map((part) => JSON.stringify(part));
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const ext0 = process.memoryUsage().external;
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: PORTS });
  for (const text of texts) engine.put(JSON.parse(text) as FlowInput[]);
  gc();
  const heap = (process.memoryUsage().heapUsed - heap0) / input.length;
  const withExternal = heap + (process.memoryUsage().external - ext0) / input.length;
  if (engine.size !== input.length) throw new Error('flows lost');
  nic.close();
  return { heap, withExternal };
}

async function run(options: BenchOptions): Promise<BenchResult[]> {
  const n = size(options, 'offload.flows', 100_000, 20_000);
  const batch = size(options, 'offload.batch', 10_000, 5_000);
  const large = size(options, 'offload.sweepLarge', 1_000_000, 0);
  const rounds = size(options, 'offload.rounds', 3, 1);
  const input = flows(n);
  const results: BenchResult[] = [];

  // Memory first, before the other phases have come and gone. (Process RSS was tried and dropped: its
  // delta went negative when the heap shrank after the input was built, so it measured nothing.)
  options.log(`${NAME_MEMORY}: ${n} flows`);
  const mem = memoryPerFlow(input, batch);
  results.push(
    { bench: NAME_MEMORY, metric: `JS heap per offloaded flow (${n} flows)`, value: Math.round(mem.heap), unit: 'bytes' },
    { bench: NAME_MEMORY, metric: `JS heap + external buffers per offloaded flow (${n} flows)`, value: Math.round(mem.withExternal), unit: 'bytes' },
  );

  const native: number[] = [];
  const inproc: number[] = [];
  const socket: number[] = [];
  const separate: number[] = [];
  for (let r = 0; r < rounds; r++) {
    options.log(`${NAME_PUT}: round ${r + 1}/${rounds}, ${n} flows`);
    native.push(nativeRate(input, batch));
    inproc.push(inProcessRate(input, batch, (m) => options.log(m)));
    socket.push(await socketRate(input, batch, (m) => options.log(m)));
    separate.push(await separateClientRate(n, batch, (m) => options.log(m)));
  }
  const floor = median(native);
  const spread = (v: number[]): string => v.map((x) => Math.round(x)).join(', ');
  options.log(`${NAME_PUT}: rounds (flows/s): socket ${spread(socket)}; socket, client process ${spread(separate)}; in-process ${spread(inproc)}; native ${spread(native)}`);
  results.push(
    { bench: NAME_PUT, metric: `flow/put to offloaded, control socket, client in its own process, batches of ${batch} (${n} flows)`, value: median(separate), unit: 'flows/s', peer: 'native create, pre-encoded (floor)', peerValue: floor },
    { bench: NAME_PUT, metric: `flow/put to offloaded, control socket, batches of ${batch} (${n} flows)`, value: median(socket), unit: 'flows/s', peer: 'native create, pre-encoded (floor)', peerValue: floor },
    { bench: NAME_PUT, metric: `flow/put to offloaded, in-process, batches of ${batch} (${n} flows)`, value: median(inproc), unit: 'flows/s', peer: 'native create, pre-encoded (floor)', peerValue: floor },
  );

  options.log(`${NAME_STAGES}: ${n} flows`);
  const st = stageCosts(input, batch, rounds);
  const us = (v: number): number => Math.round(v * 1000) / 1000;
  options.log(`${NAME_STAGES}: cumulative CPU us/flow: parse ${us(st.parse)}, +translate ${us(st.translate)}, +encode ${us(st.encode)}, +native create ${us(st.create)}; engine.put ${us(st.engine)}`);
  results.push(
    { bench: NAME_STAGES, metric: `parseFlowInput, CPU per flow (${n} flows)`, value: us(st.parse), unit: 'us' },
    { bench: NAME_STAGES, metric: `translate (FlowPlan.plan), CPU per flow`, value: us(st.translate - st.parse), unit: 'us' },
    { bench: NAME_STAGES, metric: `encode (writePlannedRule into a RuleBatchBuilder), CPU per flow`, value: us(st.encode - st.translate), unit: 'us' },
    { bench: NAME_STAGES, metric: `native create of encoded batches, CPU per flow`, value: us(st.create - st.encode), unit: 'us' },
    { bench: NAME_STAGES, metric: `engine bookkeeping + GC of the table (engine.put minus the above), CPU per flow`, value: us(st.engine - st.create), unit: 'us' },
    { bench: NAME_STAGES, metric: `engine.put total, CPU per flow`, value: us(st.engine), unit: 'us' },
  );

  options.log(`${NAME_SWEEP}: ${n} flows`);
  results.push({ bench: NAME_SWEEP, metric: `one stats sweep, ${n} offloaded flows`, value: sweepMs(n, batch, rounds, (m) => options.log(m)), unit: 'ms' });
  if (large > 0) {
    options.log(`${NAME_SWEEP}: ${large} flows`);
    results.push({ bench: NAME_SWEEP, metric: `one stats sweep, ${large} offloaded flows`, value: sweepMs(large, batch, rounds, (m) => options.log(m)), unit: 'ms' });
  }

  return results;
}

export const benchmarks: Benchmark[] = [{ name: 'offload', run }];
