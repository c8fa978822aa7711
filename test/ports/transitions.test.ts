import test, { type ExecutionContext } from 'ava';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createLogger } from '../../src/log.js';
import type { RowChange } from '../../src/ovsdb/row-change.js';
import {
  createPortsState,
  derivePortTable,
  logPortTransitions,
  portLogEvents,
  portTransitions,
  resolvePortsConfig,
  type PortLogSink,
  type PortTable,
} from '../../src/ports/index.js';
import { initial, insert, modify, rawChange, remove } from './rows.js';

/** A logger that keeps its lines as `level: message`. */
class FakeLogger implements PortLogSink {
  readonly lines: string[] = [];
  warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
}

/** Feeds updates one by one into derivePortTable with a FakeLogger attached; returns the lines per update. */
function logLines(updates: RowChange[][]): string[][] {
  const updates$ = new Subject<RowChange[]>();
  const logger = new FakeLogger();
  const subscription = logPortTransitions(derivePortTable(updates$), logger);
  const perUpdate: string[][] = [];
  for (const update of updates) {
    const start = logger.lines.length;
    updates$.next(update);
    perUpdate.push(logger.lines.slice(start));
  }
  subscription.unsubscribe();
  return perUpdate;
}

test('ready: the line of the original patch', (t) => {
  t.deepEqual(logLines([[initial('u0', { name: 'dpdk0', hw: '0' })]]), [
    ['info: HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 0 <-> 1'],
  ]);
});

test('an invalid value warns once per transition, naming interface and value, not once per update', (t) => {
  t.deepEqual(
    logLines([
      [initial('u0', { name: 'dpdk0', hw: 'abc' })],
      [modify('u0', { name: 'dpdk0', hw: 'abc', options: { n_rxq: '4' } })], // same value: no new line
      [insert('u1', { name: 'dpdk1' })], // another interface: nothing about dpdk0
      [modify('u0', { name: 'dpdk0', hw: '99' })], // a new bad value: a new warning
      [modify('u0', { name: 'dpdk0', hw: '9' })],
    ]),
    [
      ['warn: interface dpdk0: hw-port-id "abc" is not a base-10 integer'],
      [],
      [],
      ['warn: interface dpdk0: hw-port-id "99" is out of range 0..63'],
      ['info: HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 9 <-> 1'],
    ],
  );
});

test('conflict and takeover: warning naming the holder, then released before ready', (t) => {
  t.deepEqual(
    logLines([
      [initial('a', { name: 'dpdk0', hw: '0' })],
      [insert('b', { name: 'dpdk1', hw: '0' })],
      [modify('b', { name: 'dpdk1', hw: '0', options: { n_rxq: '2' } })],
      [remove('a', { name: 'dpdk0', hw: '0' })],
    ]),
    [
      ['info: HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 0 <-> 1'],
      ['warn: interface dpdk1: hw-port-id 0 is held by dpdk0'],
      [],
      [
        'info: HW OFFLOAD no longer ready on device (dpdk0) : hw-port-id <-> odp-port-id 0 <-> 1 (deleted)',
        'info: HW OFFLOAD ready on device (dpdk1) : hw-port-id <-> odp-port-id 0 <-> 2',
      ],
    ],
  );
});

test('leaving ready says why; a changed mapping is released and readied again', (t) => {
  t.deepEqual(
    logLines([
      [initial('a', { name: 'dpdk0', hw: '0' }), initial('b', { name: 'br0', type: 'internal' })],
      [modify('a', { name: 'dpdk0', hw: '3' })],
      [modify('a', { name: 'dpdk0', hw: '3', type: 'internal' })],
      [modify('a', { name: 'dpdk0', hw: '3', type: 'dpdk' })],
      [modify('a', { name: 'dpdk0' })],
      [modify('a', { name: 'dpdk0', hw: '1' }), insert('c', { name: 'dpdk2', hw: '1', ofportRequest: 1 })],
    ]),
    [
      ['info: HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 0 <-> 1'],
      [
        'info: HW OFFLOAD no longer ready on device (dpdk0) : hw-port-id <-> odp-port-id 0 <-> 1 (remapped)',
        'info: HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 3 <-> 1',
      ],
      [
        'info: HW OFFLOAD no longer ready on device (dpdk0) : hw-port-id <-> odp-port-id 3 <-> 1 (disabled: type "internal" is not offloadable (offload types: dpdk); hw-port-id ignored)',
        'info: interface dpdk0: type "internal" is not offloadable (offload types: dpdk); hw-port-id ignored',
      ],
      ['info: HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 3 <-> 1'],
      ['info: HW OFFLOAD no longer ready on device (dpdk0) : hw-port-id <-> odp-port-id 3 <-> 1 (disabled)'],
      // dpdk0 (odp 1) and dpdk2 (odp 3; its request for 1 is taken) claim 1 together: dpdk0 wins
      ['warn: interface dpdk2: hw-port-id 1 is held by dpdk0', 'info: HW OFFLOAD ready on device (dpdk0) : hw-port-id <-> odp-port-id 1 <-> 1'],
    ],
  );
});

