/**
 * The offloaded records by native rule handle. The native backends hand out handles as
 * `generation << 22 | slot` with dense slots (native/src/core/handle_table.h), so a record is kept
 * in an array at its handle's slot, and checked against its own handle when found. A handle whose
 * slot is taken by another live handle, or lies far beyond the array (a backend with other
 * handles), goes to a Map instead: correct for any handles, fast for the native ones.
 */

const SLOT_MASK = (1 << 22) - 1;
/** How far past the array's end a slot may be and still grow the array. */
const MAX_GAP = 4096;

/** What the index needs of a record: its current handle (0 once its rule is gone). */
export interface HasHandle {
  readonly handle: number;
}

export class HandleIndex<R extends HasHandle> {
  private slots: Array<R | undefined> = [];
  private readonly overflow = new Map<number, R>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `rec` under `handle` (which must be rec.handle, and not in the index). */
  set(handle: number, rec: R): void {
    this.count++;
    const slot = handle & SLOT_MASK;
    const slots = this.slots;
    if (slot < slots.length) {
      if (slots[slot] === undefined) {
        slots[slot] = rec;
        return;
      }
    } else if (slot < slots.length + MAX_GAP) {
      while (slots.length < slot) slots.push(undefined);
      slots.push(rec);
      return;
    }
    this.overflow.set(handle, rec);
  }

  get(handle: number): R | undefined {
    const r = this.slots[handle & SLOT_MASK];
    if (r !== undefined && r.handle === handle) return r;
    return this.overflow.size > 0 ? this.overflow.get(handle) : undefined;
  }

  /** Removes `rec`, indexed under `handle` (its handle until now). */
  delete(handle: number, rec: R): void {
    const slot = handle & SLOT_MASK;
    if (this.slots[slot] === rec) {
      this.slots[slot] = undefined;
      this.count--;
    } else if (this.overflow.delete(handle)) {
      this.count--;
    }
  }

  /** Every indexed handle. */
  handles(): Uint32Array {
    const out = new Uint32Array(this.count);
    let k = 0;
    for (const r of this.slots) if (r !== undefined) out[k++] = r.handle;
    for (const h of this.overflow.keys()) out[k++] = h;
    return out;
  }

  clear(): void {
    this.slots = [];
    this.overflow.clear();
    this.count = 0;
  }
}
