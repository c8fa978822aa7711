/**
 * A client of OVS's unixctl protocol: the control socket of a daemon (`ovs-vswitchd.ctl`), which
 * `ovs-appctl` talks to. The protocol is JSON-RPC 1.0 over the unix socket, with no delimiter between
 * messages: a request `{"method": COMMAND, "params": [ARG, ...], "id": N}` whose params are all
 * strings, answered by `{"result": TEXT, "error": null, "id": N}` or `{"result": null, "error": TEXT,
 * "id": N}` (OVS's lib/unixctl.c; TEXT ends with a newline unless empty). The daemon answers the
 * requests of one connection one at a time, in order.
 *
 * Built from the OVSDB layer: {@link ReliableSession} keeps the connection up (reconnecting with
 * backoff when the daemon goes away or restarts) and {@link JsonRpcConnection} frames and codes the
 * messages; a unix socket is not probed, as in OVS.
 */
import type { Observable } from 'rxjs';
import type { Logger } from '../log';
import { JsonRpcConnection } from '../ovsdb/connection';
import { OvsdbError } from '../ovsdb/errors';
import { ReliableSession, type SessionConnection, type SessionState } from '../ovsdb/reliable-session';
import type { RpcChannel } from '../ovsdb/rpc-channel';
import { connectRemote, formatRemote, type Remote } from '../ovsdb/remote';
import { UnixctlError, UnixctlTimeoutError, UnixctlUnavailableError } from './errors';

/** Default limit on one reply: a dump of 100k+ megaflows at ~400 bytes a line fits. */
export const UNIXCTL_MAX_REPLY_BYTES = 512 * 1024 * 1024;
/** Default time allowed for one command's answer. */
export const UNIXCTL_DEFAULT_TIMEOUT_MS = 10_000;

export interface UnixctlClientOptions {
  logger?: Logger;
  /** Largest reply accepted (default {@link UNIXCTL_MAX_REPLY_BYTES}); a larger one drops the connection. */
  maxReplyBytes?: number;
  /** Reconnect backoff: from minBackoffMs (default 500) doubling to maxBackoffMs (default 4000). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Opens a channel (tests); default: a unix socket and a JsonRpcConnection. */
  connect?: (remote: Remote) => Promise<RpcChannel>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Contract:
 * - `start()` connects to the socket and keeps reconnecting while the daemon is away; `stop()` closes.
 * - `call(command, args)` resolves with the daemon's reply text (unchanged, usually ending in a
 *   newline) and rejects with {@link UnixctlError} when the daemon answers with an error,
 *   {@link UnixctlUnavailableError} when there is no connection (or it drops before the answer), and
 *   {@link UnixctlTimeoutError} after `timeoutMs`; a timeout also drops the connection (the daemon
 *   answers in order, so a stuck command would hold up every later one) and a new one is made.
 * - `state$`/`connections$` are the session's: each new connection means the daemon may have restarted.
 */
export class UnixctlClient {
  readonly ctlPath: string;
  readonly state$: Observable<SessionState>;
  readonly connections$: Observable<SessionConnection>;
  private readonly session: ReliableSession;

  constructor(ctlPath: string, opts: UnixctlClientOptions = {}) {
    if (ctlPath === '') throw new RangeError('UnixctlClient: the control socket path is empty');
    this.ctlPath = ctlPath;
    const maxReplyBytes = opts.maxReplyBytes ?? UNIXCTL_MAX_REPLY_BYTES;
    this.session = new ReliableSession([{ kind: 'unix', path: ctlPath }], {
      logger: opts.logger,
      peerName: 'unixctl',
      maxMessageBytes: maxReplyBytes,
      minBackoffMs: opts.minBackoffMs ?? 500,
      maxBackoffMs: opts.maxBackoffMs ?? 4000,
      probeIntervalMs: 0,
      // Without the connection's per-message debug lines: one poll is two requests.
      connect: opts.connect ?? (async (remote) => new JsonRpcConnection(await connectRemote(remote, { timeoutMs: 5000 }), { maxMessageBytes: maxReplyBytes, name: formatRemote(remote) })),
    });
    this.state$ = this.session.state$;
    this.connections$ = this.session.connections$;
  }

  get state(): SessionState {
    return this.session.state;
  }

  get connected(): boolean {
    return this.session.connection !== undefined;
  }

  start(): void {
    this.session.start();
  }

  stop(): void {
    this.session.stop();
  }

  /** Runs one unixctl command, as `ovs-appctl -t CTL_PATH COMMAND ARGS...` would. */
  async call(command: string, args: readonly string[] = [], timeoutMs = UNIXCTL_DEFAULT_TIMEOUT_MS): Promise<string> {
    const conn = this.session.connection;
    if (!conn) throw new UnixctlUnavailableError(this.ctlPath, command, this.session.state.error);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (this.session.connection?.channel === conn.channel) this.session.forceReconnect(`no answer to "${command}" within ${timeoutMs} ms`);
        reject(new UnixctlTimeoutError(this.ctlPath, command, timeoutMs));
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([conn.channel.request(command, [...args]), timeout]);
      if (typeof result !== 'string') throw new UnixctlError(this.ctlPath, command, `the reply is not text: ${JSON.stringify(result)?.slice(0, 100)}`);
      return result;
    } catch (err) {
      if (err instanceof UnixctlError || err instanceof UnixctlTimeoutError) throw err;
      if (err instanceof OvsdbError) {
        const text = typeof err.data === 'string' ? err.data : err.message;
        throw new UnixctlError(this.ctlPath, command, text.trim());
      }
      throw new UnixctlUnavailableError(this.ctlPath, command, message(err));
    } finally {
      clearTimeout(timer);
    }
  }
}
