/**
 * The PORT remap of DESIGN.md §1 through the engine: an interface whose DPDK port id (OVS-DPDK's
 * status:port_no) differs from its hw-port-id gets its rules on that DPDK port, with a PORT item
 * selecting the hw-port-id; its packets are received on that port; a change of the DPDK port id
 * moves the rules. Expected texts are written from DESIGN.md §1 and §3.
 */
import test from 'ava';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine, type EnginePorts } from '../../src/offload';
import { assertNicMatchesTable, EXAMPLE_MATCH, portMap, udpFrame } from './helpers';

const UFID = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const FRAME = udpFrame({ src: '192.168.1.2', dst: '192.168.1.8', sport: 10025, dport: 10026 });

/** dpdk0 = odp 1 with hw-port-id 0, dpdk1 = odp 2 with hw-port-id 1; `dpdk`: odp port -> DPDK port id. */
function ports(dpdk: Record<number, number>): EnginePorts {
  return { ...portMap({ 1: 0, 2: 1 }, { dpdk0: 1, dpdk1: 2 }), dpdkPortIdOf: (odp) => dpdk[odp] };
}

test('a DPDK port id other than the hw-port-id: the rule goes on that port with a PORT item, and its packets hit there', (t) => {
  const nic = new SoftNicBackend('full');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: ports({ 1: 2 }) });
  const [out] = engine.put([{ ufid: UFID, match: EXAMPLE_MATCH, actions: '2' }]);
  t.deepEqual(out, { ufid: UFID, state: 'offloaded', flowId: 0, mark: 1 });
  const rec = engine.get(UFID);
  t.is(rec.device, 2);
  t.regex(rec.rule ?? '', /^flow create 2 ingress pattern port_id id is 0 \/ eth type is 0x0800 /);
  t.deepEqual([nic.ruleCount(0), nic.ruleCount(2)], [0, 1]);
  assertNicMatchesTable(t, engine, nic);

  // Received on dpdk0: on DPDK port 2, as input port index 0 (its hw-port-id).
  const inj = engine.inject('dpdk0', [FRAME]);
  t.deepEqual(inj.packets, [{ hit: true, ufid: UFID, mark: 1, outPort: 2 }]);
  // The PORT item decides: the same frame on port 2 as another input index misses.
  t.is(nic.classify(2, [FRAME], { portIndex: 3 }).hits, 0);
  t.is(nic.classify(2, [FRAME], { portIndex: 0 }).hits, 1);
});

test('a change of the DPDK port id moves the rule (same flow_id); without one the rule is on the hw-port-id, no PORT item', (t) => {
  const nic = new SoftNicBackend('full');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: ports({ 1: 2 }) });
  engine.put([{ ufid: UFID, match: EXAMPLE_MATCH, actions: '2' }]);

  engine.setPorts(ports({ 1: 3 }));
  let rec = engine.get(UFID);
  t.is(rec.state, 'offloaded');
  t.is(rec.device, 3);
  t.is(rec.flowId, 0);
  t.deepEqual([nic.ruleCount(2), nic.ruleCount(3)], [0, 1]);
  t.regex(rec.rule ?? '', /^flow create 3 ingress pattern port_id id is 0 \//);
  assertNicMatchesTable(t, engine, nic);
  t.is(engine.inject(1, [FRAME]).hits, 1);

  // A DPDK port id equal to the hw-port-id is no remap.
  engine.setPorts(ports({ 1: 0 }));
  rec = engine.get(UFID);
  t.is(rec.device, 0);
  t.regex(rec.rule ?? '', /^flow create 0 ingress pattern eth type is 0x0800 /);
  engine.setPorts(ports({}));
  t.is(engine.get(UFID).device, 0);
  t.deepEqual([nic.ruleCount(0), nic.ruleCount(3)], [1, 0]);
  assertNicMatchesTable(t, engine, nic);
  t.is(engine.inject(1, [FRAME]).hits, 1);
});

test('a DPDK port id the NIC does not have: the flow stays in software with the NIC\'s reason, inject names the port', (t) => {
  const nic = new SoftNicBackend('xl710');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: ports({ 1: 7 }) });
  const [out] = engine.put([{ ufid: UFID, match: EXAMPLE_MATCH, actions: '2' }]);
  t.is(out.state, 'software');
  t.regex(out.reason ?? '', /^refused by the NIC: port 7 does not exist \(the NIC has 2 ports\)/);
  assertNicMatchesTable(t, engine, nic);
  t.throws(() => engine.inject('dpdk0', [FRAME]), { message: 'port dpdk0 has DPDK port id 7 (status:port_no), but the soft NIC (soft:xl710) has ports 0..1' });
});

test('a NIC without the PORT item refuses a remapped rule: the flow stays in software saying so', (t) => {
  const nic = new SoftNicBackend('xl710');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: ports({ 1: 1 }) });
  const [out] = engine.put([{ ufid: UFID, match: EXAMPLE_MATCH, actions: '2' }]);
  t.is(out.state, 'software');
  t.regex(out.reason ?? '', /^refused by the NIC: pattern item PORT is not supported by this NIC/);
  t.is(nic.ruleCount(1), 0);
  // Without the remap the same NIC takes it.
  engine.setPorts(ports({}));
  t.is(engine.get(UFID).state, 'offloaded');
  assertNicMatchesTable(t, engine, nic);
});
