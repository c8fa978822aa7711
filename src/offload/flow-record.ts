/**
 * One megaflow in the engine's ufid table, and the view of it that `flow/get` and `flow/dump` return.
 *
 * Memory: a record holds numbers and the flow's text only (under 200 bytes; its counters, when
 * it has any, in a second object). The typed flow,
 * the rule spec and its testpmd text are derived from the text when asked for (flow/get, a port
 * change), so that 100k+ offloaded flows stay under 1 KiB each.
 */
import type { VariantName } from '../flows/translate';

export type FlowState = 'offloaded' | 'software' | 'pending';

/** Reason of a flow that has an offloadable match but no flow_id to take. */
export const REASON_POOL_EXHAUSTED = 'flow-id pool exhausted';

/**
 * A flow's counters, allocated when it first has any (a flow that no packet has hit, and that was
 * never read from a counting rule, has none): most records of a busy table never need them, and
 * a record without them is smaller to keep and to move for the garbage collector.
 */
export class FlowCounters {
  /** NIC counters of rules this flow had before (a modify keeps statistics). */
  hwBasePackets = 0;
  hwBaseBytes = 0;
  /** NIC counters of the current rule, as last read. */
  hwPackets = 0;
  hwBytes = 0;
  /** Software counters of marked packets (flows without COUNT). */
  swPackets = 0;
  swBytes = 0;
  /** Last time a packet hit the flow (ms since the epoch), 0 for never. */
  usedMs = 0;
}

const NO_COUNTERS: Readonly<FlowCounters> = Object.freeze(new FlowCounters());

/** FlowRecord's flag bits. */
const COUNTING = 1;
const NAMED = 2;
const WAITING = 4;
const DELETED = 8;

/**
 * One flow of the table. Kept small (every field is 8 bytes, and a busy table has 100k+ of them
 * that the garbage collector moves at least once): flags share one integer, the mark is kept as its
 * low 16 bits (the high 16 are the flow_id), counters live in a second object created on first use.
 */
export class FlowRecord {
  state: FlowState = 'pending';
  /** Why the flow is in software. */
  reason: string | undefined = undefined;
  /** flow_id, -1 when none is held (software flows, DROP rules). */
  flowId = -1;
  /** The low 16 bits of the MARK id (its output port part), -1 when the record has no mark. */
  private markLow = -1;
  /** Native handle of the rule, 0 when none. */
  handle = 0;
  /** DPDK port (device) the rule is on, -1 when none. */
  device = -1;
  /** Trial variant that succeeded. */
  variant: VariantName | undefined = undefined;
  /** Resolved odp ports of in_port and the output (-1: none or unknown), as indexed. */
  inOdp = -1;
  outOdp = -1;
  /** Index in the statistics sweep arrays, -1 when not counting. */
  slot = -1;
  /** The put() call that last put this flow (duplicates in one call are modifies). */
  batch = 0;
  private bits = 0;
  /** The counters, once the flow has any (see {@link FlowCounters}); read them with {@link stats}. */
  private counters: FlowCounters | undefined = undefined;

  constructor(
    readonly ufid: string,
    public matchText: string,
    public actionsText: string,
  ) {}

  /**
   * A new record, as `new FlowRecord(...)` gives, but allocated from an object literal: V8 tracks
   * literal allocation sites and, seeing that the records of a put survive, allocates them in the
   * old generation directly ("pretenuring"), so the collector does not copy every record of a big
   * batch on the way there. The object has FlowRecord's prototype (instanceof holds).
   */
  static create(ufid: string, matchText: string, actionsText: string): FlowRecord {
    const rec = {
      __proto__: FlowRecord.prototype,
      state: 'pending',
      reason: undefined,
      flowId: -1,
      markLow: -1,
      handle: 0,
      device: -1,
      variant: undefined,
      inOdp: -1,
      outOdp: -1,
      slot: -1,
      batch: 0,
      bits: 0,
      counters: undefined,
      ufid,
      matchText,
      actionsText,
    };
    return rec as unknown as FlowRecord;
  }

  /**
   * MARK id of the rule (an unsigned 32-bit integer), -1 when none (a DROP rule, or not offloaded).
   * Set it after flowId: a mark's high 16 bits are the record's flow_id.
   */
  get mark(): number {
    return this.markLow < 0 || this.flowId < 0 ? -1 : this.flowId * 0x10000 + this.markLow;
  }

