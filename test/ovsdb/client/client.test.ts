import { Writable } from 'node:stream';
import test from 'ava';
import winston from 'winston';
import { ClientOptionsError, OvsdbClient } from '../../../src/ovsdb/client';
import { ZERO_TXN_ID } from '../../../src/ovsdb/monitor-request';
import type { RowChange } from '../../../src/ovsdb/row-change';
import { FakeSession, IFACE_COLUMNS, SERVER_ROW_UUID, TEST_SCHEMA, handshake, serverRow, stateWhere, txn, u, type FakeChannel } from './fakes';

interface Harness {
  session: FakeSession;
  client: OvsdbClient;
  batches: RowChange[][];
  logs: string[];
}

function setup(): Harness {
  const session = new FakeSession();
  const logs: string[] = [];
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.printf((i) => `${i.level} ${String(i.message)}`),
    transports: [new winston.transports.Stream({ stream: new Writable({ write: (chunk: Buffer, _e, cb) => (logs.push(String(chunk).trim()), cb()) }) })],
  });
  const client = new OvsdbClient({ session, tables: { Interface: IFACE_COLUMNS }, logger });
  const batches: RowChange[][] = [];
  client.updates$.subscribe((b) => batches.push(b));
  client.start();
  return { session, client, batches, logs };
}

const snapshot2 = (rows: Record<string, Record<string, unknown>>): Record<string, unknown> => ({
  Interface: Object.fromEntries(Object.entries(rows).map(([id, row]) => [id, { initial: row }])),
});

/** Connects, plays the handshake and answers the data monitor with `rows` (standalone server). */
async function syncWith(h: Harness, rows: Record<string, Record<string, unknown>>, remote?: string): Promise<FakeChannel> {
  const ch = h.session.open(remote);
  const m = await handshake(ch);
  m.resolve([false, ZERO_TXN_ID, snapshot2(rows)]);
  await stateWhere(h.client.state$, 'synced', (s) => s.state === 'synced');
  return ch;
}

const summary = (b: RowChange[]): string[] => b.map((c) => `${c.event} ${String(c.row.name)}`);

test('first sync: the data monitor asks for the monitored columns and every row arrives as initial', async (t) => {
  const h = setup();
  t.is(h.session.started, 1);
  t.is(h.client.state.state, 'connecting');
  const ch = h.session.open('unix:/run/db.sock');
  const m = await handshake(ch);
  t.deepEqual(m.params, ['Open_vSwitch', 'Open_vSwitch#1', { Interface: [{ columns: IFACE_COLUMNS }] }, ZERO_TXN_ID]);
  t.is(h.client.state.state, 'syncing');
  m.resolve([false, ZERO_TXN_ID, snapshot2({ [u(1)]: { name: 'p1', options: ['map', [['hw-port-id', '0']]] }, [u(2)]: { name: 'p2' } })]);
  const s = await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.like(s, { remote: 'unix:/run/db.sock', connected: true, monitorMethod: 'monitor_cond_since', resumed: false, clustered: false, leader: true, model: 'standalone', lastTxnId: ZERO_TXN_ID, connections: 1 });
  t.deepEqual(h.batches.map(summary), [['initial p1', 'initial p2']]);
  t.deepEqual(h.client.snapshot('Interface').get(u(1))?.options, ['map', [['hw-port-id', '0']]]);
  t.true(h.logs.some((l) => /synced Open_vSwitch with monitor_cond_since \(Interface: 2 rows\)/.test(l)));
});

test('the _Server monitor, get_schema and the data monitor go out at once, in that order (one round trip)', async (t) => {
  const h = setup();
  const ch = h.session.open();
  await ch.next('get_schema'); // by then all three are sent: none has an answer yet
  t.deepEqual(
    ch.requests.map((r) => [r.method, r.params[0]]),
    [
      ['monitor_cond_since', '_Server'],
      ['get_schema', 'Open_vSwitch'],
      ['monitor_cond_since', 'Open_vSwitch'],
    ],
  );
  // Answers arriving in reverse order are still acted on in order: the data reply waits for the other two.
  const [server, schema, data] = ch.requests;
  data.resolve([false, ZERO_TXN_ID, snapshot2({ [u(1)]: { name: 'p1' } })]);
  schema.resolve(TEST_SCHEMA);
  server.resolve([false, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { initial: serverRow() } } }]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.deepEqual(h.batches.map(summary), [['initial p1']]);
});

