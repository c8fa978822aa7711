/**
 * ODP text throughput: parse + format of `dpctl/dump-flows -m` lines (the OVS 3.1 fixture corpus,
 * repeated), compared in the same run with OVS's own Python parser (ovs.flow.odp in
 * python3-openvswitch, run by Debian's /usr/bin/python3), which only parses.
 *
 * Sizes: `odp.lines` lines per round (100000; quick 10000), `odp.rounds` rounds (5; quick 2,
 * the median is reported), `odp.peerLines` lines per round for the slower Python peer (20000;
 * quick 1000).
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

function rate(n: number, start: bigint): number {
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
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
      const parsed: DpFlow[] = base.map(parseFlow);
      const both: number[] = [];
      const parseOnly: number[] = [];
      const formatOnly: number[] = [];
      let sink = 0;
      // One warm-up round so that the optimising compiler has seen the code.
      for (const l of lines) sink += formatFlow(parseFlow(l)).length;
      for (let r = 0; r < rounds; r++) {
        let t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) sink += formatFlow(parseFlow(lines[i])).length;
        both.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) sink += parseFlow(lines[i]).actions.length;
        parseOnly.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) sink += formatFlow(parsed[i % parsed.length]).length;
        formatOnly.push(rate(n, t));
      }
      if (sink === 0) options.log('odp: nothing was formatted');
      options.log(`odp: ${n} lines x ${rounds} rounds; parse+format samples ${both.map((v) => v.toFixed(0)).join(', ')} lines/s`);

      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ovs-hwol-bench-')), 'corpus.txt');
      fs.writeFileSync(file, base.join('\n') + '\n');
      const peer = await runPeer(file, peerLines, rounds, options);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      if (peer) options.log(`odp: Python peer ${peer.linesPerSec.toFixed(0)} lines/s over ${peerLines} lines (${peer.failed} lines per round rejected by it)`);
      const withPeer = (r: BenchResult): BenchResult => (peer ? { ...r, peer: PEER_NAME, peerValue: peer.linesPerSec } : r);
      return [
        withPeer({ bench: 'odp', metric: 'parse+format', value: median(both), unit: 'lines/s' }),
        withPeer({ bench: 'odp', metric: 'parse', value: median(parseOnly), unit: 'lines/s' }),
        { bench: 'odp', metric: 'format', value: median(formatOnly), unit: 'lines/s' },
      ];
    },
  },
];
