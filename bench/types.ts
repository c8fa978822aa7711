/**
 * The benchmark contract (DESIGN.md §3). Each `bench/*.bench.ts` file exports `benchmarks`, a list
 * of {@link Benchmark}; `npm run bench` finds and runs them all.
 */

/** One measured figure. `peer`/`peerValue`: the same metric measured for a peer in the same run. */
export interface BenchResult {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  peer?: string;
  peerValue?: number;
}

/** Options every benchmark receives; sizes come from here so quick and full runs share code. */
export interface BenchOptions {
  /** A small, fast run (CI smoke, `--quick`): scale sizes down. */
  quick: boolean;
  /** `--size NAME=N` overrides, by name (each benchmark documents the names it reads). */
  sizes: Record<string, number>;
  /** Progress messages go here (stderr), never to stdout. */
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}

/** Reads a size: the `--size` override, else `quick` or `full`. */
export function size(options: BenchOptions, name: string, full: number, quick: number): number {
  return options.sizes[name] ?? (options.quick ? quick : full);
}

/** Median of a list of numbers (the list is not modified). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
