/**
 * The flow_id pool (DESIGN.md §1): ids 0..size-1, the high 16 bits of a MARK. An id is taken when a
 * flow is offloaded and given back when its rule goes; a freed id is reused before any id that was
 * never used (last freed, first reused). O(1) take and give, no allocation after construction.
 */
import { OffloadUsageError } from './errors';

/** The number of flow_ids in mark mode: 16 bits. */
export const FLOW_ID_POOL_SIZE = 65536;

export class FlowIdPool {
  private readonly free: Uint32Array;
  private freeCount: number;
  private readonly taken: Uint8Array;

  /** @throws OffloadUsageError unless 1 <= size <= 65536 */
  constructor(readonly size: number = FLOW_ID_POOL_SIZE) {
    if (!Number.isInteger(size) || size < 1 || size > FLOW_ID_POOL_SIZE) throw new OffloadUsageError(`flow_id pool size ${String(size)} is not an integer in 1..${FLOW_ID_POOL_SIZE}`);
    this.free = new Uint32Array(size);
    this.freeCount = size;
    this.taken = new Uint8Array(size);
    this.reset();
  }

  /** Frees every id: the next take() gives 0, then 1, ... */
  reset(): void {
    // Popped from the end: id 0 first.
    for (let i = 0; i < this.size; i++) this.free[i] = this.size - 1 - i;
    this.freeCount = this.size;
    this.taken.fill(0);
  }

  /** Ids in use. */
  get used(): number {
    return this.size - this.freeCount;
  }

  /** Takes an id; undefined when every id is in use. */
  take(): number | undefined {
    if (this.freeCount === 0) return undefined;
    const id = this.free[--this.freeCount];
    this.taken[id] = 1;
    return id;
  }

  /** Gives an id back. @throws OffloadUsageError for an id that is not in use */
  give(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.size || this.taken[id] === 0) throw new OffloadUsageError(`flow_id ${String(id)} is not in use`);
    this.taken[id] = 0;
    this.free[this.freeCount++] = id;
  }

  /** True when `id` is in use. */
  isTaken(id: number): boolean {
    return id >= 0 && id < this.size && this.taken[id] === 1;
  }
}
