/**
 * `npm run bench [-- --json] [--quick] [--only NAME] [--size NAME=N ...]`
 *
 * Runs every benchmark in dist/bench/*.bench.js and prints a table, or with --json one JSON object
 * per line (DESIGN.md §3). Progress goes to stderr so stdout stays machine-readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Benchmark, BenchOptions, BenchResult } from './types';

interface Args {
  json: boolean;
  only: string[];
  options: BenchOptions;
}

const USAGE = `usage: npm run bench -- [--json] [--quick] [--only NAME]... [--size NAME=N]...
  --json        one JSON object per line instead of a table
  --quick       small sizes (a smoke run)
  --only NAME   run only the benchmarks whose name contains NAME
  --size NAME=N override one size (see each benchmark's file for its names)`;

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, only: [], options: { quick: false, sizes: {}, log: (m) => process.stderr.write(`${m}\n`) } };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--quick') args.options.quick = true;
    else if (arg === '--only' && argv[i + 1] !== undefined) args.only.push(argv[++i]);
    else if (arg === '--size' && argv[i + 1] !== undefined) {
      const m = /^([\w.-]+)=(\d+)$/.exec(argv[++i]);
      if (!m) throw new Error(`--size takes NAME=N, got "${argv[i]}"\n${USAGE}`);
      args.options.sizes[m[1]] = Number(m[2]);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return args;
}

function loadBenchmarks(): Benchmark[] {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return files.flatMap((f) => (require(path.join(__dirname, f)) as { benchmarks: Benchmark[] }).benchmarks);
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [r.bench, r.metric, formatNumber(r.value), r.unit, r.peer ?? '', r.peerValue === undefined ? '' : formatNumber(r.peerValue)]);
  const header = ['bench', 'metric', 'value', 'unit', 'peer', 'peer value'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i]).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 || i === 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const selected = loadBenchmarks().filter((b) => args.only.length === 0 || args.only.some((o) => b.name.includes(o)));
  const all: BenchResult[] = [];
  for (const bench of selected) {
    args.options.log(`bench: ${bench.name} ...`);
    const results = await bench.run(args.options);
    for (const r of results) {
      if (args.json) console.log(JSON.stringify(r));
      all.push(r);
    }
  }
  if (!args.json) printTable(all);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
