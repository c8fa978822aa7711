/**
 * The mirror of a real ovs-vswitchd (userspace datapath, dummy ports; DESIGN.md §4) driving the
 * offload engine on the soft NIC (full profile):
 *
 * - mirror.poll: the cost of one poll (dpctl/show + dpctl/dump-flows -m --no-names over the unixctl
 *   socket, the diff, the engine calls) with N megaflows in the daemon and nothing changed; with the
 *   parts: the dump's round trip (OVS formatting the dump, the transfer, JSON decoding), the diff, and
 *   the first (full) synchronisation of N new flows. Peer: the same dump with `ovs-appctl` (a process
 *   per dump, as a shell script polling OVS would do).
 * - mirror.latency: from a new megaflow's appearance in the daemon (the injected packet's
 *   netdev-dummy/receive has returned) to its rule on the NIC (engine.put returned), with N flows in
 *   the daemon and the poll period P: the total, and its two shares: waiting for the next poll
 *   (polling) and the poll that finds it (processing).
 *
 * The N megaflows are real: N OpenFlow rules `in_port=1,ip,nw_src=ADDR,actions=output:2` and one
 * injected packet per rule (the megaflow matches the source address exactly).
 * Sizes: `mirror.flows` N (10000; quick 1000), `mirror.rounds` polls measured (20; quick 5),
 * `mirror.samples` latency samples (20; quick 5), `mirror.pollMs` P (100).
 */
import { performance } from 'node:perf_hooks';
import { SoftNicBackend } from '../src/native/soft-backend';
import { OffloadEngine, type EnginePorts, type FlowInput } from '../src/offload';
import { UnixctlClient, VswitchdMirror, type MirrorTarget } from '../src/mirror';
import { run, waitFor } from '../src/sandbox/processes';
import { Vswitchd, vswitchdEnv } from '../src/sandbox/vswitchd';
import { median, percentile, size, type Benchmark, type BenchOptions, type BenchResult } from './types';

const PORTS: EnginePorts = {
  hwPortIdOf: (odp) => (odp === 1 ? 0 : odp === 2 ? 1 : undefined),
  port: () => undefined,
  hwLocalPortMap: { 0: 1, 1: 2 },
};

const addr = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const packet = (i: number): string =>
  `eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=${addr(i)},dst=192.168.0.1,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)`;