test('an empty database still gives one (empty) initial batch', async (t) => {
  const h = setup();
  await syncWith(h, {});
  t.deepEqual(h.batches, [[]]);
});

test('update3 notifications: one batch per transaction, lastTxnId follows', async (t) => {
  const h = setup();
  const ch = await syncWith(h, { [u(1)]: { name: 'p1' } });
  ch.push('update3', ['Open_vSwitch#1', txn(1), { Interface: { [u(1)]: { modify: { options: ['map', [['hw-port-id', '3']]] } }, [u(2)]: { insert: { name: 'p2' } } } }]);
  ch.push('update3', ['Open_vSwitch#1', txn(2), { Interface: { [u(1)]: { delete: null } } }]);
  t.deepEqual(h.batches.slice(1).map(summary), [['modify p1', 'insert p2'], ['delete p1']]);
  t.deepEqual(h.batches[1][0].old, { options: ['map', []] });
  t.is(h.client.state.lastTxnId, txn(2));
});

test('falls back to monitor_cond, then monitor, when the server does not know the newer methods', async (t) => {
  const h = setup();
  const ch = h.session.open();
  (await ch.next('monitor_cond_since')).fail('unknown method');
  (await ch.next('monitor_cond')).resolve({ Database: { [SERVER_ROW_UUID]: { initial: serverRow() } } });
  (await ch.next('get_schema')).resolve(TEST_SCHEMA);
  (await ch.next('monitor_cond_since')).fail('unknown method');
  (await ch.next('monitor_cond')).fail('unknown method');
  const m = await ch.next('monitor');
  t.deepEqual(m.params, ['Open_vSwitch', 'Open_vSwitch#1', { Interface: { columns: IFACE_COLUMNS } }]);
  m.resolve({ Interface: { [u(1)]: { new: { name: 'p1', type: '', options: ['map', []], ofport_request: ['set', []], ofport: ['set', []] } } } });
  const s = await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.is(s.monitorMethod, 'monitor');
  t.is(s.lastTxnId, undefined);
  ch.push('update', ['Open_vSwitch#1', { Interface: { [u(1)]: { old: { ofport: ['set', []] }, new: { name: 'p1', type: '', options: ['map', []], ofport_request: ['set', []], ofport: 7 } } } }]);
  t.deepEqual(h.batches.map(summary), [['initial p1'], ['modify p1']]);
  t.is(h.client.snapshot('Interface').get(u(1))?.ofport, 7);
});

test('"not supported" also falls back; any other monitor error is reported, not retried with older methods', async (t) => {
  const h = setup();
  const ch = h.session.open();
  (await handshake(ch)).fail('not supported', 'monitor_cond_since');
  (await ch.next('monitor_cond')).fail('syntax error', 'bad monitor request');
  const s = await stateWhere(h.client.state$, 'error', (x) => x.state === 'error');
  t.is(s.error, 'unix:/fake/db.sock: syntax error: bad monitor request');
  t.is(ch.requests.filter((r) => r.method === 'monitor').length, 0);
});

test('monitor_cond: update2 notifications apply diffs', async (t) => {
  const h = setup();
  const ch = h.session.open();
  const s = await ch.next('monitor_cond_since');
  s.resolve([false, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { initial: serverRow() } } }]);
  (await ch.next('get_schema')).resolve(TEST_SCHEMA);
  (await ch.next('monitor_cond_since')).fail('unknown method');
  (await ch.next('monitor_cond')).resolve({ Interface: { [u(1)]: { initial: { name: 'p1', options: ['map', [['a', '1']]] } } } });
  await stateWhere(h.client.state$, 'synced with monitor_cond', (x) => x.state === 'synced' && x.monitorMethod === 'monitor_cond');
  ch.push('update2', ['Open_vSwitch#1', { Interface: { [u(1)]: { modify: { options: ['map', [['a', '1'], ['b', '2']]] } } } }]);
  t.deepEqual(h.client.snapshot('Interface').get(u(1))?.options, ['map', [['b', '2']]]);
});

