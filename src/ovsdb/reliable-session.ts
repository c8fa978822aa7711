/**
 * A connection to OVSDB that stays up: OVS's jsonrpc_session for Node. It drives the pure
 * {@link Reconnect} state machine with timers, connects to the remotes in turn (failing over
 * round-robin, as OVS does), sends `echo` as the inactivity probe, drops connections that stop
 * answering, and hands each established connection to its subscribers.
 */
import { BehaviorSubject, Observable, Subject, isObservable, type Subscription } from 'rxjs';
import type { Logger } from '../log';
import { JsonRpcConnection } from './connection';
import { ConnectError, InactivityError, RemoteSyntaxError } from './errors';
import { Reconnect } from './reconnect';
import { connectRemote, formatRemote, parseRemotes, type Remote, type TlsOptions } from './remote';
import type { RpcChannel } from './rpc-channel';

/** Time source and timers; injectable so that tests drive the session with a fake clock. */
export interface SessionClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: SessionClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ReliableSessionOptions {
  /** TLS files for `ssl:` remotes. */
  tls?: TlsOptions;
  /**
   * Send `echo` after this long without traffic, and drop the connection after as long again with
   * none (default 5000 ms; 0 = never). Like OVS, `unix:` remotes are not probed unless `probeUnix`.
   */
  probeIntervalMs?: number;
  /** Also probe `unix:` remotes (default false, as in OVS: a local socket does not silently die). */
  probeUnix?: boolean;
  /** Backoff after failures: from `minBackoffMs` (default 1000) doubling to `maxBackoffMs` (default 8000). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Abandon a connection attempt (connect and TLS handshake) after max(this, backoff) (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Largest message accepted from the server (default 64 MiB). */
  maxMessageBytes?: number;
  logger?: Logger;
  /** What the session talks to, for log lines (default `OVSDB`; e.g. `unixctl` for a daemon's control socket). */
  peerName?: string;
  /** Opens a channel to a remote; default: {@link connectRemote} + {@link JsonRpcConnection}. */
  connect?: (remote: Remote) => Promise<RpcChannel>;
  clock?: SessionClock;
}

/** One established connection: the channel and the remote it goes to (OVS syntax). */
export interface SessionConnection {
  channel: RpcChannel;
  remote: string;
}

export type SessionStateName = 'connecting' | 'connected' | 'backoff' | 'stopped';

export interface SessionState {
  state: SessionStateName;
  /** `connecting`/`connected`: the remote in use; `backoff`: the remote that will be tried next. */
  remote?: string;
  /** Why the last attempt failed or the last connection ended (`backoff` only). */
  error?: string;
  /** Connection attempts since the session was last connected (counting one in progress); 0 when connected. */
  attempts: number;
}

interface Current {
  channel: RpcChannel;
  remote: string;
  subscriptions: Subscription[];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function hasActivity(channel: RpcChannel): channel is RpcChannel & { activity$: Observable<unknown> } {
  return isObservable((channel as { activity$?: unknown }).activity$);
}

/**
 * Contract:
 * - `start()` connects to the first remote at once; after a failure or a drop it moves to the next
 *   remote (round-robin). Each remote in the list is tried once without waiting, then attempts back
 *   off (1 s doubling to 8 s by default); a connection that was stable resets the backoff.
 * - `connections$` emits each established connection; a late subscriber gets the current one first.
 *   A channel it emitted is closed by the session when the session drops it (probe timeout, forced
 *   reconnect, stop), and it ends by itself when the server goes away; watch `channel.closed`.
 * - `state$` emits the current state at once and on every change.
 * - Logging: each connect, failure and drop once, at info/warn; once the backoff reaches its maximum,
 *   one line says further attempts are not logged, until the next successful connection.
 * - `stop()` closes the connection and cancels any attempt; `start()` may be called again.
 */
export class ReliableSession {
  readonly connections$: Observable<SessionConnection>;
  readonly state$: Observable<SessionState>;

  private readonly remotes: Remote[];
  private readonly names: string[];
  private readonly fsm: Reconnect;
  private readonly clock: SessionClock;
  private readonly logger: Logger | undefined;
  private readonly peerName: string;
  private readonly connectFn: (remote: Remote) => Promise<RpcChannel>;
  private readonly probeIntervalMs: number;
  private readonly probeUnix: boolean;
  private readonly connections = new Subject<SessionConnection>();
  private readonly states: BehaviorSubject<SessionState>;
  /** Index of the remote that the next attempt uses. */
  private next = 0;
  private running = false;
  private timer: unknown;
  private current: Current | undefined;
  private attempt: { id: number; remote: string } | undefined;
  private attemptSeq = 0;
  private attemptsSinceConnected = 0;
  private forcedReason: string | undefined;
  private quiet = false;

