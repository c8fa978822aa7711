/**
 * Marble tests of derivePortTable: every hw-port-id rule as it plays out over time.
 * Frames are virtual (TestScheduler.run): nothing waits.
 */
import test, { type ExecutionContext } from 'ava';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { RowChange } from '../../src/ovsdb/row-change.js';
import { derivePortTable, PortsConfigError, type PortsConfig } from '../../src/ports/index.js';
import { brief, initial, insert, modify, rawChange, remove } from './rows.js';

type Brief = ReturnType<typeof brief>;

function scheduler(t: ExecutionContext): TestScheduler {
  return new TestScheduler((actual, expected) => {
    t.deepEqual(actual, expected);
  });
}

/** Runs `updates` (a marble and its values) through derivePortTable and expects `out` (a marble and briefs). */
function marble(
  t: ExecutionContext,
  updates: [string, Record<string, RowChange[]>],
  out: [string, Record<string, Brief>],
  config: Partial<PortsConfig> = {},
  odpPorts?: [string, Record<string, ReadonlyMap<string, number>>],
): void {
  scheduler(t).run(({ cold, hot, expectObservable }) => {
    const updates$ = cold(updates[0], updates[1]);
    const odp$ = odpPorts === undefined ? undefined : hot(odpPorts[0], odpPorts[1]);
    expectObservable(derivePortTable(updates$, config, odp$).pipe(map(brief))).toBe(out[0], out[1]);
  });
}

test('marble: a valid hw-port-id is ready with a map entry; absent is disabled; removing the option drops the entry', (t) => {
  marble(
    t,
    ['a-b', { a: [initial('u0', { name: 'dpdk0', hw: '0' }), initial('u1', { name: 'dpdk1' })], b: [modify('u0', { name: 'dpdk0' })] }],
    [
      'a-b',
      {
        a: { ports: ['dpdk0 ready hw=0 odp=1', 'dpdk1 disabled hw=null odp=2'], map: { '0': 1 } },
        b: { ports: ['dpdk0 disabled hw=null odp=1', 'dpdk1 disabled hw=null odp=2'], map: {} },
      },
    ],
  );
});

test('marble: every invalid form is invalid with its value named and no map entry; a fixed value becomes ready', (t) => {
  const bad = ['abc', '1.5', '', '-1', '0x1', '64'];
  marble(
    t,
    ['a-b', { a: bad.map((hw, i) => initial(`u${i}`, { name: `p${i}`, hw })), b: [modify('u0', { name: 'p0', hw: '7' })] }],
    [
      'a-b',
      {
        a: {
          ports: [
            'p0 invalid hw=null odp=1 (hw-port-id "abc" is not a base-10 integer)',
            'p1 invalid hw=null odp=2 (hw-port-id "1.5" is not a base-10 integer)',
            'p2 invalid hw=null odp=3 (hw-port-id "" is not a base-10 integer)',
            'p3 invalid hw=null odp=4 (hw-port-id "-1" is out of range 0..63)',
            'p4 invalid hw=null odp=5 (hw-port-id "0x1" is not a base-10 integer)',
            'p5 invalid hw=null odp=6 (hw-port-id "64" is out of range 0..63)',
          ],
          map: {},
        },
        b: {
          ports: [
            'p0 ready hw=7 odp=1',
            'p1 invalid hw=null odp=2 (hw-port-id "1.5" is not a base-10 integer)',
            'p2 invalid hw=null odp=3 (hw-port-id "" is not a base-10 integer)',
            'p3 invalid hw=null odp=4 (hw-port-id "-1" is out of range 0..63)',
            'p4 invalid hw=null odp=5 (hw-port-id "0x1" is not a base-10 integer)',
            'p5 invalid hw=null odp=6 (hw-port-id "64" is out of range 0..63)',
          ],
          map: { '7': 1 },
        },
      },
    ],
  );
});

test('marble: maxHwPorts boundary, N-1 ready and N invalid (N = 16)', (t) => {
  marble(
    t,
    ['a-b', { a: [initial('u0', { name: 'p0', hw: '15' })], b: [modify('u0', { name: 'p0', hw: '16' })] }],
    [
      'a-b',
      {
        a: { ports: ['p0 ready hw=15 odp=1'], map: { '15': 1 } },
        b: { ports: ['p0 invalid hw=null odp=1 (hw-port-id "16" is out of range 0..15)'], map: {} },
      },
    ],
    { maxHwPorts: 16 },
  );
});

test('marble: a type not in offloadTypes is disabled with a reason; changing the type enables it', (t) => {
  marble(
    t,
    ['a-b', { a: [initial('u0', { name: 'br0', type: 'internal', hw: '0' })], b: [modify('u0', { name: 'br0', type: 'dpdk', hw: '0' })] }],
    [
      'a-b',
      {
        a: { ports: ['br0 disabled hw=0 odp=1 (type "internal" is not offloadable (offload types: dpdk); hw-port-id ignored)'], map: {} },
        b: { ports: ['br0 ready hw=0 odp=1'], map: { '0': 1 } },
      },
    ],
  );
});

