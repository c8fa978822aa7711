/** flow_id exhaustion and reuse, with a small pool. */
import test from 'ava';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { FlowIdPool, OffloadEngine, OffloadUsageError, REASON_POOL_EXHAUSTED } from '../../src/offload';
import { assertNicMatchesTable, EXAMPLE_MATCH, portMap, udpMatch } from './helpers';

test('pool: ids 0.. in order, the last freed is reused first, misuse is an error', (t) => {
  const pool = new FlowIdPool(3);
  t.deepEqual([pool.take(), pool.take(), pool.take(), pool.take()], [0, 1, 2, undefined]);
  t.is(pool.used, 3);
  pool.give(1);
  t.is(pool.take(), 1);
  t.throws(() => pool.give(7), { instanceOf: OffloadUsageError, message: 'flow_id 7 is not in use' });
  pool.give(2);
  t.throws(() => pool.give(2), { instanceOf: OffloadUsageError });
  t.throws(() => new FlowIdPool(0), { instanceOf: OffloadUsageError });
  t.throws(() => new FlowIdPool(65537), { instanceOf: OffloadUsageError });
  t.is(new FlowIdPool().size, 65536);
});

test('exhausted: offloadable flows wait in software, and take freed ids in arrival order', (t) => {
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }), flowIdPoolSize: 2 });
  const outs = engine.put([0, 1, 2, 3].map((i) => ({ match: udpMatch(i), actions: '2' })));
  t.deepEqual(outs.map((o) => o.state), ['offloaded', 'offloaded', 'software', 'software']);
  t.is(outs[2].reason, REASON_POOL_EXHAUSTED);
  t.is(outs[3].reason, REASON_POOL_EXHAUSTED);
  // A flow that is not offloadable anyway keeps its own reason.
  const [ct] = engine.put([{ match: `ct_state(0x21/0x21),${EXAMPLE_MATCH}`, actions: '2' }]);
  t.is(ct.reason, 'ct_state');
  t.deepEqual(engine.stats().flowIdPool, { size: 2, used: 2, free: 0, waiting: 2 });
  assertNicMatchesTable(t, engine, nic);

  engine.del([outs[1].ufid]);
  const third = engine.get(outs[2].ufid);
  t.is(third.state, 'offloaded', 'the first waiting flow takes the freed id');
  t.is(third.flowId, outs[1].flowId);
  t.is(third.mark, (outs[1].flowId ?? -1) * 65536 + 1);
  t.is(engine.get(outs[3].ufid).state, 'software');
  assertNicMatchesTable(t, engine, nic);

  engine.del([outs[0].ufid]);
  t.is(engine.get(outs[3].ufid).state, 'offloaded');
  t.deepEqual(engine.stats().flowIdPool, { size: 2, used: 2, free: 0, waiting: 0 });
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('a waiting flow that is deleted or modified gives up its place', (t) => {
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }), flowIdPoolSize: 1 });
  const outs = engine.put([0, 1, 2].map((i) => ({ match: udpMatch(i), actions: '2' })));
  engine.del([outs[1].ufid]);
  engine.put([{ ufid: outs[2].ufid, match: `ct_state(0x21/0x21),${udpMatch(2)}`, actions: '2' }]);
  t.is(engine.stats().flowIdPool.waiting, 0);
  engine.del([outs[0].ufid]);
  t.is(engine.stats().flowIdPool.used, 0, 'nobody left to take the id');
  t.is(engine.get(outs[2].ufid).reason, 'ct_state');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('a NIC refusal frees the flow_id at once; DROP rules need none', (t) => {
  const nic = new SoftNicBackend('nomark');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }), flowIdPoolSize: 1 });
  engine.put([{ match: udpMatch(0), actions: '2' }, { match: udpMatch(1), actions: 'drop' }, { match: udpMatch(2), actions: 'drop' }]);
  const [refused, dropped, dropped2] = engine.dump();
  t.is(refused.state, 'software');
  t.is(refused.flowId, undefined);
  t.is(dropped.state, 'offloaded');
  t.is(dropped2.state, 'offloaded', 'a one-id pool is no limit for drops');
  t.is(dropped.flowId, undefined);
  t.is(engine.stats().flowIdPool.used, 0);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});