  set mark(v: number) {
    if (v < 0) {
      this.markLow = -1;
      return;
    }
    if (Math.floor(v / 0x10000) !== this.flowId) throw new RangeError(`mark ${v} does not carry the record's flow_id ${this.flowId}`);
    this.markLow = v & 0xffff;
  }

  /** True when COUNT stuck: statistics come from the NIC. */
  get counting(): boolean {
    return (this.bits & COUNTING) !== 0;
  }

  set counting(v: boolean) {
    this.bits = v ? this.bits | COUNTING : this.bits & ~COUNTING;
  }

  /** True when in_port or the output is written as a name (re-checked on every port change). */
  get named(): boolean {
    return (this.bits & NAMED) !== 0;
  }

  set named(v: boolean) {
    this.bits = v ? this.bits | NAMED : this.bits & ~NAMED;
  }

  /** Waiting in the queue for a flow_id. */
  get waiting(): boolean {
    return (this.bits & WAITING) !== 0;
  }

  set waiting(v: boolean) {
    this.bits = v ? this.bits | WAITING : this.bits & ~WAITING;
  }

  get deleted(): boolean {
    return (this.bits & DELETED) !== 0;
  }

  set deleted(v: boolean) {
    this.bits = v ? this.bits | DELETED : this.bits & ~DELETED;
  }

  /** The counters, read-only (zeros when the flow has none yet). */
  get stats(): Readonly<FlowCounters> {
    return this.counters ?? NO_COUNTERS;
  }

  /** The counters, to write (allocated on first use). */
  get writableStats(): FlowCounters {
    return (this.counters ??= new FlowCounters());
  }

  get packets(): number {
    const c = this.stats;
    return c.hwBasePackets + c.hwPackets + c.swPackets;
  }

  get bytes(): number {
    const c = this.stats;
    return c.hwBaseBytes + c.hwBytes + c.swBytes;
  }
}

/** Statistics of a flow view, merged like OVS does (software + hardware). */
export interface FlowStatsView {
  packets: number;
  bytes: number;
  /** Time since the last hit as OVS prints it (`0.512s`), or `never`. */
  used: string;
  /** Where the counters come from: `hw` (COUNT on the NIC), `sw` (marked packets counted in software). */
  source: 'hw' | 'sw';
  hw: { packets: number; bytes: number };
  sw: { packets: number; bytes: number };
}

/** A flow as flow/get and flow/dump return it. */
export interface FlowView {
  ufid: string;
  match: string;
  actions: string;
  state: FlowState;
  reason?: string;
  flowId?: number;
  mark?: number;
  /** The DPDK port the rule is on. */
  device?: number;
  /** The trial variant that succeeded. */
  variant?: VariantName;
  /**
   * The rule as testpmd text (flow/get only): the rule on the NIC; for a flow the NIC refused, the
   * last variant it refused, under the current port map, with flow_id 0 in its mark.
   */
  rule?: string;
  stats: FlowStatsView;
}

/** OVS's `used:` text for a flow last used at `usedMs` (0 = never), seen at `now`. */
export function usedText(usedMs: number, now: number): string {
  if (usedMs === 0) return 'never';
  const age = Math.max(0, now - usedMs);
  return `${(age / 1000).toFixed(3)}s`;
}

/** The view of a record (without the rule text). */
export function viewOf(rec: FlowRecord, now: number): FlowView {
  const v: FlowView = { ufid: rec.ufid, match: rec.matchText, actions: rec.actionsText, state: rec.state, stats: statsOf(rec, now) };
  if (rec.reason !== undefined) v.reason = rec.reason;
  if (rec.state === 'offloaded') {
    if (rec.flowId >= 0) v.flowId = rec.flowId;
    if (rec.mark >= 0) v.mark = rec.mark;
    v.device = rec.device;
    if (rec.variant !== undefined) v.variant = rec.variant;
  }
  return v;
}

function statsOf(rec: FlowRecord, now: number): FlowStatsView {
  const c = rec.stats;
  return {
    packets: rec.packets,
    bytes: rec.bytes,
    used: usedText(c.usedMs, now),
    source: rec.counting ? 'hw' : 'sw',
    hw: { packets: c.hwBasePackets + c.hwPackets, bytes: c.hwBaseBytes + c.hwBytes },
    sw: { packets: c.swPackets, bytes: c.swBytes },
  };
}
