/**
 * Derived ufids and port-name resolution.
 */
import test from 'ava';
import {
  deriveUfid, formatFlow, namePorts, parseFlow, parseMatch, resolvePortNames, UnknownPortError, withUfid,
} from '../../src/flows/odp';

test('a derived ufid is a version-5 UUID that depends only on the match', (t) => {
  const a = deriveUfid(parseMatch('in_port(1),eth_type(0x0800)'));
  t.regex(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.is(deriveUfid(parseMatch('in_port(1), eth_type(2048)')), a);
  t.not(deriveUfid(parseMatch('in_port(2),eth_type(0x0800)')), a);
  t.not(deriveUfid(parseMatch('in_port(1),eth_type(0x0800/0xff00)')), a);
});

test('withUfid fills in a missing ufid and keeps a given one', (t) => {
  const f = parseFlow('in_port(1),eth_type(0x0800), actions:2');
  const g = withUfid(f);
  t.is(g.ufid, deriveUfid(f.match));
  t.is(formatFlow(g), `ufid:${g.ufid}, in_port(1),eth_type(0x0800), actions:2`);
  const h = parseFlow('ufid:1de117b4-df58-4ca7-a3da-f84eb3479ea0, in_port(1), actions:2');
  t.is(withUfid(h), h);
});

test('port names resolve to numbers everywhere a port appears, and back', (t) => {
  const f = parseFlow('in_port(vm1),encap(in_port(vm1)), actions:phy0,tnl_pop(vx),clone(br-phy),check_pkt_len(size=9,gt(vm1),le(drop)),userspace(pid=1,ipfix(output_port=vm1),tunnel_out_port=vx),tnl_push(tnl_port(vx),header(size=50,type=4,eth(dst=00:00:00:00:00:01,src=00:00:00:00:00:02,dl_type=0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x1)),out_port(br-phy))');
  const numbers = new Map([['vm1', 1], ['phy0', 4], ['vx', 4789], ['br-phy', 5]]);
  const r = resolvePortNames(f, numbers);
  t.is(formatFlow(r), 'in_port(1),encap(in_port(1)), actions:4,tnl_pop(4789),clone(5),check_pkt_len(size=9,gt(1),le(drop)),userspace(pid=1,ipfix(output_port=1),tunnel_out_port=4789),tnl_push(tnl_port(4789),header(size=50,type=4,eth(dst=00:00:00:00:00:01,src=00:00:00:00:00:02,dl_type=0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x1)),out_port(5))');
  const names = new Map([...numbers].map(([k, v]) => [v, k]));
  t.is(formatFlow(namePorts(r, names)), formatFlow(f));
  t.is(formatFlow(f), formatFlow(parseFlow(formatFlow(f))));
});

test('an unknown port name is a typed error naming it', (t) => {
  const f = parseFlow('in_port(p9), actions:1');
  const err = t.throws(() => resolvePortNames(f, new Map([['p1', 1]])), { instanceOf: UnknownPortError });
  t.is(err.port, 'p9');
  t.is(err.message, 'unknown datapath port "p9"');
});
