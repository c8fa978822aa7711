/**
 * One megaflow in the engine's ufid table, and the view of it that `flow/get` and `flow/dump` return.
 *
 * Memory: a record holds numbers and the flow's text only (a few hundred bytes). The typed flow,
 * the rule spec and its testpmd text are derived from the text when asked for (flow/get, a port
 * change), so that 100k+ offloaded flows stay under 1 KiB each.
 */
import type { VariantName } from '../flows/translate';

export type FlowState = 'offloaded' | 'software' | 'pending';

/** Reason of a flow that has an offloadable match but no flow_id to take. */
export const REASON_POOL_EXHAUSTED = 'flow-id pool exhausted';

export class FlowRecord {
  state: FlowState = 'pending';
  /** Why the flow is in software. */
  reason: string | undefined = undefined;
  /** flow_id, -1 when none is held (software flows, DROP rules). */
  flowId = -1;
  /** MARK id of the rule, -1 when none (a DROP rule, or not offloaded). */
  mark = -1;
  /** Native handle of the rule, 0 when none. */
  handle = 0;
  /** DPDK port (device) the rule is on, -1 when none. */
  device = -1;
  /** Trial variant that succeeded. */
  variant: VariantName | undefined = undefined;
  /** True when COUNT stuck: statistics come from the NIC. */
  counting = false;
  /** Resolved odp ports of in_port and the output (-1: none or unknown), as indexed. */
  inOdp = -1;
  outOdp = -1;
  /** True when in_port or the output is written as a name (re-checked on every port change). */
  named = false;
  /** Index in the statistics sweep arrays, -1 when not counting. */
  slot = -1;
  /** Waiting in the queue for a flow_id. */
  waiting = false;
  deleted = false;
  /** The put() call that last put this flow (duplicates in one call are modifies). */
  batch = 0;
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

  constructor(
    readonly ufid: string,
    public matchText: string,
    public actionsText: string,
  ) {}

  get packets(): number {
    return this.hwBasePackets + this.hwPackets + this.swPackets;
  }

  get bytes(): number {
    return this.hwBaseBytes + this.hwBytes + this.swBytes;
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
  /** The rule as testpmd text (flow/get only). */
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
  return {
    packets: rec.packets,
    bytes: rec.bytes,
    used: usedText(rec.usedMs, now),
    source: rec.counting ? 'hw' : 'sw',
    hw: { packets: rec.hwBasePackets + rec.hwPackets, bytes: rec.hwBaseBytes + rec.hwBytes },
    sw: { packets: rec.swPackets, bytes: rec.swBytes },
  };
}