test('notifications that arrive before the monitor reply is applied are replayed after it, once', async (t) => {
  const h = setup();
  const ch = h.session.open();
  const m = await handshake(ch);
  // The server sends the reply and then updates; the transport may deliver updates first.
  ch.push('update3', ['Open_vSwitch#1', txn(11), { Interface: { [u(2)]: { insert: { name: 'p2' } } } }]);
  m.resolve([false, txn(10), snapshot2({ [u(1)]: { name: 'p1' } })]);
  ch.push('update3', ['Open_vSwitch#1', txn(12), { Interface: { [u(1)]: { modify: { type: 'dpdk' } } } }]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.deepEqual(h.batches.map(summary), [['initial p1'], ['insert p2'], ['modify p1']]);
  t.is(h.client.state.lastTxnId, txn(12));
  ch.push('update3', ['Open_vSwitch#1', txn(13), { Interface: { [u(2)]: { delete: null } } }]);
  t.deepEqual(h.batches.map(summary).slice(3), [['delete p2']]);
});

test('held update3s already reflected in the reply (up to its last-txn-id) are dropped', async (t) => {
  const h = setup();
  const ch = h.session.open();
  const m = await handshake(ch);
  // txn 20 adds options a=1 (a diff: applied twice, it would remove it again); 21 inserts p2; 22 inserts p3.
  ch.push('update3', ['Open_vSwitch#1', txn(20), { Interface: { [u(1)]: { modify: { options: ['map', [['a', '1']]] } } } }]);
  ch.push('update3', ['Open_vSwitch#1', txn(21), { Interface: { [u(2)]: { insert: { name: 'p2' } } } }]);
  ch.push('update3', ['Open_vSwitch#1', txn(22), { Interface: { [u(3)]: { insert: { name: 'p3' } } } }]);
  m.resolve([false, txn(21), snapshot2({ [u(1)]: { name: 'p1', options: ['map', [['a', '1']]] }, [u(2)]: { name: 'p2' } })]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.deepEqual(h.batches.map(summary), [['initial p1', 'initial p2'], ['insert p3']]);
  t.deepEqual(h.client.snapshot('Interface').get(u(1))?.options, ['map', [['a', '1']]]);
  t.is(h.client.state.lastTxnId, txn(22));
});

test('notifications for other monitor ids are ignored', async (t) => {
  const h = setup();
  const ch = await syncWith(h, { [u(1)]: { name: 'p1' } });
  ch.push('update3', ['Open_vSwitch#0', txn(1), { Interface: { [u(1)]: { delete: null } } }]);
  ch.push('update3', ['someone-else', txn(1), { Interface: { [u(1)]: { delete: null } } }]);
  ch.push('update2', ['Open_vSwitch#1', { Interface: { [u(9)]: { insert: { name: 'p9' } } } }]);
  t.deepEqual(h.batches.map(summary), [['initial p1'], ['insert p9']]);
});

test('reconnect to a server without history: the full snapshot is diffed, only real differences are emitted', async (t) => {
  const h = setup();
  await syncWith(h, { [u(1)]: { name: 'p1' }, [u(2)]: { name: 'p2' }, [u(3)]: { name: 'p3' } });
  h.session.drop();
  t.is((await stateWhere(h.client.state$, 'backoff', (x) => x.state === 'backoff')).error, 'connection reset');
  const ch = h.session.open();
  const m = await handshake(ch);
  t.is(m.params[1], 'Open_vSwitch#2', 'a fresh monitor id per connection');
  m.resolve([false, ZERO_TXN_ID, snapshot2({ [u(1)]: { name: 'p1' }, [u(3)]: { name: 'p3', type: 'dpdk' }, [u(4)]: { name: 'p4' } })]);
  await stateWhere(h.client.state$, 'synced again', (x) => x.state === 'synced' && x.connections === 2);
  t.deepEqual(h.batches.map(summary), [['initial p1', 'initial p2', 'initial p3'], ['delete p2', 'modify p3', 'insert p4']]);
  // A third connection to an unchanged database emits nothing at all.
  const ch3 = h.session.open();
  (await handshake(ch3)).resolve([false, ZERO_TXN_ID, snapshot2({ [u(1)]: { name: 'p1' }, [u(3)]: { name: 'p3', type: 'dpdk' }, [u(4)]: { name: 'p4' } })]);
  await stateWhere(h.client.state$, 'synced a third time', (x) => x.state === 'synced' && x.connections === 3);
  t.is(h.batches.length, 2);
});

test('reconnect to a clustered server: monitor_cond_since resumes from the last txn id and only changes arrive', async (t) => {
  const h = setup();
  const ch = h.session.open('tcp:127.0.0.1:1');
  const m = await handshake(ch, serverRow({ model: 'clustered', leader: false, index: 5 }));
  m.resolve([false, txn(5), snapshot2({ [u(1)]: { name: 'p1' } })]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  ch.push('update3', ['Open_vSwitch#1', txn(6), { Interface: { [u(2)]: { insert: { name: 'p2' } } } }]);
  h.session.drop();
  const ch2 = h.session.open('tcp:127.0.0.1:2');
  const m2 = await handshake(ch2, serverRow({ model: 'clustered', leader: true, index: 8 }));
  t.is(m2.params[3], txn(6), 'asks for the changes after the last transaction applied');
  m2.resolve([true, txn(8), { Interface: { [u(3)]: { insert: { name: 'p3' } }, [u(1)]: { modify: { type: 'dpdk' } } } }]);
  const s = await stateWhere(h.client.state$, 'resumed', (x) => x.state === 'synced' && x.connections === 2);
  t.like(s, { resumed: true, monitorMethod: 'monitor_cond_since', lastTxnId: txn(8), clustered: true, leader: true, index: 8, remote: 'tcp:127.0.0.1:2' });
  t.deepEqual(h.batches.map(summary), [['initial p1'], ['insert p2'], ['insert p3', 'modify p1']]);
  t.deepEqual([...h.client.snapshot('Interface').keys()].sort(), [u(1), u(2), u(3)]);
});

test('a schema without a monitored column: state error naming it, logged once, the monitor reply applies nothing, no crash', async (t) => {
  const h = setup();
  const schema = structuredClone(TEST_SCHEMA) as { tables: { Interface: { columns: Record<string, unknown> } } };
  delete schema.tables.Interface.columns.ofport;
  for (let i = 0; i < 2; i++) {
    const ch = h.session.open();
    (await ch.next('monitor_cond_since')).resolve([false, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { initial: serverRow() } } }]);
    (await ch.next('get_schema')).resolve(schema);
    const s = await stateWhere(h.client.state$, 'error', (x) => x.state === 'error' && x.connections === i + 1);
    t.is(s.error, 'unix:/fake/db.sock: database Open_vSwitch has no column Interface.ofport');
    t.deepEqual(ch.requests.map((r) => r.method), ['monitor_cond_since', 'get_schema', 'monitor_cond_since'], 'the three requests went out at once');
    // The data monitor was sent before the schema was checked: its answer (a real server would refuse the
    // missing column; this one answers) must change nothing.
    const m = await ch.next('monitor_cond_since');
    if (i === 0) m.resolve([false, ZERO_TXN_ID, snapshot2({ [u(1)]: { name: 'p1' } })]);
    else m.fail('syntax error', 'Interface table has no ofport column');
    ch.push('update3', ['Open_vSwitch#' + String(i + 1), txn(1), { Interface: { [u(2)]: { insert: { name: 'p2' } } } }]);
  }
  t.is(h.logs.filter((l) => l.startsWith('error') && l.includes('Interface.ofport')).length, 1);
  // A server with the column: its snapshot is the first thing the cache ever took.
  await syncWith(h, { [u(3)]: { name: 'p3' } });
  t.deepEqual(h.batches.map(summary), [['initial p3']]);
  t.deepEqual([...h.client.snapshot('Interface').keys()], [u(3)]);
});

test('a database the server does not have: state error from get_schema', async (t) => {
  const h = setup();
  const ch = h.session.open();
  (await ch.next('monitor_cond_since')).resolve([false, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { initial: serverRow() } } }]);
  (await ch.next('get_schema')).fail('unknown database', 'get_schema request specifies unknown database Open_vSwitch');
  const s = await stateWhere(h.client.state$, 'error', (x) => x.state === 'error');
  t.regex(s.error ?? '', /unknown database/);
});

