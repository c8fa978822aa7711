/**
 * A scenario for a real ovs-vswitchd (see src/sandbox/vswitchd.ts): OpenFlow rules and packets
 * that make the userspace datapath install many different megaflows (IPv4/IPv6, TCP/UDP/SCTP/ICMP,
 * VLAN, QinQ, ARP, fragments, drops, several outputs, set actions, push/pop VLAN, MPLS, conntrack
 * with recirculation, select groups with dp_hash, check_pkt_len, controller).
 */
import type { VswitchdPort } from '../../src/sandbox/vswitchd';

/**
 * `other_config` of the Open_vSwitch row for the scenario. `vlan-limit=2`: OVS parses both tags of
 * a QinQ packet (its default, 1, stops at the outer one and the megaflow has no inner vlan()), so
 * the double-tagged packet below gives `vlan(..),encap(eth_type(0x8100),vlan(..),encap(eth_type(0x0800),..))`.
 */
export const OTHER_CONFIG: Readonly<Record<string, string>> = { 'vlan-limit': '2' };

export const PORTS: VswitchdPort[] = [1, 2, 3, 4, 5, 6].map((n) => ({ name: `p${n}`, ofport: n }));

export const GROUPS = ['group_id=1,type=select,selection_method=dp_hash,bucket=output:3,bucket=output:4'];

export const OPENFLOW_RULES = [
  'table=0,priority=200,in_port=1,dl_type=0x88cc,actions=controller',
  'table=0,priority=200,in_port=1,dl_type=0x88b5,actions=drop',
  'table=0,priority=150,in_port=1,udp,nw_dst=192.168.1.8,nw_frag=first,actions=drop',
  'table=0,priority=150,in_port=1,udp,nw_dst=192.168.1.8,nw_frag=later,actions=output:4',
  'table=0,priority=140,in_port=1,udp,nw_dst=192.168.1.8,actions=output:3',
  'table=0,priority=100,in_port=1,udp,nw_dst=192.168.1.9,actions=output:2',
  'table=0,priority=100,in_port=1,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2',
  'table=0,priority=100,in_port=1,tcp,nw_dst=10.0.0.0/24,tp_dst=22,actions=drop',
  'table=0,priority=100,in_port=1,tcp,tp_dst=8080,tcp_flags=+syn-ack,actions=output:4',
  'table=0,priority=100,in_port=1,icmp,nw_dst=10.9.0.6,actions=output:2,output:3',
  'table=0,priority=100,in_port=1,sctp,tp_dst=5000,actions=output:5',
  'table=0,priority=100,in_port=1,udp,tp_dst=53,actions=mod_nw_dst:10.1.1.1,mod_tp_dst:5353,output:2',
  'table=0,priority=100,in_port=1,udp,tp_dst=7001,actions=group:1',
  'table=0,priority=100,in_port=1,udp,tp_dst=7002,actions=output:4,mod_nw_tos:32,output:5',
  'table=0,priority=100,in_port=1,udp,tp_dst=7004,actions=check_pkt_larger(200)->NXM_NX_REG0[0],resubmit(,2)',
  'table=0,priority=100,in_port=1,udp,tp_dst=7005,actions=mod_nw_src:1.2.3.4,mod_tp_src:999,output:6',
  'table=0,priority=100,in_port=1,udp,tp_dst=7008,actions=push_mpls:0x8847,set_field:42->mpls_label,output:3',
  'table=0,priority=100,in_port=1,udp,nw_dst=172.16.0.0/12,actions=mod_dl_dst:02:00:00:00:00:99,dec_ttl,output:5',
  'table=0,priority=100,in_port=1,tcp6,tp_dst=443,actions=output:4',
  'table=0,priority=100,in_port=1,udp6,tp_dst=4000,actions=mod_dl_src:aa:bb:cc:dd:ee:ff,output:5',
  'table=0,priority=100,in_port=1,udp6,tp_dst=7006,actions=set_field:2001:db8::99->ipv6_dst,set_field:7->ipv6_label,mod_tp_dst:8006,output:6',
  'table=0,priority=100,in_port=1,icmp6,icmp_type=128,actions=output:3',
  'table=0,priority=100,in_port=1,arp,arp_tpa=192.168.1.77,actions=output:2,output:3,output:4',
  'table=0,priority=90,in_port=1,arp,actions=output:2',
  'table=0,priority=100,in_port=1,dl_vlan=100,ip,actions=strip_vlan,output:4',
  'table=0,priority=100,in_port=1,dl_vlan=300,udp,actions=mod_vlan_vid:301,output:2,output:3',
  'table=0,priority=100,in_port=1,dl_vlan=400,actions=drop',
  'table=0,priority=100,in_port=2,ip,actions=mod_vlan_vid:200,output:1',
  'table=0,priority=100,in_port=2,ipv6,actions=mod_vlan_vid:100,output:1',
  'table=0,priority=100,in_port=4,udp,actions=ct(zone=1,table=1)',
  'table=0,priority=100,in_port=5,udp,actions=ct(zone=1,table=1)',
  'table=0,priority=100,in_port=6,ip,actions=output:1,output:2,output:3',
  'table=0,priority=1,actions=drop',
  'table=1,priority=100,ct_state=+trk+new,in_port=4,udp,actions=ct(commit,zone=1),output:5',
  'table=1,priority=100,ct_state=+trk+est,in_port=5,udp,actions=output:4',
  'table=1,priority=50,actions=drop',
  'table=2,priority=100,reg0=1,actions=output:2',
  'table=2,priority=100,reg0=0,actions=output:3',
];

