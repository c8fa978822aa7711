/**
 * The state an {@link import('./client').OvsdbClient} reports on `state$` (and the agent shows in
 * `agent/show`).
 */
import type { MonitorMethod } from './monitor-request';

/**
 * - `connecting`: no connection yet (or the session is between connections);
 * - `syncing`: connected, checking the server and waiting for the monitor reply;
 * - `synced`: the cache reflects the server and updates flow;
 * - `backoff`: the last connection failed, the session waits before the next attempt;
 * - `error`: connected, but the server cannot be used (e.g. its schema lacks a monitored
 *   column); `error` says why. The client stays in this state until the connection changes;
 * - `stopped`: `stop()` was called (or not yet started).
 */
export type ClientStateName = 'connecting' | 'syncing' | 'synced' | 'backoff' | 'error' | 'stopped';

export interface ClientState {
  readonly state: ClientStateName;
  readonly database: string;
  /** The remote of the current (or last) connection. */
  readonly remote?: string;
  /** True while a connection is established. */
  readonly connected: boolean;
  /** From `_Server`: the database's storage model ('standalone', 'clustered', 'relay'). */
  readonly model?: string;
  readonly clustered?: boolean;
  /** From `_Server`: whether the server is the cluster leader (always true for standalone). */
  readonly leader?: boolean;
  /** From `_Server`: the Raft index the member has applied (clustered only). */
  readonly index?: number;
  /** The id of the last transaction applied (monitor_cond_since only; all zero on standalone servers). */
  readonly lastTxnId?: string;
  /** The monitor method the current connection uses. */
  readonly monitorMethod?: MonitorMethod;
  /** True when the last monitor reply resumed from `lastTxnId` (found=true): only changes were sent. */
  readonly resumed?: boolean;
  /** Why the state is `error` or `backoff`. */
  readonly error?: string;
  /** Connections established so far. */
  readonly connections: number;
}

/** Field-by-field equality, for `distinctUntilChanged`. */
export function sameClientState(a: ClientState, b: ClientState): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ClientState>;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
