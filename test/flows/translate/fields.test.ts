/**
 * Every field of every pattern item under full, partial and zero masks (DESIGN.md §1, "Rule
 * construction"). Each expected item is written by hand from DESIGN.md: a field under a zero
 * mask is left out, a spec keeps only the bits of its mask, an exact IP proto is left to the L4
 * item that implies it, frag=no constrains the rule to non-fragments, TTL is matched as TTL.
 */
import test from 'ava';
import { renderTestpmd, TranslateUsageError, translateFlow } from '../../../src/flows/translate';
import type { PatternItem } from '../../../src/native/rule-spec';
import { ethOnly, flow, items, offload, ports, refuse } from './helpers';

const MAC = 'ff:ff:ff:ff:ff:ff';
const V4 = '255.255.255.255';
const V6 = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
const NOT_FRAGMENT_V4 = { spec: 0, mask: 0x3fff };

interface Case {
  name: string;
  /** The match after `in_port(1),`. */
  match: string;
  /** The pattern without END. */
  items: PatternItem[];
}

const CASES: Case[] = [
  // ETH
  {
    name: 'ETH src and dst under full masks',
    match: 'eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800)',
    items: [{ type: 'ETH', spec: { src: '50:54:00:00:00:01', dst: '50:54:00:00:00:02', type: 0x0800, hasVlan: 0 }, mask: { src: MAC, dst: MAC, type: 0xffff, hasVlan: 1 } }],
  },
  {
    name: 'ETH src and dst under partial masks keep only the masked bits',
    match: 'eth(src=50:54:00:00:00:01/ff:ff:ff:00:00:00,dst=01:00:5e:00:00:01/01:00:00:00:00:00),eth_type(0x0800)',
    items: [{
      type: 'ETH',
      spec: { src: '50:54:00:00:00:00', dst: '01:00:00:00:00:00', type: 0x0800, hasVlan: 0 },
      mask: { src: 'ff:ff:ff:00:00:00', dst: '01:00:00:00:00:00', type: 0xffff, hasVlan: 1 },
    }],
  },
  {
    name: 'ETH src and dst under zero masks are left out',
    match: 'eth(src=50:54:00:00:00:01/00:00:00:00:00:00,dst=50:54:00:00:00:02/00:00:00:00:00:00),eth_type(0x0800)',
    items: [ethOnly(0x0800)],
  },
  {
    name: 'ETH type under a partial mask',
    match: 'eth_type(0x86dd/0xff00)',
    items: [{ type: 'ETH', spec: { type: 0x8600, hasVlan: 0 }, mask: { type: 0xff00, hasVlan: 1 } }],
  },
  {
    name: 'ETH type under a zero mask, and no eth_type at all: has_vlan 0 only',
    match: 'eth_type(0x0800/0)',
    items: [{ type: 'ETH', spec: { hasVlan: 0 }, mask: { hasVlan: 1 } }],
  },
  // VLAN
  {
    name: 'VLAN: has_vlan 1, TCI without the CFI bit, inner_type from encap, then the inner headers',
    match: 'eth_type(0x8100),vlan(vid=100,pcp=3),encap(eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0/0,ttl=64/0,frag=no),tcp(src=1/0,dst=80))',
    items: [
      { type: 'ETH', spec: { type: 0x8100, hasVlan: 1 }, mask: { type: 0xffff, hasVlan: 1 } },
      { type: 'VLAN', spec: { tci: (3 << 13) | 100, innerType: 0x0800 }, mask: { tci: 0xefff, innerType: 0xffff } },
      {
        type: 'IPV4',
        spec: { src: '10.0.0.1', dst: '10.0.0.2', fragmentOffset: NOT_FRAGMENT_V4.spec },
        mask: { src: V4, dst: V4, fragmentOffset: NOT_FRAGMENT_V4.mask },
      },
      { type: 'TCP', spec: { dstPort: 80 }, mask: { dstPort: 0xffff } },
    ],
  },
  {
    name: 'VLAN vid under a partial mask, pcp not written',
    match: 'eth_type(0x8100),vlan(vid=100/0xff0),encap(eth_type(0x86dd))',
    items: [
      { type: 'ETH', spec: { type: 0x8100, hasVlan: 1 }, mask: { type: 0xffff, hasVlan: 1 } },
      { type: 'VLAN', spec: { tci: 96, innerType: 0x86dd }, mask: { tci: 0x0ff0, innerType: 0xffff } },
    ],
  },
  {
    name: 'VLAN pcp alone, with an explicit cfi=1 (never matched)',
    match: 'eth_type(0x88a8),vlan(pcp=5,cfi=1),encap(eth_type(0x0800))',
    items: [
      { type: 'ETH', spec: { type: 0x88a8, hasVlan: 1 }, mask: { type: 0xffff, hasVlan: 1 } },
      { type: 'VLAN', spec: { tci: 5 << 13, innerType: 0x0800 }, mask: { tci: 0xe000, innerType: 0xffff } },
    ],
  },
  {
    name: 'VLAN with everything wildcarded: a bare VLAN item',
    match: 'eth_type(0x8100),vlan(vid=0/0,pcp=0/0),encap()',
    items: [{ type: 'ETH', spec: { type: 0x8100, hasVlan: 1 }, mask: { type: 0xffff, hasVlan: 1 } }, { type: 'VLAN' }],
  },
  // IPv4
  {
    name: 'IPV4 every field under a full mask (no L4 item: proto stays)',
    match: 'eth_type(0x0800),ipv4(src=10.1.2.3,dst=10.4.5.6,proto=47,tos=0xb8,ttl=64,frag=no)',
    items: [
      ethOnly(0x0800),
      {
        type: 'IPV4',
        spec: { src: '10.1.2.3', dst: '10.4.5.6', proto: 47, tos: 0xb8, ttl: 64, fragmentOffset: 0 },
        mask: { src: V4, dst: V4, proto: 0xff, tos: 0xff, ttl: 0xff, fragmentOffset: 0x3fff },
      },
    ],
  },
  {
    name: 'IPV4 every field under a partial mask',
    match: 'eth_type(0x0800),ipv4(src=10.1.2.3/255.255.0.0,dst=10.4.5.6/255.0.0.0,proto=17/0xf0,tos=0xb9/0xfc,ttl=65/0xf0,frag=no),udp(src=1,dst=2)',
    items: [
      ethOnly(0x0800),
      {
        type: 'IPV4',
        // A partially masked proto is not implied by the UDP item: it stays.
        spec: { src: '10.1.0.0', dst: '10.0.0.0', proto: 16, tos: 0xb8, ttl: 64, fragmentOffset: 0 },
        mask: { src: '255.255.0.0', dst: '255.0.0.0', proto: 0xf0, tos: 0xfc, ttl: 0xf0, fragmentOffset: 0x3fff },
      },
      { type: 'UDP', spec: { srcPort: 1, dstPort: 2 }, mask: { srcPort: 0xffff, dstPort: 0xffff } },
    ],
  },
  {
    name: 'IPV4 every field under a zero mask and no frag=: no IPV4 item',
    match: 'eth_type(0x0800),ipv4(src=10.1.2.3/0.0.0.0,dst=10.4.5.6/0.0.0.0,proto=17/0,tos=0/0,ttl=64/0)',
    items: [ethOnly(0x0800)],
  },
  {
    name: 'IPV4 TTL is matched as TTL, and TOS is not matched when its mask is zero',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=0/0,tos=0x28/0,ttl=17,frag=no)',
    items: [ethOnly(0x0800), { type: 'IPV4', spec: { ttl: 17, fragmentOffset: 0 }, mask: { ttl: 0xff, fragmentOffset: 0x3fff } }],
  },
  {
    name: 'IPV4 TOS is matched as TOS, and TTL is not matched when its mask is zero',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=0/0,tos=0x28,ttl=17/0,frag=no)',
    items: [ethOnly(0x0800), { type: 'IPV4', spec: { tos: 0x28, fragmentOffset: 0 }, mask: { tos: 0xff, fragmentOffset: 0x3fff } }],
  },
  {
    name: 'IPV4 without frag= has no fragment_offset; an L4 item needs a bare IPV4 item below it',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=6,tos=0/0,ttl=64/0),tcp(src=1/0,dst=22)',
    items: [ethOnly(0x0800), { type: 'IPV4' }, { type: 'TCP', spec: { dstPort: 22 }, mask: { dstPort: 0xffff } }],
  },
  {
    name: 'IPV4 proto exact with an L4 key whose ports are all wildcarded: no L4 item, proto stays',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=17,tos=0/0,ttl=64/0,frag=no),udp(src=1/0,dst=2/0)',
    items: [ethOnly(0x0800), { type: 'IPV4', spec: { proto: 17, fragmentOffset: 0 }, mask: { proto: 0xff, fragmentOffset: 0x3fff } }],
  },
  {
    name: 'IPV4 proto is cleared under SCTP',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=132,tos=0/0,ttl=64/0,frag=no),sctp(src=5000,dst=6000/0xff00)',
    items: [
      ethOnly(0x0800),
      { type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } },
      { type: 'SCTP', spec: { srcPort: 5000, dstPort: 6000 & 0xff00 }, mask: { srcPort: 0xffff, dstPort: 0xff00 } },
    ],
  },
  // IPv6
  {
    name: 'IPV6 every field under a full mask (flow label wildcarded)',
    match: 'eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0/0,proto=47,tclass=0x20,hlimit=64,frag=no)',
    items: [
      ethOnly(0x86dd),
      {
        type: 'IPV6',
        spec: { src: '2001:db8::1', dst: '2001:db8::2', proto: 47, tc: 0x20, hopLimits: 64, hasFragExt: 0 },
        mask: { src: V6, dst: V6, proto: 0xff, tc: 0xff, hopLimits: 0xff, hasFragExt: 1 },
      },
    ],
  },
  {
    name: 'IPV6 every field under a partial mask',
    match: 'eth_type(0x86dd),ipv6(src=2001:db8:1::5/ffff:ffff:ffff::,dst=2001:db8::2/ffff::,label=0/0,proto=6/0xfe,tclass=0x21/0xfc,hlimit=65/0xf0,frag=no)',
    items: [
      ethOnly(0x86dd),
      {
        type: 'IPV6',
        spec: { src: '2001:db8:1::', dst: '2001::', proto: 6, tc: 0x20, hopLimits: 64, hasFragExt: 0 },
        mask: { src: 'ffff:ffff:ffff::', dst: 'ffff::', proto: 0xfe, tc: 0xfc, hopLimits: 0xf0, hasFragExt: 1 },
      },
    ],
  },
  {
    name: 'IPV6 every field under a zero mask and no frag=: no IPV6 item',
    match: 'eth_type(0x86dd),ipv6(src=2001:db8::1/::,dst=2001:db8::2/::,label=5/0,proto=17/0,tclass=0/0,hlimit=64/0)',
    items: [ethOnly(0x86dd)],
  },
  {
    name: 'IPV6 proto is cleared under UDP',
    match: 'eth_type(0x86dd),ipv6(src=2001:db8::1/::,dst=2001:db8::2/::,label=0/0,proto=17,tclass=0/0,hlimit=64/0,frag=no),udp(src=1/0,dst=53)',
    items: [
      ethOnly(0x86dd),
      { type: 'IPV6', spec: { hasFragExt: 0 }, mask: { hasFragExt: 1 } },
      { type: 'UDP', spec: { dstPort: 53 }, mask: { dstPort: 0xffff } },
    ],
  },
  // L4
  {
    name: 'UDP ports under full, partial and zero masks',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=17,tos=0/0,ttl=64/0,frag=no),udp(src=1000,dst=0x1234/0xff00)',
    items: [
      ethOnly(0x0800),
      { type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } },
      { type: 'UDP', spec: { srcPort: 1000, dstPort: 0x1200 }, mask: { srcPort: 0xffff, dstPort: 0xff00 } },
    ],
  },
  {
    name: 'TCP ports and masked flags (+syn-ack: SYN set, ACK clear)',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=6,tos=0/0,ttl=64/0,frag=no),tcp(src=1024/0xfc00,dst=443),tcp_flags(+syn-ack)',
    items: [
      ethOnly(0x0800),
      { type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } },
      { type: 'TCP', spec: { srcPort: 1024, dstPort: 443, flags: 0x02 }, mask: { srcPort: 0xfc00, dstPort: 0xffff, flags: 0x12 } },
    ],
  },
  {
    name: 'TCP flags alone (ports wildcarded) under an 8-bit mask; flags under a zero mask are left out elsewhere',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=6,tos=0/0,ttl=64/0,frag=no),tcp(src=1/0,dst=2/0),tcp_flags(0x011/0x0ff)',
    items: [
      ethOnly(0x0800),
      { type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } },
      { type: 'TCP', spec: { flags: 0x11 }, mask: { flags: 0xff } },
    ],
  },
  {
    name: 'TCP flags 0/0 add nothing',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=6,tos=0/0,ttl=64/0,frag=no),tcp(src=1/0,dst=22),tcp_flags(0/0)',
    items: [
      ethOnly(0x0800),
      { type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } },
      { type: 'TCP', spec: { dstPort: 22 }, mask: { dstPort: 0xffff } },
    ],
  },
  {
    name: 'ICMP type and code under full masks; proto cleared',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=1,tos=0/0,ttl=64/0,frag=no),icmp(type=8,code=0)',
    items: [
      ethOnly(0x0800),
      { type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } },
      { type: 'ICMP', spec: { type: 8, code: 0 }, mask: { type: 0xff, code: 0xff } },
    ],
  },
  {
    name: 'ICMP type under a partial mask, code under a zero mask',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=1,tos=0/0,ttl=64/0,frag=no),icmp(type=11/0xf8,code=3/0)',
    items: [
      ethOnly(0x0800),
      { type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } },
      { type: 'ICMP', spec: { type: 8 }, mask: { type: 0xf8 } },
    ],
  },
  {
    name: 'ICMP type and code under zero masks: no ICMP item, proto stays',
    match: 'eth_type(0x0800),ipv4(src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,proto=1,tos=0/0,ttl=64/0,frag=no),icmp(type=8/0,code=0/0)',
    items: [ethOnly(0x0800), { type: 'IPV4', spec: { proto: 1, fragmentOffset: 0 }, mask: { proto: 0xff, fragmentOffset: 0x3fff } }],
  },
  {
    name: 'ICMP6 type full, code partial; proto cleared',
    match: 'eth_type(0x86dd),ipv6(src=::1/::,dst=::2/::,label=0/0,proto=58,tclass=0/0,hlimit=255/0,frag=no),icmpv6(type=128,code=7/0x3)',
    items: [
      ethOnly(0x86dd),
      { type: 'IPV6', spec: { hasFragExt: 0 }, mask: { hasFragExt: 1 } },
      { type: 'ICMP6', spec: { type: 128, code: 3 }, mask: { type: 0xff, code: 0x3 } },
    ],
  },
];

