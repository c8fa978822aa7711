/**
 * Typed errors of the OVSDB transport (framing, codec, connection, remotes, session).
 *
 * - {@link OvsdbError}: the server answered a request with an RFC 7047 error object. One subclass per
 *   error string that OVSDB servers send (RFC 7047 §4.1 and §5.2, plus ovsdb-server's own), so callers
 *   can write `err instanceof UnknownMethodError`; {@link OvsdbError.fromWire} picks the class.
 * - {@link ProtocolError} (and its {@link FramingError}): the peer sent something that is not
 *   OVSDB JSON-RPC; the connection is closed with it as the cause.
 * - {@link ConnectionClosedError}: the connection ended before an answer arrived.
 * - {@link InactivityError}: the peer did not answer the inactivity probe.
 * - {@link RemoteSyntaxError}, {@link TlsOptionsError}, {@link ConnectError}: remotes and connecting.
 */

function describe(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) text = String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * An error answer from an OVSDB server: `{"error": "<error string>", "details": "..."}` or, from some
 * servers, a bare string. `error` is the RFC 7047 error string, `details` the optional explanation,
 * `data` the error value exactly as received (it may carry more members, e.g. `syntax`).
 */
export class OvsdbError extends Error {
  override readonly name: string = 'OvsdbError';
  constructor(
    readonly error: string,
    readonly details?: string,
    readonly data?: unknown,
  ) {
    super(details === undefined || details === '' ? error : `${error}: ${details}`);
  }

  /**
   * Builds the error for an error value received on the wire, choosing the subclass by its error
   * string. A value that is neither a string nor an object with a string `error` member still gives an
   * OvsdbError, whose `error` is the value's JSON text.
   */
  static fromWire(value: unknown): OvsdbError {
    let error: string;
    let details: string | undefined;
    if (typeof value === 'string') {
      error = value;
    } else if (typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string') {
      const v = value as { error: string; details?: unknown };
      error = v.error;
      if (typeof v.details === 'string') details = v.details;
      else if (v.details != null) details = describe(v.details);
    } else {
      error = describe(value);
    }
    const Kind = OVSDB_ERROR_CLASSES.get(error);
    return Kind ? new Kind(details, value) : new OvsdbError(error, details, value);
  }
}

type OvsdbErrorClass = new (details?: string, data?: unknown) => OvsdbError;

/** "referential integrity violation" (RFC 7047 §4.1.3): a commit would leave a dangling reference. */
export class ReferentialIntegrityViolationError extends OvsdbError {
  override readonly name: string = 'ReferentialIntegrityViolationError';
  constructor(details?: string, data?: unknown) {
    super('referential integrity violation', details, data);
  }
}
/** "constraint violation": a value breaks the column's type constraints (e.g. min/max, enum). */
export class ConstraintViolationError extends OvsdbError {
  override readonly name: string = 'ConstraintViolationError';
  constructor(details?: string, data?: unknown) {
    super('constraint violation', details, data);
  }
}
/** "resources exhausted": the server ran out of memory or another resource. */
export class ResourcesExhaustedError extends OvsdbError {
  override readonly name: string = 'ResourcesExhaustedError';
  constructor(details?: string, data?: unknown) {
    super('resources exhausted', details, data);
  }
}
/** "I/O error": the server could not commit to its storage. */
export class OvsdbIOError extends OvsdbError {
  override readonly name: string = 'OvsdbIOError';
  constructor(details?: string, data?: unknown) {
    super('I/O error', details, data);
  }
}
/** "duplicate uuid-name" (RFC 7047 §5.2.1): a uuid-name used twice in one transaction. */
export class DuplicateUuidNameError extends OvsdbError {
  override readonly name: string = 'DuplicateUuidNameError';
  constructor(details?: string, data?: unknown) {
    super('duplicate uuid-name', details, data);
  }
}
/** "domain error" (RFC 7047 §5.2.4): a mutation's result is not defined (e.g. division by zero). */
export class DomainError extends OvsdbError {
  override readonly name: string = 'DomainError';
  constructor(details?: string, data?: unknown) {
    super('domain error', details, data);
  }
}
/** "range error" (RFC 7047 §5.2.4): a mutation's result is out of the column's range. */
export class OvsdbRangeError extends OvsdbError {
  override readonly name: string = 'OvsdbRangeError';
  constructor(details?: string, data?: unknown) {
    super('range error', details, data);
  }
}
/** "timed out" (RFC 7047 §5.2.6): a `wait` operation timed out. */
export class TimedOutError extends OvsdbError {
  override readonly name: string = 'TimedOutError';
  constructor(details?: string, data?: unknown) {
    super('timed out', details, data);
  }
}
/** "not supported": the server does not implement this (e.g. a monitor method or operation). */
export class NotSupportedError extends OvsdbError {
  override readonly name: string = 'NotSupportedError';
  constructor(details?: string, data?: unknown) {
    super('not supported', details, data);
  }
}
/** "aborted" (RFC 7047 §5.2.8): the transaction contained an `abort` operation. */
export class AbortedError extends OvsdbError {
  override readonly name: string = 'AbortedError';
  constructor(details?: string, data?: unknown) {
    super('aborted', details, data);
  }
}
/** "not owner" (RFC 7047 §5.2.9): an `assert` on a lock this client does not own. */
export class NotOwnerError extends OvsdbError {
  override readonly name: string = 'NotOwnerError';
  constructor(details?: string, data?: unknown) {
    super('not owner', details, data);
  }
}
/** "unknown database": the named database is not served (RFC 7047 §4.1). */
export class UnknownDatabaseError extends OvsdbError {
  override readonly name: string = 'UnknownDatabaseError';
  constructor(details?: string, data?: unknown) {
    super('unknown database', details, data);
  }
}
/** "unknown method": the server does not know the JSON-RPC method (e.g. an old server and monitor_cond_since). */
export class UnknownMethodError extends OvsdbError {
  override readonly name: string = 'UnknownMethodError';
  constructor(details?: string, data?: unknown) {
    super('unknown method', details, data);
  }
}
/** "syntax error": the request's parameters are malformed. */
export class OvsdbSyntaxError extends OvsdbError {
  override readonly name: string = 'OvsdbSyntaxError';
  constructor(details?: string, data?: unknown) {
    super('syntax error', details, data);
  }
}
/** "unknown monitor": monitor_cancel or monitor_cond_change named a monitor that does not exist. */
export class UnknownMonitorError extends OvsdbError {
  override readonly name: string = 'UnknownMonitorError';
  constructor(details?: string, data?: unknown) {
    super('unknown monitor', details, data);
  }
}
/** "canceled": the server canceled the request (e.g. a transaction while the database is being replaced). */
export class CanceledError extends OvsdbError {
  override readonly name: string = 'CanceledError';
  constructor(details?: string, data?: unknown) {
    super('canceled', details, data);
  }
}
/** "permission error": role-based access control refused the operation. */
export class PermissionError extends OvsdbError {
  override readonly name: string = 'PermissionError';
  constructor(details?: string, data?: unknown) {
    super('permission error', details, data);
  }
}
/** "not leader": a clustered server that is not the leader refused a request that needs one. */
export class NotLeaderError extends OvsdbError {
  override readonly name: string = 'NotLeaderError';
  constructor(details?: string, data?: unknown) {
    super('not leader', details, data);
  }
}