test('a malformed row warns with the column named', (t) => {
  t.deepEqual(logLines([[rawChange('initial', 'u0', { name: 'dpdk0', options: 7 })]]), [
    ['warn: interface dpdk0: malformed Interface row: column options: expected an OVSDB map, got 7'],
  ]);
});

test('the first snapshot seen is compared with an empty table; a gap is bridged by a full comparison', (t) => {
  const state = createPortsState(resolvePortsConfig());
  state.apply([initial('a', { name: 'p0', hw: '0' }), initial('b', { name: 'p1', hw: 'no' })]);
  const v1 = state.table;
  state.apply([modify('a', { name: 'p0', hw: '5' })]);
  state.apply([remove('b', { name: 'p1', hw: 'no' }), insert('c', { name: 'p2', hw: '5' })]);
  const v3 = state.table;
  t.deepEqual(portLogEvents(undefined, v1), [
    { level: 'warn', port: 'p1', message: 'interface p1: hw-port-id "no" is not a base-10 integer' },
    { level: 'info', port: 'p0', message: 'HW OFFLOAD ready on device (p0) : hw-port-id <-> odp-port-id 0 <-> 1' },
  ]);
  // v1 -> v3 skips v2: the full comparison still finds p0's move and p2's conflict
  t.deepEqual(portLogEvents(v1, v3), [
    { level: 'info', port: 'p0', message: 'HW OFFLOAD no longer ready on device (p0) : hw-port-id <-> odp-port-id 0 <-> 1 (remapped)' },
    { level: 'warn', port: 'p2', message: 'interface p2: hw-port-id 5 is held by p0' },
    { level: 'info', port: 'p0', message: 'HW OFFLOAD ready on device (p0) : hw-port-id <-> odp-port-id 5 <-> 1' },
  ]);
  // a table of another lineage is never taken for the direct successor
  const other = createPortsState(resolvePortsConfig());
  other.apply([initial('x', { name: 'q', hw: '1' })]);
  t.deepEqual(portLogEvents(v1, other.table).map((e) => e.message), [
    'HW OFFLOAD no longer ready on device (p0) : hw-port-id <-> odp-port-id 0 <-> 1 (deleted)',
    'HW OFFLOAD ready on device (q) : hw-port-id <-> odp-port-id 1 <-> 1',
  ]);
});

function scheduler(t: ExecutionContext): TestScheduler {
  return new TestScheduler((actual, expected) => {
    t.deepEqual(actual, expected);
  });
}

test('marble: portTransitions emits one event per transition, in frame', (t) => {
  scheduler(t).run(({ cold, expectObservable }) => {
    const updates$ = cold('a-b-c', {
      a: [initial('u0', { name: 'p0', hw: '0' })],
      b: [modify('u0', { name: 'p0', hw: '0', options: { x: 'y' } })],
      c: [insert('u1', { name: 'p1', hw: '0' })],
    });
    const events$ = derivePortTable(updates$).pipe(portTransitions());
    expectObservable(events$).toBe('a---c', {
      a: { level: 'info', port: 'p0', message: 'HW OFFLOAD ready on device (p0) : hw-port-id <-> odp-port-id 0 <-> 1' },
      c: { level: 'warn', port: 'p1', message: 'interface p1: hw-port-id 0 is held by p0' },
    });
  });
});

test('logPortTransitions stops logging when unsubscribed', (t) => {
  const tables = new Subject<PortTable>();
  const logger = new FakeLogger();
  const state = createPortsState(resolvePortsConfig());
  const subscription = logPortTransitions(tables, logger);
  tables.next(state.apply([initial('u0', { name: 'p0', hw: '0' })]).table);
  subscription.unsubscribe();
  tables.next(state.apply([modify('u0', { name: 'p0', hw: 'bad' })]).table);
  t.deepEqual(logger.lines, ['info: HW OFFLOAD ready on device (p0) : hw-port-id <-> odp-port-id 0 <-> 1']);
});

test('a winston logger is a PortLogSink', (t) => {
  const sink: PortLogSink = createLogger({ silent: true }).child({ component: 'ports' });
  t.notThrows(() => sink.warn('x'));
});

test('an error of the table stream is logged, not thrown', (t) => {
  const tables = new Subject<PortTable>();
  const logger = new FakeLogger();
  logPortTransitions(tables, logger);
  t.notThrows(() => tables.error(new Error('ovsdb went away')));
  t.deepEqual(logger.lines, ['warn: port table stopped: ovsdb went away']);
});
