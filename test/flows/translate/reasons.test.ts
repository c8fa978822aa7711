/**
 * Every field and action DESIGN.md §1 lists as not offloadable keeps the flow in software with a
 * reason that names it (one test each), and the same attribute under an all-zero mask (a wildcard)
 * does not. Reasons are written here by hand from DESIGN.md's wording.
 */
import test from 'ava';
import type { KeyAttr } from '../../../src/flows/odp';
import { translateFlow } from '../../../src/flows/translate';
import { flow, META, offload, ports, refuse } from './helpers';

const IP4 = 'eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0/0,ttl=64/0,frag=no),udp(src=1/0,dst=53)';
const IP6 = 'eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0/0,proto=58,tclass=0/0,hlimit=255/0,frag=no),icmpv6(type=135,code=0)';

interface MatchCase {
  /** The reason, as DESIGN.md names the field. */
  reason: string;
  /** A match that has the field. */
  blocked: string;
  /** The same match with the field under an all-zero mask, which must translate (undefined: no such form). */
  wildcard?: string;
}

const MATCH_CASES: MatchCase[] = [
  {
    reason: 'tunnel metadata',
    blocked: `tunnel(tun_id=0x5,src=1.1.1.1,dst=2.2.2.2,ttl=64/0,flags(-df+csum+key)),in_port(1),${IP4}`,
    wildcard: `tunnel(tun_id=0x5/0,src=1.1.1.1/0.0.0.0,dst=2.2.2.2/0.0.0.0,ttl=64/0),in_port(1),${IP4}`,
  },
  { reason: 'skb_priority', blocked: `skb_priority(0x1),in_port(1),${IP4}`, wildcard: `skb_priority(0x1/0),in_port(1),${IP4}` },
  { reason: 'pkt_mark (skb_mark)', blocked: `skb_mark(0x5/0xff),in_port(1),${IP4}`, wildcard: `skb_mark(0x5/0),in_port(1),${IP4}` },
  { reason: 'dp_hash', blocked: `dp_hash(0x489a6c87/0xf),in_port(1),${IP4}`, wildcard: `dp_hash(0x489a6c87/0),in_port(1),${IP4}` },
  { reason: 'recirc_id != 0', blocked: `recirc_id(0x3),in_port(1),${IP4}`, wildcard: `recirc_id(0x3/0),in_port(1),${IP4}` },
  { reason: 'ct_state', blocked: `ct_state(0x21/0x21),in_port(1),${IP4}`, wildcard: `ct_state(0x21/0),in_port(1),${IP4}` },
  { reason: 'ct_zone', blocked: `ct_zone(0x1),in_port(1),${IP4}`, wildcard: `ct_zone(0x1/0),in_port(1),${IP4}` },
  { reason: 'ct_mark', blocked: `ct_mark(0x1/0x1),in_port(1),${IP4}`, wildcard: `ct_mark(0x1/0),in_port(1),${IP4}` },
  { reason: 'ct_label', blocked: `ct_label(0x1/0x1),in_port(1),${IP4}`, wildcard: `ct_label(0x1/0),in_port(1),${IP4}` },
  {
    reason: 'ct_tuple4',
    blocked: `ct_tuple4(src=10.4.0.1,dst=10.5.0.1,proto=17,tp_src=1000,tp_dst=2000),in_port(1),${IP4}`,
    wildcard: `ct_tuple4(src=10.4.0.1/0.0.0.0,dst=10.5.0.1/0.0.0.0,proto=17/0,tp_src=1000/0,tp_dst=2000/0),in_port(1),${IP4}`,
  },
  {
    reason: 'ct_tuple6',
    blocked: `ct_tuple6(src=::1,dst=::2,proto=17,tp_src=1000,tp_dst=2000),in_port(1),${IP4}`,
    wildcard: `ct_tuple6(src=::1/::,dst=::2/::,proto=17/0,tp_src=1000/0,tp_dst=2000/0),in_port(1),${IP4}`,
  },
  {
    reason: 'MPLS',
    blocked: 'in_port(1),eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)',
    wildcard: 'in_port(1),eth_type(0x8847),mpls(label=100/0,tc=0/0,ttl=64/0,bos=1/0)',
  },
  {
    reason: 'IPv6 label',
    blocked: 'in_port(1),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0x12345,proto=17,tclass=0/0,hlimit=64/0,frag=no)',
    wildcard: 'in_port(1),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0x12345/0,proto=17,tclass=0/0,hlimit=64/0,frag=no)',
  },
  {
    reason: 'ND target',
    blocked: `in_port(1),${IP6},nd(target=2001:db8::1)`,
    wildcard: `in_port(1),${IP6},nd(target=2001:db8::1/::,sll=00:00:00:00:00:01/00:00:00:00:00:00,tll=00:00:00:00:00:00/00:00:00:00:00:00)`,
  },
  { reason: 'ND sll', blocked: `in_port(1),${IP6},nd(target=2001:db8::1/::,sll=00:00:00:00:00:01)` },
  { reason: 'ND tll', blocked: `in_port(1),${IP6},nd(target=2001:db8::1/::,tll=00:00:00:00:00:01)` },
  { reason: 'nd_ext', blocked: `in_port(1),${IP6},nd(target=::1/::),nd_ext(nd_reserved=0x0,nd_options_type=2)` },
  {
    reason: 'ARP',
    blocked: 'in_port(1),eth_type(0x0806),arp(sip=192.168.1.2,tip=192.168.1.77,op=1,sha=50:54:00:00:00:01/00:00:00:00:00:00,tha=00:00:00:00:00:00/00:00:00:00:00:00)',
    wildcard: 'in_port(1),eth_type(0x0806),arp(sip=192.168.1.5/0.0.0.0,tip=192.168.1.1/0.0.0.0,op=1/0,sha=50:54:00:00:00:02/00:00:00:00:00:00,tha=00:00:00:00:00:00/00:00:00:00:00:00)',
  },
  { reason: 'fragments (frag=first)', blocked: 'in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0/0,ttl=64/0,frag=first),udp(src=1,dst=2)' },
  { reason: 'fragments (frag=later)', blocked: 'in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0/0,ttl=64/0,frag=later)' },
  { reason: 'fragments (frag=first)', blocked: 'in_port(1),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0/0,proto=17,tclass=0/0,hlimit=64/0,frag=first),udp(src=1,dst=2)' },
  { reason: 'fragments (frag=later)', blocked: 'in_port(1),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0/0,proto=44,tclass=0/0,hlimit=64/0,frag=later)' },
  {
    reason: 'IGMP',
    blocked: 'in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1,dst=224.0.0.22,proto=2,tos=0/0,ttl=1/0,frag=no)',
    wildcard: 'in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1,dst=224.0.0.22,proto=2/0,tos=0/0,ttl=1/0,frag=no)',
  },
  {
    reason: 'QinQ',
    blocked: 'in_port(1),eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100),vlan(vid=200,pcp=0),encap(eth_type(0x0800)))',
  },
  { reason: 'QinQ', blocked: 'in_port(1),eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100))' },
  { reason: 'vlan cfi=0 (truncated VLAN header)', blocked: 'in_port(1),eth_type(0x8100),vlan(vid=0,pcp=0,cfi=0),encap()' },
  {
    reason: 'packet_type (not Ethernet)',
    blocked: 'in_port(1),packet_type(ns=1,id=0x800),eth_type(0x0800)',
    wildcard: 'in_port(1),packet_type(ns=1/0,id=0x800/0),eth_type(0x0800)',
  },
  { reason: 'nsh', blocked: 'in_port(1),packet_type(ns=0,id=0),eth_type(0x894f),nsh(flags=0,ttl=63,mdtype=1,np=3,spi=0x1,si=255)' },
  { reason: 'in_port not matched', blocked: IP4 },
  { reason: 'in_port partially masked (0xff)', blocked: `in_port(5/0xff),${IP4}` },
];

