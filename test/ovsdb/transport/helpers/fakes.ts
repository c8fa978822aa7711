/** Test doubles for the session: a virtual clock, a scripted channel, a logger that records lines. */
import { Writable } from 'node:stream';
import { Subject } from 'rxjs';
import winston from 'winston';
import type { Logger } from '../../../../src/log';
import { ConnectionClosedError } from '../../../../src/ovsdb/errors';
import type { RpcChannel, RpcNotification } from '../../../../src/ovsdb/rpc-channel';
import type { SessionClock } from '../../../../src/ovsdb/reliable-session';

/** Lets promise chains and setImmediate callbacks settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** A virtual clock: timers fire only inside advance(), in deadline order, at their deadline. */
export class FakeClock implements SessionClock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers (and settling promises after each). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** A channel whose peer is the test: echo answers can be switched off; the "server" can close it. */
export class FakeChannel implements RpcChannel {
  readonly requests: Array<{ method: string; params: unknown[] }> = [];
  answerEcho = true;
  readonly closed: Promise<Error | undefined>;
  private readonly notes = new Subject<RpcNotification>();
  readonly notifications$ = this.notes.asObservable();
  private readonly activity = new Subject<void>();
  readonly activity$ = this.activity.asObservable();
  private finish!: (cause: Error | undefined) => void;
  private readonly pending: Array<(err: Error) => void> = [];
  isClosed = false;
  closedBy: 'client' | 'server' | undefined;

  constructor(readonly remote: string) {
    this.closed = new Promise((resolve) => (this.finish = resolve));
  }

  request(method: string, params: unknown[]): Promise<unknown> {
    this.requests.push({ method, params });
    if (this.isClosed) return Promise.reject(new ConnectionClosedError('closed'));
    if (method === 'echo' && this.answerEcho) {
      this.activity.next();
      return Promise.resolve(params);
    }
    return new Promise((_, reject) => this.pending.push(reject));
  }

  notify(): void {}

  /** The server sends something (counts as activity). */
  receive(n: RpcNotification): void {
    this.activity.next();
    this.notes.next(n);
  }

  close(): void {
    this.end(undefined, 'client');
  }

  /** The server goes away. */
  serverClose(cause: Error = new ConnectionClosedError('connection closed by the peer')): void {
    this.end(cause, 'server');
  }

  private end(cause: Error | undefined, by: 'client' | 'server'): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedBy = by;
    for (const reject of this.pending) reject(new ConnectionClosedError('closed'));
    this.notes.complete();
    this.activity.complete();
    this.finish(cause);
  }
}

/** A winston logger that keeps its lines (level and message) in `lines`. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: string }, _enc, done) {
      lines.push({ level: info.level, message: String(info.message) });
      done();
    },
  });
  const logger = winston.createLogger({
    level,
    levels: { error: 0, warn: 1, info: 2, debug: 3 },
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, lines };
}
