/**
 * One OVSDB JSON-RPC 1.0 connection over a byte stream (a unix or TCP socket, or a TLS socket).
 *
 * Bytes in -> {@link JsonStreamDecoder} (framing) -> {@link OvsdbJsonRpcCodec} (1.0 -> 2.0) ->
 * the json-rpc-2.0 engine (answers to our requests; the peer's requests such as `echo`), or
 * `notifications$` for the peer's notifications. Outgoing messages take the reverse path.
 */
import type { Duplex } from 'node:stream';
import { JSONRPC, JSONRPCClient, JSONRPCServer, JSONRPCServerAndClient, type JSONRPCRequest, type JSONRPCResponse } from 'json-rpc-2.0';
import { Subject, type Observable } from 'rxjs';
import type { Logger } from '../log';
import { OVSDB_ERROR_CODE, OvsdbJsonRpcCodec, errorFromResponse } from './codec';
import { ConnectionClosedError } from './errors';
import { JsonStreamDecoder } from './framing';
import type { RpcChannel, RpcNotification } from './rpc-channel';

export interface JsonRpcConnectionOptions {
  /** Largest message accepted from the peer (default 64 MiB); a larger one closes the connection. */
  maxMessageBytes?: number;
  /** Where to log (debug only: messages sent and received, by method, and why the connection closed). */
  logger?: Logger;
  /** Name used in log lines and error messages, e.g. the remote (default "ovsdb"). */
  name?: string;
  /** Called for every chunk of bytes received (see {@link JsonRpcConnection.activity$}). */
  onActivity?: () => void;
}

type State = 'open' | 'closing' | 'closed';

/**
 * An {@link RpcChannel} over a Duplex stream.
 *
 * Guarantees, beyond the RpcChannel contract:
 * - Messages are handled in arrival order. When an answer arrives, its request's promise settles and
 *   the microtasks that follow (the synchronous part of the caller's continuation after `await`) run
 *   before any later message is handled: a monitor reply is seen before the updates sent after it.
 * - The peer's `echo` requests are answered with their params; other requests get an
 *   "unknown method" error answer. Neither appears in `notifications$`.
 * - `closed` resolves with `undefined` only after {@link close} (a local, clean close). End of stream
 *   from the peer resolves it with a {@link ConnectionClosedError}; a socket error with that error; a
 *   malformed message with the `ProtocolError` (or `FramingError`) that describes it. Messages
 *   received before the end or the malformed message are still delivered first (after a framing
 *   error, those of earlier chunks: the failing chunk is lost whole).
 * - Pending requests reject with {@link ConnectionClosedError} (its `cause` is the close cause);
 *   requests made after the close reject the same way; notifications after the close are dropped.
 */
export class JsonRpcConnection implements RpcChannel {
  readonly name: string;
  readonly notifications$: Observable<RpcNotification>;
  /** Fires for every chunk of bytes received, so that a long message in transit counts as activity. */
  readonly activity$: Observable<void>;
  readonly closed: Promise<Error | undefined>;

  private readonly stream: Duplex;
  private readonly logger: Logger | undefined;
  private readonly onActivity: (() => void) | undefined;
  private readonly decoder: JsonStreamDecoder;
  private readonly codec = new OvsdbJsonRpcCodec();
  private readonly engine: JSONRPCServerAndClient;
  private readonly notifications = new Subject<RpcNotification>();
  private readonly activity = new Subject<void>();
  private resolveClosed!: (cause: Error | undefined) => void;
  private state: State = 'open';
  private closeCause: Error | undefined;
  private nextId = 1;
  /** Decoded values waiting to be handled, from `inboxHead` on. */
  private inbox: unknown[] = [];
  private inboxHead = 0;
  /** True while the inbox loop runs or waits (after an answer) to resume. */
  private draining = false;

