/**
 * The port-table reducer: Interface row changes (and, optionally, the datapath's port numbers) in, a new
 * immutable `PortTable` snapshot out. Pure in the sense that matters for RxJS `scan`: no I/O, no clock, the
 * result depends only on the inputs in order. It is incremental: the state keeps mutable indexes (rows by
 * uuid, claims by hw-port-id, an odp port bitmap) and each input costs O(rows it changes), not O(all rows).
 * The state object belongs to one `scan`; the snapshots it emits (`state.table`) never change afterwards.
 *
 * Rules (DESIGN.md §3 "hw-port-id rules"), checked in this order for each interface:
 * 1. the row cannot be decoded -> error (reason names the column);
 * 2. no `options:hw-port-id` -> disabled, no reason;
 * 3. its type is not in `offloadTypes` -> disabled, reason names the type (OVS reads hw-port-id only for
 *    dpdk interfaces, so the value is not even looked at);
 * 4. the value is not a base-10 integer in 0..maxHwPorts-1 -> invalid, reason quotes it;
 * 5. it has no datapath port -> disabled, reason says why;
 * 6. otherwise it claims the hw-port-id: the interface holding that id keeps it (ready), a newcomer is in
 *    conflict (reason names the holder) and takes over when the holder lets go (its value changes, the option is
 *    removed, any rule above stops it, the row is deleted). Claims that arrive in the same input, and waiting
 *    newcomers when the holder lets go, are decided by the lowest odp port (then name, then uuid).
 *
 * Datapath port numbers: either the agent's own (see odp-allocator.ts: ofport_request when set and free, else the
 * lowest free >= 1; patch ports get none; stable while the row lives, even if ofport_request changes; freed on
 * delete), or, in mirror mode, the latest name -> odp port map of the real datapath. Within one input, deletions
 * are applied first (as ovs-vswitchd removes ports before adding new ones), then the new interfaces with an
 * ofport_request take their numbers, then the others, each in the order the changes arrived (for an initial
 * snapshot, the server's uuid-hash order, much as ovs-vswitchd adds ports in hash order: without ofport_request
 * the numbers are stable for the same database but not predictable from names).
 *
 * Cost of one input with k changed rows: O(k) for rows, claims and the map, plus O(n/64 + 64·k) to derive the
 * persistent port list and O(128 + k) for hw_local_port_map (see hw-port-map.ts). An input that changes more
 * than max(256, n/8) rows (an initial sync) rebuilds the port list instead, sorted lazily, on first use
 * (ports/show, lookups by name, or the next incremental change), and lists its `changes` only when asked.
 * A well-formed row is decoded without allocating (see readInterfaceRow); per interface the state holds one
 * object and the snapshot one frozen entry.
 */
import type { RowChange } from '../ovsdb/row-change.js';
import { ChunkedList } from './chunked-list.js';
import { ClaimBook, type Claimant } from './claims.js';
import type { PortsConfig } from './config.js';
import { parseHwPortId, type HwPortIdResult } from './hw-port-id.js';
import { readInterfaceRow, type InterfaceFields } from './interface-row.js';
import { OdpPortAllocator } from './odp-allocator.js';
import { PortTable, comparePorts, type Deferred, type PortChange, type PortEntry, type PortState } from './port-table.js';

/** One input: the row changes of one OVSDB update (one transaction or the initial snapshot), or a datapath map. */
export type PortsInput = readonly RowChange[] | ReadonlyMap<string, number>;

/** The OVSDB table whose rows are read; changes of other tables are ignored. */
export const INTERFACE_TABLE = 'Interface';

/** Raised when the reducer is used against its contract (not for bad rows, which become 'error' entries). */
export class PortsUsageError extends Error {
  override readonly name = 'PortsUsageError';
}

export interface PortsStateOptions {
  /**
   * true: datapath port numbers come only from name -> odp maps given as inputs (a mirrored ovs-vswitchd);
   * until the first map every interface has odpPort null. false (default): the agent numbers ports itself.
   */
  readonly mirrorOdpPorts?: boolean;
}

const ABSENT: HwPortIdResult = Object.freeze({ status: 'absent' });
const NO_ODP = -1;

