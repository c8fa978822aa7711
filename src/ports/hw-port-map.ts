/**
 * hw_local_port_map as a persistent array: hw-port-id -> datapath (odp) port.
 *
 * hw-port-ids are small dense integers (0..maxHwPorts-1, at most 0x7FFF), so the map is a sparse array of
 * fixed chunks of 256 ids, each an Int32Array (-1 = no entry). A new version copies the top-level array
 * (at most 128 pointers) and the chunks it writes to; every other chunk is shared with the previous version.
 * So deriving a version after a change costs O(changed ids + 128) and holds no object per entry, and a full
 * map of 10,000 entries is built from the reducer's dense array in one pass.
 *
 * Versions are immutable once returned.
 */

const CHUNK_BITS = 8;
const CHUNK = 1 << CHUNK_BITS;
const NO_PORT = -1;

export class HwPortMap {
  private static readonly EMPTY = new HwPortMap([], 0);

  private constructor(
    private readonly chunks: readonly (Int32Array | undefined)[],
    /** Number of entries. */
    readonly size: number,
  ) {}

  static empty(): HwPortMap {
    return HwPortMap.EMPTY;
  }

  /**
   * A map of the entries of a dense array: index = hw-port-id, value = odp port (>= 0) or a negative number
   * for none.
   */
  static fromArray(ports: ArrayLike<number>): HwPortMap {
    const chunks: (Int32Array | undefined)[] = [];
    let size = 0;
    for (let base = 0; base < ports.length; base += CHUNK) {
      let chunk: Int32Array | undefined;
      const end = Math.min(base + CHUNK, ports.length);
      for (let id = base; id < end; id++) {
        const odp = ports[id];
        if (odp < 0) continue;
        chunk ??= new Int32Array(CHUNK).fill(NO_PORT);
        chunk[id - base] = odp;
        size++;
      }
      chunks.push(chunk);
    }
    return size === 0 ? HwPortMap.EMPTY : new HwPortMap(chunks, size);
  }

  /** The odp port of `hwPortId`, or undefined. O(1). */
  get(hwPortId: number): number | undefined {
    const chunk = this.chunks[hwPortId >>> CHUNK_BITS];
    if (chunk === undefined || hwPortId < 0) return undefined;
    const odp = chunk[hwPortId & (CHUNK - 1)];
    return odp === NO_PORT || odp === undefined ? undefined : odp;
  }

  /**
   * A new version where each id of `ids` maps to `ports[id]` (no entry when negative); this version is
   * unchanged. Returns this version itself when nothing differs.
   */
  with(ids: readonly number[], ports: ArrayLike<number>): HwPortMap {
    const base = this.chunks;
    let chunks: (Int32Array | undefined)[] | undefined;
    let size = this.size;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const odp = ports[id] < 0 ? NO_PORT : ports[id];
      const c = id >>> CHUNK_BITS;
      let chunk = (chunks ?? base)[c];
      const held = chunk === undefined ? NO_PORT : chunk[id & (CHUNK - 1)];
      if (held === odp) continue;
      if (chunks === undefined) chunks = base.slice();
      // A chunk of this version is shared: copy it before the first write (a copy differs from base[c]).
      if (chunk === undefined || chunk === base[c]) {
        chunk = chunk === undefined ? new Int32Array(CHUNK).fill(NO_PORT) : chunk.slice();
        while (chunks.length <= c) chunks.push(undefined);
        chunks[c] = chunk;
      }
      chunk[id & (CHUNK - 1)] = odp;
      size += (odp === NO_PORT ? -1 : 0) + (held === NO_PORT ? 1 : 0);
    }
    return chunks === undefined ? this : new HwPortMap(chunks, size);
  }

  /** Calls `fn` for every entry, in hw-port-id order. */
  forEach(fn: (hwPortId: number, odpPort: number) => void): void {
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      if (chunk === undefined) continue;
      for (let i = 0; i < CHUNK; i++) if (chunk[i] !== NO_PORT) fn((c << CHUNK_BITS) + i, chunk[i]);
    }
  }
}