for (const c of MATCH_CASES) {
  test(`match: ${c.reason} — ${c.blocked}`, (t) => {
    const r = refuse(t, flow(c.blocked, '2'));
    t.is(r.reason, c.reason);
    t.false(r.portDependent);
    if (c.wildcard !== undefined) offload(t, flow(c.wildcard, '2'));
  });
}

/** DESIGN.md names OpenFlow fields that the datapath never has; a flow model carrying one as an opaque attribute is named. */
for (const name of ['metadata', 'conj_id', 'actset_output']) {
  test(`match: ${name} (an attribute ODP text has no syntax for)`, (t) => {
    const f = flow(`in_port(1),${IP4}`, '2');
    const match: KeyAttr[] = [{ kind: 'opaque', name, text: '0x1' }, ...f.match];
    const r = refuse(t, { match, actions: f.actions });
    t.is(r.reason, name);
  });
}

const ACTION_CASES: [actions: string, reason: string][] = [
  ['set(ipv4(tos=0x20/0xfc)),2', 'action set(ipv4(tos))'],
  ['set(ipv4(src=1.2.3.4,dst=10.1.1.1)),set(udp(dst=5353)),2', 'action set(ipv4(src,dst))'],
  ['set(eth(src=aa:bb:cc:dd:ee:ff)),2', 'action set(eth(src))'],
  ['set(skb_priority(0x1)),2', 'action set(skb_priority)'],
  ['ct(zone=1),recirc(0x1)', 'action ct'],
  ['recirc(0x1)', 'action recirc'],
  ['push_vlan(vid=200,pcp=0),2', 'action push_vlan'],
  ['pop_vlan,2', 'action pop_vlan'],
  ['hash(l4(0)),recirc(0x3)', 'action hash'],
  ['meter(0),2', 'action meter'],
  ['check_pkt_len(size=200,gt(2),le(3))', 'action check_pkt_len'],
  ['push_mpls(label=42,tc=0,ttl=64,bos=1,eth_type=0x8847),2', 'action push_mpls'],
  ['userspace(pid=0,slow_path(controller))', 'action userspace'],
  ['clone(2),3', 'action clone'],
  ['tnl_pop(4789)', 'action tnl_pop'],
  ['trunc(100),2', 'action trunc'],
  ['2,set(ipv4(tos=0x20/0xfc)),3', 'action set(ipv4(tos))'],
  ['2,3', '2 outputs'],
  ['1,2,3,4,5,6', '6 outputs'],
];

