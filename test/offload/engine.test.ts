/**
 * The engine on the soft NIC (full profile): put, get, dump, del, modify, flush, input errors.
 * Expected rules and marks are written from DESIGN.md §1, not from the code's output.
 */
import test from 'ava';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { FlowInputError, FlowNotFoundError, OffloadEngine } from '../../src/offload';
import { assertNicMatchesTable, EXAMPLE_MATCH, portMap, udpMatch, udpMatchFrame } from './helpers';

const UFID_A = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const UFID_B = '2de117b4-df58-4ca7-a3da-f84eb3479ea0';

function setup(profile = 'full', hw: Record<number, number> = { 1: 0, 2: 1 }): { nic: SoftNicBackend; engine: OffloadEngine } {
  const nic = new SoftNicBackend(profile);
  const engine = new OffloadEngine({ backend: nic, ports: portMap(hw, { dpdk0: 1, dpdk1: 2 }) });
  return { nic, engine };
}

test('the original example is offloaded with COUNT and mark (flow_id << 16) | hw-port-id of the output', (t) => {
  const { nic, engine } = setup();
  const [out] = engine.put([{ ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' }]);
  t.deepEqual(out, { ufid: UFID_A, state: 'offloaded', flowId: 0, mark: 1 });
  const rec = engine.get(UFID_A);
  t.is(rec.variant, 'count');
  t.is(rec.device, 0);
  t.is(rec.stats.source, 'hw');
  t.is(rec.rule, 'flow create 0 ingress pattern eth type is 0x0800 has_vlan is 0 / ipv4 src is 192.168.1.2 dst is 192.168.1.8 / udp src is 10025 dst is 10026 / end actions count / mark id 1 / end');
  t.is(nic.ruleCount(0), 1);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('a second flow gets the next flow_id; a whole dump line and port names are accepted', (t) => {
  const { nic, engine } = setup();
  const outs = engine.put([
    { ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' },
    `ufid:${UFID_B}, in_port(dpdk1),eth_type(0x0800),ipv4(src=192.168.1.8,dst=192.168.1.2,proto=17),udp(src=10026,dst=10025), packets:5, bytes:300, used:0.1s, actions:dpdk0`,
  ]);
  t.deepEqual(outs[1], { ufid: UFID_B, state: 'offloaded', flowId: 1, mark: 0x10000 });
  t.is(engine.get(UFID_B).device, 1);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('flows without a ufid get the derived one, the same for the same match', (t) => {
  const { nic, engine } = setup();
  const [a] = engine.put([{ match: EXAMPLE_MATCH, actions: '2' }]);
  const [b] = engine.put([{ match: EXAMPLE_MATCH, actions: '2' }]);
  t.is(a.ufid, b.ufid);
  t.regex(a.ufid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.is(engine.size, 1);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('flows that cannot be offloaded stay in software with the reason naming the field or action', (t) => {
  const { nic, engine } = setup();
  const outs = engine.put([
    { match: `ct_state(0x21/0x21),${EXAMPLE_MATCH}`, actions: '2' },
    { match: EXAMPLE_MATCH.replace('src=192.168.1.2', 'src=192.168.1.3'), actions: 'set(ipv4(tos=0x4)),2' },
    { match: EXAMPLE_MATCH.replace('src=192.168.1.2', 'src=192.168.1.4'), actions: '2,3' },
    { match: EXAMPLE_MATCH.replace('in_port(1)', 'in_port(7)'), actions: '2' },
  ]);
  t.deepEqual(outs.map((o) => o.state), ['software', 'software', 'software', 'software']);
  t.is(outs[0].reason, 'ct_state');
  t.regex(outs[1].reason ?? '', /set\(ipv4\(tos/);
  t.is(outs[2].reason, '2 outputs');
  t.is(outs[3].reason, 'in_port 7 has no hw-port-id');
  for (const o of outs) t.is(o.flowId, undefined);
  t.is(engine.stats().flowIdPool.used, 0, 'software flows hold no flow_id');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('an empty action list becomes a DROP rule without a mark', (t) => {
  const { nic, engine } = setup();
  const [out] = engine.put([{ ufid: UFID_A, match: EXAMPLE_MATCH, actions: 'drop' }]);
  t.is(out.state, 'offloaded');
  t.is(out.mark, undefined);
  t.is(engine.get(UFID_A).rule?.endsWith('actions count / drop / end'), true);
  const inj = engine.inject(1, [udpMatchFrame(0)]);
  t.false(inj.packets[0].hit, 'a frame of another flow misses');
  nic.close();
});

test('a flow that cannot be read is an error naming its position, and nothing changes', (t) => {
  const { nic, engine } = setup();
  const err = t.throws(() => engine.put([{ match: EXAMPLE_MATCH, actions: '2' }, { match: 'in_port(1),bogus(3)', actions: '2' }]), { instanceOf: FlowInputError });
  t.is(err?.index, 1);
  t.regex(err?.message ?? '', /^flows\[1\]/);
  t.is(engine.size, 0);
  t.is(nic.ruleCount(0), 0);
  t.throws(() => engine.put([{ ufid: 'xyz', match: EXAMPLE_MATCH, actions: '2' }]), { instanceOf: FlowInputError, message: /ufid "xyz"/ });
  t.throws(() => engine.get(UFID_B), { instanceOf: FlowNotFoundError, message: `no flow with ufid ${UFID_B}` });
  nic.close();
});

test('a flow that cannot be read after new flows were taken in undoes them exactly: ids, waiting, counts', (t) => {
  const nic = new SoftNicBackend('full');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }, { dpdk0: 1 }), flowIdPoolSize: 3 });
  t.deepEqual(engine.put([{ match: udpMatch(0), actions: '2' }]).map((o) => o.flowId), [0]);
  const before = engine.stats();
  const bad = [
    { match: udpMatch(1), actions: '2' }, // takes id 1
    { match: udpMatch(2), actions: '' }, // a DROP rule: no id
    { match: `ct_state(0x21/0x21),${udpMatch(3)}`, actions: '2' }, // software
    { match: udpMatch(4, 'dpdk0'), actions: '2' }, // takes id 2, names a port
    { match: udpMatch(5), actions: '2' }, // pool exhausted: waits
    { match: 'in_port(1),bogus(3)', actions: '2' },
  ];
  const err = t.throws(() => engine.put(bad), { instanceOf: FlowInputError });
  t.is(err?.index, 5);
  t.is(engine.size, 1);
  const after = engine.stats();
  t.deepEqual(after.flows, before.flows);
  t.deepEqual(after.flowIdPool, before.flowIdPool);
  assertNicMatchesTable(t, engine, nic);
  // the same flows without the bad one get the ids they would have got
  const outs = engine.put(bad.slice(0, 5));
  t.deepEqual(outs.map((o) => [o.state, o.flowId]), [['offloaded', 1], ['offloaded', undefined], ['software', undefined], ['offloaded', 2], ['software', undefined]]);
  t.is(outs[4].reason, 'flow-id pool exhausted');
  t.is(engine.stats().flowIdPool.waiting, 1);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('a flow that cannot be read after a modify in the same call changes nothing', (t) => {
  const { nic, engine } = setup();
  engine.put([{ ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' }]);
  const rule = engine.get(UFID_A).rule;
  t.throws(() => engine.put([{ match: udpMatch(1), actions: '2' }, { ufid: UFID_A, match: EXAMPLE_MATCH, actions: '' }, { match: 'in_port(1),bogus(3)', actions: '2' }]), { instanceOf: FlowInputError });
  t.is(engine.size, 1);
  t.is(engine.get(UFID_A).rule, rule);
  t.is(engine.get(UFID_A).actions, '2');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('inject sends each frame where its mark says, in per-port batches; drops, misses and unmapped hw-port-ids', (t) => {
  const nic = new SoftNicBackend('full');
  // odp 3 has hw-port-id 2, which hw_local_port_map lacks: its marks cannot be resolved.
  const ports = { hwPortIdOf: (odp: number) => ({ 1: 0, 2: 1, 3: 2 })[odp], port: () => undefined, hwLocalPortMap: { 0: 1, 1: 2 } };
  const engine = new OffloadEngine({ backend: nic, ports });
  const outs = engine.put([
    { ufid: UFID_A, match: udpMatch(0), actions: '2' },
    { ufid: UFID_B, match: udpMatch(1), actions: 'drop' },
    { match: udpMatch(2), actions: '3' },
  ]);
  t.deepEqual(outs.map((o) => o.state), ['offloaded', 'offloaded', 'offloaded']);
  const markA = (outs[0].flowId ?? -1) * 0x10000 + 1;
  const markC = (outs[2].flowId ?? -1) * 0x10000 + 2;
  const f = [udpMatchFrame(1), udpMatchFrame(0), udpMatchFrame(9), udpMatchFrame(2), udpMatchFrame(0), udpMatchFrame(1)];
  const inj = engine.inject(1, f);
  t.deepEqual(inj.packets, [
    { hit: true, ufid: UFID_B, outPort: 'drop' },
    { hit: true, ufid: UFID_A, mark: markA, outPort: 2 },
    { hit: false },
    { hit: true, ufid: outs[2].ufid, mark: markC, outPort: 'hw-port-id 2 (not in hw_local_port_map)' },
    { hit: true, ufid: UFID_A, mark: markA, outPort: 2 },
    { hit: true, ufid: UFID_B, outPort: 'drop' },
  ]);
  t.deepEqual([inj.hits, inj.misses], [5, 1]);
  t.deepEqual(inj.outputs, { drop: 2, 2: 2, 'hw-port-id 2 (not in hw_local_port_map)': 1 });
  nic.close();
});

test('ufids: any case and a ufid: prefix are read as the lowercase UUID; anything else is refused', (t) => {
  const { nic, engine } = setup();
  const [a] = engine.put([{ ufid: `UFID:${UFID_A.toUpperCase()}`, match: EXAMPLE_MATCH, actions: '2' }]);
  t.is(a.ufid, UFID_A);
  for (const bad of [UFID_A.replace('a', 'g'), UFID_A.replace('-', '0') + '-', `${UFID_A}0`, UFID_A.slice(1), 42]) {
    t.throws(() => engine.put([{ ufid: bad as string, match: EXAMPLE_MATCH, actions: '2' }]), { instanceOf: FlowInputError, message: /is not a ufid/ }, String(bad));
  }
  t.is(engine.size, 1);
  nic.close();
});

test('del destroys only the flows named; unknown ufids are reported as not deleted', (t) => {
  const { nic, engine } = setup();
  engine.put([{ ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' }, { ufid: UFID_B, match: udpMatch(1), actions: '2' }]);
  t.is(nic.ruleCount(0), 2);
  t.deepEqual(engine.del([UFID_A, '3de117b4-df58-4ca7-a3da-f84eb3479ea0']), [
    { ufid: UFID_A, deleted: true },
    { ufid: '3de117b4-df58-4ca7-a3da-f84eb3479ea0', deleted: false },
  ]);
  t.is(nic.ruleCount(0), 1);
  t.is(engine.get(UFID_B).state, 'offloaded');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('modify (put of a known ufid) rebuilds the rule and keeps the statistics', (t) => {
  const { nic, engine } = setup('full', { 1: 0, 2: 1, 3: 2 });
  engine.put([{ ufid: UFID_A, match: udpMatch(5), actions: '2' }]);
  const frame = udpMatchFrame(5, 30);
  engine.inject(1, [frame, frame, frame]);
  engine.sweep();
  t.is(engine.get(UFID_A).stats.packets, 3);
  const [out] = engine.put([{ ufid: UFID_A, match: udpMatch(5), actions: '3' }]);
  t.is(out.state, 'offloaded');
  t.is(out.mark, 2, 'same flow_id 0, output hw-port-id 2');
  t.is(nic.ruleCount(0), 1, 'the old rule is gone');
  const inj = engine.inject(1, [frame]);
  t.is(inj.packets[0].outPort, 3);
  engine.sweep();
  const rec = engine.get(UFID_A);
  t.is(rec.stats.packets, 4);
  t.is(rec.stats.bytes, 4 * frame.length);
  t.is(rec.actions, '3');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('a ufid put twice in one call: the second is a modify', (t) => {
  const { nic, engine } = setup('full', { 1: 0, 2: 1, 3: 2 });
  const outs = engine.put([{ ufid: UFID_A, match: udpMatch(5), actions: '2' }, { ufid: UFID_A, match: udpMatch(5), actions: '3' }]);
  t.is(outs[1].mark, 2);
  t.is(engine.size, 1);
  t.is(nic.ruleCount(0), 1);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('flush removes every flow and leaves zero rules on every port', (t) => {
  const { nic, engine } = setup('full', { 1: 0, 2: 1, 3: 2 });
  const flows = Array.from({ length: 50 }, (_, i) => ({ match: udpMatch(i, 1 + (i % 3)), actions: String(1 + ((i + 1) % 3)) }));
  flows.push({ match: `ct_state(0x21/0x21),${EXAMPLE_MATCH}`, actions: '2' });
  engine.put(flows);
  t.true(nic.ruleCount(0) > 0 && nic.ruleCount(1) > 0 && nic.ruleCount(2) > 0);
  t.is(engine.flush(), 51);
  for (let d = 0; d < nic.profile.ports; d++) t.is(nic.ruleCount(d), 0);
  t.is(engine.size, 0);
  t.deepEqual(engine.stats().flows, { total: 0, offloaded: 0, software: 0, pending: 0 });
  t.is(engine.stats().flowIdPool.used, 0);
  const [again] = engine.put([{ match: EXAMPLE_MATCH, actions: '2' }]);
  t.is(again.flowId, 0, 'ids are free again');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('dump by type', (t) => {
  const { nic, engine } = setup();
  engine.put([{ ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' }, { ufid: UFID_B, match: `ct_state(0x21/0x21),${EXAMPLE_MATCH}`, actions: '2' }]);
  t.deepEqual(engine.dump().map((f) => f.ufid), [UFID_A, UFID_B]);
  t.deepEqual(engine.dump('offloaded').map((f) => f.ufid), [UFID_A]);
  t.deepEqual(engine.dump('non-offloaded').map((f) => [f.ufid, f.reason]), [[UFID_B, 'ct_state']]);
  nic.close();
});

test('one batch over two devices, in runs and interleaved: per-device counts and learned variants follow every rule', (t) => {
  const { nic, engine } = setup();
  const ufid = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  // runs of 3 on device 0 (in_port 1), 2 on device 1 (in_port 2), then alternating; outputs and drops mixed
  const inPorts = [1, 1, 1, 2, 2, 1, 2, 1, 2, 2, 1];
  const outs = engine.put(inPorts.map((inPort, i) => ({ ufid: ufid(i), match: udpMatch(i + 1, inPort), actions: i % 3 === 0 ? 'drop' : inPort === 1 ? '2' : '1' })));
  t.true(outs.every((o) => o.state === 'offloaded'));
  const on0 = inPorts.filter((p) => p === 1).length;
  t.is(engine.offloadedOn(0), on0);
  t.is(engine.offloadedOn(1), inPorts.length - on0);
  t.deepEqual(engine.stats().devices, { 0: { offloaded: on0 }, 1: { offloaded: inPorts.length - on0 } });
  t.deepEqual(engine.stats().learnedVariants, { 0: 'count', 1: 'count' });
  t.deepEqual(engine.stats().attempts.count, { tried: inPorts.length, succeeded: inPorts.length, failed: 0 });
  assertNicMatchesTable(t, engine, nic);
  engine.del([ufid(3), ufid(5)]);
  t.is(engine.offloadedOn(0), on0 - 1);
  t.is(engine.offloadedOn(1), inPorts.length - on0 - 1);
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});

test('a ufid given twice in one put: each input gets the outcome it led to; the table keeps the later', (t) => {
  const { nic, engine } = setup();
  const outs = engine.put([
    { ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2,1' },
    { ufid: UFID_B, match: udpMatch(5), actions: '2' },
    { ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' },
  ]);
  t.deepEqual(outs[0], { ufid: UFID_A, state: 'software', reason: '2 outputs' });
  t.is(outs[1].state, 'offloaded');
  t.is(outs[2].state, 'offloaded');
  t.is(engine.get(UFID_A).actions, '2');
  const back = engine.put([
    { ufid: UFID_B, match: udpMatch(5), actions: '1' },
    { ufid: UFID_B, match: `ct_state(0x21/0x21),${udpMatch(5)}`, actions: '1' },
  ]);
  t.is(back[0].state, 'offloaded');
  t.is(back[0].mark, (back[0].flowId ?? -1) * 65536 + 0);
  t.deepEqual(back[1], { ufid: UFID_B, state: 'software', reason: 'ct_state' });
  t.is(engine.get(UFID_B).state, 'software');
  assertNicMatchesTable(t, engine, nic);
  nic.close();
});
