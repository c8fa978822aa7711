/**
 * The offload engine (DESIGN.md §1): the ufid table of megaflows, the flow_id pool, trial and error
 * over action variants, modify / delete / flush, re-offload on port-map changes, and statistics.
 *
 * Guarantees, after every public call returns:
 * - for every device (DPDK port) d: backend.ruleCount(d) === the number of records in state
 *   `offloaded` whose rule is on d (rules are only created and destroyed here);
 * - an offloaded record holds a native handle; one with an output also holds a flow_id and a MARK
 *   id whose high 16 bits are the flow_id (a DROP rule has no mark and needs no flow_id, so drop
 *   flows do not count against the 65,536 ids); a software record holds neither and has a reason;
 * - a flow with an offloadable match that finds no free flow_id is in software with reason
 *   `flow-id pool exhausted` and waits, in arrival order, for an id to be freed;
 * - statistics of a flow survive a modify; only flow/del and flow/flush forget them.
 *
 * Everything is synchronous: the backends are. Batches: a put creates all its rules with one
 * backend.create() per trial round; del and flush destroy with one call; a stats sweep queries
 * every counting rule with one call over a preallocated Uint32Array of handles.
 */
import type { Logger } from '../log';
import type { Action, KeyAttr, Port } from '../flows/odp';
import { parseActions, parseMatch } from '../flows/odp';
import {
  decodeMark, preferVariant, renderTestpmd, translateFlow, trialVariants, VARIANTS, withVariant,
  type ActionVariant, type HwPortMap, type PortLookup, type VariantName,
} from '../flows/translate';
import type { FlowBackend } from '../native/backend';
import type { RteFlowError } from '../native/errors';
import type { RuleSpec } from '../native/rule-spec';
import { SoftNicBackend } from '../native/soft-backend';
import { VerdictFlag } from '../native/frames';
import { FlowNotFoundError, InjectError } from './errors';
import { FlowIdPool, FLOW_ID_POOL_SIZE } from './flow-id-pool';
import { flowPorts, parseFlowInput, type FlowInput, type ParsedFlow } from './flow-input';
import { FlowRecord, REASON_POOL_EXHAUSTED, viewOf, type FlowState, type FlowView } from './flow-record';
import { LatencyTracker, type LatencySummary } from './latency';

/** The port map as the engine reads it: PortTable satisfies it. */
export interface EnginePorts extends PortLookup {
  readonly hwLocalPortMap: Readonly<Record<string, number>>;
}

export interface OffloadEngineOptions {
  backend: FlowBackend;
  /** The port map at start (default: empty). Later maps come through setPorts(). */
  ports?: EnginePorts;
  /** Number of flow_ids (default 65,536; smaller for tests of exhaustion). */
  flowIdPoolSize?: number;
  /**
   * Whether device `d` may count (DESIGN.md's trial lists). Default: the soft NIC's profile lists
   * COUNT; any other backend is assumed to (trial and error finds out).
   */
  canCount?: (device: number) => boolean;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  logger?: Logger;
}

/** One outcome of put(). */
export interface PutOutcome {
  ufid: string;
  state: FlowState;
  reason?: string;
  flowId?: number;
  mark?: number;
}

export type DumpType = 'all' | 'offloaded' | 'non-offloaded';

/** Counts of trial attempts of one variant. */
export interface AttemptCounts {
  tried: number;
  succeeded: number;
  failed: number;
}

/** The offload/stats result. */
export interface OffloadStats {
  flows: { total: number; offloaded: number; software: number; pending: number };
  attempts: Record<VariantName, AttemptCounts>;
  /** device -> the variant that last worked there (tried first next time). */
  learnedVariants: Record<string, VariantName>;
  /** device -> offloaded flows with a rule on it. */
  devices: Record<string, { offloaded: number }>;
  flowIdPool: { size: number; used: number; free: number; waiting: number };
  /** Offload operations (one per flow put, modified or deleted), microseconds. */
  latency: LatencySummary;
  statsSweeps: { count: number; lastFlows: number; lastUs: number; meanUs: number };
}

/** One injected frame's verdict. */
export interface InjectedPacket {
  hit: boolean;
  ufid?: string;
  mark?: number;
  /** The odp port the mark decodes to; `drop` for a DROP rule. */
  outPort?: number | string;
}