interface Iface extends Claimant {
  readonly uuid: string;
  name: string;
  type: string;
  error: string | undefined;
  ofportRequest: number | undefined;
  hw: HwPortIdResult;
  /** The DPDK port id from status:port_no, null when absent or not a port id. */
  dpdkPortId: number | null;
  /** The number the agent's allocator gave it (own numbering only). */
  ownOdp: number | null;
  /** The effective datapath port. */
  odpPort: number | null;
  /** Its entry in the current table (undefined until first committed). */
  entry: PortEntry | undefined;
  /** The sequence number of the last batch that listed it in `touched` (a set without a Set). */
  mark: number;
  deleted: boolean;
}

interface Batch {
  readonly seq: number;
  /** Rows inserted or modified by this input (or whose odp port changed), then rows whose entry may change. */
  readonly touched: Iface[];
  /** Entries of rows deleted by this input. */
  readonly removed: PortEntry[];
  /** hw-port-ids whose holder or waiters may have changed. */
  readonly ids: number[];
  /** The input holds Interface changes. */
  relevant: boolean;
  /** New interfaces that need an odp port from the allocator. */
  readonly needOdp: Iface[];
  /** hw-port-ids whose map entry changed. */
  readonly mapIds: number[];
  /** The changed entries as two parallel lists (before, after): PortChange objects are only made when needed. */
  readonly befores: (PortEntry | undefined)[];
  readonly afters: (PortEntry | undefined)[];
}

/** Above this many changes in one input, lists are rebuilt instead of edited one entry at a time. */
function rebuildThreshold(size: number): number {
  return Math.max(256, size >>> 3);
}

export class PortsState {
  /** The latest snapshot. */
  table: PortTable;

  private readonly offloadTypes: ReadonlySet<string>;
  private readonly offloadTypesText: string;
  private readonly ifaces = new Map<string, Iface>();
  private readonly claims: ClaimBook<Iface>;
  /** hw-port-id -> odp port of its holder (NO_ODP when not in the map); mirrors table.hwMap. */
  private readonly hwMap: Float64Array;
  private readonly allocator: OdpPortAllocator | undefined;
  private odpPorts: ReadonlyMap<string, number> | undefined;
  private seq = 0;
  /** idMark[id] === batch.seq when id is listed in batch.ids. */
  private readonly idMark: Uint32Array;
  /** The input being applied (its per-item steps below read it). */
  private batch: Batch;
  /** Scratch space for decoding one row (no object per row). */
  private readonly fields: InterfaceFields = {
    name: undefined, type: undefined, hwPortId: undefined, portNo: undefined, ofportRequest: undefined, error: undefined,
  };

  constructor(
    readonly config: PortsConfig,
    options: PortsStateOptions = {},
  ) {
    this.offloadTypes = new Set(config.offloadTypes);
    this.offloadTypesText = config.offloadTypes.length > 0 ? config.offloadTypes.join(', ') : 'none';
    this.allocator = options.mirrorOdpPorts === true ? undefined : new OdpPortAllocator();
    this.claims = new ClaimBook(config.maxHwPorts);
    this.hwMap = new Float64Array(config.maxHwPorts).fill(NO_ODP);
    this.idMark = new Uint32Array(config.maxHwPorts);
    this.table = PortTable.empty();
    this.batch = this.newBatch();
  }

  /** Applies one input; `this.table` is replaced when (and only when) the table changed. Returns this. */
  apply(input: PortsInput): this {
    if (input instanceof Map) this.applyOdpPorts(input as ReadonlyMap<string, number>);
    else this.applyRows(input as readonly RowChange[]);
    return this;
  }

  /**
   * OVSDB sends at most one change per row in an update. Should a row appear more than once, its changes are
   * applied in order, deletions first: a non-delete change wins over a delete.
   */
  private applyRows(changes: readonly RowChange[]): void {
    const batch = this.newBatch();
    changes.forEach(this.deleteStep);
    if (!batch.relevant) return;
    changes.forEach(this.upsertStep);
    this.assignOdpPorts(batch.needOdp);
    this.commit(batch);
  }