test('marble: conflict, then takeover when the holder changes value, removes the option, is deleted', (t) => {
  const a = { name: 'a', hw: '0' };
  marble(
    t,
    [
      'a-b-c-d-e',
      {
        a: [initial('A', a)],
        b: [insert('B', { name: 'b', hw: '0' }), insert('C', { name: 'c', hw: '0' })],
        c: [modify('A', { name: 'a', hw: '1' })], // A lets go of 0 (B wins, odp 2 < 3)
        d: [modify('B', { name: 'b' })], // B removes the option: C takes 0
        e: [remove('A', { name: 'a', hw: '1' }), insert('D', { name: 'd', hw: '0' })], // D waits for C
      },
    ],
    [
      'a-b-c-d-e',
      {
        a: { ports: ['a ready hw=0 odp=1'], map: { '0': 1 } },
        b: {
          ports: ['a ready hw=0 odp=1', 'b conflict hw=0 odp=2 (hw-port-id 0 is held by a)', 'c conflict hw=0 odp=3 (hw-port-id 0 is held by a)'],
          map: { '0': 1 },
        },
        c: {
          ports: ['a ready hw=1 odp=1', 'b ready hw=0 odp=2', 'c conflict hw=0 odp=3 (hw-port-id 0 is held by b)'],
          map: { '0': 2, '1': 1 },
        },
        d: { ports: ['a ready hw=1 odp=1', 'b disabled hw=null odp=2', 'c ready hw=0 odp=3'], map: { '0': 3, '1': 1 } },
        e: { ports: ['b disabled hw=null odp=2', 'c ready hw=0 odp=3', 'd conflict hw=0 odp=1 (hw-port-id 0 is held by c)'], map: { '0': 3 } },
      },
    ],
  );
});

test('marble: claims that arrive together go to the lowest odp port; so do several waiters when the holder lets go', (t) => {
  marble(
    t,
    [
      'a-b-c',
      {
        a: [initial('X', { name: 'x', hw: '2', ofportRequest: 8 }), initial('Y', { name: 'y', hw: '2', ofportRequest: 4 })],
        b: [insert('Z', { name: 'z', hw: '2', ofportRequest: 6 })],
        c: [remove('Y', { name: 'y', hw: '2' })],
      },
    ],
    [
      'a-b-c',
      {
        a: { ports: ['x conflict hw=2 odp=8 (hw-port-id 2 is held by y)', 'y ready hw=2 odp=4'], map: { '2': 4 } },
        b: {
          ports: ['x conflict hw=2 odp=8 (hw-port-id 2 is held by y)', 'y ready hw=2 odp=4', 'z conflict hw=2 odp=6 (hw-port-id 2 is held by y)'],
          map: { '2': 4 },
        },
        c: { ports: ['x conflict hw=2 odp=8 (hw-port-id 2 is held by z)', 'z ready hw=2 odp=6'], map: { '2': 6 } },
      },
    ],
  );
});

test('marble: interfaces added and deleted', (t) => {
  marble(
    t,
    ['a-b-c', { a: [], b: [insert('u1', { name: 'p1', hw: '1' }), insert('u2', { name: 'p2', hw: '2' })], c: [remove('u1', { name: 'p1', hw: '1' })] }],
    [
      'a-b-c',
      {
        a: { ports: [], map: {} },
        b: { ports: ['p1 ready hw=1 odp=1', 'p2 ready hw=2 odp=2'], map: { '1': 1, '2': 2 } },
        c: { ports: ['p2 ready hw=2 odp=2'], map: { '2': 2 } },
      },
    ],
  );
});

test('marble: odp numbers honour ofport_request when free, else the lowest free; stable; reused after delete', (t) => {
  marble(
    t,
    [
      'a-b-c-d',
      {
        a: [initial('u1', { name: 'p1', ofportRequest: 5 }), initial('u2', { name: 'p2', ofportRequest: 5 })],
        b: [modify('u1', { name: 'p1', ofportRequest: 9, hw: '0' })],
        c: [remove('u2', { name: 'p2', ofportRequest: 5 })],
        d: [insert('u3', { name: 'p3' })],
      },
    ],
    [
      'a-b-c-d',
      {
        a: { ports: ['p1 disabled hw=null odp=5', 'p2 disabled hw=null odp=1'], map: {} },
        b: { ports: ['p1 ready hw=0 odp=5', 'p2 disabled hw=null odp=1'], map: { '0': 5 } },
        c: { ports: ['p1 ready hw=0 odp=5'], map: { '0': 5 } },
        d: { ports: ['p1 ready hw=0 odp=5', 'p3 disabled hw=null odp=1'], map: { '0': 5 } },
      },
    ],
  );
});

