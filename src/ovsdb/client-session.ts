/**
 * What the OVSDB client needs from a session (src/ovsdb/reliable-session.ts's ReliableSession
 * fits it): a stream of established connections to one of the remotes, the session's state, and
 * control. Tests drive the client with a fake that implements this interface.
 */
import type { Observable } from 'rxjs';
import type { RpcChannel } from './rpc-channel';

/** One established connection. */
export interface SessionConnection {
  readonly channel: RpcChannel;
  /** The remote it is connected to, e.g. `tcp:127.0.0.1:6641`. */
  readonly remote: string;
}

export type SessionStateName = 'connecting' | 'connected' | 'backoff' | 'stopped';

export interface SessionState {
  readonly state: SessionStateName;
  readonly remote?: string;
  /** Why the last connection attempt or connection failed (an Error or a message). */
  readonly error?: unknown;
  readonly attempts?: number;
}

export interface ClientSession {
  /** One value per established connection; the previous connection is closed by then. */
  readonly connections$: Observable<SessionConnection>;
  readonly state$: Observable<SessionState>;
  start(): void;
  stop(): void;
  /** Drops the current connection and connects again (to the next remote of a list). */
  forceReconnect(reason: string): void;
}
