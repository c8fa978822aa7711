/**
 * The agent's control server: JSON-RPC 2.0 over a unix socket, one JSON message per line both ways.
 *
 * Contract:
 * - `start()` claims the socket path (a stale socket left by a dead agent is replaced; a live one
 *   is refused with ControlSocketInUseError) and listens with the file created mode 0600.
 *   `stop()` closes every connection and removes the socket file.
 * - Each line is one JSON-RPC message: a request, a notification (no `id`: no answer) or a batch
 *   (an array: one array of answers, notifications left out; an empty batch is one -32600).
 *   Requests on one connection run concurrently; answers carry the request's id.
 * - Errors (JSON-RPC 2.0 codes): -32700 bad JSON; -32600 not a request (non-object, wrong
 *   `jsonrpc`, non-string `method`, bad `id` or `params` type) or a line over the size limit;
 *   -32601 unknown or unimplemented method; -32602 params that fail schema/control-api.schema.json,
 *   with `data.field` naming the offending field; a handler's ControlError gives its own code,
 *   message and data; any other exception is -32603 with a one-line message (never a stack; the
 *   stack goes to the log).
 * - Size limit: a line longer than `maxMessageBytes` (default DEFAULT_MAX_REQUEST_BYTES, 128 MiB)
 *   gets a -32600 error with id null and `data.limit`, and the server then closes that
 *   connection (the rest of the line is never read). Other connections are not affected.
 * - Params are validated before the handler runs, and omitted params are passed as {}; the handler
 *   gets the params object as sent.
 * - A client that disconnects mid-request is harmless: the answer is dropped. Write back-pressure
 *   pauses reading from that client until its socket drains.
 */
import net from 'node:net';
import {
  JSONRPCErrorException,
  JSONRPCServer,
  createJSONRPCErrorResponse,
  type JSONRPCID,
  type JSONRPCRequest,
  type JSONRPCResponse,
  type JSONRPCServerMiddleware,
} from 'json-rpc-2.0';
import { createLogger, type Logger } from '../log';
import { DEFAULT_MAX_REQUEST_BYTES } from './defaults';
import { checkRequestEnvelope } from './envelope';
import { ControlError, ControlServerError, ErrorCode } from './errors';
import { LineSplitter } from './line-splitter';
import { CONTROL_METHODS, hasParamsSchema, validateParams } from './schema';
import { claimSocketPath, listenPrivate } from './socket-file';

export interface ControlServerOptions {
  /** Path of the unix socket to listen on. */
  socketPath: string;
  /** Longest accepted request line in bytes (newline excluded); default 128 MiB. */
  maxMessageBytes?: number;
  logger?: Logger;
}

/** A method implementation: gets the validated params, returns (or resolves to) the result. */
export type ControlHandler<P = never> = (params: P) => unknown;

type State = 'new' | 'starting' | 'listening' | 'stopped';

export class ControlServer {
  readonly socketPath: string;
  readonly maxMessageBytes: number;
  private readonly log: Logger;
  private readonly engine: JSONRPCServer;
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  private state: State = 'new';
  private nextConnectionId = 1;

  constructor(opts: ControlServerOptions) {
    if (typeof opts.socketPath !== 'string' || opts.socketPath === '') throw new ControlServerError('socketPath must be a non-empty path');
    const max = opts.maxMessageBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    if (!Number.isInteger(max) || max <= 0) throw new ControlServerError(`maxMessageBytes must be a positive integer, not ${String(opts.maxMessageBytes)}`);
    this.socketPath = opts.socketPath;
    this.maxMessageBytes = max;
    this.log = (opts.logger ?? createLogger({ silent: true })).child({ component: 'control' });
    this.engine = new JSONRPCServer({ errorListener: (message, data) => this.log.error(`${message} ${String(data)}`) });
    this.engine.handleMethodNotFound = (request) => Promise.resolve(request.id === undefined ? null : methodNotFound(request));
    this.engine.applyMiddleware(this.validateAndGuard);
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.sockets.size;
  }

  /**
   * Registers the handler of `method`. The method must have a params schema in
   * schema/control-api.schema.json (so every method's input is validated); registering a method
   * twice is an error.
   * @throws ControlServerError
   */
  register<P>(method: string, handler: ControlHandler<P>): void {
    if (!hasParamsSchema(method)) throw new ControlServerError(`cannot register ${method}: schema/control-api.schema.json has no "${method}.params"`);
    if (this.engine.hasMethod(method)) throw new ControlServerError(`${method} is already registered`);
    this.engine.addMethod(method, (params: unknown) => handler(params as P));
  }

  /**
   * Claims the socket path and listens.
   * @throws ControlSocketInUseError when a live agent listens there; ControlServerError otherwise.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new ControlServerError(`the control server was already ${this.state === 'stopped' ? 'stopped' : 'started'}`);
    this.state = 'starting';
    try {
      const claim = await claimSocketPath(this.socketPath);
      if (claim === 'replaced-stale') this.log.info(`replaced the stale control socket ${this.socketPath} of an agent that is gone`);
      const server = net.createServer((socket) => this.accept(socket));
      await listenPrivate(server, this.socketPath);
      server.on('error', (err) => this.log.error(`control socket ${this.socketPath}: ${err.message}`));
      this.server = server;
      this.state = 'listening';
      this.log.info(`listening on ${this.socketPath}`);
    } catch (err) {
      this.state = 'new';
      throw err;
    }
  }

  /** Stops listening, closes every connection (pending answers are dropped) and removes the socket file. Idempotent. */
  async stop(): Promise<void> {
    const server = this.server;
    this.state = 'stopped';
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const id = this.nextConnectionId++;
    const splitter = new LineSplitter(this.maxMessageBytes);
    this.sockets.add(socket);
    this.log.debug(`connection ${id} opened`);
    socket.on('data', (chunk: Buffer) => {
      const { lines, overflow } = splitter.push(chunk);
      for (const line of lines) this.handleLine(socket, line).catch((err: unknown) => this.log.error(`connection ${id}: ${String(err)}`));
      if (overflow) this.rejectOverlong(socket, id);
    });
    socket.on('error', (err) => this.log.debug(`connection ${id}: ${err.message}`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.log.debug(`connection ${id} closed`);
    });
  }