async function flowCount(client: UnixctlClient): Promise<number> {
  const text = await client.call('dpctl/show', [], 60_000);
  const m = /flows: (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * Injects packets for sources [from, to) until the datapath holds `want` megaflows. One packet per
 * command: a dummy port's receive queue is short, and packets given together are partly dropped.
 */
async function populate(client: UnixctlClient, from: number, to: number, want: number, log: (m: string) => void): Promise<void> {
  for (let round = 0; round < 5; round++) {
    for (let i = from; i < to; i++) await client.call('netdev-dummy/receive', ['p1', packet(i)], 60_000);
    const have = await flowCount(client);
    if (have >= want) return;
    log(`  ${have} of ${want} megaflows after round ${round + 1}; injecting again`);
  }
  throw new Error(`could not make ${want} megaflows`);
}

async function bench(options: BenchOptions): Promise<BenchResult[]> {
  const n = size(options, 'mirror.flows', 10_000, 1000);
  const rounds = size(options, 'mirror.rounds', 20, 5);
  const samples = size(options, 'mirror.samples', 20, 5);
  const pollMs = size(options, 'mirror.pollMs', 100, 100);
  const vs = await Vswitchd.start(undefined, [1, 2, 3, 4].map((p) => ({ name: `p${p}`, ofport: p })));
  const client = new UnixctlClient(vs.ctlPath);
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: PORTS });
  let putDone: ((at: number, flows: readonly FlowInput[]) => void) | undefined;
  const target: MirrorTarget = {
    put: (flows) => {
      const r = engine.put(flows);
      putDone?.(performance.now(), flows);
      return r;
    },
    del: (ufids) => engine.del(ufids),
  };
  let mirror: VswitchdMirror | undefined;
  try {
    client.start();
    await waitFor('the unixctl connection', () => client.connected, 10_000, 10);
    await client.call('upcall/set-flow-limit', ['500000']);
    options.log(`  installing ${n + samples} OpenFlow rules and making ${n} megaflows`);
    const rules = Array.from({ length: n + samples }, (_, i) => `priority=100,in_port=1,ip,nw_src=${addr(i)},actions=output:2`);
    await vs.addFlows(rules);
    const t0 = performance.now();
    await populate(client, 0, n, n, (m) => options.log(m));
    options.log(`  ${n} megaflows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // mirror.poll: the first poll adds everything; then polls where nothing changed.
    mirror = new VswitchdMirror({ ctlPath: vs.ctlPath, target, pollIntervalMs: 3_600_000, client: new UnixctlClient(vs.ctlPath), callTimeoutMs: 60_000 });
    mirror.start();
    await waitFor('the first synchronisation', () => mirror?.status().polls === 1, 60_000, 5);
    const first = mirror.status().lastPollTimings!;
    if (engine.stats().flows.offloaded < n) options.log(`  warning: ${engine.stats().flows.offloaded} of ${n} offloaded`);
    const total: number[] = [];
    const dump: number[] = [];
    const diff: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await mirror.pollNow();
      const s = mirror.status();
      const tm = s.lastPollTimings!;
      if (s.changes.added !== s.flows || s.changes.deleted !== 0 || s.changes.modified !== 0) options.log(`  warning: the table changed during the unchanged polls: ${JSON.stringify(s.changes)}`);
      total.push(tm.totalMs);
      dump.push(tm.dumpMs);
      diff.push(tm.diffMs);
    }
    const appctl: number[] = [];
    for (let r = 0; r < Math.min(rounds, 5); r++) {
      const s = performance.now();
      await run('ovs-appctl', ['-t', vs.ctlPath, 'dpctl/dump-flows', '-m', '--no-names'], { env: vswitchdEnv(vs.dir) });
      appctl.push(performance.now() - s);
    }
    options.log(`  unchanged poll: total ${median(total).toFixed(1)} ms (min ${Math.min(...total).toFixed(1)}, max ${Math.max(...total).toFixed(1)}); dump ${median(dump).toFixed(1)} ms; diff ${median(diff).toFixed(2)} ms`);
    mirror.stop();

    // mirror.latency: a live mirror polling every pollMs; one new megaflow at a time.
    mirror = new VswitchdMirror({ ctlPath: vs.ctlPath, target, pollIntervalMs: pollMs, client: new UnixctlClient(vs.ctlPath), callTimeoutMs: 60_000 });
    mirror.start();
    await waitFor('the live mirror', () => (mirror?.status().polls ?? 0) >= 1, 60_000, 5);
    const lat: number[] = [];
    const waiting: number[] = [];
    const processing: number[] = [];
    for (let k = 0; k < samples; k++) {
      const m = mirror;
      const seen = new Promise<number>((resolve) => {
        putDone = (at) => resolve(at);
      });
      const before = performance.now();
      await client.call('netdev-dummy/receive', ['p1', packet(n + k)]);
      const injected = performance.now();
      const done = await Promise.race([seen, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no new megaflow reached the NIC within 30 s')), 30_000))]);
      putDone = undefined;
      const tm = m.status().lastPollTimings;
      // The poll's share: from its start (its dpctl/show) to the put; timings of that poll are final once it ends.
      await waitFor('the poll to finish', () => m.status().lastPollTimings !== tm || m.status().changes.added > n + k, 10_000, 1);
      const t = m.status().lastPollTimings!;
      const proc = t.showMs + t.dumpMs + t.diffMs + t.applyMs;
      lat.push(done - injected);
      processing.push(Math.min(proc, done - before));
      waiting.push(Math.max(0, done - injected - proc));
      await new Promise((r) => setTimeout(r, Math.random() * pollMs)); // sample the poll phase
    }
    options.log(`  latency: median ${median(lat).toFixed(1)} ms (p90 ${percentile(lat, 90).toFixed(1)}, max ${Math.max(...lat).toFixed(1)}): polling ${median(waiting).toFixed(1)} ms + processing ${median(processing).toFixed(1)} ms, period ${pollMs} ms`);
    const bench = 'mirror';
    return [
      { bench, metric: `poll, ${n} megaflows unchanged (median of ${rounds})`, value: round(median(total)), unit: 'ms', peer: 'ovs-appctl dpctl/dump-flows -m --no-names', peerValue: round(median(appctl)) },
      { bench, metric: `poll, ${n} unchanged: max`, value: round(Math.max(...total)), unit: 'ms' },
      { bench, metric: `poll, ${n} unchanged: dump-flows round trip`, value: round(median(dump)), unit: 'ms' },
      { bench, metric: `poll, ${n} unchanged: diff`, value: round(median(diff)), unit: 'ms' },
      { bench, metric: `first poll, ${n} new megaflows (total)`, value: round(first.totalMs), unit: 'ms' },
      { bench, metric: `first poll, ${n} new megaflows: engine.put`, value: round(first.applyMs), unit: 'ms' },
      { bench, metric: `latency daemon -> NIC, period ${pollMs} ms, ${n} flows (median of ${samples})`, value: round(median(lat)), unit: 'ms' },
      { bench, metric: 'latency: polling share (median)', value: round(median(waiting)), unit: 'ms' },
      { bench, metric: 'latency: processing share (median)', value: round(median(processing)), unit: 'ms' },
      { bench, metric: 'latency: p90', value: round(percentile(lat, 90)), unit: 'ms' },
    ];
  } finally {
    putDone = undefined;
    mirror?.stop();
    client.stop();
    engine.close();
    nic.close();
    await vs.stop();
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export const benchmarks: Benchmark[] = [{ name: 'mirror', run: bench }];
