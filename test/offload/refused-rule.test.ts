/**
 * flow/get of a flow the NIC refused shows the rule it refused last (to replay in dpdk-testpmd);
 * flows in software for other reasons have no rule. Expected texts follow DESIGN.md §1 and §3.
 */
import test from 'ava';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine } from '../../src/offload';
import { refusedVariantOf } from '../../src/offload/put-outcome';
import { EXAMPLE_MATCH, portMap } from './helpers';

const UFID_A = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const UFID_B = '2de117b4-df58-4ca7-a3da-f84eb3479ea0';

test('a NIC without MARK refuses every variant: flow/get shows the last one tried (no COUNT + QUEUE 0), with flow_id 0', (t) => {
  const nic = new SoftNicBackend('nomark');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });
  const [out] = engine.put([{ ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' }]);
  t.is(out.state, 'software');
  t.regex(out.reason ?? '', /^refused by the NIC: action MARK is not supported by this NIC \(ACTION, ENOTSUP; last variant queue\)$/);
  const view = engine.get(UFID_A);
  t.is(view.rule, 'flow create 0 ingress pattern eth type is 0x0800 has_vlan is 0 / ipv4 src is 192.168.1.2 dst is 192.168.1.8 / udp src is 10025 dst is 10026 / end actions mark id 1 / queue index 0 / end');
  t.is(view.flowId, undefined);
});

test('flows in software for a reason of their own (not offloadable, no hw-port-id) have no rule', (t) => {
  const nic = new SoftNicBackend('full');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });
  engine.put([{ ufid: UFID_A, match: `ct_state(0x21/0x21),${EXAMPLE_MATCH}`, actions: '2' }, { ufid: UFID_B, match: EXAMPLE_MATCH.replace('in_port(1)', 'in_port(7)'), actions: '2' }]);
  t.deepEqual([engine.get(UFID_A).reason, engine.get(UFID_A).rule], ['ct_state', undefined]);
  t.deepEqual([engine.get(UFID_B).reason, engine.get(UFID_B).rule], ['in_port 7 has no hw-port-id', undefined]);
});

test('refusedVariantOf reads the variant back from the reasons put() writes, and nothing from other texts', (t) => {
  t.is(refusedVariantOf('refused by the NIC: action MARK is not supported by this NIC (ACTION, ENOTSUP; last variant queue)'), 'queue');
  t.is(refusedVariantOf('refused by the NIC: x (ITEM, EINVAL; last variant count+queue)'), 'count+queue');
  t.is(refusedVariantOf('refused by the NIC (variant plain)'), 'plain');
  t.is(refusedVariantOf('refused by the NIC (variant bogus)'), undefined);
  t.is(refusedVariantOf('ct_state'), undefined);
  t.is(refusedVariantOf('flow-id pool exhausted'), undefined);
  t.is(refusedVariantOf(undefined), undefined);
});