export interface InjectResult {
  packets: InjectedPacket[];
  hits: number;
  misses: number;
  /** Frames sent to each output port (odp port -> count): the per-port batches. */
  outputs: Record<string, number>;
}

interface Attempt {
  rec: FlowRecord;
  base: RuleSpec;
  variants: readonly ActionVariant[];
  idx: number;
  error: RteFlowError | undefined;
}

function hrUs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

function nicReason(err: RteFlowError | undefined, variant: ActionVariant): string {
  if (!err) return `refused by the NIC (variant ${variant.name})`;
  return `refused by the NIC: ${err.message} (${err.type}, ${err.errnoName}; last variant ${variant.name})`;
}

const EMPTY_PORTS: EnginePorts = { hwPortIdOf: () => undefined, port: () => undefined, hwLocalPortMap: {} };

export class OffloadEngine {
  readonly backend: FlowBackend;
  private ports: EnginePorts;
  private readonly pool: FlowIdPool;
  private readonly canCount: (device: number) => boolean;
  private readonly now: () => number;
  private readonly log: Logger | undefined;

  private readonly records = new Map<string, FlowRecord>();
  private readonly byHandle = new Map<number, FlowRecord>();
  /** odp port -> records whose in_port or output is on it. */
  private readonly byPort = new Map<number, Set<FlowRecord>>();
  /** Records that write a port by name. */
  private readonly named = new Set<FlowRecord>();
  /** Records waiting for a flow_id, in arrival order (entries may be stale: check rec.waiting). */
  private waitQueue: FlowRecord[] = [];
  private waitHead = 0;
  private waitingCount = 0;
  /** odp port -> hw-port-id of the current map. */
  private hwByOdp = new Map<number, number>();

  /** Counting records, dense; slotHandles[i] is slots[i]'s handle. */
  private slots: FlowRecord[] = [];
  private slotHandles = new Uint32Array(1024);

  private readonly offloadedPerDevice = new Map<number, number>();
  private readonly learned = new Map<number, VariantName>();
  private readonly attempts: Record<VariantName, AttemptCounts> = {
    count: { tried: 0, succeeded: 0, failed: 0 },
    'count+queue': { tried: 0, succeeded: 0, failed: 0 },
    queue: { tried: 0, succeeded: 0, failed: 0 },
    plain: { tried: 0, succeeded: 0, failed: 0 },
  };
  private readonly latency = new LatencyTracker();
  private sweepCount = 0;
  private sweepTotalUs = 0;
  private lastSweepUs = 0;
  private lastSweepFlows = 0;
  private counts = { offloaded: 0, software: 0, pending: 0 };

  /** Number of the current put() call (FlowRecord.batch). */
  private batchNumber = 0;
  /** Rules to create at the end of the current operation. */
  private attemptsPending: Attempt[] = [];

  constructor(options: OffloadEngineOptions) {
    this.backend = options.backend;
    this.pool = new FlowIdPool(options.flowIdPoolSize ?? FLOW_ID_POOL_SIZE);
    this.now = options.now ?? Date.now;
    this.log = options.logger;
    const backend = options.backend;
    const mayCount = backend instanceof SoftNicBackend ? backend.profile.actions.includes('COUNT') : true;
    this.canCount = options.canCount ?? ((): boolean => mayCount);
    this.ports = EMPTY_PORTS;
    if (options.ports) this.setPorts(options.ports);
  }

  /** Number of flows in the table. */
  get size(): number {
    return this.records.size;
  }

  /** Number of offloaded flows whose rule is on `device` (the invariant: equals backend.ruleCount(device)). */
  offloadedOn(device: number): number {
    return this.offloadedPerDevice.get(device) ?? 0;
  }

  // ---------------------------------------------------------------- put

  /**
   * Puts flows: a new ufid is offloaded (or kept in software with a reason), a known ufid is
   * modified (its rule destroyed and created again; statistics kept). One outcome per input, in order;
   * a ufid given twice in one call is put twice, the later one a modify.
   * @throws FlowInputError for a flow that cannot be read (nothing is changed then)
   */
  put(inputs: readonly FlowInput[]): PutOutcome[] {
    const parsed = inputs.map((input, i) => parseFlowInput(input, i));
    return this.putParsed(parsed);
  }