  // The per-item steps of one input run under Array.prototype.forEach, not in loops of the methods that use
  // them, on purpose: V8 (Node 20) compiles a long-running loop on the spot (on-stack replacement) and keeps
  // entering that code in later calls even after it failed on them. A loop that ran over an initial sync of
  // thousands of rows would otherwise fail, and be thrown back to the interpreter, on every single later update
  // (rows of another shape, branches the sync never took). A callback has no loop of its own.

  private readonly deleteStep = (change: RowChange): void => {
    if (change.table !== INTERFACE_TABLE) return;
    this.batch.relevant = true;
    if (change.event === 'delete') this.deleteIface(change.uuid, this.batch);
  };

  private readonly upsertStep = (change: RowChange): void => {
    if (change.table === INTERFACE_TABLE && change.event !== 'delete') this.upsertIface(change, this.batch, this.batch.needOdp);
  };

  private applyOdpPorts(map: ReadonlyMap<string, number>): void {
    if (this.allocator !== undefined) {
      throw new PortsUsageError('a datapath port map was given to a port table that numbers ports itself (create it with mirrorOdpPorts)');
    }
    // The first map changes the reason of every interface it does not name ("waiting for ...").
    const first = this.odpPorts === undefined;
    this.odpPorts = map;
    const batch = this.newBatch();
    for (const iface of this.ifaces.values()) {
      const odp = map.get(iface.name) ?? null;
      if (odp !== iface.odpPort || (first && odp === null)) {
        iface.odpPort = odp;
        this.touch(batch, iface);
      }
    }
    this.commit(batch);
  }

  private newBatch(): Batch {
    this.seq = (this.seq + 1) >>> 0 || 1;
    this.batch = { seq: this.seq, touched: [], removed: [], ids: [], relevant: false, needOdp: [], mapIds: [], befores: [], afters: [] };
    return this.batch;
  }

  private touch(batch: Batch, iface: Iface): void {
    if (iface.mark !== batch.seq) {
      iface.mark = batch.seq;
      batch.touched.push(iface);
    }
  }

  private touchId(batch: Batch, id: number | undefined): void {
    if (id !== undefined && this.idMark[id] !== batch.seq) {
      this.idMark[id] = batch.seq;
      batch.ids.push(id);
    }
  }

  private deleteIface(uuid: string, batch: Batch): void {
    const iface = this.ifaces.get(uuid);
    if (iface === undefined) return;
    this.touchId(batch, this.claims.leave(iface));
    if (iface.ownOdp !== null) this.allocator?.release(iface.ownOdp);
    this.ifaces.delete(uuid);
    iface.deleted = true;
    if (iface.entry !== undefined) batch.removed.push(iface.entry);
  }

  private upsertIface(change: RowChange, batch: Batch, needOdp: Iface[]): void {
    const decoded = this.fields;
    readInterfaceRow(change.row, decoded);
    let iface = this.ifaces.get(change.uuid);
    if (iface === undefined) {
      iface = {
        uuid: change.uuid, name: '', type: '', error: undefined, ofportRequest: undefined, hw: ABSENT, dpdkPortId: null,
        ownOdp: null, odpPort: null, claim: undefined, slot: -1, entry: undefined, mark: 0, deleted: false,
      };
      this.ifaces.set(change.uuid, iface);
    }
    iface.name = decoded.name ?? change.uuid;
    iface.type = decoded.type ?? '';
    if (decoded.error !== undefined) {
      iface.error = decoded.error;
      iface.hw = ABSENT;
      iface.dpdkPortId = null;
    } else {
      iface.error = undefined;
      iface.ofportRequest = decoded.ofportRequest;
      iface.hw = parseHwPortId(decoded.hwPortId, this.config.maxHwPorts);
      iface.dpdkPortId = parseDpdkPortId(decoded.portNo);
    }
    this.touch(batch, iface);
    if (this.allocator !== undefined) {
      if (iface.type === 'patch') {
        if (iface.ownOdp !== null) this.allocator.release(iface.ownOdp);
        iface.ownOdp = iface.odpPort = null;
      } else if (iface.ownOdp === null) {
        needOdp.push(iface);
      }
    } else {
      iface.odpPort = this.odpPorts?.get(iface.name) ?? null;
    }
  }