test('a server without _Server (old ovsdb-server) is used as standalone', async (t) => {
  const h = setup();
  const ch = h.session.open();
  const m = await handshake(ch, null);
  m.resolve([false, ZERO_TXN_ID, snapshot2({ [u(1)]: { name: 'p1' } })]);
  const s = await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.like(s, { clustered: false, leader: true });
});

test('a cluster member not connected to the cluster is skipped for the next remote', async (t) => {
  const h = setup();
  const ch = h.session.open('tcp:127.0.0.1:1');
  (await ch.next('monitor_cond_since')).resolve([false, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { initial: serverRow({ model: 'clustered', connected: false, leader: false, index: 2 }) } } }]);
  await stateWhere(h.client.state$, 'connecting', (x) => x.state === 'connecting' && x.connections === 1);
  t.deepEqual(h.session.reconnects, ['this cluster member is not connected to the cluster of Open_vSwitch']);
  t.true(h.logs.some((l) => l.startsWith('warn') && l.includes('tcp:127.0.0.1:1: leaving')));
  // The schema and data monitor requests went out with the _Server monitor; their answers are ignored.
  (await ch.next('get_schema')).resolve(TEST_SCHEMA);
  (await ch.next('monitor_cond_since')).resolve([false, txn(1), snapshot2({ [u(9)]: { name: 'stale' } })]);
  const ch2 = h.session.open('tcp:127.0.0.1:2');
  (await handshake(ch2, serverRow({ model: 'clustered', leader: false, index: 4 }))).resolve([false, txn(4), snapshot2({ [u(1)]: { name: 'p1' } })]);
  const s = await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.like(s, { remote: 'tcp:127.0.0.1:2', clustered: true, leader: false, index: 4 });
  t.deepEqual(h.batches.map(summary), [['initial p1']], 'nothing applied from the member that was left');
});