test('marble: odpPorts$ replaces the agent numbering', (t) => {
  const dp1 = new Map([['dpdk0', 3], ['dpdk1', 2]]);
  const dp2 = new Map([['dpdk0', 3]]);
  marble(
    t,
    ['a---c', { a: [initial('A', { name: 'dpdk0', hw: '0' }), initial('B', { name: 'dpdk1', hw: '0' })], c: [insert('C', { name: 'dpdk2' })] }],
    [
      'a-b-c-d',
      {
        a: {
          ports: [
            "dpdk0 disabled hw=0 odp=null (waiting for the datapath's port list)",
            "dpdk1 disabled hw=0 odp=null (waiting for the datapath's port list)",
          ],
          map: {},
        },
        b: { ports: ['dpdk0 conflict hw=0 odp=3 (hw-port-id 0 is held by dpdk1)', 'dpdk1 ready hw=0 odp=2'], map: { '0': 2 } },
        c: {
          ports: [
            'dpdk0 conflict hw=0 odp=3 (hw-port-id 0 is held by dpdk1)',
            'dpdk1 ready hw=0 odp=2',
            'dpdk2 disabled hw=null odp=null',
          ],
          map: { '0': 2 },
        },
        d: {
          ports: ['dpdk0 ready hw=0 odp=3', 'dpdk1 disabled hw=0 odp=null (no datapath port named dpdk1 in the datapath)', 'dpdk2 disabled hw=null odp=null'],
          map: { '0': 3 },
        },
      },
    ],
    {},
    ['--x---y', { x: dp1, y: dp2 }],
  );
});

test('marble: a malformed row is an error entry, not a crash; the stream goes on', (t) => {
  marble(
    t,
    [
      'a-b',
      {
        a: [rawChange('initial', 'u0', { name: 'dpdk0', type: 'dpdk', options: ['map', [['hw-port-id', 0]]] }), initial('u1', { name: 'dpdk1', hw: '1' })],
        b: [modify('u0', { name: 'dpdk0', hw: '0' })],
      },
    ],
    [
      'a-b',
      {
        a: {
          ports: ['dpdk0 error hw=null odp=1 (malformed Interface row: column options: expected a string map, got ["map",[["hw-port-id",0]]])', 'dpdk1 ready hw=1 odp=2'],
          map: { '1': 2 },
        },
        b: { ports: ['dpdk0 ready hw=0 odp=1', 'dpdk1 ready hw=1 odp=2'], map: { '0': 1, '1': 2 } },
      },
    ],
  );
});

test('marble: inputs that change nothing emit nothing (other tables, equivalent values, unknown deletes)', (t) => {
  marble(
    t,
    [
      'a-b-c-d-e',
      {
        a: [initial('u0', { name: 'p0', hw: '1' })],
        b: [rawChange('modify', 'br', { name: 'br0' }, 'Bridge')],
        c: [modify('u0', { name: 'p0', hw: '+01', options: { mtu_request: '9000' } })],
        d: [remove('zz', { name: 'gone' })],
        e: [modify('u0', { name: 'p0', hw: '2' })],
      },
    ],
    [
      'a-------e',
      {
        a: { ports: ['p0 ready hw=1 odp=1'], map: { '1': 1 } },
        e: { ports: ['p0 ready hw=2 odp=1'], map: { '2': 1 } },
      },
    ],
  );
});

test('marble: the table is shared and replayed: a late subscriber gets the latest snapshot at once', (t) => {
  scheduler(t).run(({ cold, expectObservable }) => {
    const updates$ = cold('a-b---', { a: [initial('u0', { name: 'p0', hw: '1' })], b: [modify('u0', { name: 'p0', hw: '2' })] });
    const table$ = derivePortTable(updates$).pipe(map(brief));
    const one = { ports: ['p0 ready hw=1 odp=1'], map: { '1': 1 } };
    const two = { ports: ['p0 ready hw=2 odp=1'], map: { '2': 1 } };
    expectObservable(table$).toBe('a-b---', { a: one, b: two });
    expectObservable(table$, '----^').toBe('----b-', { b: two });
  });
});

test('marble: completion and errors of the updates pass through', (t) => {
  scheduler(t).run(({ cold, expectObservable }) => {
    const done$ = cold('a|', { a: [initial('u0', { name: 'p0' })] });
    expectObservable(derivePortTable(done$).pipe(map(brief))).toBe('a|', { a: { ports: ['p0 disabled hw=null odp=1'], map: {} } });
    const failed$ = cold<RowChange[]>('a#', { a: [] }, new Error('connection lost'));
    expectObservable(derivePortTable(failed$).pipe(map(brief))).toBe('a#', { a: { ports: [], map: {} } }, new Error('connection lost'));
  });
});

test('a bad configuration is refused before anything runs', (t) => {
  t.throws(() => derivePortTable(new TestScheduler(() => undefined).createColdObservable('-'), { maxHwPorts: 0x8000 }), {
    instanceOf: PortsConfigError,
    message: /maxHwPorts/,
  });
});
