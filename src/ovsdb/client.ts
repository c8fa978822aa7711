/**
 * The OVSDB client: keeps a cache of the monitored tables of one database in step with the server,
 * across reconnects and cluster fail-overs, and publishes every change as {@link RowChange}s.
 *
 * ```ts
 * const client = new OvsdbClient({ session: new ReliableSession('unix:/run/openvswitch/db.sock'),
 *   tables: { Interface: ['name', 'type', 'options'] } });
 * client.updates$.subscribe((changes) => ...);
 * client.start();
 * ```
 *
 * Guarantees:
 * - `updates$` emits one array per server update (one transaction), and one per (re)sync: the
 *   very first sync gives every row as `initial` (an empty array when there are none); later
 *   syncs give only the differences from the cache (`delete`, `modify`, `insert`), nothing when
 *   nothing changed. Applying every array in order to an empty map gives `snapshot()`.
 * - A reconnect resumes with `monitor_cond_since` from the last transaction seen when the server
 *   keeps history (clustered databases), so only the changes are transferred.
 * - A cluster member that is not connected to its cluster (per `_Server`), or that is behind a
 *   member already seen, is left for the next remote, also when that happens later.
 * - A server whose schema lacks a monitored table or column puts the client in state `error`,
 *   logged once per distinct error; nothing throws.
 */
import { BehaviorSubject, Subject, distinctUntilChanged, type Observable, type Subscription } from 'rxjs';
import type { Logger } from '../log';
import { DatabaseCache } from './cache';
import { MonitorConnection, type SyncProgress } from './client-connection';
import type { ClientSession, SessionConnection, SessionState } from './client-session';
import { sameClientState, type ClientState, type ClientStateName } from './client-state';
import type { Row, RowChange } from './row-change';
import type { ServerDbStatus } from './server-db';

/** What the client logs through: a winston Logger fits. */
interface ClientLog {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
  error(message: string): unknown;
  log(level: string, message: string): unknown;
}

/** Without a logger the client logs nothing (and builds no logger to do so). */
const SILENT: ClientLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, log: () => undefined };

/** Options that make no sense (no tables, a column list that is not strings, ...). */
export class ClientOptionsError extends Error {
  override readonly name = 'ClientOptionsError';
}

export interface OvsdbClientOptions {
  session: ClientSession;
  /** Default `Open_vSwitch`. */
  database?: string;
  /** Table -> columns to monitor, e.g. `{ Interface: ['name', 'type', 'options'] }`. */
  tables: Record<string, string[]>;
  logger?: Logger;
}

/** The state of the current connection, as far as the client knows it. */
interface Link {
  remote: string;
  phase: 'syncing' | 'synced' | 'error';
  connection: MonitorConnection;
}

export class OvsdbClient {
  readonly database: string;
  /** Row changes, one array per server transaction or (re)sync; hot, shared, never errors. */
  readonly updates$: Observable<RowChange[]>;
  /** The client's state; replays the current value to new subscribers; emits only on change. */
  readonly state$: Observable<ClientState>;

  private readonly session: ClientSession;
  private readonly tables: Readonly<Record<string, readonly string[]>>;
  private readonly log: ClientLog;
  private readonly cache: DatabaseCache;
  private readonly progress: SyncProgress = { lastTxnId: undefined, minIndex: undefined };
  private readonly updates = new Subject<RowChange[]>();
  private readonly stateSubject: BehaviorSubject<ClientState>;
  private subscriptions: Subscription | undefined;
  private sessionState: SessionState | undefined;
  private link: Link | undefined;
  private seq = 0;
  private info: { -readonly [K in (typeof INFO_KEYS)[number]]?: ClientState[K] } = {};
  private error: string | undefined;
  /** The last error or leave reason logged at error/warn level; repeats go to debug until a sync. */
  private lastLoggedError: string | undefined;

  /** @throws ClientOptionsError naming the bad option */
  constructor(options: OvsdbClientOptions) {
    this.session = options.session;
    this.database = options.database ?? 'Open_vSwitch';
    if (typeof this.database !== 'string' || this.database === '') throw new ClientOptionsError(`database must be a non-empty string, got ${JSON.stringify(options.database)}`);
    this.tables = validateTables(options.tables);
    this.log = options.logger ? options.logger.child({ component: 'ovsdb' }) : SILENT;
    this.cache = new DatabaseCache(this.tables);
    this.stateSubject = new BehaviorSubject<ClientState>({ state: 'stopped', database: this.database, connected: false, connections: 0 });
    this.updates$ = this.updates.asObservable();
    this.state$ = this.stateSubject.pipe(distinctUntilChanged(sameClientState));
  }

  /** The current state (the last value of `state$`). */
  get state(): ClientState {
    return this.stateSubject.value;
  }

  /** Subscribes to the session and starts it. Idempotent. */
  start(): void {
    if (this.subscriptions) return;
    this.subscriptions = this.session.state$.subscribe((s) => {
      this.sessionState = s;
      this.publish();
    });
    this.subscriptions.add(this.session.connections$.subscribe((c) => this.connect(c)));
    this.publish();
    this.session.start();
  }

