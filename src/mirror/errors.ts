/**
 * Errors of the mirror of a running ovs-vswitchd. Each names the daemon's control socket and the
 * command, so a log line says what failed where.
 */

/** ovs-vswitchd answered a unixctl command with an error (the text OVS wrote, e.g. an unknown command). */
export class UnixctlError extends Error {
  override readonly name = 'UnixctlError';
  constructor(
    readonly ctlPath: string,
    readonly command: string,
    /** The daemon's error text, trimmed. */
    readonly reply: string,
  ) {
    super(`${ctlPath}: "${command}" failed: ${reply}`);
  }
}

/** No connection to the daemon's control socket right now (it is not running, or is restarting). */
export class UnixctlUnavailableError extends Error {
  override readonly name = 'UnixctlUnavailableError';
  constructor(
    readonly ctlPath: string,
    readonly command: string,
    detail?: string,
  ) {
    super(`${ctlPath}: cannot send "${command}": not connected to ovs-vswitchd${detail ? ` (${detail})` : ''}`);
  }
}

/** The daemon did not answer a command in time; the connection is dropped and made again. */
export class UnixctlTimeoutError extends Error {
  override readonly name = 'UnixctlTimeoutError';
  constructor(
    readonly ctlPath: string,
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`${ctlPath}: no answer to "${command}" within ${timeoutMs} ms`);
  }
}