  constructor(remotes: string | Remote[], opts: ReliableSessionOptions = {}) {
    this.remotes = typeof remotes === 'string' ? parseRemotes(remotes) : [...remotes];
    if (this.remotes.length === 0) throw new RemoteSyntaxError('', 'the list of remotes is empty');
    this.names = this.remotes.map(formatRemote);
    const connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
    if (!(connectTimeoutMs >= 1)) throw new RangeError(`ReliableSession: connectTimeoutMs must be >= 1, got ${connectTimeoutMs}`);
    this.probeIntervalMs = opts.probeIntervalMs ?? 5000;
    this.probeUnix = opts.probeUnix ?? false;
    this.fsm = new Reconnect({
      minBackoffMs: opts.minBackoffMs,
      maxBackoffMs: opts.maxBackoffMs,
      probeIntervalMs: this.probeIntervalMs,
      connectTimeoutMs,
      backoffFreeTries: this.remotes.length,
    });
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger;
    this.peerName = opts.peerName ?? 'OVSDB';
    this.connectFn =
      opts.connect ??
      (async (remote) => {
        const stream = await connectRemote(remote, { tls: opts.tls, timeoutMs: connectTimeoutMs });
        return new JsonRpcConnection(stream, { maxMessageBytes: opts.maxMessageBytes, logger: opts.logger, name: formatRemote(remote) });
      });
    this.states = new BehaviorSubject<SessionState>({ state: 'stopped', attempts: 0 });
    this.state$ = this.states.asObservable();
    this.connections$ = new Observable<SessionConnection>((subscriber) => {
      if (this.current) subscriber.next({ channel: this.current.channel, remote: this.current.remote });
      return this.connections.subscribe(subscriber);
    });
  }

  /** The remotes, in OVS syntax, in the order they are tried. */
  get remoteNames(): readonly string[] {
    return this.names;
  }

  /** The current connection, if any. */
  get connection(): SessionConnection | undefined {
    return this.current ? { channel: this.current.channel, remote: this.current.remote } : undefined;
  }

  get state(): SessionState {
    return this.states.value;
  }

  /** Starts connecting (no effect when started). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.quiet = false;
    this.attemptsSinceConnected = 0;
    const now = this.clock.now();
    this.fsm.setBackoffFreeTries(this.remotes.length);
    this.fsm.enable(now);
    this.run();
  }

  /** Closes the connection, cancels any attempt and timer; `state$` says `stopped`. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.cancelTimer();
    this.attempt = undefined;
    const current = this.detach();
    this.fsm.disable(this.clock.now());
    current?.channel.close();
    this.logger?.info(`${this.peerName} session stopped`);
    this.publish({ state: 'stopped', attempts: 0 });
  }

  /**
   * Drops the current connection (or attempt) and connects to the next remote without waiting,
   * e.g. when a cluster member turns out not to be part of the cluster's majority.
   */
  forceReconnect(reason: string): void {
    if (!this.running) return;
    const now = this.clock.now();
    if (!this.current && !this.attempt) return;
    this.logger?.info(`${this.current?.remote ?? this.attempt?.remote}: reconnecting to another remote: ${reason}`);
    this.forcedReason = reason;
    this.fsm.setBackoffFreeTries(this.remotes.length);
    this.fsm.forceReconnect(now);
    this.run();
  }

