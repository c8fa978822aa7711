/**
 * The native rte_flow layer, soft NIC backend:
 *
 * - native.insert: rule insertion through the batch API (create of an encoded batch), the same with
 *   the encoding of RuleSpec objects included, and destruction; rules spread over 16 masks.
 * - native.classify: classification in Mpps per core (CPU time) with 1,000 rules over 16 distinct
 *   masks (ETH/IPV4/UDP, /24 or /32 addresses, exact or wildcarded ports): 4,096 flows that hit,
 *   4,096 that miss every rule, and 65,536 flows that hit (more than the exact-match cache holds,
 *   so the tuple-space search classifies nearly every packet); and the hitting flows classified
 *   and routed by MARK into per-port batches (the packet path, native routeFrames), next to
 *   classification alone.
 * - native.napi: the per-call N-API overhead of the batch API against a loop of single calls, in the
 *   same run: creating (and destroying) N rules in one call versus N calls of one rule each.
 *
 * Sizes: `native.rules` rules inserted (1000000; quick 50000), `native.batch` rules per create call
 * (10000; quick 10000), `native.classifyRules` (1000), `native.frames` distinct frames (4096; quick
 * 1024), `native.packets` packets classified per round (4000000; quick 400000), `native.burst`
 * frames per classify call (256), `native.uniqueFlows` (65536), `native.calls` rules for the overhead comparison (100000; quick
 * 20000), `native.rounds` rounds per figure, the median reported (5; quick 3).
 */
import type { RuleSpec } from '../src/native/rule-spec';
import { encodeRules, type EncodedRules } from '../src/native/rule-encoder';
import { packFrames, type FrameBatch } from '../src/native/frames';
import { SoftNicBackend } from '../src/native/soft-backend';
import { hwToOdpTable } from '../src/native/routing';
import { median, size, type Benchmark, type BenchOptions, type BenchResult } from './types';

const NAME_INSERT = 'native.insert';
const NAME_CLASSIFY = 'native.classify';
const NAME_NAPI = 'native.napi';

/**
 * CPU time of this process since `start` (process.cpuUsage()), in seconds: the rates are per core,
 * and CPU time does not count the time other processes on a shared machine take the core away.
 */
