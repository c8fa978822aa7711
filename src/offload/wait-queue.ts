/**
 * The flows waiting for a flow_id, in arrival order (DESIGN.md: a flow that finds the pool empty
 * stays in software and waits). A record's own `waiting` flag says whether it is in the queue:
 * remove() only clears the flag and leaves a stale entry, which take() skips, so that taking a
 * record out costs O(1) wherever it is.
 *
 * Contract: size is the number of records whose `waiting` flag this queue set and has not cleared;
 * take() returns them in the order add() queued them; compact() (call it now and then, not inside
 * a loop over take()) drops the consumed entries once they are more than half of the array.
 */
import type { FlowRecord } from './flow-record';

export class WaitQueue {
  /** Queued records from `head` on (entries may be stale: check rec.waiting). */
  private queue: FlowRecord[] = [];
  private head = 0;
  private count = 0;

  /** Number of records waiting. */
  get size(): number {
    return this.count;
  }

  /** Queues `rec` at the end, unless it is waiting already. */
  add(rec: FlowRecord): void {
    if (!rec.waiting) {
      rec.waiting = true;
      this.count++;
      this.queue.push(rec);
    }
  }

  /** Takes `rec` out of the queue if it waits (its entry becomes stale). */
  remove(rec: FlowRecord): void {
    if (rec.waiting) {
      rec.waiting = false;
      this.count--;
    }
  }

  /** Takes the record that has waited longest out of the queue; size must be > 0. */
  take(): FlowRecord {
    for (;;) {
      const rec = this.queue[this.head++];
      if (!rec.waiting) continue;
      rec.waiting = false;
      this.count--;
      return rec;
    }
  }

  /** Drops the consumed entries when there are many (more than 1,024 and half of the array). */
  compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Forgets every record (the flags of the records are left as they are: they are let go). */
  clear(): void {
    this.queue = [];
    this.head = 0;
    this.count = 0;
  }
}