  /** Does what the state machine says until nothing is due, then sets the timer for the next deadline. */
  private run(): void {
    if (!this.running) return;
    for (let i = 0; i < 8; i++) {
      const now = this.clock.now();
      const action = this.fsm.run(now);
      if (action === undefined) break;
      if (action === 'connect') this.startAttempt(now);
      else if (action === 'disconnect') this.disconnectNow(now);
      else this.probe();
    }
    this.cancelTimer();
    const wait = this.fsm.timeout(this.clock.now());
    if (wait !== undefined && this.running) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.run();
      }, wait);
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private startAttempt(now: number): void {
    const index = this.next;
    const remote = this.remotes[index];
    const name = this.names[index];
    const id = ++this.attemptSeq;
    this.attempt = { id, remote: name };
    this.attemptsSinceConnected++;
    this.fsm.setProbeInterval(remote.kind === 'unix' && !this.probeUnix ? 0 : this.probeIntervalMs);
    this.fsm.connecting(now);
    if (this.quiet) this.logger?.debug(`${name}: connecting...`);
    else this.logger?.info(`${name}: connecting...`);
    this.publish({ state: 'connecting', remote: name, attempts: this.attemptsSinceConnected });
    let pending: Promise<RpcChannel>;
    try {
      pending = this.connectFn(remote);
    } catch (err) {
      pending = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    pending.then(
      (channel) => this.onConnected(id, name, channel),
      (err: unknown) => this.onConnectFailed(id, name, err),
    );
  }

  private onConnected(id: number, name: string, channel: RpcChannel): void {
    if (!this.running || this.attempt?.id !== id) {
      channel.close();
      return;
    }
    this.attempt = undefined;
    const now = this.clock.now();
    this.fsm.connected(now);
    const tries = this.attemptsSinceConnected;
    this.attemptsSinceConnected = 0;
    this.quiet = false;
    this.forcedReason = undefined;
    this.logger?.info(`${name}: connected${tries > 1 ? ` after ${tries} attempts` : ''}`);
    const onActivity = (): void => this.fsm.activity(this.clock.now());
    const subscriptions = [channel.notifications$.subscribe({ next: onActivity, error: () => undefined })];
    if (hasActivity(channel)) subscriptions.push(channel.activity$.subscribe({ next: onActivity, error: () => undefined }));
    this.current = { channel, remote: name, subscriptions };
    void channel.closed.then((cause) => this.onClosed(channel, cause));
    this.publish({ state: 'connected', remote: name, attempts: 0 });
    this.connections.next({ channel, remote: name });
    this.run();
  }

  private onConnectFailed(id: number, name: string, err: unknown): void {
    if (!this.running || this.attempt?.id !== id) return;
    this.attempt = undefined;
    this.fsm.connectFailed(this.clock.now(), err);
    this.afterFailure(name, 'connection attempt failed', message(err));
    this.run();
  }

  /** The current channel ended by itself (server gone, socket error, protocol error). */
  private onClosed(channel: RpcChannel, cause: Error | undefined): void {
    if (this.current?.channel !== channel) return;
    const { remote } = this.current;
    this.detach();
    this.fsm.disconnected(this.clock.now(), cause);
    this.afterFailure(remote, 'connection dropped', cause ? cause.message : 'closed', true);
    this.run();
  }

  /** The state machine says disconnect: a connect timeout, no answer to a probe, or a forced reconnect. */
  private disconnectNow(now: number): void {
    const forced = this.fsm.state === 'reconnect' ? this.forcedReason : undefined;
    this.forcedReason = undefined;
    if (this.attempt) {
      const { remote } = this.attempt;
      this.attempt = undefined;
      const err = forced !== undefined ? new Error(`forced reconnect: ${forced}`) : new ConnectError(remote, `timed out after ${now - this.fsm.stateEnteredAt} ms`, 'ETIMEDOUT');
      this.fsm.connectFailed(now, err);
      this.afterFailure(remote, 'connection attempt abandoned', err.message);
      return;
    }
    const current = this.detach();
    if (!current) {
      this.fsm.disconnected(now);
      return;
    }
    const err =
      forced !== undefined
        ? new Error(`forced reconnect: ${forced}`)
        : new InactivityError(`no response to inactivity probe after ${((now - this.fsm.stateEnteredAt) / 1000).toFixed(3)} s`);
    this.fsm.disconnected(now, err);
    current.channel.close();
    this.afterFailure(current.remote, 'disconnecting', err.message, true);
  }

  /** Logs a failure or drop (unless quiet), moves to the next remote and publishes `backoff`. */
  private afterFailure(remote: string, what: string, error: string, wasConnected = false): void {
    this.next = (this.next + 1) % this.remotes.length;
    const nextName = this.names[this.next];
    const backoff = this.fsm.backoffMs;
    if (!this.quiet) {
      const when = backoff > 0 ? `in ${backoff / 1000} s` : 'now';
      const line = `${remote}: ${what} (${error}); next attempt: ${nextName} ${when}`;
      if (wasConnected) this.logger?.warn(line);
      else this.logger?.info(line);
      if (backoff >= this.fsm.maxBackoffMs) {
        this.logger?.warn(`${remote}: continuing to reconnect in the background but suppressing further logging`);
        this.quiet = true;
      }
    } else {
      this.logger?.debug(`${remote}: ${what} (${error})`);
    }
    this.publish({ state: 'backoff', remote: nextName, error, attempts: this.attemptsSinceConnected });
  }

  private probe(): void {
    const current = this.current;
    if (!current) return;
    this.logger?.debug(`${current.remote}: idle, sending inactivity probe`);
    current.channel.request('echo', []).then(
      () => {
        if (this.current?.channel === current.channel) this.fsm.activity(this.clock.now());
      },
      () => undefined,
    );
  }

  private detach(): Current | undefined {
    const current = this.current;
    this.current = undefined;
    for (const s of current?.subscriptions ?? []) s.unsubscribe();
    return current;
  }

  private publish(state: SessionState): void {
    const last = this.states.value;
    if (last.state === state.state && last.remote === state.remote && last.error === state.error && last.attempts === state.attempts) return;
    this.states.next(state);
  }
}
