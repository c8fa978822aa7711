/**
 * Errors of the control API, on both sides of the socket.
 *
 * - `ControlError` is a JSON-RPC 2.0 error: handlers throw it to answer with that code, message and
 *   data, and `ControlClient.call` rejects with it when the agent answers with an error.
 * - The others are local failures of the socket: the path is taken by a live agent, no agent
 *   answers, the connection closed or timed out, or the peer broke the protocol.
 */

/** JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object). */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
} as const;

/** A JSON-RPC error answer: `code` (integer), `message` (one sentence naming what was wrong), `data` (details). */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  /** The JSON-RPC `error` member for this error; `data` is left out when undefined. */
  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

/** `ControlServer.start`: another agent is listening on the socket path. */
export class ControlSocketInUseError extends Error {
  override readonly name = 'ControlSocketInUseError';
  constructor(readonly socketPath: string) {
    super(`control socket ${socketPath} is in use: another agent is running`);
  }
}

/** `ControlServer.start` / `register`: the socket cannot be set up, or a method cannot be registered. */
export class ControlServerError extends Error {
  override readonly name = 'ControlServerError';
}

/** `ControlClient.connect`: nothing answers at the socket path. `errno` is the system error code (ENOENT, ECONNREFUSED, EACCES...). */
export class ControlConnectError extends Error {
  override readonly name = 'ControlConnectError';
  constructor(
    readonly socketPath: string,
    readonly errno: string,
  ) {
    super(`cannot connect to ${socketPath}: ${describeErrno(errno)} (${errno})`);
  }
}

/** A call that was pending when the connection closed, or a call made after close. */
export class ControlClosedError extends Error {
  override readonly name = 'ControlClosedError';
}

/** A call with no answer within its timeout. */
export class ControlTimeoutError extends Error {
  override readonly name = 'ControlTimeoutError';
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method}: no answer from the agent within ${timeoutMs / 1000} s`);
  }
}

/** The peer sent something that is not a JSON-RPC 2.0 message of this protocol (bad JSON, too long...). */
export class ControlProtocolError extends Error {
  override readonly name = 'ControlProtocolError';
}

function describeErrno(errno: string): string {
  switch (errno) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return 'no agent is running';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTSOCK':
      return 'not a socket';
    default:
      return 'connection failed';
  }
}
