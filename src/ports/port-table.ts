/**
 * The port table: what `ovs-hwol-ctl ports/show` prints, and the `hw_local_port_map` the flow engine uses.
 *
 * A `PortTable` is an immutable snapshot. Its port list and its hw_local_port_map are persistent structures
 * (see chunked-list.ts, hw-port-map.ts) shared with neighbouring versions, so producing a new snapshot after a
 * change costs O(changed rows); the plain arrays and records of the contract are built on first access and
 * cached in the snapshot.
 */
import { ChunkedList } from './chunked-list.js';
import { HwPortMap } from './hw-port-map.js';

export type PortState = 'ready' | 'disabled' | 'invalid' | 'conflict' | 'error';

/** One interface, as `ports/show` lists it. Frozen. */
export interface PortEntry {
  readonly name: string;
  /** The Interface type ('' for a system interface). */
  readonly type: string;
  /** The Interface row's uuid. */
  readonly uuid: string;
  /** The datapath port number, null when the interface has none (yet). */
  readonly odpPort: number | null;
  /** The valid hw-port-id the interface asks for, whatever its state; null when absent or invalid. */
  readonly hwPortId: number | null;
  /**
   * The interface's DPDK port id, from the `port_no` that OVS-DPDK writes into its status column;
   * absent when unknown (then its rules go on the NIC port numbered by its hw-port-id). When it
   * differs from the hw-port-id, rules are created on this port with a PORT item that remaps the
   * input to the hw-port-id (DESIGN.md §1).
   */
  readonly dpdkPortId?: number;
  /**
   * - ready: hwPortId -> odpPort is in hwLocalPortMap;
   * - disabled: no hw-port-id, or it is not honoured (type not offloadable, no datapath port; `reason` says);
   * - invalid: the hw-port-id value cannot be used (`reason` quotes it);
   * - conflict: another interface holds the same hw-port-id (`reason` names it);
   * - error: the row could not be decoded (`reason` names the column).
   */
  readonly state: PortState;
  /** Why the interface is not ready; present for invalid, conflict and error, and for disabled with a hw-port-id. */
  readonly reason?: string;
}

/** One entry of hw_local_port_map. */
export interface HwMapEntry {
  readonly hwPortId: number;
  readonly odpPort: number;
}

/** A change between two consecutive snapshots: added (no before), removed (no after) or changed. */
export interface PortChange {
  readonly before?: PortEntry;
  readonly after?: PortEntry;
}

/** The `ports/show` result (DESIGN.md §3). */
export interface PortTableJson {
  ports: PortEntry[];
  hwLocalPortMap: Record<string, number>;
}

