import test from 'ava';
import { judgeServer, serverMonitor } from '../../../src/ovsdb/server-db';
import { serverRow } from './fakes';

test('a standalone server is usable', (t) => {
  t.deepEqual(judgeServer([serverRow()], 'Open_vSwitch', undefined), { ok: true, status: { model: 'standalone', connected: true, leader: true } });
});

test('a connected cluster member is usable, leader or not', (t) => {
  const v = judgeServer([serverRow({ model: 'clustered', leader: false, index: 12 })], 'Open_vSwitch', 10);
  t.deepEqual(v, { ok: true, status: { model: 'clustered', connected: true, leader: false, index: 12 } });
});

test('a cluster member that is not connected to the cluster is left', (t) => {
  const v = judgeServer([serverRow({ model: 'clustered', connected: false, leader: false, index: 3 })], 'Open_vSwitch', undefined);
  t.false(v.ok);
  t.regex(v.ok ? '' : v.reason, /not connected to the cluster of Open_vSwitch/);
});

test('a cluster member behind an index already seen is left as stale', (t) => {
  const v = judgeServer([serverRow({ model: 'clustered', index: 4 })], 'Open_vSwitch', 9);
  t.regex(v.ok ? '' : v.reason, /stale data for Open_vSwitch \(index 4 < 9 seen before\)/);
});

test('a server that does not serve the database is left; other rows do not count', (t) => {
  const v = judgeServer([serverRow({ name: 'OVN_Southbound' })], 'Open_vSwitch', undefined);
  t.regex(v.ok ? '' : v.reason, /does not serve database Open_vSwitch/);
});

test('the _Server monitor asks only for the row of our database', (t) => {
  t.deepEqual(serverMonitor('Open_vSwitch').Database.where, [['name', '==', 'Open_vSwitch']]);
});
