/**
 * What the OVSDB client does on one connection, from the moment it is established until it ends:
 *
 * 1. monitor `_Server`'s row for the database (skipped when the server has no `_Server`) and judge
 *    the server: a cluster member that is not connected to the cluster, or is behind, is left;
 * 2. `get_schema` and check that every monitored table and column exists;
 * 3. monitor the database (monitor_cond_since from the last transaction seen, falling back to
 *    monitor_cond, then monitor) and bring the cache up to date: a resumption applies the changes,
 *    a full snapshot is diffed against the cache;
 * 4. apply every later update, in order, and keep judging `_Server`'s row.
 *
 * The three requests of steps 1-3 are sent at once, in that order (one round trip instead of three:
 * the server composes the large monitor reply while the client checks the other two answers), and
 * their answers are acted on in that order: when the server is left (step 1) or its schema lacks a
 * monitored column (step 2), the monitor reply is dropped unapplied and nothing reaches the cache.
 *
 * Notifications for either monitor that arrive before its reply has been applied are held and
 * replayed afterwards (see MonitorStream). Notifications for other monitor ids are ignored.
 * Nothing here throws to the caller: outcomes go through {@link ConnectionHooks}.
 */
import type { Subscription } from 'rxjs';
import { DatabaseCache } from './cache';
import { ConnectionClosedError, UnknownDatabaseError } from './errors';
import { ZERO_TXN_ID, type MonitorMethod, type TableMonitor } from './monitor-request';
import { MonitorStream } from './monitor-stream';
import { MonitorProtocolError, parseMonitorNotification, type MonitorNotification } from './monitor-updates';
import type { RowChange } from './row-change';
import type { RpcChannel, RpcNotification } from './rpc-channel';
import { parseSchema } from './schema';
import { checkSchema } from './schema-check';
import { SERVER_COLUMNS, SERVER_DATABASE, SERVER_SCHEMA, SERVER_TABLE, judgeServer, serverMonitor, type ServerDbStatus } from './server-db';

/** Client-wide progress that outlives a connection. */
export interface SyncProgress {
  /** The last transaction the cache reflects (monitor_cond_since), undefined when unknown. */
  lastTxnId: string | undefined;
  /** The highest Raft index seen in `_Server` for the database, from any member. */
  minIndex: number | undefined;
}

/** How a connection reports to the client. Not called after `dispose()`. */
export interface ConnectionHooks {
  /** Row changes of one server update or one (re)sync, in order. */
  changes(changes: RowChange[], sync: boolean): void;
  /** `_Server` status of the database (or undefined: the server has no `_Server`). */
  server(status: ServerDbStatus | undefined): void;
  /** The monitor reply has been applied: the cache is in sync. */
  synced(info: { method: MonitorMethod; resumed: boolean; lastTxnId: string | undefined }): void;
  /** A transaction id was applied from an update3. */
  txn(lastTxnId: string): void;
  /** This server is unusable for now: move to another one. */
  leave(reason: string): void;
  /** This server cannot be used with this client (schema, protocol): stay, report the error. */
  fail(error: Error): void;
  /** Something was skipped but the connection goes on. */
  warn(message: string): void;
}

export interface ConnectionOptions {
  readonly channel: RpcChannel;
  readonly database: string;
  readonly tables: Readonly<Record<string, readonly string[]>>;
  readonly cache: DatabaseCache;
  readonly progress: SyncProgress;
  /** Distinguishes this connection's monitor ids from earlier ones. */
  readonly seq: number;
  readonly hooks: ConnectionHooks;
}

type MonitorAnswer = Awaited<ReturnType<MonitorStream['request']>>;

/** The outcome of a request sent ahead of its turn: held, so that a failure is acted on only when its turn comes. */
type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

export class MonitorConnection {
  private readonly streams = new Map<string, MonitorStream>();
  private subscription: Subscription | undefined;
  private disposed = false;

  constructor(private readonly o: ConnectionOptions) {}

