/**
 * Scripted fakes for the client tests: an RpcChannel whose requests the test answers one by one,
 * and a session that hands out such channels on demand.
 */
import { BehaviorSubject, Subject, filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import type { ClientSession, SessionConnection, SessionState } from '../../../src/ovsdb/client-session';
import type { ClientState } from '../../../src/ovsdb/client-state';
import { ConnectionClosedError, OvsdbError } from '../../../src/ovsdb/errors';
import type { RpcChannel, RpcNotification } from '../../../src/ovsdb/rpc-channel';

export interface PendingRequest {
  method: string;
  params: unknown[];
  resolve(result: unknown): void;
  /** Answers with an OVSDB error, e.g. fail('unknown method'). */
  fail(error: string, details?: string): void;
}

const WAIT_MS = 3000;

export class FakeChannel implements RpcChannel {
  /** Every request sent, in order (answered or not). */
  readonly requests: PendingRequest[] = [];
  private readonly unclaimed: PendingRequest[] = [];
  private readonly waiters: Array<{ method: string; resolve(r: PendingRequest): void }> = [];
  private readonly notes = new Subject<RpcNotification>();
  readonly notifications$: Observable<RpcNotification> = this.notes.asObservable();
  readonly closed: Promise<Error | undefined>;
  private resolveClosed!: (e: Error | undefined) => void;
  private rejects = new Set<(e: Error) => void>();
  isClosed = false;

  constructor() {
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  request(method: string, params: unknown[]): Promise<unknown> {
    if (this.isClosed) return Promise.reject(new ConnectionClosedError('closed'));
    return new Promise((resolve, reject) => {
      this.rejects.add(reject);
      const req: PendingRequest = {
        method,
        params,
        resolve: (r) => {
          this.rejects.delete(reject);
          resolve(r);
        },
        fail: (error, details) => {
          this.rejects.delete(reject);
          reject(OvsdbError.fromWire(details === undefined ? error : { error, details }));
        },
      };
      this.requests.push(req);
      const i = this.waiters.findIndex((w) => w.method === method);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(req);
      else this.unclaimed.push(req);
    });
  }

  notify(): void {}

  /** Waits (up to 3 s) for the next request of `method` not yet taken by a test. */
  next(method: string): Promise<PendingRequest> {
    const i = this.unclaimed.findIndex((r) => r.method === method);
    if (i >= 0) return Promise.resolve(this.unclaimed.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { method, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const j = this.waiters.indexOf(waiter);
        if (j >= 0) {
          this.waiters.splice(j, 1);
          reject(new Error(`no "${method}" request within ${WAIT_MS} ms (sent: ${this.requests.map((r) => r.method).join(', ') || 'none'})`));
        }
      }, WAIT_MS);
    });
  }

  /** Sends a notification from the "server". */
  push(method: string, params: unknown[]): void {
    this.notes.next({ method, params });
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const reject of this.rejects) reject(new ConnectionClosedError('connection closed'));
    this.rejects.clear();
    this.notes.complete();
    this.resolveClosed(undefined);
  }
}

export class FakeSession implements ClientSession {
  readonly connections = new Subject<SessionConnection>();
  readonly states = new BehaviorSubject<SessionState>({ state: 'stopped', attempts: 0 });
  readonly connections$ = this.connections.asObservable();
  readonly state$ = this.states.asObservable();
  readonly reconnects: string[] = [];
  started = 0;
  stopped = 0;
  current: FakeChannel | undefined;

  start(): void {
    this.started++;
    this.states.next({ state: 'connecting', attempts: 0 });
  }

  /** Like a real session, but the channel is left open until the next `open()`: late messages on it must be ignored. */
  stop(): void {
    this.stopped++;
    this.states.next({ state: 'stopped', attempts: 0 });
  }

  /** Records the reason; the channel stays open until the next `open()` (see `stop`). */
  forceReconnect(reason: string): void {
    this.reconnects.push(reason);
    this.states.next({ state: 'connecting', attempts: 0 });
  }

  /** Establishes a connection (closing the previous one) and returns its channel. */
  open(remote = 'unix:/fake/db.sock'): FakeChannel {
    this.current?.close();
    const channel = new FakeChannel();
    this.current = channel;
    this.states.next({ state: 'connected', remote, attempts: 0 });
    this.connections.next({ channel, remote });
    return channel;
  }

  /** The connection drops (server gone); the session backs off. */
  drop(error = 'connection reset'): void {
    this.current?.close();
    this.current = undefined;
    this.states.next({ state: 'backoff', error, attempts: 1 });
  }
}

/** A small Open_vSwitch-like schema with the Interface columns the agent monitors. */
export const TEST_SCHEMA = {
  name: 'Open_vSwitch',
  version: '8.3.1',
  tables: {
    Interface: {
      columns: {
        name: { type: 'string' },
        type: { type: 'string' },
        options: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
        ofport_request: { type: { key: { type: 'integer', minInteger: 1, maxInteger: 65279 }, min: 0, max: 1 } },
        ofport: { type: { key: 'integer', min: 0, max: 1 } },
        external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      },
    },
    Bridge: {
      columns: {
        name: { type: 'string' },
        ports: { type: { key: { type: 'uuid', refTable: 'Port' }, min: 0, max: 'unlimited' } },
      },
    },
  },
};

export const IFACE_COLUMNS = ['name', 'type', 'options', 'ofport_request', 'ofport'];

/** A `_Server` Database row (update2 "initial" form). */
export function serverRow(fields: { model?: string; connected?: boolean; leader?: boolean; index?: number; name?: string } = {}): Record<string, unknown> {
  return {
    name: fields.name ?? 'Open_vSwitch',
    model: fields.model ?? 'standalone',
    connected: fields.connected ?? true,
    leader: fields.leader ?? true,
    ...(fields.index === undefined ? {} : { index: fields.index }),
  };
}

export const SERVER_ROW_UUID = '11111111-1111-1111-1111-111111111111';

/** Row uuids for tests: u(1) = '00000000-0000-0000-0000-000000000001'. */
export function u(n: number): string {
  return `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
}

/** Transaction ids for tests. */
export function txn(n: number): string {
  return `aaaaaaaa-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * Plays the server side of the handshake up to the data monitor request, which it returns
 * unanswered: answers the `_Server` monitor (with `server`, or "unknown database" when `server` is
 * null) and `get_schema`.
 */
export async function handshake(ch: FakeChannel, server: Record<string, unknown> | null = serverRow(), schema: unknown = TEST_SCHEMA): Promise<PendingRequest> {
  const s = await ch.next('monitor_cond_since');
  if (s.params[0] !== '_Server') throw new Error(`expected the _Server monitor first, got ${JSON.stringify(s.params)}`);
  if (server === null) s.fail('unknown database', 'no _Server');
  else s.resolve([false, '00000000-0000-0000-0000-000000000000', { Database: { [SERVER_ROW_UUID]: { initial: server } } }]);
  const g = await ch.next('get_schema');
  g.resolve(schema);
  return ch.next('monitor_cond_since');
}

/** Resolves with the first state that satisfies `pred` (or rejects after 3 s, naming `what`). */
export function stateWhere(state$: Observable<ClientState>, what: string, pred: (s: ClientState) => boolean): Promise<ClientState> {
  return firstValueFrom(state$.pipe(filter(pred), timeout({ first: WAIT_MS, with: () => { throw new Error(`state never became ${what}`); } })));
}