  private assignOdpPorts(needOdp: readonly Iface[]): void {
    if (this.allocator === undefined || needOdp.length === 0) return;
    needOdp.forEach(this.requestedOdpStep);
    needOdp.forEach(this.lowestOdpStep);
  }

  private readonly requestedOdpStep = (iface: Iface): void => {
    if (iface.ofportRequest !== undefined && iface.ownOdp === null) iface.ownOdp = iface.odpPort = this.allocator!.allocate(iface.ofportRequest);
  };

  private readonly lowestOdpStep = (iface: Iface): void => {
    if (iface.ownOdp === null) iface.ownOdp = iface.odpPort = this.allocator!.allocate();
  };

  /** Claims, elections, entries and the new snapshot for everything the batch touched. */
  private commit(batch: Batch): void {
    // forEach visits the interfaces touched so far: those the elections add come after.
    batch.touched.forEach(this.claimStep);
    batch.ids.forEach(this.electStep);
    batch.removed.forEach(this.removedStep);
    batch.touched.forEach(this.entryStep);
    const { befores, afters, mapIds } = batch;
    if (befores.length === 0 && mapIds.length === 0) return;
    const current = this.table;
    let portList: Deferred<ChunkedList<PortEntry>>;
    let changes: Deferred<readonly PortChange[]>;
    if (befores.length > rebuildThreshold(current.size)) {
      // Many changes (an initial sync): rebuild the list, sorted on first use, and list the changes on demand.
      const entries: PortEntry[] = [];
      this.ifaces.forEach((iface) => {
        if (iface.entry !== undefined) entries.push(iface.entry);
      });
      portList = () => ChunkedList.fromSorted(entries.sort(comparePorts));
      changes = () => zipChanges(befores, afters);
    } else {
      const listed = zipChanges(befores, afters);
      changes = listed;
      portList = applyChanges(current.portList, listed, comparePorts);
    }
    this.table = new PortTable(current.lineage, current.version + 1, portList, this.ifaces.size, current.hwMap.with(mapIds, this.hwMap), changes);
  }

  /** An interface's claim follows its row: leave the old id, join the new one. */
  private readonly claimStep = (iface: Iface): void => {
    const batch = this.batch;
    const want = this.wantedClaim(iface);
    if (want !== iface.claim) {
      this.touchId(batch, this.claims.leave(iface));
      if (want !== undefined) {
        this.claims.join(iface, want);
        this.touchId(batch, want);
      }
    } else if (want !== undefined && iface.slot === -1) {
      this.touchId(batch, want); // a holder: its odp port or name may have changed (map, waiters' reasons)
    }
  };

  /** An id whose claimants changed: elect a holder if it has none, touch its waiters, update the map. */
  private readonly electStep = (id: number): void => {
    const batch = this.batch;
    const winner = this.claims.elect(id);
    if (winner !== undefined) this.touch(batch, winner);
    const waiters = this.claims.waiters(id);
    for (let i = 0; i < waiters.length; i++) this.touch(batch, waiters[i]);
    const odp = this.claims.holder(id)?.odpPort ?? NO_ODP;
    if (odp !== this.hwMap[id]) {
      this.hwMap[id] = odp;
      batch.mapIds.push(id);
    }
  };

  private readonly removedStep = (before: PortEntry): void => {
    this.batch.befores.push(before);
    this.batch.afters.push(undefined);
  };

  /** The interface's new entry, listed as a change when it differs from the one it had. */
  private readonly entryStep = (iface: Iface): void => {
    if (iface.deleted) return;
    const after = this.entryFor(iface);
    const before = iface.entry;
    if (before !== undefined && sameEntry(before, after)) return;
    this.batch.befores.push(before);
    this.batch.afters.push(after);
    iface.entry = after;
  };

  private wantedClaim(iface: Iface): number | undefined {
    if (iface.error !== undefined || iface.hw.status !== 'enabled') return undefined;
    if (!this.offloadTypes.has(iface.type) || iface.odpPort === null) return undefined;
    return iface.hw.id;
  }