  /** Runs steps 1-4; resolves once the data monitor is live, or the connection was left, failed or closed. */
  async run(): Promise<void> {
    this.subscription = this.o.channel.notifications$.subscribe({ next: (n) => this.route(n), error: () => undefined });
    // Steps 1-3 go out together; each answer is awaited (and acted on) in order below.
    const server = this.addStream(SERVER_DATABASE, `${SERVER_DATABASE}#${this.o.seq}`, serverMonitor(this.o.database));
    const serverReply = settle(server.request(ZERO_TXN_ID));
    const schemaReply = settle(this.o.channel.request('get_schema', [this.o.database]));
    const tables: Record<string, TableMonitor> = {};
    for (const [table, columns] of Object.entries(this.o.tables)) tables[table] = { columns };
    const data = this.addStream(this.o.database, `${this.o.database}#${this.o.seq}`, tables);
    const dataReply = settle(data.request(this.o.progress.lastTxnId ?? ZERO_TXN_ID));
    try {
      if (!(await this.watchServer(server, serverReply))) return;
      const schema = parseSchema(unwrap(await schemaReply));
      if (this.disposed) return;
      checkSchema(schema, this.o.database, this.o.tables);
      this.o.cache.setSchema(schema);
      await this.monitorDatabase(data, dataReply);
    } catch (err) {
      if (this.disposed || err instanceof ConnectionClosedError) return;
      if (err instanceof MonitorProtocolError) this.protocolError(err);
      else this.o.hooks.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Stops acting on this connection (it closed, or the client moved on). Idempotent. */
  dispose(): void {
    this.disposed = true;
    this.subscription?.unsubscribe();
    this.streams.clear();
  }

  private route(n: RpcNotification): void {
    if (this.disposed) return;
    const id = Array.isArray(n.params) ? n.params[0] : undefined;
    const stream = typeof id === 'string' ? this.streams.get(id) : undefined;
    if (!stream) return;
    let parsed: MonitorNotification | undefined;
    try {
      parsed = parseMonitorNotification(n);
    } catch (err) {
      this.protocolError(err as Error);
      return;
    }
    if (parsed) stream.deliver(parsed);
  }

  private protocolError(err: Error): void {
    if (this.disposed) return;
    // The cache may now be wrong: forget where we were so the next connection resynchronises.
    this.o.progress.lastTxnId = undefined;
    this.o.hooks.leave(`protocol error: ${err.message}`);
  }

  /** Step 1. Resolves false when the server was left. */
  private async watchServer(stream: MonitorStream, answer: Promise<Settled<MonitorAnswer>>): Promise<boolean> {
    const settled = await answer;
    if (!settled.ok && settled.error instanceof UnknownDatabaseError) {
      if (this.disposed) return false;
      this.streams.delete(stream.id);
      this.o.hooks.server(undefined); // an old server without _Server: standalone
      return true;
    }
    const { reply } = unwrap(settled);
    if (this.disposed) return false;
    const cache = new DatabaseCache({ [SERVER_TABLE]: SERVER_COLUMNS });
    cache.setSchema(SERVER_SCHEMA);
    this.report(cache.resync(reply.updates).problems);
    if (!this.judge(cache)) return false;
    stream.goLive((n) => {
      if (this.disposed) return;
      if (n.kind === 'canceled') {
        this.o.hooks.leave(`the server canceled the monitor of ${SERVER_DATABASE}`);
        return;
      }
      this.report(cache.apply(n.updates).problems);
      this.judge(cache);
    });
    return true;
  }

  private judge(cache: DatabaseCache): boolean {
    if (this.disposed) return false;
    const verdict = judgeServer(cache.snapshot(SERVER_TABLE).values(), this.o.database, this.o.progress.minIndex);
    if (verdict.status?.index !== undefined && verdict.ok) {
      this.o.progress.minIndex = Math.max(this.o.progress.minIndex ?? 0, verdict.status.index);
    }
    if (verdict.status) this.o.hooks.server(verdict.status);
    if (!verdict.ok) {
      this.o.hooks.leave(verdict.reason);
      return false;
    }
    return true;
  }

  /** Step 3 and 4. */
  private async monitorDatabase(stream: MonitorStream, answer: Promise<Settled<MonitorAnswer>>): Promise<void> {
    const { method, reply } = unwrap(await answer);
    if (this.disposed) return;
    const resumed = method === 'monitor_cond_since' && reply.found && this.o.cache.hasSynced;
    const first = !this.o.cache.hasSynced;
    const result = resumed ? this.o.cache.apply(reply.updates) : this.o.cache.resync(reply.updates);
    this.report(result.problems);
    this.o.progress.lastTxnId = method === 'monitor_cond_since' ? reply.lastTxnId : undefined;
    if (result.changes.length > 0 || first) this.o.hooks.changes(result.changes, true);
    if (this.disposed) return;
    this.o.hooks.synced({ method, resumed, lastTxnId: this.o.progress.lastTxnId });
    stream.goLive((n) => this.onUpdate(n), reply.lastTxnId);
  }

  private onUpdate(n: MonitorNotification): void {
    if (this.disposed) return;
    if (n.kind === 'canceled') {
      this.o.progress.lastTxnId = undefined;
      this.o.hooks.leave(`the server canceled the monitor of ${this.o.database}`);
      return;
    }
    const result = this.o.cache.apply(n.updates);
    this.report(result.problems);
    if (n.lastTxnId !== undefined) {
      this.o.progress.lastTxnId = n.lastTxnId;
      this.o.hooks.txn(n.lastTxnId);
    }
    if (result.changes.length > 0) this.o.hooks.changes(result.changes, false);
  }

  private addStream(database: string, id: string, tables: Record<string, TableMonitor>): MonitorStream {
    const stream = new MonitorStream(this.o.channel, database, id, tables);
    this.streams.set(id, stream);
    return stream;
  }

  private report(problems: string[]): void {
    if (this.disposed) return;
    for (const p of problems) this.o.hooks.warn(p);
  }
}
