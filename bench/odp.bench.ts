/**
 * ODP text throughput: parse + format of `dpctl/dump-flows -m` lines (the OVS 3.1 fixture corpus,
 * repeated), compared in the same run with OVS's own Python parser (ovs.flow.odp in
 * python3-openvswitch, run by Debian's /usr/bin/python3), which only parses.
 *
 * Sizes: `odp.lines` lines per round (100000; quick 10000), `odp.rounds` rounds (5; quick 2,
 * the median is reported), `odp.peerLines` lines per round for the slower Python peer (20000;
 * quick 1000).
 *
 * The machine may be shared, so two more figures make runs comparable: `parse+format (cpu)` counts
 * lines per second of this process's CPU time (time spent descheduled does not count), and
 * `reference` is JSON.parse of the same lines as JSON strings, measured in the same rounds: the
 * ratio of parse+format to it is a machine-independent measure of our speed.
 * `parse+format (distinct)` reads and writes the same lines with every IPv4 and Ethernet address
 * made different (a dump of many hosts): a memo of address texts, which the repeated corpus would
 * flatter, shows its real cost there.
 *
 * Every formatted text is read (one character of it) before the next line: V8 builds a long text
 * made by `+` as a tree of pieces and copies it into one flat string only when it is first read.
 * A text that is written to a socket or compared is read, so that copy is part of formatting
 * (about 0.6 us of a 650-character line here); taking only `.length` would leave it out.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatFlow, parseFlow, type DpFlow } from '../src/flows/odp';
import { median, size, type Benchmark, type BenchOptions, type BenchResult } from './types';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures/ovs-3.1');
const PEER = path.resolve(__dirname, '../../bench/peers/odp_parse.py');
const PEER_NAME = 'ovs.flow.odp (python3-openvswitch)';

function corpusLines(): string[] {
  return ['megaflows-dump-m.txt', 'megaflows-dump-m-nonames.txt', 'megaflows-tunnel-dump-m.txt']
    .flatMap((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8').split('\n'))
    .filter((l) => l.startsWith('ufid:'));
}

/**
 * Line `i` of the corpus with its addresses made unique to it: every IPv4 address but 0.0.0.0 and
 * 255.x.x.x masks becomes 10.x.y.z, every Ethernet address but the all-zero mask 02:xx:xx:xx:xx:xx.
 */
function withDistinctAddresses(line: string, i: number): string {
  let k = 0;
  const unique = (): number => (i * 16 + k++) >>> 0;
  return line
    .replace(/\b\d+\.\d+\.\d+\.\d+\b/g, (a) => (a === '0.0.0.0' || a.startsWith('255.') ? a : `10.${(unique() >>> 16) & 255}.${(unique() >>> 8) & 255}.${unique() & 255}`))
    .replace(/\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, (m) => {
      if (m === '00:00:00:00:00:00') return m;
      const u = unique();
      return `02:${[u >>> 24, (u >>> 16) & 255, (u >>> 8) & 255, u & 255, k & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
    });
}

/** Reads `text` (which flattens a text built by `+`, as any use of it does); a number to sum. */
function used(text: string): number {
  return text.length + text.charCodeAt(0);
}

function rate(n: number, start: bigint): number {
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Lines per second of CPU time (user + system) since `start`. */
function cpuRate(n: number, start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return n / ((used.user + used.system) / 1e6);
}

/** Runs the Python peer; undefined (with a log line) when it cannot run here. */
function runPeer(file: string, count: number, rounds: number, options: BenchOptions): Promise<{ linesPerSec: number; failed: number } | undefined> {
  return new Promise((resolve) => {
    execFile('/usr/bin/python3', [PEER, file, String(count), String(rounds)], { timeout: 600_000 }, (err, stdout, stderr) => {
      if (err) {
        options.log(`odp: Python peer not measured: ${stderr.trim() || err.message}`);
        resolve(undefined);
      } else resolve(JSON.parse(stdout) as { linesPerSec: number; failed: number });
    });
  });
}

export const benchmarks: Benchmark[] = [
  {
    name: 'odp',
    async run(options: BenchOptions): Promise<BenchResult[]> {
      const base = corpusLines();
      const n = size(options, 'odp.lines', 100_000, 10_000);
      const rounds = size(options, 'odp.rounds', 5, 2);
      const peerLines = size(options, 'odp.peerLines', 20_000, 1000);
      const lines = Array.from({ length: n }, (_, i) => base[i % base.length]);
      const jsonLines = base.map((l) => JSON.stringify(l));
      const distinctLines = lines.map(withDistinctAddresses);
      const parsed: DpFlow[] = base.map(parseFlow);
      const both: number[] = [];
      const bothDistinct: number[] = [];
      const bothCpu: number[] = [];
      const reference: number[] = [];
      const parseOnly: number[] = [];
      const formatOnly: number[] = [];
      let sink = 0;
      // One warm-up round so that the optimising compiler has seen the code.
      for (const l of lines) sink += used(formatFlow(parseFlow(l)));
      for (let i = 0; i < n; i++) sink += (JSON.parse(jsonLines[i % jsonLines.length]) as string).length;
      for (const l of distinctLines) sink += used(formatFlow(parseFlow(l)));
      for (let r = 0; r < rounds; r++) {
        let t = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        for (let i = 0; i < n; i++) sink += used(formatFlow(parseFlow(lines[i])));
        both.push(rate(n, t));
        bothCpu.push(cpuRate(n, cpu));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) sink += (JSON.parse(jsonLines[i % jsonLines.length]) as string).length;
        reference.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) sink += used(formatFlow(parseFlow(distinctLines[i])));
        bothDistinct.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) sink += parseFlow(lines[i]).actions.length;
        parseOnly.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) sink += used(formatFlow(parsed[i % parsed.length]));
        formatOnly.push(rate(n, t));
      }
      if (sink === 0) options.log('odp: nothing was formatted');
      options.log(`odp: ${n} lines x ${rounds} rounds; parse+format samples ${both.map((v) => v.toFixed(0)).join(', ')} lines/s`);
      options.log(`odp: parse+format / JSON.parse of the same lines, per round: ${both.map((v, i) => (v / reference[i]).toFixed(3)).join(', ')}`);

      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-hwol-bench-')), 'corpus.txt');
      fs.writeFileSync(file, base.join('\n') + '\n');
      const peer = await runPeer(file, peerLines, rounds, options);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      if (peer) options.log(`odp: Python peer ${peer.linesPerSec.toFixed(0)} lines/s over ${peerLines} lines (${peer.failed} lines per round rejected by it)`);
      const withPeer = (r: BenchResult): BenchResult => (peer ? { ...r, peer: PEER_NAME, peerValue: peer.linesPerSec } : r);
      return [
        withPeer({ bench: 'odp', metric: 'parse+format', value: median(both), unit: 'lines/s' }),
        { bench: 'odp', metric: 'parse+format (cpu)', value: median(bothCpu), unit: 'lines/cpu-s' },
        { bench: 'odp', metric: 'parse+format (distinct)', value: median(bothDistinct), unit: 'lines/s' },
        withPeer({ bench: 'odp', metric: 'parse', value: median(parseOnly), unit: 'lines/s' }),
        { bench: 'odp', metric: 'format', value: median(formatOnly), unit: 'lines/s' },
        { bench: 'odp', metric: 'reference', value: median(reference), unit: 'JSON.parse lines/s' },
      ];
    },
  },
];
