/**
 * Port-map changes while flows are installed: gain, loss, change and conflict of hw-port-id,
 * interface deletion. After each, the rules on the NIC equal what the table says, and other
 * ports' rules are untouched.
 */
import test from 'ava';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine } from '../../src/offload';
import { assertNicMatchesTable, portMap, udpMatch, udpMatchFrame } from './helpers';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

function setup(): { nic: SoftNicBackend; engine: OffloadEngine } {
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });
  engine.put([
    { ufid: A, match: udpMatch(1, 1), actions: '2' },
    { ufid: B, match: udpMatch(2, 2), actions: '1' },
    { ufid: C, match: udpMatch(3, 3), actions: '1' },
  ]);
  return { nic, engine };
}

test('gain: a flow whose in_port gets a hw-port-id is offloaded', (t) => {
  const { nic, engine } = setup();
  t.is(engine.get(C).reason, 'in_port 3 has no hw-port-id');
  engine.setPorts(portMap({ 1: 0, 2: 1, 3: 2 }));
  const c = engine.get(C);
  t.is(c.state, 'offloaded');
  t.is(c.device, 2);
  t.is(c.mark, (c.flowId ?? -1) * 65536 + 0);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('loss: only that port\'s rules go; flows sending to it get a mark with the odp port', (t) => {
  const { nic, engine } = setup();
  const before = engine.get(A);
  engine.setPorts(portMap({ 1: 0 }));
  const b = engine.get(B);
  t.is(b.state, 'software');
  t.is(b.reason, 'in_port 2 has no hw-port-id');
  t.is(nic.ruleCount(1), 0);
  const a = engine.get(A);
  t.is(a.state, 'offloaded');
  t.is(a.flowId, before.flowId);
  t.is(a.mark, (a.flowId ?? -1) * 65536 + 0x8000 + 2, 'output 2 has no hw-port-id: the mark carries odp port 2');
  t.is(engine.inject(1, [udpMatchFrame(1)]).packets[0].outPort, 2);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('change: the input moves to another device; the marks that carry the output are rebuilt', (t) => {
  const { nic, engine } = setup();
  engine.setPorts(portMap({ 1: 0, 2: 3 }));
  const a = engine.get(A);
  const b = engine.get(B);
  t.is(a.mark, (a.flowId ?? -1) * 65536 + 3, 'A outputs to odp 2, now hw-port-id 3');
  t.is(b.device, 3);
  t.is(nic.ruleCount(1), 0);
  t.is(nic.ruleCount(3), 1);
  const inj = engine.inject(1, [udpMatchFrame(1)]);
  t.is(inj.packets[0].mark, a.mark);
  t.is(inj.packets[0].outPort, 2);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('conflict and deletion (the entry leaves the map) then recovery', (t) => {
  const { nic, engine } = setup();
  // dpdk1 (odp 2) loses hw-port-id 1 to a conflict / its row is deleted: same map.
  engine.setPorts(portMap({ 1: 0, 3: 1 }));
  t.is(engine.get(B).state, 'software');
  t.is(engine.get(C).state, 'offloaded', 'odp 3 now holds hw-port-id 1');
  t.is(engine.get(C).device, 1);
  assertNicMatchesTable(t, engine, nic);
  engine.setPorts(portMap({}));
  for (const u of [A, B, C]) t.is(engine.get(u).state, 'software');
  assertNicMatchesTable(t, engine, nic);
  engine.setPorts(portMap({ 1: 0, 2: 1, 3: 2 }));
  for (const u of [A, B, C]) t.is(engine.get(u).state, 'offloaded');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('flows that name their ports follow the names', (t) => {
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({}, {}) });
  const [out] = engine.put([{ ufid: A, match: udpMatch(1, 'dpdk0'), actions: 'dpdk1' }]);
  t.is(out.reason, 'in_port dpdk0 is not a known port');
  engine.setPorts(portMap({ 1: 0, 2: 1 }, { dpdk0: 1, dpdk1: 2 }));
  t.is(engine.get(A).state, 'offloaded');
  t.is(engine.get(A).mark, 1);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('statistics survive a port change that rebuilds the rule', (t) => {
  const { nic, engine } = setup();
  engine.inject(1, [udpMatchFrame(1), udpMatchFrame(1)]);
  engine.setPorts(portMap({ 1: 0, 2: 3 }));
  engine.sweep();
  t.is(engine.get(A).stats.packets, 2);
  nic.close();
});