const OVSDB_ERROR_CLASSES = new Map<string, OvsdbErrorClass>([
  ['referential integrity violation', ReferentialIntegrityViolationError],
  ['constraint violation', ConstraintViolationError],
  ['resources exhausted', ResourcesExhaustedError],
  ['I/O error', OvsdbIOError],
  ['duplicate uuid-name', DuplicateUuidNameError],
  ['duplicate uuid name', DuplicateUuidNameError],
  ['domain error', DomainError],
  ['range error', OvsdbRangeError],
  ['timed out', TimedOutError],
  ['not supported', NotSupportedError],
  ['aborted', AbortedError],
  ['not owner', NotOwnerError],
  ['unknown database', UnknownDatabaseError],
  ['unknown method', UnknownMethodError],
  ['syntax error', OvsdbSyntaxError],
  ['unknown monitor', UnknownMonitorError],
  ['canceled', CanceledError],
  ['permission error', PermissionError],
  ['not leader', NotLeaderError],
]);

/** The error strings that {@link OvsdbError.fromWire} maps to a subclass. */
export const KNOWN_OVSDB_ERRORS: readonly string[] = [...OVSDB_ERROR_CLASSES.keys()];

/** The peer sent a message that is not valid OVSDB JSON-RPC 1.0. The connection is closed with it. */
export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
}

/** The byte stream is not a sequence of JSON values (bad JSON, a value over the size limit, ...). */
export class FramingError extends ProtocolError {
  override readonly name: string = 'FramingError';
  /** @param position byte offset in the stream where the problem was found */
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** The connection ended (closed by either side, or failed) before an answer arrived. */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The peer did not answer the inactivity probe (`echo`) in time; the session dropped the connection. */
export class InactivityError extends Error {
  override readonly name = 'InactivityError';
}

/** A remote string that is not valid OVS syntax (`unix:PATH`, `tcp:HOST:PORT`, `ssl:HOST:PORT`). */
export class RemoteSyntaxError extends Error {
  override readonly name = 'RemoteSyntaxError';
  constructor(
    readonly remote: string,
    reason: string,
  ) {
    super(`invalid OVSDB remote "${remote}": ${reason}`);
  }
}

/** TLS options missing for an `ssl:` remote, or a key/certificate file that cannot be read. */
export class TlsOptionsError extends Error {
  override readonly name = 'TlsOptionsError';
}

/** A connection attempt to a remote failed (refused, no such socket, timed out, TLS handshake ...). */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(
    readonly remote: string,
    reason: string,
    /** The system error code when there is one, e.g. `ECONNREFUSED`, `ENOENT`, or `ETIMEDOUT`. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot connect to ${remote}: ${reason}`, options);
  }
}
