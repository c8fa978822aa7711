/**
 * One monitor on one connection: sends the request (falling back from `monitor_cond_since` to
 * `monitor_cond` to `monitor` when the server answers "unknown method", or "not supported" as
 * some non-OVS servers do), and holds the
 * notifications for its monitor id that arrive before the reply has been applied, to replay them
 * afterwards — so none is lost and none is applied twice.
 *
 * Usage: route every notification whose monitor id is {@link MonitorStream.id} to `deliver()`;
 * `await request()`; apply the reply; then call `goLive(handler)`, which replays the held
 * notifications through `handler` and passes later ones straight to it.
 */
import { NotSupportedError, UnknownMethodError } from './errors';
import { MONITOR_METHODS, ZERO_TXN_ID, monitorParams, type MonitorMethod, type TableMonitor } from './monitor-request';
import { parseMonitorReply, type MonitorNotification, type MonitorReply } from './monitor-updates';
import type { RpcChannel } from './rpc-channel';

export class MonitorStream {
  private held: MonitorNotification[] | undefined = [];
  private handler: ((n: MonitorNotification) => void) | undefined;

  /**
   * @param methods the methods to try, in order (default: all, newest first)
   */
  constructor(
    private readonly channel: RpcChannel,
    readonly database: string,
    readonly id: string,
    private readonly tables: Readonly<Record<string, TableMonitor>>,
    private readonly methods: readonly MonitorMethod[] = MONITOR_METHODS,
  ) {}

  /**
   * Sends the monitor request, trying each method until one is known to the server.
   * @param lastTxnId for `monitor_cond_since`: the last transaction the client's cache reflects
   * @returns the method that worked and its parsed reply
   * @throws the server's error (OvsdbError) for anything but "unknown method"/"not supported" and,
   *   when no method is known, the last of those; ConnectionClosedError; MonitorProtocolError for a
   *   malformed reply
   */
  async request(lastTxnId: string = ZERO_TXN_ID): Promise<{ method: MonitorMethod; reply: MonitorReply }> {
    let lastError: Error | undefined;
    for (const method of this.methods) {
      let result: unknown;
      try {
        result = await this.channel.request(method, monitorParams(method, this.database, this.id, this.tables, lastTxnId));
      } catch (err) {
        if (!(err instanceof UnknownMethodError || err instanceof NotSupportedError)) throw err;
        lastError = err;
        continue;
      }
      return { method, reply: parseMonitorReply(method, result) };
    }
    throw lastError ?? new Error('no monitor method to try');
  }

  /** Takes a notification for this monitor: held until `goLive`, then handled at once. */
  deliver(n: MonitorNotification): void {
    if (this.held) this.held.push(n);
    else this.handler?.(n);
  }

  /** Number of notifications held (before `goLive`). */
  get heldCount(): number {
    return this.held?.length ?? 0;
  }

  /**
   * Replays the held notifications through `handler`, then hands it every later one.
   * @param replyTxnId the reply's last-txn-id (monitor_cond_since): held `update3`s up to and
   *   including the one with this id are already reflected in the reply and are dropped. The
   *   all-zero id (standalone servers, which keep no history) drops nothing.
   */
  goLive(handler: (n: MonitorNotification) => void, replyTxnId?: string): void {
    let held = this.held ?? [];
    if (replyTxnId !== undefined && replyTxnId !== ZERO_TXN_ID) {
      for (let i = held.length - 1; i >= 0; i--) {
        const n = held[i];
        if (n.kind === 'update' && n.lastTxnId === replyTxnId) {
          held = held.slice(i + 1);
          break;
        }
      }
    }
    this.held = undefined;
    this.handler = handler;
    for (const n of held) handler(n);
  }
}
