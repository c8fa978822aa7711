/**
 * What the agent logs about ports: one line per transition, never one per update.
 *
 * - warn, when an interface becomes invalid, conflict or error, or stays so with a different reason (e.g. a
 *   new bad value, another holder): `interface dpdk1: hw-port-id 0 is held by dpdk0`;
 * - info, when an interface becomes ready, exactly like the original patch:
 *   `HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 0 <-> 1`;
 * - info, when it stops being ready, with why (`deleted`, `remapped` when its hw-port-id or odp port changed and a
 *   ready line follows, else its new state and reason):
 *   `HW OFFLOAD no longer ready on device (dpdk0) : hw-port-id <-> odp-port-id 0 <-> 1 (disabled: ...)`;
 * - info, when an interface with a hw-port-id becomes disabled for a reason (type not offloadable, no
 *   datapath port).
 * Within one snapshot: "no longer ready" lines first, then warnings and other info, then "ready" lines, each
 * group by interface name, so a takeover reads in the order it happened.
 */
import { mergeMap, scan, type Observable, type OperatorFunction, type Subscription } from 'rxjs';
import type { PortChange, PortEntry, PortTable } from './port-table.js';

export interface PortLogEvent {
  readonly level: 'warn' | 'info';
  /** The interface's name. */
  readonly port: string;
  readonly message: string;
}

/** What logPortTransitions needs of a logger; a winston Logger fits. */
export interface PortLogSink {
  warn(message: string): unknown;
  info(message: string): unknown;
}

/**
 * The log events between two snapshots. When `next` directly follows `prev` (same lineage, next version) only
 * `next.changes` are looked at (O(changes)); otherwise (first snapshot seen, or a gap) the two tables are
 * compared in full, `prev` undefined meaning an empty table.
 */
export function portLogEvents(prev: PortTable | undefined, next: PortTable): PortLogEvent[] {
  const changes = prev !== undefined && prev.lineage === next.lineage && next.version === prev.version + 1
    ? next.changes
    : fullDiff(prev, next);
  const released: PortLogEvent[] = [];
  const middle: PortLogEvent[] = [];
  const readied: PortLogEvent[] = [];
  for (const { before, after } of [...changes].sort(byName)) {
    const wasReady = before?.state === 'ready';
    const isReady = after?.state === 'ready';
    const sameMapping = wasReady && isReady && before.hwPortId === after.hwPortId && before.odpPort === after.odpPort;
    if (wasReady && !sameMapping) {
      const why =
        after === undefined ? 'deleted' : isReady ? 'remapped' : after.reason === undefined ? after.state : `${after.state}: ${after.reason}`;
      released.push(info(before, `HW OFFLOAD no longer ready on device (${before.name}) : ${mapping(before)} (${why})`));
    }
    if (after !== undefined && after.reason !== undefined && (before?.state !== after.state || before.reason !== after.reason)) {
      const level = after.state === 'disabled' ? 'info' : 'warn';
      middle.push({ level, port: after.name, message: `interface ${after.name}: ${after.reason}` });
    }
    if (isReady && !sameMapping) {
      readied.push(info(after, `HW OFFLOAD ready on device (${after.name}) : ${mapping(after)}`));
    }
  }
  return [...released, ...middle, ...readied];
}

/** An operator from snapshots to their log events (the first snapshot is compared with an empty table). */
export function portTransitions(): OperatorFunction<PortTable, PortLogEvent> {
  return (table$) =>
    table$.pipe(
      scan<PortTable, { prev: PortTable | undefined; events: PortLogEvent[] }>(
        (acc, next) => ({ prev: next, events: portLogEvents(acc.prev, next) }),
        { prev: undefined, events: [] },
      ),
      mergeMap((acc) => acc.events),
    );
}

/**
 * Logs every transition of `table$` to `logger`; unsubscribe to stop. An error of `table$` is logged as a warning
 * (the stream's owner handles it; this subscription must not turn it into an uncaught exception).
 */
export function logPortTransitions(table$: Observable<PortTable>, logger: PortLogSink): Subscription {
  return table$.pipe(portTransitions()).subscribe({
    next: (event) => {
      if (event.level === 'warn') logger.warn(event.message);
      else logger.info(event.message);
    },
    error: (err: unknown) => {
      logger.warn(`port table stopped: ${err instanceof Error ? err.message : String(err)}`);
    },
  });
}

function mapping(entry: PortEntry): string {
  return `hw-port-id <-> odp-port-id ${String(entry.hwPortId)} <-> ${String(entry.odpPort)}`;
}

function info(entry: PortEntry, message: string): PortLogEvent {
  return { level: 'info', port: entry.name, message };
}

function nameOf(change: PortChange): string {
  return (change.after ?? change.before)?.name ?? '';
}

function byName(a: PortChange, b: PortChange): number {
  const x = nameOf(a);
  const y = nameOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function fullDiff(prev: PortTable | undefined, next: PortTable): PortChange[] {
  const before = new Map<string, PortEntry>();
  for (const entry of prev?.ports ?? []) before.set(entry.uuid, entry);
  const changes: PortChange[] = [];
  for (const after of next.ports) {
    const old = before.get(after.uuid);
    before.delete(after.uuid);
    if (old !== after) changes.push(old === undefined ? { after } : { before: old, after });
  }
  for (const old of before.values()) changes.push({ before: old });
  return changes;
}
