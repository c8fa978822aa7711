/**
 * The text forms OVS uses that the fixtures do not all show: number syntaxes, IPv6 as glibc
 * writes it, flag notations, masks, and the errors for bad text.
 */
import test from 'ava';
import {
  findKey, formatActions, formatFlow, formatIpv6, formatMatch, isMaskedSet, OdpParseError, parseActions, parseFlow, parseMatch,
} from '../../src/flows/odp';
import { parseIpv6 } from '../../src/flows/odp/addr';

const v6 = (s: string): string => {
  const a = parseIpv6(s, 0, s.length);
  if (!a) throw new Error(`bad ${s}`);
  return formatIpv6(a);
};

test('IPv6 addresses are written as inet_ntop writes them', (t) => {
  t.is(v6('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  t.is(v6('0:0:0:0:0:0:0:0'), '::');
  t.is(v6('0:0:0:0:0:0:0:1'), '::1');
  t.is(v6('1:0:0:2:0:0:0:3'), '1:0:0:2::3');
  t.is(v6('1:0:0:2:0:0:3:4'), '1::2:0:0:3:4');
  t.is(v6('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7');
  t.is(v6('ffff:ffff:ffff:0:0:0:0:0'), 'ffff:ffff:ffff::');
  t.is(v6('::ffff:1.2.3.4'), '::ffff:1.2.3.4');
  t.is(v6('::1.2.3.4'), '::1.2.3.4');
  t.is(v6('::0.0.1.1'), '::101');
  t.is(v6('0:0:0:0:0:1:0:0'), '::1:0:0');
  t.is(v6('::ffff:0:0'), '::ffff:0.0.0.0');
  t.is(parseIpv6('1::2::3', 0, 7), null);
  t.is(parseIpv6('12345::', 0, 7), null);
  t.is(parseIpv6('1:2:3:4:5:6:7:8:9', 0, 17), null);
});

test('numbers are read as C %i reads them (hex, octal, decimal) and written as OVS writes them', (t) => {
  const m = parseMatch('in_port(010),eth_type(2048),ipv4(proto=0x11,ttl=0100/0xff,tos=184/252),udp(src=0x10/0xfff0,dst=017)');
  t.deepEqual(findKey(m, 'in_port'), { kind: 'in_port', port: 8, mask: 0xffffffff });
  t.is(formatMatch(m), 'in_port(8),eth_type(0x0800),ipv4(proto=17,tos=0xb8/0xfc,ttl=64),udp(src=16/0xfff0,dst=15)');
});

test('ct_state and tcp_flags accept the flag notations and are written the OVS -m way', (t) => {
  t.deepEqual(findKey(parseMatch('ct_state(+trk+new-est)'), 'ct_state'), { kind: 'ct_state', value: 0x21, mask: 0x23 });
  t.is(formatMatch(parseMatch('ct_state(+trk+new-est)')), 'ct_state(0x21/0x23)');
  t.is(formatMatch(parseMatch('ct_state(trk|est)')), 'ct_state(0x22)');
  t.is(formatMatch(parseMatch('tcp_flags(syn|ack)')), 'tcp_flags(syn|ack)');
  t.is(formatMatch(parseMatch('tcp_flags(0x12/0x12)')), 'tcp_flags(+syn+ack)');
  t.is(formatMatch(parseMatch('tcp_flags(0)')), 'tcp_flags(0)');
  t.throws(() => parseMatch('tcp_flags(+syn+syn)'), { instanceOf: OdpParseError, message: /given twice/ });
  t.throws(() => parseMatch('ct_state(+bogus)'), { instanceOf: OdpParseError, message: /unknown ct_state flag "bogus"/ });
});

test('non-verbose text (fields left out) keeps what was written', (t) => {
  for (const text of [
    'in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.0.0.1,frag=no),udp(dst=53)',
    'recirc_id(0),in_port(2),eth(dst=00:00:00:00:00:01/01:00:00:00:00:00),eth_type(0x8100),vlan(vid=5,cfi=0),encap(eth_type(0x86dd),ipv6(dst=fe80::1/ffff::),icmpv6(type=135),nd(target=fe80::2))',
    'mpls(label=100,tc=0,ttl=64,bos=0,label=200,tc=1,ttl=63,bos=1),mpls(label=7/0xfffff,tc=0/7,ttl=0/0x0,bos=1/1)',
    'tunnel(tun_id=0x0,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ttl=64,tp_dst=4789,vxlan(gbp(id=10,flags=0x1)),flags(key)),in_port(4789)',
    'tunnel(geneve({class=0xffff,type=0x80,len=4,0xa/0xf}{class=0x102,type=0x1,len=0}),flags(0/0)),ct_tuple6(src=::1,dst=::2,proto=6,src_port=1,dst_port=2)',
    'arp(sip=1.2.3.4/255.255.0.0,op=2),nd_ext(nd_reserved=0x1,nd_options_type=3),packet_type(ns=1,id=0x894f),nsh(spi=0x1,si=255)',
  ]) t.is(formatMatch(parseMatch(text)), text);
});

test('QinQ: encap nested two levels (vlan-limit=2) is read as nested attributes and written back', (t) => {
  // As ovs-vswitchd 3.1 dumps the megaflow of a double-tagged packet.
  const line = 'ufid:e86c1bcb-220b-4b2e-a7a4-8f3716de3c1a, skb_priority(0/0),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),ct_mark(0/0),' +
    'ct_label(0/0),recirc_id(0),dp_hash(0/0),in_port(1),packet_type(ns=0,id=0),eth(src=50:54:00:00:00:01/00:00:00:00:00:00,' +
    'dst=50:54:00:00:00:02/00:00:00:00:00:00),eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100),vlan(vid=200,pcp=0),' +
    'encap(eth_type(0x0800),ipv4(src=192.168.1.3/0.0.0.0,dst=10.9.0.7,proto=17,tos=0/0,ttl=64/0,frag=no),udp(src=1/0,dst=2/0xffe0))), ' +
    'packets:0, bytes:0, used:never, dp:ovs, actions:pop_vlan,4, dp-extra-info:miniflow_bits(4,3)';
  const f = parseFlow(line);
  t.is(formatFlow(f), line);
  const outer = f.match[f.match.length - 1];
  if (outer.kind !== 'encap') return t.fail('the last attribute is not encap');
  t.deepEqual(outer.keys.map((k) => k.kind), ['eth_type', 'vlan', 'encap']);
  t.deepEqual(outer.keys[1], { kind: 'vlan', vid: { value: 200, mask: 0xfff }, pcp: { value: 0, mask: 7 } });
  const inner = outer.keys[2];
  if (inner.kind !== 'encap') return t.fail('no encap inside encap');
  t.deepEqual(inner.keys.map((k) => k.kind), ['eth_type', 'ipv4', 'udp']);
  t.is(findKey(inner.keys, 'eth_type')?.value, 0x0800);
  t.is(formatMatch(parseMatch('vlan(vid=5),encap(eth_type(0x8100),vlan(vid=6),encap())')), 'vlan(vid=5),encap(eth_type(0x8100),vlan(vid=6),encap())');
});

test('action forms OVS writes round-trip', (t) => {
  for (const text of [
    'drop',
    'ct(commit,zone=5,mark=0x1/0xff,label=0x1/0xff,helper=ftp,timeout=t1,nat(src=10.0.0.1-10.0.0.9:1000-2000,persistent,random)),recirc(0x5)',
    'ct(nat(dst=[2001:db8::1]-[2001:db8::9]:80,hash)),ct(nat),ct,ct_clear',
    'push_vlan(tpid=0x88a8,vid=10,pcp=3,cfi=0),pop_vlan,pop_mpls(eth_type=0x800),add_mpls(label=5,tc=1,ttl=9,bos=0,eth_type=0x8847)',
    'sample(sample=50.0%,actions(1,2)),clone(drop),check_pkt_len(size=1500,gt(drop),le(3)),trunc(100),lb_output(2),meter(7)',
    'userspace(pid=4,sFlow(vid=1,pcp=2,output=3)),userspace(pid=1,slow_path(match)),userspace(pid=2,flow_sample(probability=65535,collector_set_id=1,obs_domain_id=2,obs_point_id=3,output_port=4,egress),actions,tunnel_out_port=7)',
    'userspace(pid=3,ipfix(output_port=br0)),userspace(pid=0,userdata(0102ff)),push_eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),pop_eth,pop_nsh()',
    'hash(sym_l4(7)),set(tunnel(tun_id=0x5,dst=1.1.1.1,ttl=64,flags(df|key))),set(skb_mark(0x1)),action99(01 02),push_nsh(flags=0,ttl=63,mdtype=1,np=3,spi=0x1,si=255,c1=0x0,c2=0x0,c3=0x0,c4=0x0)',
    'tnl_push(tnl_port(4789),header(size=70,type=4,eth(dst=00:00:00:00:00:01,src=00:00:00:00:00:02,dl_type=0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,proto=17,tclass=0x0,hlimit=64),udp(src=0,dst=4789,csum=0xffff),vxlan(flags=0x8000000,vni=0x1)),out_port(100))',
    'tnl_push(tnl_port(3),header(size=50,type=5,eth(dst=00:00:00:00:00:01,src=00:00:00:00:00:02,dl_type=0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0x0),geneve(oam,crit,vni=0x2,options({class=0x102,type=0x80,len=4,0xa}))),out_port(1))',
    'tnl_push(tnl_port(9),header(size=38,type=107,eth(dst=00:00:00:00:00:01,src=00:00:00:00:00:02,dl_type=0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=47,tos=0,ttl=64,frag=0x4000),erspan(ver=2,sid=0x1,dir=1,hwid=0x4)),out_port(1))',
  ]) t.is(formatActions(parseActions(text)), text);
});

test('OVS normalisations are applied when reading (zone 0, empty mask, equal range ends)', (t) => {
  t.is(formatActions(parseActions('ct(zone=0,mark=0x5/0)')), 'ct');
  t.is(formatActions(parseActions('ct(nat(src=1.1.1.1-1.1.1.1:5-5,persistent))')), 'ct(nat(src=1.1.1.1:5,persistent))');
  t.is(formatActions(parseActions('ct(nat(persistent))')), 'ct(nat)');
  t.is(formatActions(parseActions('actions:1,drop')), '1,drop');
  t.deepEqual(parseActions('drop'), []);
});

test('the common wildcarded metadata reads the same in one piece or field by field', (t) => {
  const common = 'skb_priority(0/0),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),recirc_id(0),dp_hash(0/0)';
  const fast = parseMatch(`${common},in_port(1)`);
  const slow = parseMatch(`${common.replace(/,/g, ', ')},in_port(1)`);
  t.deepEqual(fast, slow);
  t.is(fast.length, 9);
  t.is(formatMatch(slow), `${common},in_port(1)`);
  // Almost the same text is read field by field and written as it was.
  for (const text of [`${common.replace('recirc_id(0)', 'recirc_id(0x1)')},in_port(1)`, common.replace('dp_hash(0/0)', 'dp_hash(0)'), `in_port(1),${common}`]) {
    t.is(formatMatch(parseMatch(text)), text);
  }
});

test('labels may follow attributes without a space; set actions tell masked from plain', (t) => {
  const f = parseFlow('in_port(1),eth_type(0x0800),actions:set(ipv4(src=1.2.3.4,dst=5.6.7.8,proto=6,tos=0,ttl=9,frag=no)),set(udp(dst=5)),set(skb_mark(0x1/0xf))');
  t.is(f.match.length, 2);
  t.deepEqual(f.actions.map((a) => a.kind === 'set' && isMaskedSet(a)), [false, true, true]);
});

test('a flow without stats keeps its layout; stats need packets, bytes and used', (t) => {
  const line = 'in_port(1),eth_type(0x0800), actions:2';
  t.is(formatFlow(parseFlow(line)), line);
  t.is(formatFlow(parseFlow('  ufid:1DE117B4-DF58-4CA7-A3DA-F84EB3479EA0, in_port(1), packets:3, bytes:9, used:0.5s, flags:SFPRU.ECN[200], actions:drop  ')),
    'ufid:1de117b4-df58-4ca7-a3da-f84eb3479ea0, in_port(1), packets:3, bytes:9, used:0.500s, flags:SFPRU.ECN[200], actions:drop');
  t.is(formatFlow(parseFlow('in_port(1), packets:0, bytes:0, used:-0.002s, actions:drop')), 'in_port(1), packets:0, bytes:0, used:-0.002s, actions:drop');
  t.throws(() => parseFlow('in_port(1), packets:1, actions:drop'), { instanceOf: OdpParseError, message: /packets:, bytes: and used:/ });
});

function errorAt(text: string): OdpParseError {
  try {
    parseFlow(text);
  } catch (err) {
    if (err instanceof OdpParseError) return err;
    throw err;
  }
  throw new Error(`no error for ${text}`);
}

test('errors name the offset, the token and what was wrong', (t) => {
  let e = errorAt('in_port(1),ipv4(src=1.2.3.400), actions:drop');
  t.is(e.position, 20);
  t.is(e.token, '1.2.3.400');
  t.regex(e.message, /^expected an IPv4 address for ipv4 src at offset 20 near "1\.2\.3\.400"$/);
  e = errorAt('in_port(1),ipv5(src=1.2.3.4), actions:drop');
  t.is(e.position, 11);
  t.regex(e.message, /unknown key attribute "ipv5"/);
  e = errorAt('in_port(1),udp(src=70000), actions:drop');
  t.regex(e.message, /udp src does not fit in 16 bits at offset 19/);
  e = errorAt('in_port(1),udp(sport=7), actions:drop');
  t.regex(e.message, /unknown field "sport" in udp/);
  e = errorAt('in_port(1),vlan(vid=4096), actions:drop');
  t.regex(e.message, /vlan vid out of range/);
  e = errorAt('in_port(1), actions:set(ipv4(src=1.2.3.4)');
  t.regex(e.message, /expected "\)"/);
  t.is(e.token, '');
  e = errorAt('in_port(1)');
  t.regex(e.message, /expected "actions:"/);
  e = errorAt('ufid:1234, in_port(1), actions:drop');
  t.regex(e.message, /expected a UUID/);
  e = errorAt('in_port(1), actions:hash(l5(0))');
  t.regex(e.message, /expected l4\( or sym_l4\(/);
  e = errorAt('in_port(1), colour:blue, actions:drop');
  t.regex(e.message, /unknown section "colour:"/);
});
