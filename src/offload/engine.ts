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
 * backend.createInto() per trial round (handles into a reused Uint32Array, no object per rule),
 * each rule written straight from its translation into the native batch (FlowPlan and
 * writePlannedRule: no RuleSpec objects; the RuleSpec is built only when flow/get asks for the
 * testpmd text, see ruleOf());
 * del and flush destroy with one call; a stats sweep queries every counting rule with one call
 * over a preallocated Uint32Array of handles.
 *
 * The parts with their own files: the types of this surface (engine-types.ts, re-exported here),
 * the counting records and the sweep (stats-sweep.ts), the queue for flow_ids (wait-queue.ts), the
 * packet path of inject() (packet-path.ts) and put()'s outcomes and reasons (put-outcome.ts).
 */
import type { Logger } from '../log';
import type { Action, KeyAttr, Port } from '../flows/odp';
import { parseActions, parseMatch } from '../flows/odp';
import { renderTestpmd, translateFlow, VARIANTS, withVariant } from '../flows/translate';
// The put path's functions from their modules (not through the index's re-export getters).
import { writePlannedRule } from '../flows/translate/rule-writer';
import { FlowPlan, translationOf, type TranslateOptions } from '../flows/translate/translate';
import { preferVariant, trialVariants, type ActionVariant, type VariantName } from '../flows/translate/variants';
import type { FlowBackend } from '../native/backend';
import { RuleBatchBuilder } from '../native/rule-encoder';
import type { RuleSpec } from '../native/rule-spec';
import { SoftNicBackend } from '../native/soft-backend';
import { hwToOdpTable } from '../native/routing';
import type { AttemptCounts, DumpType, EnginePorts, InjectResult, OffloadEngineOptions, OffloadStats, PutOutcome } from './engine-types';
import { FlowNotFoundError } from './errors';
import { FlowIdPool, FLOW_ID_POOL_SIZE } from './flow-id-pool';
import { inPortOf, outPortOfActions, parseFlowInput, type FlowInput, type ParsedFlow } from './flow-input';
import { FlowRecord, REASON_POOL_EXHAUSTED, viewOf, type FlowState, type FlowView } from './flow-record';
import { hrUs, LatencyTracker } from './latency';
import { AttemptList } from './attempt-list';
import { HandleIndex } from './handle-index';
import { injectFrames } from './packet-path';
import { nicReason, outcomeLine, outcomeOf, putSummary, refusedVariantOf } from './put-outcome';
import { StatsSweep } from './stats-sweep';
import { WaitQueue } from './wait-queue';

export type { AttemptCounts, DumpType, EnginePorts, InjectedPacket, InjectResult, OffloadEngineOptions, OffloadStats, PutOutcome, SweepStats } from './engine-types';

/** A flow's parsed match and actions. */
interface OdpFlow {
  readonly match: readonly KeyAttr[];
  readonly actions: readonly Action[];
}

/** Each record's last index among recs[0..n). */
function lastIndexes(recs: readonly FlowRecord[], n: number): Map<FlowRecord, number> {
  const m = new Map<FlowRecord, number>();
  for (let i = 0; i < n; i++) m.set(recs[i], i);
  return m;
}

