/**
 * The hardware counters of the counting rules (those created with COUNT), for the engine's
 * statistics sweep. The counting records are kept dense: slot i holds a record, its rule handle
 * and the hit count last seen, in parallel arrays (a Uint32Array of handles is what
 * backend.queryInto() takes; no object per flow).
 *
 * Contract: add() a record once its counting rule exists (rec.handle set), remove() it when the
 * rule goes (rec.slot >= 0 while it is in; slots of other records may move); sweep() writes the
 * new counters of every record whose hit count moved and sets its `used`; fold(), while the rule
 * still exists, moves its final counters into the record's base counters (a modify keeps its
 * statistics). clear() forgets every record (the engine's flush), not the sweep statistics.
 */
import type { FlowBackend } from '../native/backend';
import type { SweepStats } from './engine-types';
import type { FlowRecord } from './flow-record';
import { hrUs } from './latency';

export class StatsSweep {
  /** Counting records, dense; handles[i] is slots[i]'s handle and hits[i] its hwPackets. */
  private slots: FlowRecord[] = [];
  private handles = new Uint32Array(1024);
  private hits = new Float64Array(1024);
  /** The sweep's query output (hits, bytes per slot), grown with the slots. */
  private out = new Float64Array(2048);

  private count = 0;
  private totalUs = 0;
  private lastUs = 0;
  private lastFlows = 0;

  constructor(
    private readonly backend: FlowBackend,
    private readonly now: () => number,
  ) {}

  /** Adds a record whose counting rule was just created (rec.handle is set). */
  add(rec: FlowRecord): void {
    const n = this.slots.length;
    if (n === this.handles.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(this.handles);
      this.handles = grown;
      const hits = new Float64Array(n * 2);
      hits.set(this.hits);
      this.hits = hits;
    }
    this.slots.push(rec);
    this.handles[n] = rec.handle;
    this.hits[n] = rec.stats.hwPackets;
    rec.slot = n;
  }

  /** Removes a record (rec.slot >= 0); the last slot's record moves into its place. */
  remove(rec: FlowRecord): void {
    const last = this.slots.length - 1;
    const at = rec.slot;
    const moved = this.slots[last];
    this.slots[at] = moved;
    this.handles[at] = this.handles[last];
    this.hits[at] = this.hits[last];
    moved.slot = at;
    this.slots.pop();
    rec.slot = -1;
  }

  /** Forgets every record (their rules are gone). */
  clear(): void {
    this.slots = [];
  }

  /**
   * One statistics sweep: a single backend.queryInto() over the handles of every counting rule,
   * into a preallocated buffer (no allocation per flow); only the records whose hit counter moved
   * are touched, and their `used` is set. A rule that cannot be queried keeps its last counters.
   * Returns the number of rules queried.
   */
  sweep(): number {
    const start = process.hrtime.bigint();
    const n = this.slots.length;
    if (n > 0) {
      if (this.out.length < 2 * n) this.out = new Float64Array(2 * this.handles.length);
      const out = this.out;
      this.backend.queryInto(this.handles.subarray(0, n), false, out);
      const now = this.now();
      const slots = this.slots;
      const seen = this.hits;
      for (let i = 0; i < n; i++) {
        const hits = out[2 * i];
        // NaN (a failed query) compares unequal to everything: skip it explicitly.
        if (hits === seen[i] || hits !== hits) continue;
        const rec = slots[i];
        seen[i] = hits;
        const c = rec.writableStats;
        c.hwPackets = hits;
        c.hwBytes = out[2 * i + 1];
        c.usedMs = now;
      }
    }
    const us = hrUs(start);
    this.count++;
    this.totalUs += us;
    this.lastUs = us;
    this.lastFlows = n;
    return n;
  }

  /**
   * Reads the final counters of a counting record's rule (still on the NIC) and moves them into the
   * record's base counters, so that they survive the rule. A failed query keeps the last counters.
   */
  fold(rec: FlowRecord): void {
    const q = this.backend.query([rec.handle]);
    const r = q[0];
    const c = rec.writableStats;
    if (r.ok) {
      if (r.counters.hits !== c.hwPackets) c.usedMs = this.now();
      c.hwPackets = r.counters.hits;
      c.hwBytes = r.counters.bytes;
    }
    c.hwBasePackets += c.hwPackets;
    c.hwBaseBytes += c.hwBytes;
    c.hwPackets = 0;
    c.hwBytes = 0;
  }

  /** The sweeps so far, times in microseconds rounded to 3 decimals (offload/stats). */
  summary(): SweepStats {
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    return { count: this.count, lastFlows: this.lastFlows, lastUs: round(this.lastUs), meanUs: round(this.count > 0 ? this.totalUs / this.count : 0) };
  }
}
