/**
 * A pure state machine for connecting, backing off, reconnecting and probing an idle connection,
 * after OVS's reconnect FSM (lib/reconnect.c, python/ovs/reconnect.py). It opens no sockets and
 * sets no timers: every method takes `now` (milliseconds on any monotonic clock), the owner reports
 * events (connecting, connected, failed, dropped, activity), asks {@link Reconnect.run} what to do,
 * and calls it again after {@link Reconnect.timeout} milliseconds. So it is tested by replaying
 * events on a fake clock.
 *
 * States: `void` (disabled) -> `backoff` (waiting before a connection attempt) -> `connecting` ->
 * `active` (connected, traffic seen recently) <-> `idle` (probe sent, waiting for any traffic);
 * `reconnect` is a forced reconnection that `run` turns into `disconnect`.
 *
 * Backoff after a failure or a drop: with free tries left (one per remote, so a list of remotes is
 * tried once round without waiting), 0; else after a stable connection (traffic seen at least
 * `backoff` ms after it was made), `minBackoffMs`; else doubling from `minBackoffMs` up to
 * `maxBackoffMs` (1 s, 2 s, 4 s, 8 s, 8 s ... by default).
 */

export type ReconnectState = 'void' | 'backoff' | 'connecting' | 'active' | 'idle' | 'reconnect';

/** What the owner must do now: open a connection, drop the connection (or attempt), or send a probe. */
export type ReconnectAction = 'connect' | 'disconnect' | 'probe';