  /** put() of flows already read. */
  putParsed(parsed: readonly ParsedFlow[]): PutOutcome[] {
    const start = process.hrtime.bigint();
    const recs = new Array<FlowRecord>(parsed.length);
    const batch = ++this.batchNumber;
    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i];
      let rec = this.records.get(p.ufid);
      if (rec === undefined) {
        rec = new FlowRecord(p.ufid, p.matchText, p.actionsText);
        this.records.set(p.ufid, rec);
        this.counts.pending++;
        this.plan(rec, p.match, p.actions);
      } else {
        // Put earlier in this call: create its rule first, then modify it.
        if (rec.batch === batch) this.runAttempts();
        this.modify(rec, p);
      }
      rec.batch = batch;
      recs[i] = rec;
    }
    this.runAttempts();
    this.serveWaiting();
    if (parsed.length > 0) this.latency.recordMany(hrUs(start) / parsed.length, parsed.length);
    return recs.map(outcomeOf);
  }

  private modify(rec: FlowRecord, p: ParsedFlow): void {
    if (rec.state === 'offloaded' && rec.matchText === p.matchText && rec.actionsText === p.actionsText) return;
    this.unwait(rec);
    rec.matchText = p.matchText;
    rec.actionsText = p.actionsText;
    this.removeRule(rec, true);
    this.plan(rec, p.match, p.actions);
  }

  /** Takes a record out of the queue for a flow_id (its queue entry becomes stale). */
  private unwait(rec: FlowRecord): void {
    if (rec.waiting) {
      rec.waiting = false;
      this.waitingCount--;
    }
  }

  /** Sets a record's state, keeping the counts by state. */
  private setState(rec: FlowRecord, state: FlowState, reason: string | undefined): void {
    this.counts[rec.state]--;
    this.counts[state]++;
    rec.state = state;
    rec.reason = reason;
  }

  /** Indexes the record under its odp ports. */
  private index(rec: FlowRecord, match: readonly KeyAttr[], actions: readonly Action[]): { outPort: Port | undefined } {
    const { inPort, outPort } = flowPorts(match, actions);
    const named = typeof inPort === 'string' || typeof outPort === 'string';
    const inOdp = this.odpOf(inPort);
    const outOdp = this.odpOf(outPort);
    if (inOdp !== rec.inOdp || outOdp !== rec.outOdp) {
      this.unindexPorts(rec);
      rec.inOdp = inOdp;
      rec.outOdp = outOdp;
      if (inOdp >= 0) this.addToPort(inOdp, rec);
      if (outOdp >= 0 && outOdp !== inOdp) this.addToPort(outOdp, rec);
    }
    if (named !== rec.named) {
      rec.named = named;
      if (named) this.named.add(rec);
      else this.named.delete(rec);
    }    return { outPort };
  }

  private odpOf(port: Port | undefined): number {
    if (port === undefined) return -1;
    if (typeof port === 'number') return port;
    return this.ports.port?.(port)?.odpPort ?? -1;
  }

  private addToPort(odp: number, rec: FlowRecord): void {
    let set = this.byPort.get(odp);
    if (!set) this.byPort.set(odp, (set = new Set()));
    set.add(rec);
  }

  private unindexPorts(rec: FlowRecord): void {
    for (const odp of [rec.inOdp, rec.outOdp]) {
      if (odp < 0) continue;
      const set = this.byPort.get(odp);
      if (set) {
        set.delete(rec);
        if (set.size === 0) this.byPort.delete(odp);
      }
    }
    rec.inOdp = -1;
    rec.outOdp = -1;
  }

  /**
   * Decides what becomes of a record that has no rule: a flow_id and a queued create attempt, or
   * software with a reason. Keeps a flow_id the record already holds.
   */
  private plan(rec: FlowRecord, match: readonly KeyAttr[], actions: readonly Action[]): void {
    const { outPort } = this.index(rec, match, actions);
    const flow = { match, actions };
    // Only a MARK carries a flow_id: a flow without an output (a DROP rule) needs none.
    const needsId = outPort !== undefined;
    if (!needsId) this.releaseId(rec);
    let flowId = needsId ? rec.flowId : 0;
    if (flowId < 0) {
      const taken = this.pool.take();
      if (taken === undefined) {
        const probe = translateFlow(flow, this.ports, { flowId: 0 });
        if (probe.ok) {
          this.setState(rec, 'software', REASON_POOL_EXHAUSTED);
          if (!rec.waiting) {
            rec.waiting = true;
            this.waitingCount++;
            this.waitQueue.push(rec);
          }
        } else {
          this.setState(rec, 'software', probe.reason);
        }
        return;
      }
      flowId = taken;
    }
    const tr = translateFlow(flow, this.ports, { flowId });
    if (!tr.ok) {
      if (needsId) {
        rec.flowId = -1;
        this.pool.give(flowId);
      }
      rec.mark = -1;
      this.setState(rec, 'software', tr.reason);
      return;
    }
    rec.flowId = needsId ? flowId : -1;
    rec.mark = tr.mark ?? -1;
    rec.device = tr.rule.attr.port;
    if (rec.state !== 'pending') this.setState(rec, 'pending', undefined);
    const variants = preferVariant(trialVariants(this.canCount(rec.device), tr.fate), this.learned.get(rec.device));
    this.attemptsPending.push({ rec, base: tr.rule, variants, idx: 0, error: undefined });
  }

  /** Creates the queued rules: one backend.create() per trial round. */
  private runAttempts(): void {
    let round = this.attemptsPending;
    this.attemptsPending = [];
    while (round.length > 0) {
      const rules = new Array<RuleSpec>(round.length);
      for (let k = 0; k < round.length; k++) rules[k] = withVariant(round[k].base, round[k].variants[round[k].idx]);
      const results = this.backend.create(rules);
      const next: Attempt[] = [];
      for (let k = 0; k < round.length; k++) {
        const a = round[k];
        const v = a.variants[a.idx];
        const counts = this.attempts[v.name];
        counts.tried++;
        const r = results[k];
        const rec = a.rec;
        if (r.ok) {
          counts.succeeded++;
          if (rec.deleted) {
            this.backend.destroy([r.handle]);
            continue;
          }
          rec.handle = r.handle;
          rec.variant = v.name;
          rec.counting = v.count;
          this.byHandle.set(r.handle, rec);
          if (v.count) this.addSlot(rec);
          this.offloadedPerDevice.set(rec.device, (this.offloadedPerDevice.get(rec.device) ?? 0) + 1);
          this.learned.set(rec.device, v.name);
          this.setState(rec, 'offloaded', undefined);
        } else {
          counts.failed++;
          a.error = r.error;
          if (a.idx + 1 < a.variants.length && !rec.deleted) {
            a.idx++;
            next.push(a);
          } else if (!rec.deleted) {
            this.releaseId(rec);
            this.setState(rec, 'software', nicReason(r.error, v));
          }
        }
      }
      round = next;
    }
  }

  private releaseId(rec: FlowRecord): void {
    if (rec.flowId >= 0) {
      this.pool.give(rec.flowId);
      rec.flowId = -1;
    }
    rec.mark = -1;
  }

  /**
   * Removes the record's rule from the NIC (reading its final counters first, so that a modify
   * keeps them). Keeps the flow_id when `keepId`.
   */
  private removeRule(rec: FlowRecord, keepId: boolean): void {
    if (rec.handle !== 0) {
      if (rec.counting) this.foldCounters(rec);
      this.backend.destroy([rec.handle]);
      this.forgetRule(rec);
    }
    if (!keepId) this.releaseId(rec);
  }

  /** Bookkeeping of a rule that is gone from the NIC. */
  private forgetRule(rec: FlowRecord): void {
    this.byHandle.delete(rec.handle);
    if (rec.slot >= 0) this.removeSlot(rec);
    this.offloadedPerDevice.set(rec.device, (this.offloadedPerDevice.get(rec.device) ?? 1) - 1);
    rec.handle = 0;
    rec.variant = undefined;
    rec.counting = false;
  }

  private foldCounters(rec: FlowRecord): void {
    const q = this.backend.query([rec.handle]);
    const r = q[0];
    if (r.ok) {
      if (r.counters.hits !== rec.hwPackets) rec.usedMs = this.now();
      rec.hwPackets = r.counters.hits;
      rec.hwBytes = r.counters.bytes;
    }
    rec.hwBasePackets += rec.hwPackets;
    rec.hwBaseBytes += rec.hwBytes;
    rec.hwPackets = 0;
    rec.hwBytes = 0;
  }

  private addSlot(rec: FlowRecord): void {
    const n = this.slots.length;
    if (n === this.slotHandles.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(this.slotHandles);
      this.slotHandles = grown;
    }
    this.slots.push(rec);
    this.slotHandles[n] = rec.handle;
    rec.slot = n;
  }

  private removeSlot(rec: FlowRecord): void {
    const last = this.slots.length - 1;
    const at = rec.slot;
    const moved = this.slots[last];
    this.slots[at] = moved;
    this.slotHandles[at] = this.slotHandles[last];
    moved.slot = at;
    this.slots.pop();
    rec.slot = -1;
  }

  /** Gives freed flow_ids to waiting flows, in arrival order. */
  private serveWaiting(): void {
    while (this.waitingCount > 0 && this.pool.used < this.pool.size) {
      const rec = this.waitQueue[this.waitHead++];
      if (!rec.waiting) continue;
      rec.waiting = false;
      this.waitingCount--;
      if (rec.deleted) continue;
      const { match, actions } = this.parse(rec);
      this.plan(rec, match, actions);
      this.runAttempts();
    }
    if (this.waitHead > 1024 && this.waitHead * 2 > this.waitQueue.length) {
      this.waitQueue = this.waitQueue.slice(this.waitHead);
      this.waitHead = 0;
    }
  }

  private parse(rec: FlowRecord): { match: KeyAttr[]; actions: Action[] } {
    return { match: parseMatch(rec.matchText), actions: parseActions(rec.actionsText) };
  }

  // ---------------------------------------------------------------- del, flush, get, dump

  /** Deletes flows by ufid: their rules are destroyed (one batch) and their flow_ids freed. */
  del(ufids: readonly string[]): Array<{ ufid: string; deleted: boolean }> {
    const start = process.hrtime.bigint();
    const out = new Array<{ ufid: string; deleted: boolean }>(ufids.length);
    const handles: number[] = [];
    for (let i = 0; i < ufids.length; i++) {
      const ufid = ufids[i].toLowerCase();
      const rec = this.records.get(ufid);
      out[i] = { ufid, deleted: rec !== undefined };
      if (!rec) continue;
      if (rec.handle !== 0) {
        handles.push(rec.handle);
        this.forgetRule(rec);
      }
      this.drop(rec);
    }
    if (handles.length > 0) this.backend.destroy(handles);
    this.serveWaiting();
    if (ufids.length > 0) this.latency.recordMany(hrUs(start) / ufids.length, ufids.length);
    return out;
  }

  /** Forgets a record whose rule is already gone. */
  private drop(rec: FlowRecord): void {
    this.releaseId(rec);
    this.unindexPorts(rec);
    if (rec.named) this.named.delete(rec);
    this.unwait(rec);
    rec.deleted = true;
    this.counts[rec.state]--;
    this.records.delete(rec.ufid);
  }

  /** Deletes every flow; returns how many there were. */
  flush(): number {
    const n = this.records.size;
    const handles = new Uint32Array(this.byHandle.size);
    let k = 0;
    for (const h of this.byHandle.keys()) handles[k++] = h;
    if (k > 0) this.backend.destroy(handles);
    for (const rec of this.records.values()) {
      rec.deleted = true;
      rec.handle = 0;
    }
    this.records.clear();
    this.byHandle.clear();
    this.byPort.clear();
    this.named.clear();
    this.waitQueue = [];
    this.waitHead = 0;
    this.waitingCount = 0;
    this.slots = [];
    this.offloadedPerDevice.clear();
    this.counts = { offloaded: 0, software: 0, pending: 0 };
    this.attemptsPending = [];
    this.pool.reset();
    return n;
  }

  /**
   * One flow with its rule as testpmd text.
   * @throws FlowNotFoundError
   */
  get(ufid: string): FlowView {
    const rec = this.records.get(ufid.toLowerCase());
    if (!rec) throw new FlowNotFoundError(ufid);
    const view = viewOf(rec, this.now());
    if (rec.state === 'offloaded' && rec.variant !== undefined) {
      const rule = this.ruleOf(rec);
      if (rule) view.rule = renderTestpmd(rec.device, rule);
    }
    return view;
  }

  /** The rule spec of an offloaded record, rebuilt from its text (as created, given the current port map). */
  ruleOf(rec: FlowRecord): RuleSpec | undefined {
    if (rec.variant === undefined) return undefined;
    const tr = translateFlow(this.parse(rec), this.ports, { flowId: Math.max(0, rec.flowId) });
    return tr.ok ? withVariant(tr.rule, VARIANTS[rec.variant]) : undefined;
  }

  /** Flows of one type, in insertion order. */
  dump(type: DumpType = 'all'): FlowView[] {
    const now = this.now();
    const out: FlowView[] = [];
    for (const rec of this.records.values()) {
      if (type === 'offloaded' && rec.state !== 'offloaded') continue;
      if (type === 'non-offloaded' && rec.state === 'offloaded') continue;
      out.push(viewOf(rec, now));
    }
    return out;
  }

  // ---------------------------------------------------------------- ports

  /**
   * Takes a new port map and re-evaluates the flows it affects: those on an odp port whose
   * hw-port-id appeared, went or changed, and those that name ports. A flow whose input lost its
   * hw-port-id has its rule destroyed (only its own) and stays in software with the reason; one
   * that gained it is offloaded; one whose output's hw-port-id changed gets a new mark (modify).
   */
  setPorts(ports: EnginePorts): void {
    const next = new Map<number, number>();
    for (const [hw, odp] of Object.entries(ports.hwLocalPortMap)) next.set(odp, Number(hw));
    const changed: number[] = [];
    for (const [odp, hw] of next) if (this.hwByOdp.get(odp) !== hw) changed.push(odp);
    for (const odp of this.hwByOdp.keys()) if (!next.has(odp)) changed.push(odp);
    this.ports = ports;
    this.hwByOdp = next;
    const affected = new Set<FlowRecord>(this.named);
    for (const odp of changed) {
      const set = this.byPort.get(odp);
      if (set) for (const rec of set) affected.add(rec);
    }
    if (affected.size === 0) return;
    for (const rec of affected) this.reevaluate(rec);
    this.runAttempts();
    this.serveWaiting();
  }

  private reevaluate(rec: FlowRecord): void {
    if (rec.deleted) return;
    const { match, actions } = this.parse(rec);
    if (rec.waiting) {
      // Still waiting for a flow_id, unless the new map makes it not offloadable at all.
      this.index(rec, match, actions);
      const probe = translateFlow({ match, actions }, this.ports, { flowId: 0 });
      if (!probe.ok) {
        this.unwait(rec);
        this.setState(rec, 'software', probe.reason);
      }
      return;
    }
    if (rec.state === 'offloaded') {
      const tr = translateFlow({ match, actions }, this.ports, { flowId: Math.max(0, rec.flowId) });
      if (tr.ok && tr.rule.attr.port === rec.device && (tr.mark ?? -1) === rec.mark) {
        this.index(rec, match, actions);
        return;
      }
      this.removeRule(rec, true);
    }
    this.plan(rec, match, actions);
  }

  // ---------------------------------------------------------------- statistics

  /**
   * One statistics sweep: a single backend.query() over the handles of every counting rule; a
   * counter that moved sets the flow's `used`. Returns the number of rules queried.
   */
  sweep(): number {
    const start = process.hrtime.bigint();
    const n = this.slots.length;
    if (n > 0) {
      const results = this.backend.query(this.slotHandles.subarray(0, n));
      const now = this.now();
      const slots = this.slots;
      for (let i = 0; i < n; i++) {
        const r = results[i];
        if (!r.ok) continue;
        const rec = slots[i];
        const hits = r.counters.hits;
        if (hits !== rec.hwPackets) {
          rec.hwPackets = hits;
          rec.hwBytes = r.counters.bytes;
          rec.usedMs = now;
        }
      }
    }
    const us = hrUs(start);
    this.sweepCount++;
    this.sweepTotalUs += us;
    this.lastSweepUs = us;
    this.lastSweepFlows = n;
    return n;
  }

  /** The offload/stats result. */
  stats(): OffloadStats {
    const learnedVariants: Record<string, VariantName> = {};
    for (const [d, v] of this.learned) learnedVariants[String(d)] = v;
    const devices: Record<string, { offloaded: number }> = {};
    for (const [d, n] of this.offloadedPerDevice) if (n > 0) devices[String(d)] = { offloaded: n };
    const attempts = {} as Record<VariantName, AttemptCounts>;
    for (const [name, c] of Object.entries(this.attempts)) attempts[name as VariantName] = { ...c };
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    return {
      flows: { total: this.records.size, ...this.counts },
      attempts,
      learnedVariants,
      devices,
      flowIdPool: { size: this.pool.size, used: this.pool.used, free: this.pool.size - this.pool.used, waiting: this.waitingCount },
      latency: this.latency.summary(),
      statsSweeps: { count: this.sweepCount, lastFlows: this.lastSweepFlows, lastUs: round(this.lastSweepUs), meanUs: round(this.sweepCount > 0 ? this.sweepTotalUs / this.sweepCount : 0) },
    };
  }

  // ---------------------------------------------------------------- packet path

  /**
   * The packet path on the soft NIC: classifies `frames` received on `port` (an interface name or
   * an odp port number with a hw-port-id) on its NIC port; a marked frame goes to the output port
   * its mark decodes to (decodeMark with hw_local_port_map). Frames of flows without COUNT are
   * counted here (software statistics); COUNT rules are counted by the NIC.
   * @throws InjectError for a backend without a classifier, an unknown port, or a port without a hw-port-id
   */
  inject(port: string | number, frames: readonly Uint8Array[]): InjectResult {
    const backend = this.backend;
    if (!(backend instanceof SoftNicBackend)) throw new InjectError(`packet/inject needs the soft NIC backend (this agent runs ${backend.description})`);
    let odp: number;
    if (typeof port === 'number') {
      odp = port;
    } else {
      const entry = this.ports.port?.(port);
      if (!entry) throw new InjectError(`no interface named "${port}"`);
      if (entry.odpPort === null) throw new InjectError(`interface ${port} has no odp port`);
      odp = entry.odpPort;
    }
    const hw = this.ports.hwPortIdOf(odp);
    if (hw === undefined) throw new InjectError(`port ${String(port)} (odp port ${odp}) has no hw-port-id: its packets do not go through the NIC`);
    if (hw >= backend.profile.ports) throw new InjectError(`port ${String(port)} has hw-port-id ${hw}, but the soft NIC (${backend.description}) has ports 0..${backend.profile.ports - 1}`);
    const res = backend.classify(hw, frames);
    const now = this.now();
    const map: HwPortMap = this.ports.hwLocalPortMap;
    const packets = new Array<InjectedPacket>(res.count);
    const outputs: Record<string, number> = {};
    let hits = 0;
    for (let i = 0; i < res.count; i++) {
      const flags = res.flags[i];
      if ((flags & VerdictFlag.HIT) === 0) {
        packets[i] = { hit: false };
        continue;
      }
      hits++;
      const p: InjectedPacket = { hit: true };
      const rec = this.byHandle.get(res.handles[i]);
      if (rec) {
        p.ufid = rec.ufid;
        if (!rec.counting) {
          rec.swPackets++;
          rec.swBytes += frames[i].length;
          rec.usedMs = now;
        }
      }
      if (flags & VerdictFlag.MARKED) {
        const mark = res.marks[i];
        p.mark = mark;
        const decoded = decodeMark(mark, map);
        p.outPort = decoded.outPort ?? `hw-port-id ${String(decoded.hwPortId)} (not in hw_local_port_map)`;
      } else if (flags & VerdictFlag.DROP) {
        p.outPort = 'drop';
      }
      if (p.outPort !== undefined) outputs[String(p.outPort)] = (outputs[String(p.outPort)] ?? 0) + 1;
      packets[i] = p;
    }
    this.log?.debug(`packet/inject on ${String(port)}: ${hits} hits, ${res.count - hits} misses`);
    return { packets, hits, misses: res.count - hits, outputs };
  }

  /** Destroys every rule (flush) and forgets every flow. The backend stays open: its owner closes it. */
  close(): void {
    this.flush();
  }
}

function outcomeOf(rec: FlowRecord): PutOutcome {
  const o: PutOutcome = { ufid: rec.ufid, state: rec.state };
  if (rec.reason !== undefined) o.reason = rec.reason;
  if (rec.state === 'offloaded' && rec.flowId >= 0) {
    o.flowId = rec.flowId;
    if (rec.mark >= 0) o.mark = rec.mark;
  }
  return o;
}
