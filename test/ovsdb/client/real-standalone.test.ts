/**
 * The client beside a real standalone ovsdb-server: initial sync, ovs-vsctl changes as RowChanges,
 * and a kill/restart with changes made while the server was down.
 */
import path from 'node:path';
import test from 'ava';
import { OvsdbClient } from '../../../src/ovsdb/client';
import { ReliableSession } from '../../../src/ovsdb/reliable-session';
import { run } from '../../../src/sandbox/processes';
import { startOvsdbServer } from '../../../src/sandbox/ovsdb-server';
import { changeWhere, dumpInterfaces, optionsOf, removeAfter, snapshotJson, stateWhere, watch } from './real-server';

test('initial sync, ovs-vsctl changes, then kill/restart: the client resumes and ends equal to the database', async (t) => {
  const srv = await startOvsdbServer();
  t.teardown(() => removeAfter(srv.dir, srv.stop()));
  await srv.vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev');
  await srv.vsctl('add-port', 'br0', 'p1', '--', 'set', 'interface', 'p1', 'type=dummy', 'ofport_request=5');

  const w = watch(t, srv.remote);
  const synced = await stateWhere(w, 'the first sync', (s) => s.state === 'synced');
  t.like(synced, { remote: srv.remote, monitorMethod: 'monitor_cond_since', clustered: false, leader: true, model: 'standalone', resumed: false });
  t.is(w.batches.length, 1);
  t.deepEqual(w.batches[0].map((c) => `${c.event} ${String(c.row.name)}`).sort(), ['initial br0', 'initial p1']);
  const p1 = w.batches[0].find((c) => c.row.name === 'p1')!;
  t.like(p1.row, { type: 'dummy', ofport_request: 5, options: ['map', []], ofport: ['set', []] });

  // Enabling offload on an interface, as an operator types it.
  await srv.vsctl('set', 'interface', 'p1', 'options:hw-port-id=3');
  const mod = await changeWhere(w, 'p1 hw-port-id=3', (c) => c.event === 'modify' && c.uuid === p1.uuid, 1);
  t.deepEqual(optionsOf(mod.row), { 'hw-port-id': '3' });
  t.deepEqual(mod.old, { options: ['map', []] });

  await srv.vsctl('add-port', 'br0', 'p2', '--', 'set', 'interface', 'p2', 'type=dpdk', 'options:hw-port-id=1', 'ofport_request=7');
  const ins = await changeWhere(w, 'p2 inserted', (c) => c.event === 'insert' && c.row.name === 'p2');
  t.like(ins.row, { type: 'dpdk', ofport_request: 7 });
  t.deepEqual(optionsOf(ins.row), { 'hw-port-id': '1' });
  t.is(w.batches.find((b) => b.includes(ins))?.length, 1, 'one transaction, one batch');

  await srv.vsctl('set', 'interface', 'p1', 'ofport_request=[]', 'options:hw-port-id=4', 'options:n_rxq=2');
  const mod2 = await changeWhere(w, 'p1 modified again', (c) => c.event === 'modify' && c.uuid === p1.uuid && optionsOf(c.row)['hw-port-id'] === '4');
  t.like(mod2.row, { ofport_request: ['set', []] });
  t.deepEqual(mod2.old, { options: ['map', [['hw-port-id', '3']]], ofport_request: 5 });

  await srv.vsctl('del-port', 'p2');
  await changeWhere(w, 'p2 deleted', (c) => c.event === 'delete' && c.uuid === ins.uuid);
  t.deepEqual(snapshotJson(w), await dumpInterfaces(srv.remote));

  // The server crashes; while it is down the database file changes (p1 loses its hw-port-id, p3 appears).
  const before = w.batches.length;
  await srv.kill();
  await stateWhere(w, 'the client to notice', (s) => s.state === 'backoff' || s.state === 'connecting');
  await run('ovsdb-tool', [
    'transact',
    path.join(srv.dir, 'conf.db'),
    JSON.stringify([
      'Open_vSwitch',
      { op: 'update', table: 'Interface', where: [['name', '==', 'p1']], row: { options: ['map', [['n_rxq', '2']]] } },
      // Interface rows are not roots: p3 needs a Port that a Bridge holds, or it is garbage-collected.
      { op: 'insert', table: 'Interface', 'uuid-name': 'i3', row: { name: 'p3', type: 'dpdk', options: ['map', [['hw-port-id', '2']]] } },
      { op: 'insert', table: 'Port', 'uuid-name': 'port3', row: { name: 'p3', interfaces: ['named-uuid', 'i3'] } },
      { op: 'mutate', table: 'Bridge', where: [['name', '==', 'br0']], mutations: [['ports', 'insert', ['set', [['named-uuid', 'port3']]]]] },
    ]),
  ]);
  await srv.start();
  const again = await stateWhere(w, 'the resync after restart', (s) => s.state === 'synced' && s.connections === 2);
  // A standalone server keeps no transaction history: it answers monitor_cond_since with found=false
  // and a full snapshot, which the client diffs; only the real changes come out, no `initial`.
  t.like(again, { monitorMethod: 'monitor_cond_since', resumed: false });
  const after = w.batches.slice(before).flat();
  t.deepEqual(after.map((c) => `${c.event} ${String(c.row.name)}`).sort(), ['insert p3', 'modify p1']);
  t.deepEqual(optionsOf(after.find((c) => c.row.name === 'p1')!.row), { n_rxq: '2' });
  t.deepEqual(snapshotJson(w), await dumpInterfaces(srv.remote));

  // And it keeps following.
  await srv.vsctl('set', 'interface', 'p3', 'options:hw-port-id=6');
  await changeWhere(w, 'p3 hw-port-id=6', (c) => c.row.name === 'p3' && optionsOf(c.row)['hw-port-id'] === '6', before);
});

test('a database that lacks a monitored column: state error naming it, and the client stays up', async (t) => {
  const srv = await startOvsdbServer();
  t.teardown(() => removeAfter(srv.dir, srv.stop()));
  const client = new OvsdbClient({ session: new ReliableSession(srv.remote), tables: { Interface: ['name', 'hw_offload_port'], Flow_Table: ['name'], Nothing: ['x'] } });
  t.teardown(() => client.stop());
  client.start();
  const s = await stateWhere({ client, session: undefined as never, batches: [], states: [] }, 'the error', (x) => x.state === 'error');
  t.is(s.error, `${srv.remote}: database Open_vSwitch has no column Interface.hw_offload_port, table Nothing`);
  t.true(s.connected);
});