  constructor(stream: Duplex, opts: JsonRpcConnectionOptions = {}) {
    this.stream = stream;
    this.name = opts.name ?? 'ovsdb';
    this.logger = opts.logger;
    this.onActivity = opts.onActivity;
    this.decoder = new JsonStreamDecoder({ maxMessageBytes: opts.maxMessageBytes });
    this.notifications$ = this.notifications.asObservable();
    this.activity$ = this.activity.asObservable();
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });

    const errorListener = (message: string, data: unknown): void => {
      this.logger?.warn(`${this.name}: ${message} ${data instanceof Error ? data.message : String(data)}`);
    };
    const server = new JSONRPCServer({ errorListener });
    server.addMethod('echo', (params: unknown) => params);
    const client = new JSONRPCClient((payload: JSONRPCRequest | JSONRPCResponse) => this.send(payload));
    this.engine = new JSONRPCServerAndClient(server, client, { errorListener });

    stream.on('data', (chunk: Buffer | string) => this.onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.on('end', () => {
      const midMessage = this.decoder.inMessage ? ' in the middle of a message' : '';
      this.fail(new ConnectionClosedError(`${this.name}: connection closed by the peer${midMessage}`));
    });
    stream.on('error', (err: Error) => this.fail(err));
    stream.on('close', () => this.fail(new ConnectionClosedError(`${this.name}: connection closed`)));
  }

  /** True until the connection has closed (or started closing after the peer ended it). */
  get isOpen(): boolean {
    return this.state === 'open';
  }

  request(method: string, params: unknown[]): Promise<unknown> {
    if (this.state !== 'open') return Promise.reject(this.closedError(method));
    if (!Array.isArray(params)) return Promise.reject(new TypeError(`${this.name}: params of "${method}" must be an array`));
    const id = this.nextId++;
    this.logger?.debug(`${this.name}: request ${id} ${method}`);
    const answer = Promise.resolve(this.engine.requestAdvanced({ jsonrpc: JSONRPC, method, params, id }));
    return answer.then((response) => {
      if (!response.error) return response.result as unknown;
      if (response.error.code === OVSDB_ERROR_CODE) throw errorFromResponse(response.error);
      if (this.state !== 'open') throw this.closedError(method);
      throw new Error(`${this.name}: cannot send "${method}": ${response.error.message}`);
    });
  }

  notify(method: string, params: unknown[]): void {
    if (this.state !== 'open') {
      this.logger?.debug(`${this.name}: notification ${method} dropped, the connection is closed`);
      return;
    }
    this.logger?.debug(`${this.name}: notify ${method}`);
    this.send({ jsonrpc: JSONRPC, method, params });
  }

  close(): void {
    if (this.state === 'closed') return;
    this.finalize(this.state === 'closing' ? this.closeCause : undefined);
  }

  private closedError(method: string): ConnectionClosedError {
    const why = this.closeCause ? `: ${this.closeCause.message}` : '';
    return new ConnectionClosedError(`${this.name}: connection closed before the answer to "${method}"${why}`, { cause: this.closeCause });
  }

  /** Writes one message; json-rpc-2.0 calls this for requests and for answers to the peer. */
  private send(payload: JSONRPCRequest | JSONRPCResponse): void {
    if (this.state !== 'open') throw new ConnectionClosedError(`${this.name}: connection is closed`);
    this.stream.write(JSON.stringify(this.codec.encode(payload)));
  }

  private onData(chunk: Buffer): void {
    if (this.state !== 'open') return;
    this.onActivity?.();
    this.activity.next();
    let values: unknown[];
    try {
      values = this.decoder.feed(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    if (values.length === 0) return;
    for (const value of values) this.inbox.push(value);
    this.drain();
  }

  /** Handles queued messages in order; after an answer, resumes on the next macrotask. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    while (this.inboxHead < this.inbox.length) {
      if (this.state === 'closed') return;
      const value = this.inbox[this.inboxHead];
      this.inbox[this.inboxHead++] = undefined;
      let decoded;
      try {
        decoded = this.codec.decode(value);
      } catch (err) {
        this.inbox = [];
        this.inboxHead = 0;
        this.draining = false;
        this.fail(err as Error);
        if (this.state === 'closing') this.finalize(this.closeCause);
        return;
      }
      if (decoded.type === 'notification') {
        this.logger?.debug(`${this.name}: received ${decoded.notification.method}`);
        this.notifications.next(decoded.notification);
        continue;
      }
      this.engine.receiveAndSend(decoded.payload).catch((err: unknown) => {
        this.logger?.debug(`${this.name}: cannot answer the peer's request: ${err instanceof Error ? err.message : String(err)}`);
      });
      if (decoded.type === 'response') {
        setImmediate(() => {
          this.draining = false;
          this.drain();
        });
        return;
      }
    }
    this.inbox = [];
    this.inboxHead = 0;
    this.draining = false;
    if (this.state === 'closing') this.finalize(this.closeCause);
  }

  /** The connection failed or the peer ended it: deliver what was received, then close. */
  private fail(cause: Error): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.closeCause = cause;
    if (!this.draining) this.finalize(cause);
  }

  private finalize(cause: Error | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeCause = cause;
    this.inbox = [];
    this.inboxHead = 0;
    this.stream.destroy();
    // Debug only: the session (or whoever owns the connection) reports drops once, at its level.
    this.logger?.debug(`${this.name}: connection closed${cause ? `: ${cause.message}` : ''}`);
    this.engine.rejectAllPendingRequests(cause?.message ?? 'connection closed');
    this.notifications.complete();
    this.activity.complete();
    this.resolveClosed(cause);
  }
}