test('a member that later loses the cluster is left, and the next one resumes', async (t) => {
  const h = setup();
  const ch = h.session.open('tcp:127.0.0.1:1');
  const sm = await ch.next('monitor_cond_since');
  const serverMonitorId = sm.params[1];
  sm.resolve([false, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { initial: serverRow({ model: 'clustered', leader: true, index: 7 }) } } }]);
  (await ch.next('get_schema')).resolve(TEST_SCHEMA);
  (await ch.next('monitor_cond_since')).resolve([false, txn(7), snapshot2({ [u(1)]: { name: 'p1' } })]);
  await stateWhere(h.client.state$, 'synced leader', (x) => x.state === 'synced' && x.leader === true);
  ch.push('update3', [serverMonitorId, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { modify: { leader: false } } } }]);
  t.is(h.client.state.leader, false);
  ch.push('update3', [serverMonitorId, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { modify: { connected: false } } } }]);
  t.deepEqual(h.session.reconnects, ['this cluster member is not connected to the cluster of Open_vSwitch']);
  // Updates still arriving on the old connection are ignored.
  ch.push('update3', ['Open_vSwitch#1', txn(8), { Interface: { [u(2)]: { insert: { name: 'late' } } } }]);
  const ch2 = h.session.open('tcp:127.0.0.1:2');
  const m2 = await handshake(ch2, serverRow({ model: 'clustered', leader: true, index: 9 }));
  t.is(m2.params[3], txn(7));
  m2.resolve([true, txn(9), { Interface: { [u(2)]: { insert: { name: 'p2' } } } }]);
  await stateWhere(h.client.state$, 'resumed', (x) => x.state === 'synced' && x.resumed === true);
  t.deepEqual(h.batches.map(summary), [['initial p1'], ['insert p2']]);
});