/** The order of `ports`: by name (UTF-16 code units, like strcmp for ASCII names), then uuid. */
export function comparePorts(a: PortEntry, b: PortEntry): number {
  return compareStrings(a.name, b.name) || compareStrings(a.uuid, b.uuid);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value, or a function that builds it on first use (called at most once). */
export type Deferred<T> = T | (() => T);

export class PortTable {
  private portsCache: readonly PortEntry[] | undefined;
  private mapCache: Readonly<Record<string, number>> | undefined;
  private reverseCache: ReadonlyMap<number, number> | undefined;
  private dpdkCache: ReadonlyMap<number, number> | undefined;
  private portListSource: Deferred<ChunkedList<PortEntry>>;
  private changesSource: Deferred<readonly PortChange[]>;

  /**
   * @param lineage identifies the sequence this snapshot belongs to (one per reducer state)
   * @param version 0 for the empty table, +1 for every snapshot that differs from the previous one
   * @param portList the entries sorted by comparePorts, or a function that builds them (called at most once, on
   *   first need: the reducer defers the O(n log n) sort of a rebuilt list until someone reads it)
   * @param size the number of entries in portList
   * @param hwMap hw_local_port_map
   * @param changes the entries that differ from the previous version of the same lineage, or a function that
   *   lists them (called at most once, on first need: after an initial sync nobody may ask)
   */
  constructor(
    readonly lineage: object,
    readonly version: number,
    portList: Deferred<ChunkedList<PortEntry>>,
    /** Number of interfaces. */
    readonly size: number,
    /** @internal the persistent array behind `hwLocalPortMap`. */
    readonly hwMap: HwPortMap,
    changes: Deferred<readonly PortChange[]>,
  ) {
    this.portListSource = portList;
    this.changesSource = changes;
  }

  /** The entries that differ from the previous version of the same lineage (added, removed or changed). */
  get changes(): readonly PortChange[] {
    if (typeof this.changesSource === 'function') this.changesSource = this.changesSource();
    return this.changesSource;
  }

  /** @internal the persistent list behind `ports` (read by the reducer to derive the next version). */
  get portList(): ChunkedList<PortEntry> {
    if (typeof this.portListSource === 'function') this.portListSource = this.portListSource();
    return this.portListSource;
  }

  /** An empty table (version 0) of a new lineage. */
  static empty(lineage: object = {}): PortTable {
    return new PortTable(lineage, 0, ChunkedList.empty(), 0, HwPortMap.empty(), []);
  }

  /** Every interface, sorted by name. Built on first access (O(n)), then cached; frozen. */
  get ports(): readonly PortEntry[] {
    this.portsCache ??= Object.freeze(this.portList.toArray());
    return this.portsCache;
  }

  /** hw-port-id (decimal string) -> odp port, for every ready interface. Built on first access; frozen. */
  get hwLocalPortMap(): Readonly<Record<string, number>> {
    if (this.mapCache === undefined) {
      const map: Record<string, number> = {};
      this.hwMap.forEach((hwPortId, odpPort) => (map[hwPortId] = odpPort));
      this.mapCache = Object.freeze(map);
    }
    return this.mapCache;
  }

  /** Number of entries in hwLocalPortMap (= ready interfaces). */
  get readyCount(): number {
    return this.hwMap.size;
  }

  /** The interface with this name, or undefined. O(log n). */
  port(name: string): PortEntry | undefined {
    const at = this.portList.lowerBound((entry) => compareStrings(entry.name, name));
    if (at === undefined) return undefined;
    const entry = this.portList.chunks[at[0]][at[1]];
    return entry.name === name ? entry : undefined;
  }

  /** hw_local_port_map[hwPortId]: the odp port of the interface holding that hw-port-id. O(1). */
  odpPortOf(hwPortId: number): number | undefined {
    return Number.isInteger(hwPortId) ? this.hwMap.get(hwPortId) : undefined;
  }

  /** The hw-port-id of the ready interface on this odp port, or undefined. O(1) after an O(ready) first call. */
  hwPortIdOf(odpPort: number): number | undefined {
    if (this.reverseCache === undefined) {
      const reverse = new Map<number, number>();
      this.hwMap.forEach((hwPortId, odpPort) => reverse.set(odpPort, hwPortId));
      this.reverseCache = reverse;
    }
    return this.reverseCache.get(odpPort);
  }

  /**
   * The DPDK port id of the ready interface on this odp port when its status gives one, else
   * undefined. O(1) after an O(n) first call.
   */
  dpdkPortIdOf(odpPort: number): number | undefined {
    if (this.dpdkCache === undefined) {
      const byOdp = new Map<number, number>();
      for (const e of this.ports) if (e.state === 'ready' && e.odpPort !== null && e.dpdkPortId !== undefined) byOdp.set(e.odpPort, e.dpdkPortId);
      this.dpdkCache = byOdp;
    }
    return this.dpdkCache.get(odpPort);
  }

  /** The `ports/show` result, so that `JSON.stringify(table)` prints it. */
  toJSON(): PortTableJson {
    return { ports: [...this.ports], hwLocalPortMap: { ...this.hwLocalPortMap } };
  }
}
