/**
 * The mirror of a running ovs-vswitchd's userspace datapath (`--flow-source vswitchd:CTL_PATH`):
 * polls `dpctl/show` and `dpctl/dump-flows -m --no-names` over the daemon's unixctl socket, feeds the
 * datapath's port numbers to the port table, and turns each dump into one batch of deletes
 * (megaflows gone) and one batch of puts (new and changed megaflows) for the offload engine.
 *
 * Choices (documented for operators in --help and the README):
 * - Polls never overlap. The period is start to start; a poll that takes longer than the period is
 *   followed by a pause as long as itself, so that the daemon's main thread (which answers unixctl)
 *   spends at most about half its time dumping flows for us, however many flows it holds.
 * - Every poll is a full resynchronisation: flows the dump does not have are deleted. So after the
 *   daemon restarts, the first dump removes the flows that died with the old daemon (their ufids are
 *   the old daemon's) and offloads what the new one has.
 * - While the daemon is away the offloaded flows stay as they are (a dropped control connection does
 *   not mean that the datapath is gone); they are resynchronised on the first dump after reconnecting.
 * - flow/get's statistics stay the engine's own (NIC counters or the software count of marked
 *   packets); OVS's packets/bytes in the dump are not copied.
 */
import type { Subscription } from 'rxjs';
import type { Logger } from '../log';
import type { FlowInput, PutOutcome } from '../offload';
import { FlowInputError } from '../offload/errors';
import { datapathPorts } from './datapath-ports';
import { UnixctlError, UnixctlTimeoutError, UnixctlUnavailableError } from './errors';
import { FlowDiffer, type MirroredFlow } from './flow-diff';
import { UnixctlClient, UNIXCTL_DEFAULT_TIMEOUT_MS } from './unixctl-client';

/** What the mirror drives: the offload engine's put and del. */
export interface MirrorTarget {
  put(flows: readonly FlowInput[]): PutOutcome[];
  del(ufids: readonly string[]): Array<{ ufid: string; deleted: boolean }>;
}

export type MirrorState = 'connecting' | 'connected' | 'disconnected' | 'stopped';

/** Timings of one poll, milliseconds. */
export interface PollTimings {
  /** dpctl/show round trip. */
  showMs: number;
  /** dpctl/dump-flows round trip (the daemon's dump, the transfer and JSON decoding). */
  dumpMs: number;
  /** The diff against the table. */
  diffMs: number;
  /** engine.put and engine.del. */
  applyMs: number;
  totalMs: number;
}

/** The mirror's part of agent/show. */
export interface MirrorStatus {
  kind: 'vswitchd';
  ctlPath: string;
  state: MirrorState;
  /** The datapath mirrored, e.g. `netdev@ovs-netdev` (null before the first dpctl/show). */
  datapath: string | null;
  pollIntervalMs: number;
  /** Megaflows in the last dump. */
  flows: number;
  /** Datapath ports in the port map. */
  ports: number;
  /** Successful polls since start. */
  polls: number;
  /** When the last successful poll ended (ISO 8601), null before the first. */
  lastPoll: string | null;
  lastPollTimings: PollTimings | null;
  /** Connections made to the daemon (each one resynchronises). */
  connections: number;
  /** Totals since start. */
  changes: { added: number; modified: number; deleted: number };
  /** Flows the engine could not read (kept out of the engine; retried when OVS changes them). */
  rejected: number;
  /** Why the last poll failed, or the connection dropped; null after a successful poll. */
  lastError: string | null;
}

export interface VswitchdMirrorOptions {
  /** The daemon's unixctl socket, e.g. /var/run/openvswitch/ovs-vswitchd.PID.ctl. */
  ctlPath: string;
  target: MirrorTarget;
  /** Called with the datapath's interface name -> odp port map, first and whenever it changes (before flows that use it are put). */
  onPorts?: (ports: ReadonlyMap<string, number>) => void;
  /** Poll period, ms (default 500). */
  pollIntervalMs?: number;
  /** Time allowed for one unixctl answer, ms (default 10000). */
  callTimeoutMs?: number;
  logger?: Logger;
  /** The unixctl client (tests); default: one on ctlPath. */
  client?: UnixctlClient;
}

export const DEFAULT_POLL_INTERVAL_MS = 500;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Contract: `start()` connects (in the background; it never throws for an absent daemon) and polls
 * while connected; `stop()` stops polling and closes the connection, leaving the engine's flows as they
 * are (the agent flushes them when it stops). `pollNow()` runs a poll at once (after the one in
 * progress, if any) and resolves when it is done. Nothing here throws on what the daemon sends: bad
 * lines and errors are logged (once per distinct text) and shown in {@link status}.
 */