const MAC1 = '50:54:00:00:00:01';
const MAC2 = '50:54:00:00:00:02';
const eth = (src = MAC1, dst = MAC2): string => `eth(src=${src},dst=${dst})`;
const ip4 = (src: string, dst: string, proto: number, frag = 'no', tos = 0): string =>
  `eth_type(0x0800),ipv4(src=${src},dst=${dst},proto=${proto},tos=${tos},ttl=64,frag=${frag})`;
const ip6 = (src: string, dst: string, proto: number): string =>
  `eth_type(0x86dd),ipv6(src=${src},dst=${dst},label=0,proto=${proto},tclass=0,hlimit=64,frag=no)`;
const udp = (s: number, d: number): string => `udp(src=${s},dst=${d})`;
const tcp = (s: number, d: number, flags = ''): string => `tcp(src=${s},dst=${d})${flags ? `,tcp_flags(${flags})` : ''}`;

/** [port, packet in netdev-dummy/receive syntax]. */
export const PACKETS: Array<[string, string]> = [
  ['p1', `${eth()},${ip4('192.168.1.2', '192.168.1.9', 17)},${udp(1111, 2222)}`],
  ['p1', `${eth()},${ip4('192.168.1.2', '192.168.1.8', 17)},${udp(10025, 10026)}`],
  ['p1', `${eth()},${ip4('192.168.1.2', '192.168.1.8', 17, 'first')},${udp(10025, 10026)}`],
  ['p1', `${eth()},${ip4('192.168.1.2', '192.168.1.8', 17, 'later')}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.0.0.5', 6)},${tcp(40000, 80)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.0.0.5', 6)},${tcp(40001, 22)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.5', 6)},${tcp(40002, 8080, 'syn')}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.5', 6)},${tcp(40002, 8080, 'ack')}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.6', 1)},icmp(type=8,code=0)`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.6', 1)},icmp(type=0,code=0)`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.8', 132)},sctp(src=4999,dst=5000)`],
  ['p1', `${eth()},${ip4('192.168.1.3', '8.8.8.8', 17)},${udp(3333, 53)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 7001)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 7002)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 7004)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 7005)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 7008)}`],
  ['p1', `${eth()},${ip4('192.168.1.3', '172.16.5.5', 17)},${udp(1, 2)}`],
  ['p1', `${eth()},${ip6('2001:db8::5', '2001:db8::9', 6)},${tcp(5555, 443)}`],
  ['p1', `${eth()},${ip6('2001:db8:1::5', '2001:db8::9', 17)},${udp(5555, 4000)}`],
  ['p1', `${eth()},${ip6('2001:db8::5', '2001:db8::9', 17)},${udp(5, 7006)}`],
  ['p1', `${eth()},${ip6('2001:db8::5', '2001:db8::9', 58)},icmpv6(type=128,code=0)`],
  ['p1', `${eth()},${ip6('2001:db8::5', '2001:db8::2', 17)},${udp(9, 9)}`],
  ['p1', `${eth(MAC1, 'ff:ff:ff:ff:ff:ff')},eth_type(0x0806),arp(sip=192.168.1.2,tip=192.168.1.77,op=1,sha=${MAC1},tha=00:00:00:00:00:00)`],
  ['p1', `${eth(MAC1, 'ff:ff:ff:ff:ff:ff')},eth_type(0x0806),arp(sip=192.168.1.2,tip=192.168.1.1,op=1,sha=${MAC1},tha=00:00:00:00:00:00)`],
  ['p1', `${eth()},eth_type(0x8100),vlan(vid=100,pcp=0),encap(${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 2)})`],
  ['p1', `${eth()},eth_type(0x8100),vlan(vid=300,pcp=5),encap(${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 2)})`],
  ['p1', `${eth()},eth_type(0x8100),vlan(vid=400,pcp=1),encap(${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 2)})`],
  ['p1', `${eth()},eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100),vlan(vid=200,pcp=0),encap(${ip4('192.168.1.3', '10.9.0.7', 17)},${udp(1, 2)}))`],
  ['p1', `${eth(MAC1, '01:80:c2:00:00:0e')},eth_type(0x88cc)`],
  ['p1', `${eth()},eth_type(0x88b5)`],
  ['p2', `${eth(MAC2, MAC1)},${ip4('10.9.0.7', '192.168.1.3', 17)},${udp(2, 1)}`],
  ['p2', `${eth(MAC2, MAC1)},${ip6('2001:db8::7', '2001:db8::3', 17)},${udp(2, 1)}`],
  ['p4', `${eth('50:54:00:00:00:04', '50:54:00:00:00:05')},${ip4('10.4.0.1', '10.5.0.1', 17)},${udp(1000, 2000)}`],
  ['p5', `${eth('50:54:00:00:00:05', '50:54:00:00:00:04')},${ip4('10.5.0.1', '10.4.0.1', 17)},${udp(2000, 1000)}`],
  ['p6', `${eth('50:54:00:00:00:06', MAC1)},${ip4('10.6.0.1', '10.4.0.1', 17)},${udp(6, 6)}`],
  ['p6', `${eth('50:54:00:00:00:06', MAC1)},${ip4('10.6.0.1', '10.4.0.1', 6)},${tcp(6, 6)}`],
  ['p3', `${eth('50:54:00:00:00:03', MAC1)},${ip4('192.168.1.30', '192.168.1.2', 17)},${udp(1, 2)}`],
];