for (const c of CASES) {
  test(c.name, (t) => {
    const r = offload(t, flow(`in_port(1),${c.match}`, '2'));
    t.deepEqual(items(r), c.items);
  });
}

test('an exact tcp_flags also matches the NS and reserved bits, which rte_flow has no field for', (t) => {
  const r = refuse(t, flow('in_port(1),eth_type(0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1,dst=2),tcp_flags(syn)', '2'));
  t.is(r.reason, 'tcp_flags (NS/reserved bits)');
  t.false(r.portDependent);
});

test('attributes: ingress, group 0, priority 0, on the DPDK port of in_port (its hw-port-id by default)', (t) => {
  const r = offload(t, flow('in_port(3),eth_type(0x0800)', '1'), { flowId: 9 }, ports({ 3: 12, 1: 0 }));
  t.deepEqual(r.rule.attr, { port: 12, group: 0, priority: 0, ingress: true });
  t.deepEqual(r.inPort, { odpPort: 3, hwPortId: 12, dpdkPortId: 12 });
});

test('PORT remap: a DPDK port id other than the hw-port-id puts PORT index=hw-port-id first, on that DPDK port', (t) => {
  const r = offload(t, flow('in_port(1),eth_type(0x0800)', '2'), { flowId: 2, dpdkPortIdOf: (odp) => (odp === 1 ? 4 : undefined) }, ports({ 1: 7, 2: 1 }));
  t.deepEqual(r.rule.attr.port, 4);
  t.deepEqual(r.rule.pattern, [{ type: 'PORT', spec: { index: 7 }, mask: { index: 0xffffffff } }, ethOnly(0x0800), { type: 'END' }]);
  t.deepEqual(r.inPort, { odpPort: 1, hwPortId: 7, dpdkPortId: 4 });
  t.is(renderTestpmd(r.rule.attr.port, r.rule), 'flow create 4 ingress pattern port_id id is 7 / eth type is 0x0800 has_vlan is 0 / end actions mark id 131073 / end');
});

