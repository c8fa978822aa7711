/**
 * The original patch's example (DESIGN.md §3): in_port(1) -> output 2 with hw-port-ids 0 and 1.
 * Expected rules are written from DESIGN.md §1, not from the code's output.
 */
import test from 'ava';
import { parseFlow } from '../../../src/flows/odp';
import { renderTestpmd, translateFlow, VARIANT_COUNT, withVariant } from '../../../src/flows/translate';
import type { RuleSpec } from '../../../src/native/rule-spec';
import { ethOnly, flow, META, offload, ports } from './helpers';

const MATCH = 'in_port(1),eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17),udp(src=10025,dst=10026)';
/** DESIGN.md §3's text, written for the 2017 rte_flow layout (no has_vlan) and another mark. */
const DESIGN_TEXT =
  'flow create 0 ingress pattern eth type is 0x0800 / ipv4 src is 192.168.1.2 dst is 192.168.1.8 / udp src is 10025 dst is 10026 / end actions count / mark id 65539 / end';
const HW = { 1: 0, 2: 1 };

test('the example becomes ETH / IPV4 / UDP with MARK (flow_id << 16) | hw-port-id of the output', (t) => {
  const r = offload(t, flow(MATCH, '2'), { flowId: 1 }, ports(HW));
  const expected: RuleSpec = {
    attr: { port: 0, group: 0, priority: 0, ingress: true },
    pattern: [
      // No VLAN in the megaflow: has_vlan 0, so that tagged frames cannot hit the rule (DPDK 22.11 layout).
      ethOnly(0x0800),
      // proto=17 is implied by the UDP item, so the IPv4 proto mask is cleared; no frag= -> no fragment_offset.
      { type: 'IPV4', spec: { src: '192.168.1.2', dst: '192.168.1.8' }, mask: { src: '255.255.255.255', dst: '255.255.255.255' } },
      { type: 'UDP', spec: { srcPort: 10025, dstPort: 10026 }, mask: { srcPort: 0xffff, dstPort: 0xffff } },
      { type: 'END' },
    ],
    actions: [{ type: 'MARK', id: 0x10001 }, { type: 'END' }],
  };
  t.deepEqual(r.rule, expected);
  t.is(r.fate, 'mark');
  t.is(r.mark, 65537);
  t.deepEqual(r.inPort, { odpPort: 1, hwPortId: 0, dpdkPortId: 0 });
  t.deepEqual(r.outPort, { odpPort: 2, hwPortId: 1 });
});

test('its testpmd text is DESIGN.md\'s with the 22.11 has_vlan and the mark of this port map', (t) => {
  const r = offload(t, flow(MATCH, '2'), { flowId: 1 }, ports(HW));
  const text = renderTestpmd(0, withVariant(r.rule, VARIANT_COUNT));
  t.is(
    text,
    'flow create 0 ingress pattern eth type is 0x0800 has_vlan is 0 / ipv4 src is 192.168.1.2 dst is 192.168.1.8 / udp src is 10025 dst is 10026 / end actions count / mark id 65537 / end',
  );
});

test('with the output on hw-port-id 3, mark 65539 gives DESIGN.md\'s text exactly, but for has_vlan', (t) => {
  const r = offload(t, flow(MATCH, '2'), { flowId: 1 }, ports({ 1: 0, 2: 3 }));
  t.is(r.mark, 65539);
  const text = renderTestpmd(0, withVariant(r.rule, VARIANT_COUNT));
  t.is(text.replace(' has_vlan is 0', ''), DESIGN_TEXT);
});

test('the same flow as OVS dumps it with -m (frag=no, zero-masked metadata) also gets fragment_offset', (t) => {
  const f = parseFlow(
    `${META},in_port(1),packet_type(ns=0,id=0),eth(src=50:54:00:00:00:01/00:00:00:00:00:00,dst=50:54:00:00:00:02/00:00:00:00:00:00),` +
      'eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17,tos=0/0,ttl=64/0,frag=no),udp(src=10025,dst=10026), actions:2',
  );
  const r = translateFlow(f, ports(HW), { flowId: 1 });
  t.true(r.ok);
  if (!r.ok) return;
  t.is(
    renderTestpmd(r.rule.attr.port, r.rule),
    'flow create 0 ingress pattern eth type is 0x0800 has_vlan is 0 / ipv4 src is 192.168.1.2 dst is 192.168.1.8 fragment_offset spec 0x0000 fragment_offset mask 0x3fff / udp src is 10025 dst is 10026 / end actions mark id 65537 / end',
  );
});