for (const [actions, reason] of ACTION_CASES) {
  test(`actions: ${actions} -> ${reason}`, (t) => {
    const r = refuse(t, flow(`${META},in_port(1),${IP4}`, actions));
    t.is(r.reason, reason);
    t.false(r.portDependent);
  });
}

test('ports: an input port without hw-port-id is named, and the reason depends on the port map', (t) => {
  const r = refuse(t, flow(`in_port(7),${IP4}`, '2'));
  t.is(r.reason, 'in_port 7 has no hw-port-id');
  t.true(r.portDependent);
  // The same flow offloads once port 7 has a hw-port-id.
  offload(t, flow(`in_port(7),${IP4}`, '2'), { flowId: 1 }, ports({ 7: 3, 2: 1 }));
});

test('ports: a named input port the lookup does not know, or knows without an odp port', (t) => {
  const p = ports({ 1: 0 }, { p0: null });
  t.like(refuse(t, flow(`in_port(p9),${IP4}`, '2'), { flowId: 1 }, p), { reason: 'in_port p9 is not a known port', portDependent: true });
  t.like(refuse(t, flow(`in_port(p0),${IP4}`, '2'), { flowId: 1 }, p), { reason: 'in_port p0 is not a known port', portDependent: true });
  t.like(refuse(t, flow(`in_port(p9),${IP4}`, '2'), { flowId: 1 }, { hwPortIdOf: () => 0 }), { reason: 'in_port p9 is not a known port' });
});

test('ports: a named output port the lookup does not know', (t) => {
  t.like(refuse(t, flow(`in_port(1),${IP4}`, 'p9')), { reason: 'output port p9 is not a known port', portDependent: true });
});

test('ports: an output without hw-port-id whose odp port does not fit 15 bits', (t) => {
  const r = refuse(t, flow(`in_port(1),${IP4}`, '32768'));
  t.is(r.reason, "output port 32768 (odp port 32768) has no hw-port-id and does not fit the mark's 15 port bits");
  t.true(r.portDependent);
  // With a hw-port-id, the mark carries that instead.
  const ok = offload(t, flow(`in_port(1),${IP4}`, '32768'), { flowId: 1 }, ports({ 1: 0, 32768: 9 }));
  t.is(ok.mark, 0x10009);
});

test('order: match reasons come before action reasons, and both before port reasons', (t) => {
  const none = ports({});
  t.like(translateFlow(flow(`ct_state(0x21/0x21),in_port(7),${IP4}`, 'ct(commit),2,3'), none, { flowId: 1 }), { ok: false, reason: 'ct_state', portDependent: false });
  t.like(translateFlow(flow(`in_port(7),${IP4}`, 'ct(commit),2,3'), none, { flowId: 1 }), { ok: false, reason: 'action ct', portDependent: false });
  t.like(translateFlow(flow(`in_port(7),${IP4}`, '2,3'), none, { flowId: 1 }), { ok: false, reason: '2 outputs', portDependent: false });
  t.like(translateFlow(flow(`in_port(7),${IP4}`, '2'), none, { flowId: 1 }), { ok: false, reason: 'in_port 7 has no hw-port-id', portDependent: true });
  // Within the match, the first attribute in OVS's order wins (recirc_id before dp_hash).
  t.like(translateFlow(flow(`recirc_id(0x3),dp_hash(0x1/0xf),in_port(1),${IP4}`, '2'), ports(), { flowId: 1 }), { ok: false, reason: 'recirc_id != 0' });
});

test('the zero-masked metadata of every -m dump line does not block offload', (t) => {
  const r = offload(t, flow(`${META},ct_tuple4(src=0.0.0.0/0.0.0.0,dst=0.0.0.0/0.0.0.0,proto=0/0,tp_src=0/0,tp_dst=0/0),in_port(1),packet_type(ns=0,id=0),${IP4}`, '2'));
  t.is(r.fate, 'mark');
});
