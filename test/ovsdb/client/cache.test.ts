import test from 'ava';
import { DatabaseCache } from '../../../src/ovsdb/cache';
import { parseMonitorNotification, parseMonitorReply, type RowUpdate } from '../../../src/ovsdb/monitor-updates';
import { parseSchema } from '../../../src/ovsdb/schema';
import { SchemaMismatchError } from '../../../src/ovsdb/schema-check';
import { IFACE_COLUMNS, TEST_SCHEMA, u } from './fakes';

function newCache(): DatabaseCache {
  const cache = new DatabaseCache({ Interface: IFACE_COLUMNS });
  cache.setSchema(parseSchema(TEST_SCHEMA));
  return cache;
}

function update2(updates: unknown): RowUpdate[] {
  const n = parseMonitorNotification({ method: 'update2', params: ['m', updates] });
  if (n?.kind !== 'update') throw new Error('not an update');
  return n.updates;
}

const P1 = { name: 'p1', type: 'dpdk', options: ['map', [['hw-port-id', '0']]], ofport_request: ['set', []], ofport: ['set', []] };

test('first snapshot: every row is initial, omitted columns take their defaults', (t) => {
  const cache = newCache();
  const { changes, problems } = cache.resync(parseMonitorReply('monitor_cond', { Interface: { [u(1)]: { initial: { name: 'p1', type: 'dpdk', options: ['map', [['hw-port-id', '0']]] } }, [u(2)]: { initial: { name: 'p2', ofport_request: 5 } } } }).updates);
  t.deepEqual(problems, []);
  t.deepEqual(changes, [
    { event: 'initial', table: 'Interface', uuid: u(1), row: P1 },
    { event: 'initial', table: 'Interface', uuid: u(2), row: { name: 'p2', type: '', options: ['map', []], ofport_request: 5, ofport: ['set', []] } },
  ]);
  t.true(cache.hasSynced);
  t.is(cache.size('Interface'), 2);
  t.deepEqual(cache.snapshot('Interface').get(u(1)), P1);
});

test('update2 modify applies map and optional-value diffs and reports the old values of changed columns only', (t) => {
  const cache = newCache();
  cache.resync(update2({ Interface: { [u(1)]: { initial: { name: 'p1', type: 'dpdk', options: ['map', [['hw-port-id', '0'], ['n_rxq', '2']]], ofport_request: 5 } } } }).map((x) => ({ ...x, op: 'initial' as const })));
  // hw-port-id 0 -> 1, n_rxq removed, foo added, ofport_request cleared (as ovsdb-server sends it).
  const { changes } = cache.apply(update2({ Interface: { [u(1)]: { modify: { options: ['map', [['foo', 'bar'], ['hw-port-id', '1'], ['n_rxq', '2']]], ofport_request: ['set', []] } } } }));
  t.deepEqual(changes, [
    {
      event: 'modify',
      table: 'Interface',
      uuid: u(1),
      row: { name: 'p1', type: 'dpdk', options: ['map', [['foo', 'bar'], ['hw-port-id', '1']]], ofport_request: ['set', []], ofport: ['set', []] },
      old: { options: ['map', [['hw-port-id', '0'], ['n_rxq', '2']]], ofport_request: 5 },
    },
  ]);
});