  private entryFor(iface: Iface): PortEntry {
    const hw = iface.hw;
    let state: PortState;
    let reason: string | undefined;
    if (iface.error !== undefined) {
      state = 'error';
      reason = `malformed Interface row: ${iface.error}`;
    } else if (hw.status === 'absent') {
      state = 'disabled';
    } else if (!this.offloadTypes.has(iface.type)) {
      state = 'disabled';
      reason = `type ${JSON.stringify(iface.type)} is not offloadable (offload types: ${this.offloadTypesText}); hw-port-id ignored`;
    } else if (hw.status === 'invalid') {
      state = 'invalid';
      reason = hw.reason;
    } else if (iface.odpPort === null) {
      state = 'disabled';
      reason = this.noOdpReason(iface);
    } else {
      const holder = this.claims.holder(hw.id);
      if (holder === iface) {
        state = 'ready';
      } else {
        state = 'conflict';
        reason = `hw-port-id ${hw.id} is held by ${holder?.name ?? '(nobody)'}`;
      }
    }
    const hwPortId = hw.status === 'enabled' ? hw.id : null;
    const { name, type, uuid, odpPort, dpdkPortId } = iface;
    const entry: { -readonly [K in keyof PortEntry]: PortEntry[K] } = { name, type, uuid, odpPort, hwPortId, state };
    if (dpdkPortId !== null) entry.dpdkPortId = dpdkPortId;
    if (reason !== undefined) entry.reason = reason;
    return Object.freeze(entry);
  }

  private noOdpReason(iface: Iface): string {
    if (this.allocator === undefined) {
      return this.odpPorts === undefined ? 'waiting for the datapath\'s port list' : `no datapath port named ${iface.name} in the datapath`;
    }
    if (iface.type === 'patch') return 'patch ports have no datapath port';
    return 'no free datapath port number';
  }
}

/** Creates the seed of a `scan`. Create one per subscription: the state is mutated in place. */
export function createPortsState(config: PortsConfig, options?: PortsStateOptions): PortsState {
  return new PortsState(config, options);
}

/**
 * The reducer for `scan`: applies one input and returns the (same, updated) state. Never throws for bad rows;
 * throws PortsUsageError for a datapath map given to a state that numbers ports itself.
 */
export function reducePorts(state: PortsState, input: PortsInput): PortsState {
  return state.apply(input);
}

/**
 * The DPDK port id of `status:port_no` (OVS-DPDK writes it for its dpdk interfaces): a decimal
 * number 0..65535 (DPDK port ids are 16-bit); null when absent or anything else.
 */
function parseDpdkPortId(text: string | undefined): number | null {
  if (text === undefined || !/^(0|[1-9]\d{0,4})$/.test(text)) return null;
  const id = Number(text);
  return id <= 0xffff ? id : null;
}

function sameEntry(a: PortEntry, b: PortEntry): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.uuid === b.uuid &&
    a.odpPort === b.odpPort &&
    a.hwPortId === b.hwPortId &&
    a.dpdkPortId === b.dpdkPortId &&
    a.state === b.state &&
    a.reason === b.reason
  );
}

function zipChanges(befores: readonly (PortEntry | undefined)[], afters: readonly (PortEntry | undefined)[]): PortChange[] {
  const changes = new Array<PortChange>(befores.length);
  for (let i = 0; i < befores.length; i++) {
    const before = befores[i];
    const after = afters[i];
    changes[i] = before === undefined ? { after } : after === undefined ? { before } : { before, after };
  }
  return changes;
}

function applyChanges<T>(list: ChunkedList<T>, changes: readonly { before?: T; after?: T }[], compare: (a: T, b: T) => number): ChunkedList<T> {
  if (changes.length === 0) return list;
  const editor = list.edit(compare);
  for (const { before, after } of changes) {
    if (before !== undefined && after !== undefined) editor.replace(before, after);
    else if (before !== undefined) editor.remove(before);
    else if (after !== undefined) editor.insert(after);
  }
  return editor.finish();
}