/** The key of the learned variant of rules on `device` with a MARK (`marked`) or a DROP. */
function learnKey(device: number, marked: boolean): number {
  return device * 2 + (marked ? 1 : 0);
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
  private readonly byHandle = new HandleIndex<FlowRecord>();
  /** createInto() output of runAttempts(), grown on demand. */
  private createdHandles = new Uint32Array(1024);
  /**
   * Number of records that write a port by name. A port-map change re-evaluates those and the
   * records on a changed odp port (rec.inOdp / rec.outOdp), found by one scan of the table: no
   * per-port index to keep up per flow (port-map changes are rare, puts are not).
   */
  private namedCount = 0;
  /** Records waiting for a flow_id, in arrival order. */
  private readonly waitQueue = new WaitQueue();
  /** odp port -> hw-port-id of the current map. */
  private hwByOdp = new Map<number, number>();
  /** hw-port-id -> odp port (-1: none) of the current map, for the packet path's routing. */
  private hwToOdp: Int32Array = new Int32Array(0);

  /** The counting records and the statistics sweep over them. */
  private readonly counters: StatsSweep;

  private readonly offloadedPerDevice = new Map<number, number>();
  /**
   * The variant that last worked, per device and fate (see learnKey): MARK and DROP rules have
   * different trial lists, and what a NIC takes for one says nothing about the other.
   */
  private readonly learned = new Map<number, VariantName>();
  private readonly attempts: Record<VariantName, AttemptCounts> = {
    count: { tried: 0, succeeded: 0, failed: 0 },
    'count+queue': { tried: 0, succeeded: 0, failed: 0 },
    queue: { tried: 0, succeeded: 0, failed: 0 },
    plain: { tried: 0, succeeded: 0, failed: 0 },
  };
  private readonly latency = new LatencyTracker();
  private counts = { offloaded: 0, software: 0, pending: 0 };

  /** Number of the current put() call (FlowRecord.batch). */
  private batchNumber = 0;
  /**
   * Rules to create at the end of the current operation; `builder` holds their encodings, in the
   * same order (each rule is encoded when planned, from a FlowPlan reused for every flow).
   */
  private readonly attemptsPending = new AttemptList();
  /** The next trial round's attempts (runAttempts swaps the two lists round by round). */
  private readonly attemptsRetry = new AttemptList();
  private readonly builder = new RuleBatchBuilder();
  /** Reused by every translation of the put path (plan() and retries). */
  private readonly flowPlan = new FlowPlan();
  private readonly planOpts: { flowId: number; dpdkPortIdOf: ((odpPort: number) => number | undefined) | undefined } = { flowId: 0, dpdkPortIdOf: undefined };
  /** odp port -> DPDK port id of the current map, where the port map gives one (dpdkPortIdOf). */
  private dpdkByOdp = new Map<number, number>();
  /** ruleEncoding !== 'spec'. */
  private readonly direct: boolean;

  constructor(options: OffloadEngineOptions) {
    this.backend = options.backend;
    this.pool = new FlowIdPool(options.flowIdPoolSize ?? FLOW_ID_POOL_SIZE);
    this.now = options.now ?? Date.now;
    this.log = options.logger;
    this.direct = options.ruleEncoding !== 'spec';
    const backend = options.backend;
    const mayCount = backend instanceof SoftNicBackend ? backend.profile.actions.includes('COUNT') : true;
    this.canCount = options.canCount ?? ((): boolean => mayCount);
    this.counters = new StatsSweep(backend, this.now);
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
   * a ufid given twice in one call is put twice, the later one a modify, and each input's outcome is
   * what that input led to.
   * @throws FlowInputError for a flow that cannot be read (nothing is changed then)
   */
  put(inputs: readonly FlowInput[]): PutOutcome[] {
    const start = process.hrtime.bigint();
    this.runAttempts(); // nothing is pending between calls; this makes the rollback below exact
    const n = inputs.length;
    const recs = new Array<FlowRecord>(n);
    const batch = ++this.batchNumber;
    // While every flow is new (to the table and to this call), each is planned as soon as it is
    // read, so that its parsed form is garbage at once (a batch of survivors costs the collector
    // at every scavenge). Nothing reaches the NIC before runAttempts(): a flow that cannot be read
    // undoes the planned ones exactly (flow_ids go back in reverse, restoring the pool's order).
    let i = 0;
    let rest: ParsedFlow[] | undefined;
    try {
      for (; i < n; i++) {
        const p = parseFlowInput(inputs[i], i);
        if (this.records.has(p.ufid)) {
          // A modify from here on: read everything first (nothing may change if one cannot be read).
          rest = [p];
          for (let k = i + 1; k < n; k++) rest.push(parseFlowInput(inputs[k], k));
          break;
        }
        recs[i] = this.addRecord(p, batch);
      }
    } catch (err) {
      this.rollbackNew(recs, i);
      throw err;
    }
    const early: PutOutcome[] = [];
    if (rest) this.putRange(rest, recs, i, batch, early);
    return this.finishPut(recs, start, early);
  }

  /** put() of flows already read. */
  putParsed(parsed: readonly ParsedFlow[]): PutOutcome[] {
    const start = process.hrtime.bigint();
    const recs = new Array<FlowRecord>(parsed.length);
    const early: PutOutcome[] = [];
    this.putRange(parsed, recs, 0, ++this.batchNumber, early);
    return this.finishPut(recs, start, early);
  }

  /** Puts parsed[k] into recs[offset + k], in order. */
  private putRange(parsed: readonly ParsedFlow[], recs: FlowRecord[], offset: number, batch: number, early: PutOutcome[]): void {
    /** Each record's last index in this call so far, made at the first ufid given twice. */
    let lastIndex: Map<FlowRecord, number> | undefined;
    for (let k = 0; k < parsed.length; k++) {
      const p = parsed[k];
      let rec = this.records.get(p.ufid);
      if (rec === undefined) {
        rec = this.addRecord(p, batch);
      } else {
        if (rec.batch === batch) {
          // Put earlier in this call: create its rule first; that entry's outcome is what it led to.
          this.runAttempts();
          lastIndex ??= lastIndexes(recs, offset + k);
          const at = lastIndex.get(rec);
          if (at !== undefined) early[at] = outcomeOf(rec);
        }
        this.modify(rec, p);
        rec.batch = batch;
      }
      recs[offset + k] = rec;
      lastIndex?.set(rec, offset + k);
    }
  }

  /** A new record for `p`, planned (its rule queued for the next runAttempts()). */
  private addRecord(p: ParsedFlow, batch: number): FlowRecord {
    const rec = FlowRecord.create(p.ufid, p.matchText, p.actionsText);
    this.records.set(p.ufid, rec);
    this.counts.pending++;
    this.plan(rec, p);
    rec.batch = batch;
    return rec;
  }

  /** Undoes addRecord() of recs[0..count), none of which has reached the NIC yet. */
  private rollbackNew(recs: readonly FlowRecord[], count: number): void {
    for (let k = count - 1; k >= 0; k--) {
      const rec = recs[k];
      this.waitQueue.remove(rec);
      this.releaseId(rec);
      if (rec.named) {
        rec.named = false;
        this.namedCount--;
      }
      this.counts[rec.state]--;
      rec.deleted = true;
      this.records.delete(rec.ufid);
    }
    this.attemptsPending.clear();
    this.builder.reset();
  }

  /** Creates the queued rules and gives each input its outcome (`early`: of inputs a later one in the call replaced). */
  private finishPut(recs: readonly FlowRecord[], start: bigint, early: readonly PutOutcome[]): PutOutcome[] {
    this.runAttempts();
    this.serveWaiting();
    if (recs.length > 0) this.latency.recordMany(hrUs(start) / recs.length, recs.length);
    const out = new Array<PutOutcome>(recs.length);
    for (let i = 0; i < recs.length; i++) out[i] = outcomeOf(recs[i]);
    early.forEach((o, i) => {
      out[i] = o;
    });
    const log = this.log;
    if (log !== undefined && out.length > 0) {
      log.info(putSummary(out));
      if (log.isLevelEnabled('debug')) for (const o of out) log.debug(outcomeLine(o));
    }
    return out;
  }

  private modify(rec: FlowRecord, p: ParsedFlow): void {
    if (rec.state === 'offloaded' && rec.matchText === p.matchText && rec.actionsText === p.actionsText) return;
    this.waitQueue.remove(rec);
    rec.matchText = p.matchText;
    rec.actionsText = p.actionsText;
    this.removeRule(rec, true);
    this.plan(rec, p);
  }

  /** Sets a record's state, keeping the counts by state. */
  private setState(rec: FlowRecord, state: FlowState, reason: string | undefined): void {
    this.counts[rec.state]--;
    this.counts[state]++;
    rec.state = state;
    rec.reason = reason;
  }

  /** Records the flow's odp ports on the record; returns its output port. */
  private index(rec: FlowRecord, flow: OdpFlow): Port | undefined {
    const inPort = inPortOf(flow.match);
    const outPort = outPortOfActions(flow.actions);
    const named = typeof inPort === 'string' || typeof outPort === 'string';
    const inOdp = this.odpOf(inPort);
    const outOdp = this.odpOf(outPort);
    rec.inOdp = inOdp;
    rec.outOdp = outOdp;
    if (named !== rec.named) {
      rec.named = named;
      this.namedCount += named ? 1 : -1;
    }
    return outPort;
  }

  private odpOf(port: Port | undefined): number {
    if (port === undefined) return -1;
    if (typeof port === 'number') return port;
    return this.ports.port?.(port)?.odpPort ?? -1;
  }

  private unindexPorts(rec: FlowRecord): void {
    rec.inOdp = -1;
    rec.outOdp = -1;
  }

  /**
   * Decides what becomes of a record that has no rule: a flow_id and a queued create attempt, or
   * software with a reason. Keeps a flow_id the record already holds.
   */
  private plan(rec: FlowRecord, flow: OdpFlow): void {
    const outPort = this.index(rec, flow);
    // Only a MARK carries a flow_id: a flow without an output (a DROP rule) needs none.
    const needsId = outPort !== undefined;
    if (!needsId) this.releaseId(rec);
    let flowId = needsId ? rec.flowId : 0;
    if (flowId < 0) {
      const taken = this.pool.take();
      if (taken === undefined) {
        const probe = this.flowPlan;
        this.planOpts.flowId = 0;
        if (probe.plan(flow, this.ports, this.planOpts)) {
          this.setState(rec, 'software', REASON_POOL_EXHAUSTED);
          this.waitQueue.add(rec);
        } else {
          this.setState(rec, 'software', probe.reason);
        }
        return;
      }
      flowId = taken;
    }
    const fp = this.flowPlan;
    this.planOpts.flowId = flowId;
    if (!fp.plan(flow, this.ports, this.planOpts)) {
      if (needsId) {
        rec.flowId = -1;
        this.pool.give(flowId);
      }
      rec.mark = -1;
      this.setState(rec, 'software', fp.reason);
      return;
    }
    rec.flowId = needsId ? flowId : -1;
    rec.mark = fp.mark;
    rec.device = fp.dpdkPortId;
    if (rec.state !== 'pending') this.setState(rec, 'pending', undefined);
    const variants = preferVariant(trialVariants(this.canCount(rec.device), fp.fate), this.learned.get(learnKey(rec.device, rec.mark >= 0)));
    this.attemptsPending.push(rec, variants, 0);
    this.encode(fp, variants[0]);
  }

  /**
   * Encodes the planned rule in `variant` into the batch: straight from the plan, or (for a value
   * only the RuleSpec encoder can judge) through the RuleSpec, whose encoder reports the problem.
   */
  private encode(fp: FlowPlan, variant: ActionVariant): void {
    if (this.direct && writePlannedRule(this.builder, fp, variant)) return;
    this.builder.add(withVariant(translationOf(fp).rule, variant));
  }

  /**
   * Creates the queued rules: one backend.createInto() per trial round. The first round sends the
   * batch encoded while planning; a later round re-translates only the failures (from their text,
   * with the same flow_id and port map) in their next variant.
   */
  private runAttempts(): void {
    let round = this.attemptsPending;
    if (round.length === 0) return;
    while (round.length > 0) {
      const n = round.length;
      if (this.createdHandles.length < n) this.createdHandles = new Uint32Array(Math.max(n, this.createdHandles.length * 2));
      const handles = this.createdHandles;
      const errors = this.backend.createInto(this.builder.finish(), handles);
      this.builder.reset();
      const next = round === this.attemptsPending ? this.attemptsRetry : this.attemptsPending;
      // Per-device bookkeeping changes only between runs of one device: keep the run's delta.
      let runDevice = -1;
      let runCount = 0;
      let learnedKey = -1;
      let learnedName: VariantName | undefined;
      const recs = round.recs;
      const variantLists = round.variants;
      const idxs = round.idx;
      for (let k = 0; k < n; k++) {
        const rec = recs[k] as FlowRecord;
        const variants = variantLists[k] as readonly ActionVariant[];
        const idx = idxs[k];
        const v = variants[idx];
        const counts = this.attempts[v.name];
        counts.tried++;
        const handle = handles[k];
        if (handle !== 0) {
          counts.succeeded++;
          if (rec.deleted) {
            this.backend.destroy([handle]);
            continue;
          }
          rec.handle = handle;
          rec.variant = v.name;
          rec.counting = v.count;
          this.byHandle.set(handle, rec);
          if (v.count) this.counters.add(rec);
          const d = rec.device;
          if (d !== runDevice) {
            if (runCount > 0) this.offloadedPerDevice.set(runDevice, (this.offloadedPerDevice.get(runDevice) ?? 0) + runCount);
            runDevice = d;
            runCount = 0;
          }
          runCount++;
          const key = learnKey(d, rec.mark >= 0);
          if (key !== learnedKey || v.name !== learnedName) {
            this.learned.set(key, v.name);
            learnedKey = key;
            learnedName = v.name;
          }
          this.setState(rec, 'offloaded', undefined);
        } else {
          counts.failed++;
          if (idx + 1 < variants.length && !rec.deleted) {
            next.push(rec, variants, idx + 1);
          } else if (!rec.deleted) {
            this.releaseId(rec);
            this.setState(rec, 'software', nicReason(errors?.get(k), v));
          }
        }
      }
      if (runCount > 0) this.offloadedPerDevice.set(runDevice, (this.offloadedPerDevice.get(runDevice) ?? 0) + runCount);
      round.clear();
      this.encodeRetries(next);
      round = next;
    }
  }

  /** Encodes the next variant of each attempt into the (empty) builder; keeps those encoded. */
  private encodeRetries(next: AttemptList): void {
    const fp = this.flowPlan;
    next.filter((k) => {
      const rec = next.recs[k] as FlowRecord;
      this.planOpts.flowId = Math.max(0, rec.flowId);
      if (!fp.plan(this.parse(rec), this.ports, this.planOpts)) {
        // Not reachable while the port map is unchanged (translation is a function of both).
        this.releaseId(rec);
        this.setState(rec, 'software', fp.reason);
        return false;
      }
      this.encode(fp, (next.variants[k] as readonly ActionVariant[])[next.idx[k]]);
      return true;
    });
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
      if (rec.counting) this.counters.fold(rec);
      this.backend.destroy([rec.handle]);
      this.forgetRule(rec);
    }
    if (!keepId) this.releaseId(rec);
  }

  /** Bookkeeping of a rule that is gone from the NIC. */
  private forgetRule(rec: FlowRecord): void {
    this.byHandle.delete(rec.handle, rec);
    if (rec.slot >= 0) this.counters.remove(rec);
    this.offloadedPerDevice.set(rec.device, (this.offloadedPerDevice.get(rec.device) ?? 1) - 1);
    rec.handle = 0;
    rec.variant = undefined;
    rec.counting = false;
  }

  /** Gives freed flow_ids to waiting flows, in arrival order. */
  private serveWaiting(): void {
    while (this.waitQueue.size > 0 && this.pool.used < this.pool.size) {
      const rec = this.waitQueue.take();
      if (rec.deleted) continue;
      this.plan(rec, this.parse(rec));
      this.runAttempts();
    }
    this.waitQueue.compact();
  }

  private parse(rec: FlowRecord): OdpFlow {
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
    if (ufids.length > 0) {
      this.latency.recordMany(hrUs(start) / ufids.length, ufids.length);
      const deleted = out.filter((o) => o.deleted).length;
      this.log?.info(`del ${ufids.length} ufid${ufids.length === 1 ? '' : 's'}: ${deleted} deleted (${handles.length} rules destroyed), ${ufids.length - deleted} not found`);
    }
    return out;
  }

  /** Forgets a record whose rule is already gone. */
  private drop(rec: FlowRecord): void {
    this.releaseId(rec);
    this.unindexPorts(rec);
    if (rec.named) {
      rec.named = false;
      this.namedCount--;
    }
    this.waitQueue.remove(rec);
    rec.deleted = true;
    this.counts[rec.state]--;
    this.records.delete(rec.ufid);
  }

  /** Deletes every flow; returns how many there were. */
  flush(): number {
    const n = this.records.size;
    const handles = this.byHandle.handles();
    if (handles.length > 0) this.backend.destroy(handles);
    for (const rec of this.records.values()) {
      rec.deleted = true;
      rec.handle = 0;
    }
    this.records.clear();
    this.byHandle.clear();
    this.namedCount = 0;
    this.waitQueue.clear();
    this.counters.clear();
    this.offloadedPerDevice.clear();
    this.counts = { offloaded: 0, software: 0, pending: 0 };
    this.attemptsPending.clear();
    this.builder.reset();
    this.pool.reset();
    if (n > 0) this.log?.info(`flush: ${n} flows removed (${handles.length} rules destroyed)`);
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
    } else if (rec.state === 'software') {
      // A flow the NIC refused: the rule of the last variant it refused, to replay in testpmd
      // (its mark carries flow_id 0: the flow holds none now).
      const refused = refusedVariantOf(rec.reason);
      const tr = refused === undefined ? undefined : translateFlow(this.parse(rec), this.ports, this.translateOpts(0));
      if (refused !== undefined && tr?.ok === true) view.rule = renderTestpmd(tr.rule.attr.port, withVariant(tr.rule, VARIANTS[refused]));
    }
    return view;
  }

  /** The rule spec of an offloaded record, rebuilt from its text (as created, given the current port map). */
  ruleOf(rec: FlowRecord): RuleSpec | undefined {
    if (rec.variant === undefined) return undefined;
    const tr = translateFlow(this.parse(rec), this.ports, this.translateOpts(Math.max(0, rec.flowId)));
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
    const nextDpdk = new Map<number, number>();
    for (const [hw, odp] of Object.entries(ports.hwLocalPortMap)) {
      next.set(odp, Number(hw));
      const dpdk = ports.dpdkPortIdOf?.(odp);
      if (dpdk !== undefined) nextDpdk.set(odp, dpdk);
    }
    const changed: number[] = [];
    for (const [odp, hw] of next) if (this.hwByOdp.get(odp) !== hw || this.dpdkByOdp.get(odp) !== nextDpdk.get(odp)) changed.push(odp);
    for (const odp of this.hwByOdp.keys()) if (!next.has(odp)) changed.push(odp);
    this.ports = ports;
    this.hwByOdp = next;
    this.dpdkByOdp = nextDpdk;
    this.planOpts.dpdkPortIdOf = ports.dpdkPortIdOf === undefined ? undefined : (odp: number): number | undefined => nextDpdk.get(odp);
    this.hwToOdp = hwToOdpTable(ports.hwLocalPortMap);
    if (changed.length === 0 && this.namedCount === 0) return;
    const hit = new Set(changed);
    const affected: FlowRecord[] = [];
    for (const rec of this.records.values()) {
      if (rec.named || hit.has(rec.inOdp) || hit.has(rec.outOdp)) affected.push(rec);
    }
    if (affected.length === 0) return;
    for (const rec of affected) this.reevaluate(rec);
    this.runAttempts();
    this.serveWaiting();
  }

  /** Translation options for `flowId` under the current port map (off the put path: a fresh object). */
  private translateOpts(flowId: number): TranslateOptions {
    return { flowId, dpdkPortIdOf: this.planOpts.dpdkPortIdOf };
  }

  private reevaluate(rec: FlowRecord): void {
    if (rec.deleted) return;
    const flow = this.parse(rec);
    if (rec.waiting) {
      // Still waiting for a flow_id, unless the new map makes it not offloadable at all.
      this.index(rec, flow);
      const probe = translateFlow(flow, this.ports, this.translateOpts(0));
      if (!probe.ok) {
        this.waitQueue.remove(rec);
        this.setState(rec, 'software', probe.reason);
      }
      return;
    }
    if (rec.state === 'offloaded') {
      const tr = translateFlow(flow, this.ports, this.translateOpts(Math.max(0, rec.flowId)));
      if (tr.ok && tr.rule.attr.port === rec.device && (tr.mark ?? -1) === rec.mark) {
        this.index(rec, flow);
        return;
      }
      this.removeRule(rec, true);
    }
    this.plan(rec, flow);
  }

  // ---------------------------------------------------------------- statistics

  /**
   * One statistics sweep over every counting rule, with one backend call (StatsSweep.sweep): the
   * records whose hit counter moved get their new counters and `used`. Returns the number of rules
   * queried.
   */
  sweep(): number {
    return this.counters.sweep();
  }

  /** The offload/stats result. */
  stats(): OffloadStats {
    // Per device: what its MARK rules learned, else (no MARK rule worked there yet) its DROP rules.
    const learnedVariants: Record<string, VariantName> = {};
    for (const [key, v] of this.learned) {
      const d = String(key >>> 1);
      if ((key & 1) === 1 || learnedVariants[d] === undefined) learnedVariants[d] = v;
    }
    const devices: Record<string, { offloaded: number }> = {};
    for (const [d, n] of this.offloadedPerDevice) if (n > 0) devices[String(d)] = { offloaded: n };
    const attempts = {} as Record<VariantName, AttemptCounts>;
    for (const [name, c] of Object.entries(this.attempts)) attempts[name as VariantName] = { ...c };
    return {
      flows: { total: this.records.size, ...this.counts },
      attempts,
      learnedVariants,
      devices,
      flowIdPool: { size: this.pool.size, used: this.pool.used, free: this.pool.size - this.pool.used, waiting: this.waitQueue.size },
      latency: this.latency.summary(),
      statsSweeps: this.counters.summary(),
    };
  }

  // ---------------------------------------------------------------- packet path

  /**
   * The packet path on the soft NIC: classifies `frames` received on `port` (an interface name or
   * an odp port number with a hw-port-id) on its NIC port; a marked frame goes to the output port
   * its mark decodes to (decodeMark with hw_local_port_map). Frames of flows without COUNT are
   * counted here (software statistics); COUNT rules are counted by the NIC. With `pcapOut` (a
   * directory) the frames each output port received, and the misses, are written there as pcap
   * files (see pcap-out.ts).
   * @throws InjectError for a backend without a classifier, an unknown port, a port without a
   *   hw-port-id, or a `pcapOut` where files cannot be written
   */
  inject(port: string | number, frames: readonly Uint8Array[], pcapOut?: string): InjectResult {
    const state = { backend: this.backend, ports: this.ports, dpdkByOdp: this.dpdkByOdp, hwToOdp: this.hwToOdp, byHandle: this.byHandle, now: this.now, log: this.log };
    return injectFrames(state, port, frames, pcapOut);
  }

  /** Destroys every rule (flush) and forgets every flow. The backend stays open: its owner closes it. */
  close(): void {
    this.flush();
  }
}