test('update (v1): insert, modify with new values, delete with the row as it was', (t) => {
  const cache = newCache();
  cache.resync([]);
  const n = parseMonitorNotification({ method: 'update', params: ['m', { Interface: { [u(1)]: { new: { ...P1 } } } }] });
  const ins = cache.apply(n?.kind === 'update' ? n.updates : []);
  t.deepEqual(ins.changes, [{ event: 'insert', table: 'Interface', uuid: u(1), row: P1 }]);
  const m = parseMonitorNotification({ method: 'update', params: ['m', { Interface: { [u(1)]: { old: { type: 'dpdk' }, new: { ...P1, type: 'internal' } } } }] });
  const mod = cache.apply(m?.kind === 'update' ? m.updates : []);
  t.deepEqual(mod.changes, [{ event: 'modify', table: 'Interface', uuid: u(1), row: { ...P1, type: 'internal' }, old: { type: 'dpdk' } }]);
  const d = parseMonitorNotification({ method: 'update', params: ['m', { Interface: { [u(1)]: { old: { ...P1 } } } }] });
  const del = cache.apply(d?.kind === 'update' ? d.updates : []);
  t.deepEqual(del.changes, [{ event: 'delete', table: 'Interface', uuid: u(1), row: { ...P1, type: 'internal' } }]);
  t.is(cache.size('Interface'), 0);
});

test('a modify that changes nothing emits nothing', (t) => {
  const cache = newCache();
  cache.resync(update2({ Interface: { [u(1)]: { insert: { name: 'p1' } } } }));
  const n = parseMonitorNotification({ method: 'update', params: ['m', { Interface: { [u(1)]: { old: {}, new: { name: 'p1' } } } }] });
  t.deepEqual(cache.apply(n?.kind === 'update' ? n.updates : []).changes, []);
});

test('resync after a reconnect emits only the differences: delete, modify, insert', (t) => {
  const cache = newCache();
  cache.resync(update2({ Interface: { [u(1)]: { insert: { name: 'p1' } }, [u(2)]: { insert: { name: 'p2' } }, [u(3)]: { insert: { name: 'p3' } } } }));
  const before = cache.snapshot('Interface');
  const { changes } = cache.resync(update2({ Interface: { [u(1)]: { insert: { name: 'p1' } }, [u(3)]: { insert: { name: 'p3', type: 'dpdk' } }, [u(4)]: { insert: { name: 'p4' } } } }));
  t.deepEqual(
    changes.map((c) => [c.event, c.uuid, c.old]),
    [
      ['delete', u(2), undefined],
      ['modify', u(3), { type: '' }],
      ['insert', u(4), undefined],
    ],
  );
  t.is(changes[0].row, before.get(u(2))!, 'the deleted row is the one held before');
  t.is(cache.snapshot('Interface').get(u(1)), before.get(u(1)), 'an unchanged row keeps its identity');
});

test('updates that cannot be applied are skipped and reported, the rest goes on', (t) => {
  const cache = newCache();
  cache.resync([]);
  const { changes, problems } = cache.apply(
    update2({
      Interface: { [u(1)]: { modify: { name: 'x' } }, [u(2)]: { delete: null }, [u(3)]: { insert: { name: 7 } }, [u(4)]: { insert: { name: 'ok' } } },
      Mirror: { [u(5)]: { insert: {} } },
    }),
  );
  t.deepEqual(changes.map((c) => c.uuid), [u(4)]);
  t.is(problems.length, 4);
  t.regex(problems[0], /cannot modify Interface row .*1: not in the cache/);
  t.regex(problems[1], /cannot delete Interface row .*2: not in the cache/);
  t.regex(problems[2], /Interface row .*3 skipped: column name: expected a string atom, got 7/);
  t.regex(problems[3], /table Mirror, which is not monitored/);
});

test('rows handed out are frozen', (t) => {
  const cache = newCache();
  const { changes } = cache.resync(update2({ Interface: { [u(1)]: { insert: { name: 'p1', options: ['map', [['a', 'b']]] } } } }));
  t.true(Object.isFrozen(changes[0].row));
  t.throws(() => {
    (changes[0].row as Record<string, unknown>).name = 'x';
  });
});

test('setSchema refuses a schema without a monitored column', (t) => {
  const cache = new DatabaseCache({ Interface: ['name', 'mtu'] });
  t.throws(() => cache.setSchema(parseSchema(TEST_SCHEMA)), { instanceOf: SchemaMismatchError, message: /column Interface\.mtu/ });
});