function seconds(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function now(): NodeJS.CpuUsage {
  return process.cpuUsage();
}

function ip(n: number): string {
  return `${10 + ((n >>> 24) & 0x3f)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * Rule i: mask i % 16 picks /24 or /32 for the source and the destination, and an exact or a
 * wildcarded UDP source and destination port; values derived from i keep every rule distinct.
 */
function ruleAt(i: number): RuleSpec {
  const m = i % 16;
  const k = Math.floor(i / 16);
  return {
    attr: { port: 0, group: 0, priority: 0, ingress: true },
    pattern: [
      { type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } },
      {
        type: 'IPV4',
        spec: { src: ip(k * 256), dst: ip(k * 256 + m * 7), proto: 17 },
        mask: { src: m & 1 ? '255.255.255.0' : '255.255.255.255', dst: m & 2 ? '255.255.255.0' : '255.255.255.255', proto: 0xff },
      },
      { type: 'UDP', spec: { srcPort: 1000 + m, dstPort: 2000 + m }, mask: { srcPort: m & 4 ? 0 : 0xffff, dstPort: m & 8 ? 0 : 0xffff } },
    ],
    actions: [{ type: 'COUNT' }, { type: 'MARK', id: i }],
  };
}

/**
 * A UDP/IPv4 frame that hits rule i (`miss`: one whose source address no rule has). `variant`
 * changes the fields rule i leaves wildcarded (address bytes under a /24, wildcarded ports), so
 * that many distinct flows hit the same rule.
 */
function frameFor(i: number, miss = false, variant = 0): Uint8Array {
  const m = i % 16;
  const k = Math.floor(i / 16);
  const f = new Uint8Array(64);
  const dv = new DataView(f.buffer);
  dv.setUint16(12, 0x0800);
  f[14] = 0x45;
  dv.setUint16(16, 50);
  f[22] = 64;
  f[23] = 17;
  const addr = (n: number, at: number): void => {
    const parts = ip(n).split('.').map(Number);
    for (let b = 0; b < 4; b++) f[at + b] = parts[b];
  };
  addr(miss ? k * 256 + 1 + 0x3f000000 : k * 256, 26);
  addr(k * 256 + m * 7, 30);
  dv.setUint16(34, 1000 + m);
  dv.setUint16(36, 2000 + m);
  dv.setUint16(38, 30);
  if (variant !== 0) {
    if (m & 1) f[29] = variant & 0xff;
    if (m & 2) f[33] = (variant >>> 8) & 0xff;
    if (m & 4) dv.setUint16(34, (variant * 7919) & 0xffff);
    if (m & 8) dv.setUint16(36, (variant * 104729) & 0xffff);
  }
  return f;
}

function rules(from: number, count: number): RuleSpec[] {
  return Array.from({ length: count }, (_, j) => ruleAt(from + j));
}

function insertBench(options: BenchOptions): Promise<BenchResult[]> {
  return Promise.resolve(insertRun(options));
}

function insertRun(options: BenchOptions): BenchResult[] {
  const total = size(options, 'native.rules', 1_000_000, 50_000);
  const batch = size(options, 'native.batch', 10_000, 10_000);
  const rounds = size(options, 'native.rounds', 5, 3);
  const encoded: EncodedRules[] = [];
  for (let i = 0; i < total; i += batch) encoded.push(encodeRules(rules(i, Math.min(batch, total - i))));
  const createRates: number[] = [];
  const destroyRates: number[] = [];
  const endToEnd: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const b = new SoftNicBackend('full');
    try {
      const handles: number[] = [];
      let start = now();
      for (const e of encoded) {
        for (const c of b.create(e)) {
          if (!c.ok) throw new Error(c.error.message);
          handles.push(c.handle);
        }
      }
      createRates.push(total / seconds(start));
      const arr = Uint32Array.from(handles);
      start = now();
      for (let i = 0; i < arr.length; i += batch) b.destroy(arr.subarray(i, i + batch));
      destroyRates.push(total / seconds(start));
      if (b.ruleCount(0) !== 0) throw new Error('rules left after destroy');
      // the same, encoding RuleSpec objects on the way (objects built outside the timing)
      const specs = Math.min(total, 200_000);
      const objects: RuleSpec[][] = [];
      for (let i = 0; i < specs; i += batch) objects.push(rules(i, Math.min(batch, specs - i)));
      start = now();
      for (const o of objects) b.create(o);
      endToEnd.push(specs / seconds(start));
    } finally {
      b.close();
    }
    options.log(`${NAME_INSERT}: round ${r + 1}/${rounds}: create ${(createRates[r] / 1e6).toFixed(2)} M/s, destroy ${(destroyRates[r] / 1e6).toFixed(2)} M/s, specs ${(endToEnd[r] / 1e6).toFixed(2)} M/s`);
  }
  return [
    { bench: NAME_INSERT, metric: `create, encoded batches of ${batch} (${total} rules, 16 masks)`, value: median(createRates), unit: 'rules/s' },
    { bench: NAME_INSERT, metric: `create from RuleSpec objects, encoding included`, value: median(endToEnd), unit: 'rules/s' },
    { bench: NAME_INSERT, metric: `destroy, batches of ${batch}`, value: median(destroyRates), unit: 'rules/s' },
  ];
}

function classifyRate(b: SoftNicBackend, batches: FrameBatch[], packets: number): number {
  const perBatch = batches[0].offsets.length - 1;
  const calls = Math.max(1, Math.round(packets / perBatch));
  const start = now();
  let hits = 0;
  for (let c = 0; c < calls; c++) hits += b.classify(0, batches[c % batches.length]).hits;
  const rate = (calls * perBatch) / seconds(start);
  return hits >= 0 ? rate : 0;
}

/** classifyRate with the packet path's routing (marks -> per-port batches, native) of every burst. */
function classifyRouteRate(b: SoftNicBackend, batches: FrameBatch[], packets: number, hwToOdp: Int32Array): number {
  const perBatch = batches[0].offsets.length - 1;
  const calls = Math.max(1, Math.round(packets / perBatch));
  const start = now();
  let groups = 0;
  for (let c = 0; c < calls; c++) groups += b.route(b.classify(0, batches[c % batches.length]), hwToOdp).groupCount;
  const rate = (calls * perBatch) / seconds(start);
  return groups >= 0 ? rate : 0;
}

function classifyBench(options: BenchOptions): Promise<BenchResult[]> {
  return Promise.resolve(classifyRun(options));
}

function classifyRun(options: BenchOptions): BenchResult[] {
  const nrules = size(options, 'native.classifyRules', 1000, 1000);
  const nframes = size(options, 'native.frames', 4096, 1024);
  const packets = size(options, 'native.packets', 4_000_000, 400_000);
  const burst = size(options, 'native.burst', 256, 256);
  const rounds = size(options, 'native.rounds', 5, 3);
  const uniqueFlows = size(options, 'native.uniqueFlows', 65536, 65536);
  const b = new SoftNicBackend('full');
  try {
    for (const c of b.create(rules(0, nrules))) if (!c.ok) throw new Error(c.error.message);
    const pack = (miss: boolean, count = nframes, varied = false): FrameBatch[] => {
      const frames = Array.from({ length: count }, (_, i) => frameFor(i % nrules, miss, varied ? 1 + Math.floor(i / nrules) : 0));
      const out: FrameBatch[] = [];
      for (let i = 0; i < frames.length; i += burst) out.push(packFrames(frames.slice(i, i + burst)));
      return out;
    };
    const hitting = pack(false);
    const missing = pack(true);
    // far more flows than the exact-match cache holds: the tuple-space search does the work
    const unique = pack(false, uniqueFlows, true);
    const check = b.classify(0, hitting[0]);
    if (check.hits !== check.count) throw new Error(`only ${check.hits} of ${check.count} frames hit`);
    if (b.classify(0, missing[0]).hits !== 0) throw new Error('a missing frame hit');
    const u = b.classify(0, unique[1]);
    if (u.hits !== u.count) throw new Error(`only ${u.hits} of ${u.count} varied frames hit`);
    const hit: number[] = [];
    const miss: number[] = [];
    const uniq: number[] = [];
    const routed: number[] = [];
    // marks are the rule numbers 0..nrules-1: their low 15 bits as hw-port-ids, 8 of them mapped
    const hwToOdp = hwToOdpTable({ 0: 1, 1: 2, 2: 3, 3: 4, 4: 5, 5: 6, 6: 7, 7: 8 });
    classifyRate(b, hitting, packets / 10); // warm-up
    for (let r = 0; r < rounds; r++) {
      hit.push(classifyRate(b, hitting, packets));
      miss.push(classifyRate(b, missing, packets));
      uniq.push(classifyRate(b, unique, packets / 2));
      routed.push(classifyRouteRate(b, hitting, packets, hwToOdp));
      options.log(
        `${NAME_CLASSIFY}: round ${r + 1}/${rounds}: hits ${(hit[r] / 1e6).toFixed(2)} Mpps, misses ${(miss[r] / 1e6).toFixed(2)} Mpps, ` +
          `${uniqueFlows} flows ${(uniq[r] / 1e6).toFixed(2)} Mpps, hits routed ${(routed[r] / 1e6).toFixed(2)} Mpps`,
      );
    }
    return [
      { bench: NAME_CLASSIFY, metric: `${nrules} rules / 16 masks, ${nframes} flows that hit, bursts of ${burst}`, value: median(hit) / 1e6, unit: 'Mpps' },
      { bench: NAME_CLASSIFY, metric: `${nrules} rules / 16 masks, frames that miss every rule`, value: median(miss) / 1e6, unit: 'Mpps' },
      { bench: NAME_CLASSIFY, metric: `${nrules} rules / 16 masks, ${nframes} flows that hit, classified and routed into per-port batches`, value: median(routed) / 1e6, unit: 'Mpps', peer: 'classify alone', peerValue: median(hit) / 1e6 },
      { bench: NAME_CLASSIFY, metric: `${nrules} rules / 16 masks, ${uniqueFlows} flows (exact-match cache defeated)`, value: median(uniq) / 1e6, unit: 'Mpps' },
    ];
  } finally {
    b.close();
  }
}

function napiBench(options: BenchOptions): Promise<BenchResult[]> {
  return Promise.resolve(napiRun(options));
}

function napiRun(options: BenchOptions): BenchResult[] {
  const n = size(options, 'native.calls', 100_000, 20_000);
  const rounds = size(options, 'native.rounds', 5, 3);
  const specs = rules(0, n);
  const whole = encodeRules(specs);
  const singles = specs.map((s) => encodeRules([s]));
  const batched: number[] = [];
  const looped: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const b = new SoftNicBackend('full');
    try {
      // rules in every mask stay installed, so that no call pays for creating a subtable
      b.create(rules(n, 16));
      let start = now();
      const created = b.create(whole);
      const handles = Uint32Array.from(created.map((c) => (c.ok ? c.handle : 0)));
      b.destroy(handles);
      batched.push(seconds(start));
      const one = new Uint32Array(1);
      start = now();
      for (const s of singles) {
        const [c] = b.create(s);
        one[0] = c.ok ? c.handle : 0;
        b.destroy(one);
      }
      looped.push(seconds(start));
      if (b.ruleCount(0) !== 16) throw new Error('rules left');
    } finally {
      b.close();
    }
    options.log(`${NAME_NAPI}: round ${r + 1}/${rounds}: one call ${(batched[r] * 1e3).toFixed(1)} ms, ${n} calls ${(looped[r] * 1e3).toFixed(1)} ms`);
  }
  const tBatch = median(batched);
  const tLoop = median(looped);
  return [
    {
      bench: NAME_NAPI,
      metric: `create+destroy of ${n} rules, one batch call each`,
      value: n / tBatch,
      unit: 'rules/s',
      peer: 'a loop of single-rule calls',
      peerValue: n / tLoop,
    },
    // two calls (create and destroy) per rule in the loop, against two calls in all for the batch
    { bench: NAME_NAPI, metric: 'overhead per call (loop - batch) / calls', value: ((tLoop - tBatch) / (2 * n)) * 1e9, unit: 'ns' },
  ];
}

export const benchmarks: Benchmark[] = [
  { name: NAME_INSERT, run: insertBench },
  { name: NAME_CLASSIFY, run: classifyBench },
  { name: NAME_NAPI, run: napiBench },
];
