/**
 * The seam between the OVSDB protocol logic (monitors, cache, client) and the JSON-RPC 1.0
 * transport (framing, codec, session). The client is written against this interface only, so it
 * can be tested with a scripted fake channel and run over a real socket session.
 */
import type { Observable } from 'rxjs';

/** A notification sent by the peer (a JSON-RPC 1.0 request with `id: null`), e.g. `update3`. */
export interface RpcNotification {
  method: string;
  params: unknown[];
}

/** One open JSON-RPC 1.0 connection to an OVSDB server (or an OVS unixctl server). */
export interface RpcChannel {
  /**
   * Sends a request and resolves with its `result`.
   * Rejects with an `OvsdbError` when the server answers with an error object, and with a
   * `ConnectionClosedError` when the connection ends before the answer arrives.
   */
  request(method: string, params: unknown[]): Promise<unknown>;
  /** Sends a notification (no answer expected). */
  notify(method: string, params: unknown[]): void;
  /**
   * Notifications from the peer, in arrival order. The server's `echo` requests are answered by
   * the channel itself and do not appear here. Completes when the connection closes.
   */
  readonly notifications$: Observable<RpcNotification>;
  /** Settles once, when the connection has ended: with the cause, or undefined for a clean close. */
  readonly closed: Promise<Error | undefined>;
  /** Closes the connection; pending requests reject with ConnectionClosedError. Idempotent. */
  close(): void;
}
