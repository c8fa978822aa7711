import test from 'ava';
import { ZERO_TXN_ID, monitorParams } from '../../../src/ovsdb/monitor-request';
import { MonitorProtocolError, parseMonitorNotification, parseMonitorReply } from '../../../src/ovsdb/monitor-updates';
import { txn, u } from './fakes';

const tables = { Interface: { columns: ['name', 'options'] }, Database: { columns: ['name'], where: [['name', '==', 'Open_vSwitch'] as const] } };

test('monitor request params for each method', (t) => {
  t.deepEqual(monitorParams('monitor', 'db', 'm1', tables), ['db', 'm1', { Interface: { columns: ['name', 'options'] }, Database: { columns: ['name'] } }]);
  t.deepEqual(monitorParams('monitor_cond', 'db', 'm1', tables), [
    'db',
    'm1',
    { Interface: [{ columns: ['name', 'options'] }], Database: [{ columns: ['name'], where: [['name', '==', 'Open_vSwitch']] }] },
  ]);
  const since = monitorParams('monitor_cond_since', 'db', 'm1', tables, txn(7));
  t.is(since.length, 4);
  t.is(since[3], txn(7));
  t.is(monitorParams('monitor_cond_since', 'db', 'm1', tables)[3], ZERO_TXN_ID);
});

test('monitor reply (table-updates): rows are initial', (t) => {
  const reply = parseMonitorReply('monitor', { Interface: { [u(1)]: { new: { name: 'p1' } } } });
  t.deepEqual(reply, { found: false, updates: [{ table: 'Interface', uuid: u(1), op: 'initial', columns: { name: 'p1' }, diff: false }] });
});

test('update (table-updates): new only is insert, old+new is modify with new values, old only is delete', (t) => {
  const n = parseMonitorNotification({
    method: 'update',
    params: ['m', { Interface: { [u(1)]: { new: { name: 'p1' } }, [u(2)]: { old: { name: 'a' }, new: { name: 'b' } }, [u(3)]: { old: { name: 'c' } } } }],
  });
  t.deepEqual(n, {
    kind: 'update',
    method: 'update',
    monitorId: 'm',
    updates: [
      { table: 'Interface', uuid: u(1), op: 'insert', columns: { name: 'p1' }, diff: false },
      { table: 'Interface', uuid: u(2), op: 'modify', columns: { name: 'b' }, diff: false },
      { table: 'Interface', uuid: u(3), op: 'delete', columns: {}, diff: false },
    ],
  });
});

test('update2 and update3 (table-updates2)', (t) => {
  const updates2 = { Interface: { [u(1)]: { insert: { name: 'p1' } }, [u(2)]: { modify: { options: ['map', [['a', '1']]] } }, [u(3)]: { delete: null } } };
  const expected = [
    { table: 'Interface', uuid: u(1), op: 'insert', columns: { name: 'p1' }, diff: false },
    { table: 'Interface', uuid: u(2), op: 'modify', columns: { options: ['map', [['a', '1']]] }, diff: true },
    { table: 'Interface', uuid: u(3), op: 'delete', columns: {}, diff: false },
  ];
  t.deepEqual(parseMonitorNotification({ method: 'update2', params: ['m', updates2] }), { kind: 'update', method: 'update2', monitorId: 'm', updates: expected });
  t.deepEqual(parseMonitorNotification({ method: 'update3', params: ['m', txn(2).toUpperCase(), updates2] }), {
    kind: 'update',
    method: 'update3',
    monitorId: 'm',
    lastTxnId: txn(2),
    updates: expected,
  });
});

test('monitor_cond_since reply: found flag and last txn id', (t) => {
  const reply = parseMonitorReply('monitor_cond_since', [true, txn(9), { Interface: { [u(1)]: { modify: { name: 'x' } } } }]);
  t.true(reply.found);
  t.is(reply.lastTxnId, txn(9));
  t.is(reply.updates[0].op, 'modify');
  t.is(parseMonitorReply('monitor_cond', { Interface: { [u(1)]: { initial: { name: 'x' } } } }).updates[0].op, 'initial');
});

test('monitor_canceled and unrelated notifications', (t) => {
  t.deepEqual(parseMonitorNotification({ method: 'monitor_canceled', params: ['m'] }), { kind: 'canceled', monitorId: 'm' });
  t.is(parseMonitorNotification({ method: 'locked', params: ['lock'] }), undefined);
});

test('malformed replies and notifications give MonitorProtocolError saying what is wrong', (t) => {
  t.throws(() => parseMonitorReply('monitor_cond_since', { Interface: {} }), { instanceOf: MonitorProtocolError, message: /expected \[found, last-txn-id, table-updates2\]/ });
  t.throws(() => parseMonitorReply('monitor_cond_since', [true, 'x', {}]), { instanceOf: MonitorProtocolError, message: /transaction id/ });
  t.throws(() => parseMonitorReply('monitor_cond', { Interface: { 'not-a-uuid': { insert: {} } } }), { instanceOf: MonitorProtocolError, message: /"not-a-uuid" is not a row uuid/ });
  t.throws(() => parseMonitorReply('monitor_cond', { Interface: { [u(1)]: { upsert: {} } } }), { instanceOf: MonitorProtocolError, message: /unknown row operation "upsert"/ });
  t.throws(() => parseMonitorReply('monitor_cond', { Interface: { [u(1)]: { insert: {}, delete: null } } }), { instanceOf: MonitorProtocolError, message: /exactly one/ });
  t.throws(() => parseMonitorReply('monitor', { Interface: { [u(1)]: {} } }), { instanceOf: MonitorProtocolError, message: /neither "old" nor "new"/ });
  t.throws(() => parseMonitorNotification({ method: 'update3', params: ['m', {}] }), { instanceOf: MonitorProtocolError, message: /update3: expected/ });
  t.throws(() => parseMonitorNotification({ method: 'update2', params: ['m', []] }), { instanceOf: MonitorProtocolError, message: /expected an object of tables/ });
});