export interface ReconnectOptions {
  /** First backoff after a failure (default 1000 ms). Unlike OVS, values under 1000 are allowed. */
  minBackoffMs?: number;
  /** Longest backoff (default 8000 ms). */
  maxBackoffMs?: number;
  /** Probe after this long without activity, disconnect after as long again (default 5000; 0 = never). */
  probeIntervalMs?: number;
  /** A connection attempt is abandoned after max(this, current backoff) (default 1000 ms, as OVS). */
  connectTimeoutMs?: number;
  /** Failures that cause no backoff (default 1: none). Give the number of remotes to try each once. */
  backoffFreeTries?: number;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Reconnect: ${name} must be a finite number >= 0, got ${value}`);
  return value;
}

export class Reconnect {
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly connectTimeoutMs: number;
  private probeInterval: number;
  private freeTries: number;
  private current: ReconnectState = 'void';
  private entered = 0;
  private backoff = 0;
  private lastActivity = 0;
  private lastConnected: number | undefined;
  private lastDisconnected: number | undefined;
  private error: unknown;
  private attempted = 0;
  private succeeded = 0;

  constructor(opts: ReconnectOptions = {}) {
    this.minBackoffMs = nonNegative('minBackoffMs', opts.minBackoffMs, 1000);
    this.maxBackoffMs = nonNegative('maxBackoffMs', opts.maxBackoffMs, 8000);
    if (this.minBackoffMs > this.maxBackoffMs) {
      throw new RangeError(`Reconnect: minBackoffMs (${this.minBackoffMs}) must not exceed maxBackoffMs (${this.maxBackoffMs})`);
    }
    this.probeInterval = nonNegative('probeIntervalMs', opts.probeIntervalMs, 5000);
    this.connectTimeoutMs = nonNegative('connectTimeoutMs', opts.connectTimeoutMs, 1000);
    this.freeTries = nonNegative('backoffFreeTries', opts.backoffFreeTries, 1);
  }

  get state(): ReconnectState {
    return this.current;
  }

  /** The backoff in force (ms): how long `backoff` lasts, and part of the connect timeout. */
  get backoffMs(): number {
    return this.backoff;
  }

  get probeIntervalMs(): number {
    return this.probeInterval;
  }

  /** True in `active` and `idle`. */
  get isConnected(): boolean {
    return this.current === 'active' || this.current === 'idle';
  }

  /** When the current state was entered. */
  get stateEnteredAt(): number {
    return this.entered;
  }

  get lastConnectedAt(): number | undefined {
    return this.lastConnected;
  }

  get lastDisconnectedAt(): number | undefined {
    return this.lastDisconnected;
  }

  /** The error given with the last failure or drop, if any. */
  get lastError(): unknown {
    return this.error;
  }

  /** Connection attempts that ended (connected or not), and those that connected. */
  get attempts(): { attempted: number; succeeded: number } {
    return { attempted: this.attempted, succeeded: this.succeeded };
  }

  /** Changes the probe interval (0 = off), e.g. per remote: OVS does not probe unix sockets. */
  setProbeInterval(ms: number): void {
    this.probeInterval = nonNegative('probeIntervalMs', ms, 0);
  }

  /** Allows `n` failures without backoff from now on (OVS's reset_backoff gives one per remote). */
  setBackoffFreeTries(n: number): void {
    this.freeTries = nonNegative('backoffFreeTries', n, 1);
  }

  /** Leaves `void`: the next `run` answers `connect` at once. No effect when already enabled. */
  enable(now: number): void {
    if (this.current === 'void') {
      this.transition(now, 'backoff');
      this.backoff = 0;
    }
  }

  /** Goes to `void`: `run` answers nothing until `enable`. */
  disable(now: number): void {
    if (this.current !== 'void') this.transition(now, 'void');
  }

  /** When connecting or connected, makes the next `run` answer `disconnect` (then back off and reconnect). */
  forceReconnect(now: number): void {
    if (this.current === 'connecting' || this.current === 'active' || this.current === 'idle') this.transition(now, 'reconnect');
  }

  /** A connection attempt is under way; it is abandoned (`run` answers `disconnect`) after the connect timeout. */
  connecting(now: number): void {
    if (this.current !== 'connecting') this.transition(now, 'connecting');
  }

  /** The connection is established: start the probe timer. */
  connected(now: number): void {
    if (!this.isConnected) {
      this.connecting(now);
      this.transition(now, 'active');
      this.lastConnected = now;
    }
  }

  /** The connection attempt failed: back off. */
  connectFailed(now: number, err?: unknown): void {
    this.connecting(now);
    this.disconnected(now, err);
  }

  /** The connection (or attempt) ended: back off, then `run` answers `connect`. No effect in `void`/`backoff`. */
  disconnected(now: number, err?: unknown): void {
    if (this.current === 'backoff' || this.current === 'void') return;
    this.error = err;
    const wasConnected = this.isConnected;
    if (wasConnected) this.lastDisconnected = now;
    if (this.freeTries > 1) {
      this.freeTries--;
      this.backoff = 0;
    } else if (wasConnected && this.lastConnected !== undefined && this.lastActivity - this.lastConnected >= this.backoff) {
      this.backoff = this.minBackoffMs;
    } else if (this.backoff < this.minBackoffMs) {
      this.backoff = this.minBackoffMs;
    } else if (this.backoff < this.maxBackoffMs / 2) {
      this.backoff *= 2;
    } else {
      this.backoff = this.maxBackoffMs;
    }
    this.transition(now, 'backoff');
  }

  /**
   * Something was received: the connection is alive. In `idle` this returns to `active`. (Unlike
   * OVS, activity outside `active`/`idle` changes no state: it cannot cancel a forced reconnect.)
   */
  activity(now: number): void {
    if (this.current === 'idle') this.transition(now, 'active');
    this.lastActivity = now;
  }

  /**
   * What to do now, if anything: `connect` (in `backoff` once it has elapsed), `disconnect` (a
   * connect timeout, no answer to a probe, or a forced reconnect), or `probe` (`active` without
   * activity for the probe interval; the machine moves to `idle`).
   */
  run(now: number): ReconnectAction | undefined {
    const deadline = this.deadline();
    if (deadline === undefined || now < deadline) return undefined;
    switch (this.current) {
      case 'backoff':
        return 'connect';
      case 'connecting':
      case 'idle':
      case 'reconnect':
        return 'disconnect';
      case 'active':
        this.transition(now, 'idle');
        return 'probe';
      default:
        return undefined;
    }
  }

  /** Milliseconds until `run` should be called (0: now), or undefined when nothing is due. */
  timeout(now: number): number | undefined {
    const deadline = this.deadline();
    return deadline === undefined ? undefined : Math.max(0, deadline - now);
  }

  private deadline(): number | undefined {
    switch (this.current) {
      case 'backoff':
        return this.entered + this.backoff;
      case 'connecting':
        return this.entered + Math.max(this.connectTimeoutMs, this.backoff);
      case 'active':
        return this.probeInterval ? Math.max(this.lastActivity, this.entered) + this.probeInterval : undefined;
      case 'idle':
        return this.probeInterval ? this.entered + this.probeInterval : undefined;
      case 'reconnect':
        return this.entered;
      default:
        return undefined;
    }
  }

  private transition(now: number, state: ReconnectState): void {
    if (this.current === 'connecting') {
      this.attempted++;
      if (state === 'active') this.succeeded++;
    }
    this.current = state;
    this.entered = now;
  }
}