  private rejectOverlong(socket: net.Socket, id: number): void {
    this.log.warn(`connection ${id}: request longer than ${this.maxMessageBytes} bytes; closing the connection`);
    const response = createJSONRPCErrorResponse(null, ErrorCode.InvalidRequest, `invalid request: the message is longer than the limit of ${this.maxMessageBytes} bytes`, {
      limit: this.maxMessageBytes,
    });
    socket.pause();
    if (!socket.destroyed && socket.writable) socket.end(`${JSON.stringify(response)}\n`, () => socket.destroy());
    else socket.destroy();
  }

  private async handleLine(socket: net.Socket, line: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (err) {
      const reason = (err as Error).message;
      this.send(socket, [createJSONRPCErrorResponse(null, ErrorCode.ParseError, `parse error: ${reason}`, { reason })], false);
      return;
    }
    if (!Array.isArray(message)) {
      const response = await this.handleOne(message);
      if (response) this.send(socket, [response], false);
      return;
    }
    if (message.length === 0) {
      this.send(socket, [createJSONRPCErrorResponse(null, ErrorCode.InvalidRequest, 'invalid request: an empty batch', { reason: 'an empty batch' })], false);
      return;
    }
    const responses = (await Promise.all(message.map((m) => this.handleOne(m)))).filter((r): r is JSONRPCResponse => r !== null);
    if (responses.length > 0) this.send(socket, responses, true);
  }

  /** Answers one request object; null for a valid notification. Never rejects. */
  private async handleOne(value: unknown): Promise<JSONRPCResponse | null> {
    const envelope = checkRequestEnvelope(value);
    if (!envelope.ok) return createJSONRPCErrorResponse(envelope.id, ErrorCode.InvalidRequest, `invalid request: ${envelope.reason}`, { reason: envelope.reason });
    const { request } = envelope;
    try {
      return await this.engine.receive(request);
    } catch (err) {
      return request.id === undefined ? null : this.internalError(request, err);
    }
  }

  /** Engine middleware: schema validation of params, then the handler with every exception mapped to a JSON-RPC error. */
  private readonly validateAndGuard: JSONRPCServerMiddleware<void> = async (next, request) => {
    if (!this.engine.hasMethod(request.method)) return next(request);
    const params: unknown = request.params ?? {};
    const check = validateParams(request.method, params);
    if (!check.ok) {
      this.log.debug(`${request.method}: invalid params: ${check.message}`);
      return request.id === undefined ? null : createJSONRPCErrorResponse(request.id, ErrorCode.InvalidParams, `invalid params: ${check.message}`, check.data);
    }
    try {
      return await next({ ...request, params });
    } catch (err) {
      if (request.id === undefined) {
        this.log.debug(`${request.method} (notification) failed: ${(err as Error)?.message ?? String(err)}`);
        return null;
      }
      if (err instanceof ControlError || err instanceof JSONRPCErrorException) {
        return createJSONRPCErrorResponse(request.id, err.code, err.message, err.data);
      }
      return this.internalError(request, err);
    }
  };

  private internalError(request: JSONRPCRequest, err: unknown): JSONRPCResponse {
    this.log.error(`${request.method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return createJSONRPCErrorResponse(request.id ?? null, ErrorCode.InternalError, `internal error in ${request.method}: ${oneLine(err)}`, { method: request.method });
  }

  /** Writes the answers as one line (an array when `batch`); drops them if the client left. */
  private send(socket: net.Socket, responses: JSONRPCResponse[], batch: boolean): void {
    if (socket.destroyed || !socket.writable) return;
    const parts = responses.map((r) => this.serialize(r));
    const ok = socket.write(`${batch ? `[${parts.join(',')}]` : parts[0]}\n`);
    if (!ok) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  private serialize(response: JSONRPCResponse): string {
    try {
      return JSON.stringify(response);
    } catch (err) {
      this.log.error(`cannot serialize the answer to request ${String(response.id)}: ${(err as Error).message}`);
      const reason = oneLine(err);
      return JSON.stringify(createJSONRPCErrorResponse(response.id, ErrorCode.InternalError, `internal error: the result cannot be written as JSON (${reason})`, { reason }));
    }
  }
}

function methodNotFound(request: JSONRPCRequest): JSONRPCResponse {
  const id: JSONRPCID = request.id ?? null;
  const message = CONTROL_METHODS.includes(request.method) ? `method ${request.method} is not implemented by this agent` : `unknown method ${JSON.stringify(request.method)}`;
  return createJSONRPCErrorResponse(id, ErrorCode.MethodNotFound, message, { method: request.method });
}

/** First line of an error's "Name: message", at most 200 characters: no stack, no multi-line dumps. */
function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const first = text.split('\n', 1)[0];
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}