export class VswitchdMirror {
  readonly ctlPath: string;
  readonly client: UnixctlClient;
  private readonly target: MirrorTarget;
  private readonly onPorts: ((ports: ReadonlyMap<string, number>) => void) | undefined;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly log: Logger | undefined;
  private readonly differ = new FlowDiffer();
  private readonly subscriptions: Subscription[] = [];
  private running = false;
  private everConnected = false;
  private connected = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private again = false;
  private portKey: string | undefined;
  private portNames = new Map<string, number>();
  private datapath: string | null = null;
  private rejected = new Set<string>();
  private lastLogged: string | undefined;
  private readonly st = {
    polls: 0,
    lastPoll: null as string | null,
    lastPollTimings: null as PollTimings | null,
    connections: 0,
    changes: { added: 0, modified: 0, deleted: 0 },
    lastError: null as string | null,
    state: 'stopped' as MirrorState,
  };

  constructor(opts: VswitchdMirrorOptions) {
    this.ctlPath = opts.ctlPath;
    this.target = opts.target;
    this.onPorts = opts.onPorts;
    this.intervalMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!(this.intervalMs >= 1)) throw new RangeError(`VswitchdMirror: pollIntervalMs must be >= 1, got ${this.intervalMs}`);
    this.timeoutMs = opts.callTimeoutMs ?? UNIXCTL_DEFAULT_TIMEOUT_MS;
    this.log = opts.logger;
    this.client = opts.client ?? new UnixctlClient(opts.ctlPath, { logger: opts.logger });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.st.state = 'connecting';
    this.subscriptions.push(
      this.client.state$.subscribe((s) => {
        if (s.state === 'connected') return; // connections$ handles it
        const wasConnected = this.connected;
        this.connected = false;
        if (s.state === 'stopped') {
          this.st.state = 'stopped';
          return;
        }
        this.st.state = this.everConnected || s.state === 'backoff' ? 'disconnected' : 'connecting';
        if (s.error) this.st.lastError = s.error;
        if (wasConnected) {
          this.log?.warn(`ovs-vswitchd at ${this.ctlPath} went away (${s.error ?? 'connection closed'}); keeping ${this.differ.size} mirrored flows as they are until it is back, then resynchronising`);
        } else if (s.state === 'backoff' && !this.everConnected && this.st.connections === 0 && this.lastLogged !== 'unreachable') {
          this.lastLogged = 'unreachable';
          this.log?.warn(`cannot reach ovs-vswitchd at ${this.ctlPath} (${s.error ?? 'no answer'}); retrying in the background`);
        }
      }),
      this.client.connections$.subscribe(() => {
        this.connected = true;
        this.everConnected = true;
        this.st.connections++;
        this.st.state = 'connected';
        this.lastLogged = undefined;
        this.log?.info(`connected to ovs-vswitchd at ${this.ctlPath}${this.st.connections > 1 ? `; resynchronising ${this.differ.size} mirrored flows` : ''}`);
        this.schedule(0);
      }),
    );
    this.client.start();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    this.client.stop();
    this.connected = false;
    this.st.state = 'stopped';
  }

  /** Runs a poll now (after the one in progress). Resolves when it has finished (successfully or not). */
  async pollNow(): Promise<void> {
    while (this.current) await this.current;
    await this.runPoll();
  }

  status(): MirrorStatus {
    return {
      kind: 'vswitchd',
      ctlPath: this.ctlPath,
      state: this.st.state,
      datapath: this.datapath,
      pollIntervalMs: this.intervalMs,
      flows: this.differ.size,
      ports: this.portNames.size,
      polls: this.st.polls,
      lastPoll: this.st.lastPoll,
      lastPollTimings: this.st.lastPollTimings,
      connections: this.st.connections,
      changes: { ...this.st.changes },
      rejected: this.rejected.size,
      lastError: this.st.lastError,
    };
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.current) {
        this.again = true;
        return;
      }
      void this.runPoll();
    }, delayMs);
    this.timer.unref();
  }

  private runPoll(): Promise<void> {
    const started = performance.now();
    const p = this.poll().finally(() => {
      this.current = undefined;
      if (!this.running || !this.connected) return;
      const elapsed = performance.now() - started;
      const delay = this.again ? 0 : elapsed < this.intervalMs ? this.intervalMs - elapsed : elapsed;
      this.again = false;
      this.schedule(delay);
    });
    this.current = p;
    return p;
  }

  private async poll(): Promise<void> {
    const t0 = process.hrtime.bigint();
    try {
      const showText = await this.client.call('dpctl/show', [], this.timeoutMs);
      const showMs = ms(t0);
      const dp = datapathPorts(showText);
      this.applyPorts(dp.datapath, dp.ports, dp.key);
      const t1 = process.hrtime.bigint();
      const dump = await this.client.call('dpctl/dump-flows', ['-m', '--no-names', dp.datapath], this.timeoutMs);
      const dumpMs = ms(t1);
      if (!this.running) return;
      const t2 = process.hrtime.bigint();
      const diff = this.differ.diff(dump);
      const diffMs = ms(t2);
      const t3 = process.hrtime.bigint();
      this.apply(diff.added, diff.modified, diff.deleted);
      const applyMs = ms(t3);
      for (const p of diff.problems) this.logOnce(`dump line ${p.line} skipped (${p.reason}): ${p.text}`);
      this.st.polls++;
      this.st.lastPoll = new Date().toISOString();
      this.st.lastPollTimings = { showMs, dumpMs, diffMs, applyMs, totalMs: ms(t0) };
      this.st.lastError = null;
      this.lastLogged = undefined;
      const { added, modified, deleted } = diff;
      if (added.length + modified.length + deleted.length > 0) {
        this.log?.info(`megaflows from ovs-vswitchd: ${added.length} added, ${modified.length} modified, ${deleted.length} deleted; ${this.differ.size} mirrored (poll ${this.st.lastPollTimings.totalMs.toFixed(1)} ms)`);
      }
    } catch (err) {
      if (err instanceof UnixctlUnavailableError) return; // the connection state says it
      const text = err instanceof UnixctlError || err instanceof UnixctlTimeoutError ? err.message : `poll failed: ${message(err)}`;
      this.st.lastError = text;
      this.logOnce(text);
    }
  }

  /** Hands a changed port map on; logs what changed. */
  private applyPorts(datapath: string, ports: Map<string, number>, key: string): void {
    this.datapath = datapath;
    if (key === this.portKey) return;
    const before = this.portNames;
    const added = [...ports].filter(([n, p]) => before.get(n) !== p).map(([n, p]) => `${n}=${p}`);
    const removed = [...before].filter(([n]) => !ports.has(n)).map(([n]) => n);
    if (this.portKey === undefined) this.log?.info(`datapath ${datapath} ports: ${added.join(', ') || 'none'}`);
    else this.log?.info(`datapath ${datapath} ports changed:${added.length ? ` added ${added.join(', ')}` : ''}${removed.length ? ` removed ${removed.join(', ')}` : ''}`);
    this.portKey = key;
    this.portNames = ports;
    this.onPorts?.(ports);
  }

  /**
   * One del batch, then one put batch (adds and modifies). Deletes go first: a megaflow that OVS
   * replaced by one with the same match under a new ufid (e.g. after a restart) would otherwise be
   * refused by the NIC, whose old rule has the same pattern.
   */
  private apply(added: MirroredFlow[], modified: MirroredFlow[], deleted: string[]): void {
    let puts: MirroredFlow[] = added.length === 0 ? modified : modified.length === 0 ? added : [...added, ...modified];
    for (const f of modified) this.rejected.delete(f.ufid);
    for (const u of deleted) this.rejected.delete(u);
    try {
      if (deleted.length > 0) this.target.del(deleted);
      for (let tries = 0; puts.length > 0; tries++) {
        try {
          this.target.put(puts);
          break;
        } catch (err) {
          if (!(err instanceof FlowInputError) || err.index < 0 || err.index >= puts.length || tries > 1000) throw err;
          const bad = puts[err.index];
          this.rejected.add(bad.ufid);
          this.log?.warn(`megaflow ${bad.ufid} left in ovs-vswitchd only: the engine cannot read it (${err.message}): ${bad.match} actions:${bad.actions}`);
          this.target.del([bad.ufid]); // a modified flow must not keep its old rule
          puts = puts.filter((_, i) => i !== err.index);
        }
      }
    } catch (err) {
      // The table and the engine may now differ: forget everything mirrored and start again from the next dump.
      this.log?.error(`applying a dump to the offload engine failed (${message(err)}); removing the ${this.differ.size} mirrored flows and resynchronising`);
      const all = this.differ.clear();
      try {
        this.target.del([...all, ...deleted]);
      } catch (err2) {
        this.log?.error(`removing mirrored flows failed: ${message(err2)}`);
      }
      this.rejected.clear();
      throw err;
    }
    this.st.changes.added += added.length;
    this.st.changes.modified += modified.length;
    this.st.changes.deleted += deleted.length;
  }

  /** Logs `text` at warn unless it is the same as the last one logged. */
  private logOnce(text: string): void {
    if (text === this.lastLogged) {
      this.log?.debug(text);
      return;
    }
    this.lastLogged = text;
    this.log?.warn(text);
  }
}
