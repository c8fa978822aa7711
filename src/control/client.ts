/**
 * A client of the agent's control socket (JSON-RPC 2.0, one JSON message per line), used by
 * ovs-hwol-ctl, the tests and the benchmarks.
 *
 * Contract:
 * - `connect(path)` resolves once connected, or rejects with ControlConnectError (ENOENT or
 *   ECONNREFUSED: no agent is running; EACCES: permission denied...).
 * - `call(method, params?)` resolves with the result, or rejects with
 *   ControlError (the agent answered with an error: code, message, data as sent),
 *   ControlTimeoutError (no answer within the timeout; a late answer is ignored),
 *   ControlClosedError (the connection closed first, or the client was closed), or
 *   ControlProtocolError (the agent sent something that is not a JSON-RPC answer; the connection
 *   is then closed and every pending call fails with it).
 *   An error answer with id null (the server could not tell which request it answers, e.g. a
 *   request over its size limit) fails every pending call with that ControlError.
 * - Calls may overlap; answers are matched by id.
 */
import net from 'node:net';
import { DEFAULT_MAX_RESPONSE_BYTES } from './defaults';
import { ControlClosedError, ControlConnectError, ControlError, ControlProtocolError, ControlTimeoutError } from './errors';
import { LineSplitter } from './line-splitter';

export interface ControlClientOptions {
  /** Default timeout of each call in ms; 0 (the default) waits for ever. */
  timeoutMs?: number;
  /** Longest accepted answer line in bytes; default 512 MiB. */
  maxMessageBytes?: number;
}

export interface CallOptions {
  /** Overrides the client's default timeout for this call; 0 waits for ever. */
  timeoutMs?: number;
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

export class ControlClient {
  private readonly pending = new Map<number, Pending>();
  private readonly splitter: LineSplitter;
  private nextId = 1;
  private closedError: Error | undefined;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly socket: net.Socket,
    readonly socketPath: string,
    private readonly opts: ControlClientOptions,
  ) {
    this.splitter = new LineSplitter(opts.maxMessageBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.shutdown(new ControlClosedError(`connection to ${socketPath} failed: ${err.message}`)));
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('close', () => this.shutdown(new ControlClosedError(`the agent closed the connection to ${socketPath}`)));
  }

  /** Connects to the control socket at `socketPath`. @throws ControlConnectError */
  static connect(socketPath: string, opts: ControlClientOptions = {}): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      const onError = (err: Error): void => {
        socket.destroy();
        reject(new ControlConnectError(socketPath, errnoOf(err)));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new ControlClient(socket, socketPath, opts));
      });
    });
  }

  /** Number of calls waiting for an answer. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Calls `method` with `params` (omitted when undefined) and resolves with its result; see the module comment for failures. */
  call<T = unknown>(method: string, params?: unknown, opts: CallOptions = {}): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const request = params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
    let line: string;
    try {
      line = `${JSON.stringify(request)}\n`;
    } catch (err) {
      return Promise.reject(new TypeError(`${method}: params cannot be written as JSON: ${(err as Error).message}`));
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { method, resolve: resolve, reject };
      const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs ?? 0;
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new ControlTimeoutError(method, timeoutMs));
        }, timeoutMs);
      }
      this.pending.set(id, entry);
      this.socket.write(line);
    });
  }

  /** Closes the connection; pending calls reject with ControlClosedError. Resolves when the socket is closed. */
  close(): Promise<void> {
    this.shutdown(new ControlClosedError('the client was closed'));
    return this.closedPromise;
  }

  private onData(chunk: Buffer): void {
    const { lines, overflow } = this.splitter.push(chunk);
    for (const line of lines) this.onLine(line);
    if (overflow) this.shutdown(new ControlProtocolError(`the agent sent a message longer than ${this.splitter.maxLineBytes} bytes`));
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch (err) {
      this.shutdown(new ControlProtocolError(`the agent sent invalid JSON: ${(err as Error).message}`));
      return;
    }
    for (const answer of Array.isArray(msg) ? (msg as unknown[]) : [msg]) {
      if (typeof answer !== 'object' || answer === null) {
        this.shutdown(new ControlProtocolError('the agent sent an answer that is not an object'));
        return;
      }
      this.onAnswer(answer);
    }
  }

  private onAnswer(answer: { id?: unknown; result?: unknown; error?: unknown }): void {
    const error = answer.error === undefined ? undefined : toControlError(answer.error);
    if (answer.id === null && error) {
      for (const [id, p] of this.pending) this.settle(id, p, error);
      return;
    }
    if (typeof answer.id !== 'number') return; // not one of ours (ids are numbers): ignore
    const p = this.pending.get(answer.id);
    if (!p) return; // timed out already
    if (error) this.settle(answer.id, p, error);
    else this.settle(answer.id, p, undefined, answer.result);
  }

  private settle(id: number, p: Pending, error: Error | undefined, result?: unknown): void {
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve(result);
  }

  private shutdown(reason: Error): void {
    if (!this.closedError) this.closedError = reason;
    for (const [id, p] of this.pending) this.settle(id, p, reason);
    this.socket.destroy();
  }
}

function toControlError(error: unknown): ControlError {
  if (typeof error !== 'object' || error === null) return new ControlError(-32603, `the agent answered with a malformed error: ${JSON.stringify(error)}`);
  const e = error as { code?: unknown; message?: unknown; data?: unknown };
  const code = typeof e.code === 'number' ? e.code : -32603;
  const message = typeof e.message === 'string' ? e.message : 'error without a message';
  return new ControlError(code, message, e.data);
}
