/**
 * A persistent sorted list: immutable to its readers, cheap to derive a changed copy from.
 *
 * Why: the port table is emitted to subscribers as an immutable snapshot after every OVSDB transaction, while
 * a transaction typically changes one interface out of thousands. Copying a 10,000-entry array (or Map) per
 * change would make each update O(all rows). Here the items live in sorted chunks of at most 2*B items under a
 * top-level array of chunks; an edit copies only the top-level array (n/B pointers) and the chunks it touches
 * (B..2B pointers), and every other chunk is shared with the previous version. With B = 64, one change to a
 * 10,000-entry list copies about 250 pointers; reading the whole list (`toArray`) is one O(n) concatenation,
 * done lazily and only when someone asks (ports/show).
 *
 * Versions are never modified once `ListEditor.finish()` has returned them: an editor copies each shared chunk
 * the first time it writes to it (copy-on-write, tracked per editor), so a batch of k edits costs
 * O(n/B + k*B) and not O(k*n/B).
 */

const B = 64;
const MAX_CHUNK = 2 * B;
const MIN_CHUNK = B / 4;

/** Orders two items; must be a total order in which no two items of one list compare equal. */
export type Compare<T> = (a: T, b: T) => number;
/** Locates a key: negative when `item` sorts before the key, 0 at the key, positive after. */
export type Probe<T> = (item: T) => number;

export class ChunkedList<T> {
  /** @internal use `empty()`, `fromSorted()` or an editor. */
  constructor(
    /** @internal */ readonly chunks: readonly (readonly T[])[],
    readonly size: number,
  ) {}

  static empty<T>(): ChunkedList<T> {
    return new ChunkedList<T>([], 0);
  }

  /** Builds a list from items already sorted by the order later edits will use. O(n). */
  static fromSorted<T>(items: readonly T[]): ChunkedList<T> {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += B) chunks.push(items.slice(i, i + B));
    return new ChunkedList(chunks, items.length);
  }

  /** The item at `probe`'s key, or undefined. O(log n). */
  find(probe: Probe<T>): T | undefined {
    const at = this.lowerBound(probe);
    if (at === undefined) return undefined;
    const item = this.chunks[at[0]][at[1]];
    return probe(item) === 0 ? item : undefined;
  }

  /** A new array of all items in order. O(n). */
  toArray(): T[] {
    const out = new Array<T>(this.size);
    let i = 0;
    for (const chunk of this.chunks) for (const item of chunk) out[i++] = item;
    return out;
  }

  /** Starts a batch of edits on top of this version (which stays unchanged). */
  edit(compare: Compare<T>): ListEditor<T> {
    return new ListEditor(this, compare);
  }

  /** [chunk index, index in chunk] of the first item not before `probe`'s key; undefined if none. */
  lowerBound(probe: Probe<T>): [number, number] | undefined {
    return lowerBound(this.chunks, probe);
  }
}

function lowerBound<T>(chunks: readonly (readonly T[])[], probe: Probe<T>): [number, number] | undefined {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid];
    if (probe(chunk[chunk.length - 1]) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo === chunks.length) return undefined;
  const chunk = chunks[lo];
  let a = 0;
  let b = chunk.length - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (probe(chunk[mid]) < 0) a = mid + 1;
    else b = mid;
  }
  return [lo, a];
}

/** A batch of edits. Use once: after `finish()` the editor must not be used again. */
export class ListEditor<T> {
  private chunks: T[][];
  private size: number;
  private readonly owned = new Set<T[]>();
  private finished = false;

  constructor(
    private readonly base: ChunkedList<T>,
    private readonly compare: Compare<T>,
  ) {
    this.chunks = base.chunks as T[][];
    this.size = base.size;
  }

  /** Inserts an item that is not in the list. */
  insert(item: T): void {
    this.assertOpen();
    this.ownTop();
    const probe = (x: T) => this.compare(x, item);
    if (this.chunks.length === 0) {
      const chunk = [item];
      this.owned.add(chunk);
      this.chunks.push(chunk);
    } else {
      const at = this.lowerBoundIn(probe);
      const ci = at === undefined ? this.chunks.length - 1 : at[0];
      const chunk = this.ownChunk(ci);
      chunk.splice(at === undefined ? chunk.length : at[1], 0, item);
      if (chunk.length > MAX_CHUNK) {
        const tail = chunk.splice(B);
        this.owned.add(tail);
        this.chunks.splice(ci + 1, 0, tail);
      }
    }
    this.size++;
  }

  /** Removes the item that compares equal to `item`; returns false when there is none. */
  remove(item: T): boolean {
    this.assertOpen();
    const at = this.lowerBoundIn((x) => this.compare(x, item));
    if (at === undefined || this.compare(this.chunks[at[0]][at[1]], item) !== 0) return false;
    this.ownTop();
    const [ci, i] = at;
    const chunk = this.ownChunk(ci);
    chunk.splice(i, 1);
    if (chunk.length === 0) {
      this.chunks.splice(ci, 1);
    } else if (chunk.length < MIN_CHUNK && ci + 1 < this.chunks.length && chunk.length + this.chunks[ci + 1].length <= MAX_CHUNK) {
      const merged = chunk.concat(this.chunks[ci + 1]);
      this.owned.add(merged);
      this.chunks.splice(ci, 2, merged);
    }
    this.size--;
    return true;
  }

  /** Replaces `before` (which must be in the list) by `after`, moving it when its sort key changed. */
  replace(before: T, after: T): void {
    this.assertOpen();
    if (this.compare(before, after) === 0) {
      const at = this.lowerBoundIn((x) => this.compare(x, before));
      if (at !== undefined && this.compare(this.chunks[at[0]][at[1]], before) === 0) {
        this.ownTop();
        this.ownChunk(at[0])[at[1]] = after;
        return;
      }
    }
    this.remove(before);
    this.insert(after);
  }

  /** The new version (the base itself when nothing changed). */
  finish(): ChunkedList<T> {
    this.assertOpen();
    this.finished = true;
    if (this.chunks === this.base.chunks) return this.base;
    return new ChunkedList<T>(this.chunks, this.size);
  }

  private lowerBoundIn(probe: Probe<T>): [number, number] | undefined {
    return lowerBound(this.chunks, probe);
  }

  private ownTop(): void {
    if (this.chunks === this.base.chunks) this.chunks = this.chunks.slice();
  }

  private ownChunk(ci: number): T[] {
    let chunk = this.chunks[ci];
    if (!this.owned.has(chunk)) {
      chunk = chunk.slice();
      this.owned.add(chunk);
      this.chunks[ci] = chunk;
    }
    return chunk;
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('ListEditor used after finish()');
  }
}