test('no PORT item when the DPDK port id equals the hw-port-id, or dpdkPortIdOf knows no other', (t) => {
  for (const dpdkPortIdOf of [(): number => 7, (): undefined => undefined]) {
    const r = offload(t, flow('in_port(1),eth_type(0x0800)', '2'), { flowId: 2, dpdkPortIdOf }, ports({ 1: 7, 2: 1 }));
    t.is(r.rule.attr.port, 7);
    t.deepEqual(r.rule.pattern, [ethOnly(0x0800), { type: 'END' }]);
  }
});

test('a dpdkPortIdOf answer that is not a DPDK port id is a usage error', (t) => {
  for (const bad of [-1, 65536, 1.5, NaN]) {
    const e = t.throws(() => translateFlow(flow('in_port(1),eth_type(0x0800)', '2'), ports(), { flowId: 1, dpdkPortIdOf: () => bad }), { instanceOf: TranslateUsageError });
    t.regex(e.message, /dpdkPortIdOf\(1\)/);
  }
});

test('no actions: DROP, no mark, no output port', (t) => {
  for (const actions of ['drop', '']) {
    const f = flow('in_port(1),eth_type(0x0800)', actions);
    t.deepEqual(f.actions, []);
    const r = offload(t, f);
    t.deepEqual(r.rule.actions, [{ type: 'DROP' }, { type: 'END' }]);
    t.is(r.fate, 'drop');
    t.is(r.mark, null);
    t.is(r.outPort, null);
  }
});

test('ports may be names, resolved through the port lookup', (t) => {
  const p = ports({ 1: 0, 2: 1 }, { dpdk0: 1, dpdk1: 2 });
  const r = offload(t, flow('in_port(dpdk0),eth_type(0x0800)', 'dpdk1'), { flowId: 3 }, p);
  t.deepEqual(r.inPort, { odpPort: 1, hwPortId: 0, dpdkPortId: 0 });
  t.deepEqual(r.outPort, { odpPort: 2, hwPortId: 1 });
  t.is(r.mark, (3 << 16) | 1);
});