test('a member behind an index already seen (stale) is left', async (t) => {
  const h = setup();
  const ch = h.session.open('tcp:127.0.0.1:1');
  (await handshake(ch, serverRow({ model: 'clustered', index: 10 }))).resolve([false, txn(10), snapshot2({})]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  h.session.drop();
  const ch2 = h.session.open('tcp:127.0.0.1:2');
  (await ch2.next('monitor_cond_since')).resolve([false, ZERO_TXN_ID, { Database: { [SERVER_ROW_UUID]: { initial: serverRow({ model: 'clustered', index: 6 }) } } }]);
  await stateWhere(h.client.state$, 'connecting', (x) => x.state === 'connecting' && x.connections === 2);
  t.deepEqual(h.session.reconnects, ['this cluster member has stale data for Open_vSwitch (index 6 < 10 seen before)']);
});

test('monitor_canceled: the client leaves and the next connection does a full resync', async (t) => {
  const h = setup();
  const ch = h.session.open();
  (await handshake(ch, serverRow({ model: 'clustered', index: 3 }))).resolve([false, txn(3), snapshot2({ [u(1)]: { name: 'p1' } })]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  ch.push('monitor_canceled', ['Open_vSwitch#1']);
  t.deepEqual(h.session.reconnects, ['the server canceled the monitor of Open_vSwitch']);
  const m = await handshake(h.session.open(), serverRow({ model: 'clustered', index: 4 }));
  t.is(m.params[3], ZERO_TXN_ID);
});

test('a malformed update: the client leaves the server and resyncs fully on the next one', async (t) => {
  const h = setup();
  const ch = h.session.open();
  (await handshake(ch, serverRow({ model: 'clustered', index: 3 }))).resolve([false, txn(3), snapshot2({ [u(1)]: { name: 'p1' } })]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  ch.push('update3', ['Open_vSwitch#1', 'garbage', {}]);
  t.is(h.session.reconnects.length, 1);
  t.regex(h.session.reconnects[0], /protocol error: update3: expected a transaction id/);
  const m = await handshake(h.session.open(), serverRow({ model: 'clustered', index: 4 }));
  t.is(m.params[3], ZERO_TXN_ID);
});

test('values that do not fit the schema are skipped with a warning; the rest is applied', async (t) => {
  const h = setup();
  const ch = await syncWith(h, { [u(1)]: { name: 'p1' } });
  ch.push('update3', ['Open_vSwitch#1', ZERO_TXN_ID, { Interface: { [u(2)]: { insert: { name: 42 } }, [u(3)]: { insert: { name: 'p3' } } } }]);
  t.deepEqual(h.batches.map(summary).slice(1), [['insert p3']]);
  t.true(h.logs.some((l) => l.startsWith('warn') && /row .*2 skipped: column name: expected a string atom, got 42/.test(l)));
});

test('stop(): stopped state, the session is stopped, nothing more is emitted; start() again works', async (t) => {
  const h = setup();
  const ch = await syncWith(h, { [u(1)]: { name: 'p1' } });
  h.client.stop();
  t.is(h.client.state.state, 'stopped');
  t.is(h.session.stopped, 1);
  ch.push('update3', ['Open_vSwitch#1', ZERO_TXN_ID, { Interface: { [u(2)]: { insert: { name: 'p2' } } } }]);
  t.is(h.batches.length, 1);
  h.client.start();
  t.is(h.session.started, 2);
  const m = await handshake(h.session.open());
  m.resolve([false, ZERO_TXN_ID, snapshot2({ [u(1)]: { name: 'p1' }, [u(2)]: { name: 'p2' } })]);
  await stateWhere(h.client.state$, 'synced', (x) => x.state === 'synced');
  t.deepEqual(h.batches.map(summary), [['initial p1'], ['insert p2']]);
});

test('bad options give ClientOptionsError naming the option', (t) => {
  const session = new FakeSession();
  t.throws(() => new OvsdbClient({ session, tables: {} }), { instanceOf: ClientOptionsError, message: /at least one table/ });
  t.throws(() => new OvsdbClient({ session, tables: { Interface: [] } }), { instanceOf: ClientOptionsError, message: /tables\.Interface must be a non-empty list/ });
  t.throws(() => new OvsdbClient({ session, tables: { Interface: ['name', 3 as unknown as string] } }), { instanceOf: ClientOptionsError, message: /tables\.Interface/ });
  t.throws(() => new OvsdbClient({ session, database: '', tables: { Interface: ['name'] } }), { instanceOf: ClientOptionsError, message: /database/ });
});
