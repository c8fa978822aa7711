/**
 * The rules the engine is about to create, in batch order: attempt k is record k of the batch
 * builder, the rule of `recs[k]` in the variant `variants[k][idx[k]]`. Parallel arrays reused from
 * round to round, so that a queued attempt costs no object (a batch of 10,000 attempts would
 * otherwise be 10,000 objects that live through the batch and that every scavenge moves).
 */
import type { ActionVariant } from '../flows/translate';
import type { FlowRecord } from './flow-record';

export class AttemptList {
  readonly recs: Array<FlowRecord | undefined> = [];
  readonly variants: Array<readonly ActionVariant[] | undefined> = [];
  readonly idx: number[] = [];
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(rec: FlowRecord, variants: readonly ActionVariant[], idx: number): void {
    const k = this.n++;
    if (k === this.recs.length) {
      this.recs.push(rec);
      this.variants.push(variants);
      this.idx.push(idx);
    } else {
      this.recs[k] = rec;
      this.variants[k] = variants;
      this.idx[k] = idx;
    }
  }

  /** Keeps the attempts for which keep(k) is true, in order. */
  filter(keep: (k: number) => boolean): void {
    let j = 0;
    for (let k = 0; k < this.n; k++) {
      if (!keep(k)) continue;
      this.recs[j] = this.recs[k];
      this.variants[j] = this.variants[k];
      this.idx[j] = this.idx[k];
      j++;
    }
    this.truncate(j);
  }

  /** Empties the list (the arrays keep their capacity; the records are let go). */
  clear(): void {
    this.truncate(0);
  }

  private truncate(n: number): void {
    this.recs.fill(undefined, n, this.n);
    this.variants.fill(undefined, n, this.n);
    this.n = n;
  }
}
