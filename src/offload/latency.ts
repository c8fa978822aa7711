/**
 * Latency of offload operations for `offload/stats`: count, mean and standard deviation over every
 * sample (Welford's method), and the 99th percentile over the last `window` samples (a ring).
 * Recording is O(1) and allocates nothing.
 */
export interface LatencySummary {
  /** Samples recorded since start. */
  count: number;
  /** Mean, microseconds. */
  meanUs: number;
  /** Population standard deviation, microseconds. */
  stddevUs: number;
  /** 99th percentile (nearest rank) of the last `window` samples, microseconds. */
  p99Us: number;
  /** Largest sample, microseconds. */
  maxUs: number;
}

/** Microseconds since `start` (a process.hrtime.bigint() reading). */
export function hrUs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

export class LatencyTracker {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private max = 0;
  private readonly ring: Float64Array;
  private next = 0;

  constructor(readonly window = 4096) {
    this.ring = new Float64Array(window);
  }

  /** Adds one sample, in microseconds. */
  record(us: number): void {
    this.n++;
    const d = us - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (us - this.mean);
    if (us > this.max) this.max = us;
    this.ring[this.next] = us;
    this.next = (this.next + 1) % this.window;
  }

  /** Adds `count` samples of `us` each (a batch whose time is shared by its flows). */
  recordMany(us: number, count: number): void {
    for (let i = 0; i < count; i++) this.record(us);
  }

  summary(): LatencySummary {
    const kept = Math.min(this.n, this.window);
    let p99 = 0;
    if (kept > 0) {
      const sorted = Float64Array.from(this.ring.subarray(0, kept)).sort();
      p99 = sorted[Math.min(kept - 1, Math.max(0, Math.ceil(0.99 * kept) - 1))];
    }
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    return { count: this.n, meanUs: round(this.mean), stddevUs: round(this.n > 0 ? Math.sqrt(this.m2 / this.n) : 0), p99Us: round(p99), maxUs: round(this.max) };
  }
}