  /** Stops the session and drops the connection; the cache is kept (see `snapshot`). Idempotent. */
  stop(): void {
    if (!this.subscriptions) return;
    this.subscriptions.unsubscribe();
    this.subscriptions = undefined;
    this.dropLink();
    this.session.stop();
    this.publish();
  }

  /** A copy of the cached rows of `table` (uuid -> row with every monitored column, frozen). */
  snapshot(table: string): Map<string, Row> {
    return this.cache.snapshot(table);
  }

  private connect({ channel, remote }: SessionConnection): void {
    this.dropLink();
    const seq = ++this.seq;
    const connection = new MonitorConnection({
      channel,
      database: this.database,
      tables: this.tables,
      cache: this.cache,
      progress: this.progress,
      seq,
      hooks: {
        changes: (changes) => this.updates.next(changes),
        server: (status) => this.onServer(status),
        synced: ({ method, resumed, lastTxnId }) => {
          if (this.link !== link) return;
          this.info = { ...this.info, monitorMethod: method, resumed, lastTxnId };
          this.lastLoggedError = undefined;
          this.log.info(`${remote}: ${resumed ? 'resumed' : 'synced'} ${this.database} with ${method} (${Object.keys(this.tables).map((t) => `${t}: ${this.cache.size(t)} rows`).join(', ')})`);
          this.setPhase(link, 'synced');
        },
        txn: (lastTxnId) => {
          this.info.lastTxnId = lastTxnId;
          this.publish();
        },
        leave: (reason) => {
          if (this.link !== link) return;
          // Once per reason until the next sync: a member waiting to rejoin is left on every retry.
          const line = `${remote}: leaving: ${reason}`;
          this.log.log(line === this.lastLoggedError ? 'debug' : 'warn', line);
          this.lastLoggedError = line;
          this.dropLink();
          this.publish();
          this.session.forceReconnect(reason);
        },
        fail: (err) => {
          this.error = `${remote}: ${err.message}`;
          if (this.error !== this.lastLoggedError) this.log.error(this.error);
          this.lastLoggedError = this.error;
          this.setPhase(link, 'error');
        },
        warn: (message) => this.log.warn(`${remote}: ${message}`),
      },
    });
    const link: Link = { remote, phase: 'syncing', connection };
    this.link = link;
    this.error = undefined;
    this.info = { ...this.info, remote, monitorMethod: undefined, resumed: undefined };
    this.log.debug(`${remote}: connected (connection ${seq})`);
    this.publish();
    void channel.closed.then(() => {
      if (this.link !== link) return;
      this.dropLink();
      this.publish();
    });
    void connection.run();
  }

  private onServer(status: ServerDbStatus | undefined): void {
    this.info = status
      ? { ...this.info, model: status.model, clustered: status.model === 'clustered', leader: status.leader, index: status.index }
      : { ...this.info, model: undefined, clustered: false, leader: true, index: undefined };
    this.publish();
  }

  private setPhase(link: Link, phase: Link['phase']): void {
    if (this.link !== link) return;
    link.phase = phase;
    this.publish();
  }

  private dropLink(): void {
    this.link?.connection.dispose();
    this.link = undefined;
  }

  private publish(): void {
    const s = this.sessionState;
    let state: ClientStateName;
    let error = this.error;
    if (!this.subscriptions) state = 'stopped';
    else if (s && s.state !== 'connected') {
      state = s.state;
      if (s.state === 'backoff' && s.error !== undefined) error = describeError(s.error);
    } else state = this.link ? this.link.phase : 'connecting';
    // Only the fields that have a value (no `undefined` members), without copying and deleting: this runs
    // for every transaction.
    const fields: { -readonly [K in keyof ClientState]?: ClientState[K] } = {};
    const info = this.info;
    for (const k of INFO_KEYS) if (info[k] !== undefined) (fields as Record<string, unknown>)[k] = info[k];
    fields.state = state;
    fields.database = this.database;
    fields.connected = this.link !== undefined;
    fields.connections = this.seq;
    if ((state === 'error' || state === 'backoff') && error !== undefined) fields.error = error;
    this.stateSubject.next(fields as ClientState);
  }
}

/** The members of `OvsdbClient.info`, in the order they appear in a state. */
const INFO_KEYS = ['remote', 'model', 'clustered', 'leader', 'index', 'lastTxnId', 'monitorMethod', 'resumed'] as const;

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}

function validateTables(tables: unknown): Record<string, string[]> {
  if (typeof tables !== 'object' || tables === null || Array.isArray(tables)) throw new ClientOptionsError('tables must be an object of table name -> column names');
  const entries = Object.entries(tables as Record<string, unknown>);
  if (entries.length === 0) throw new ClientOptionsError('tables must name at least one table to monitor');
  const out: Record<string, string[]> = {};
  for (const [table, columns] of entries) {
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string' && c !== '')) {
      throw new ClientOptionsError(`tables.${table} must be a non-empty list of column names, got ${JSON.stringify(columns)}`);
    }
    out[table] = [...new Set(columns as string[])];
  }
  return out;
}
