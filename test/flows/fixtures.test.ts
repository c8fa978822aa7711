/**
 * The OVS 3.1 dumps in test/fixtures (copied from shared/fixtures): every line reads and writes back byte for byte, the typed
 * model holds what the text says, and names resolve to the numbers of the same dump taken with
 * --no-names.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import {
  findKey, formatFlow, formatIpv6, formatMac, isDrop, isMaskedSet, parseDpctlShow, parseDump, parseFlow, portNumbers, resolvePortNames,
  type DpFlow, type SetAction,
} from '../../src/flows/odp';

const DIR = path.resolve(__dirname, '../../../test/fixtures/ovs-3.1');
const read = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');
const DUMPS = ['megaflows-dump-m.txt', 'megaflows-dump-m-nonames.txt', 'megaflows-tunnel-dump-m.txt'];

function flowLines(name: string): string[] {
  return read(name).split('\n').filter((l) => l.startsWith('ufid:'));
}

for (const name of DUMPS) {
  test(`every line of ${name} parses and formats back identically`, (t) => {
    const lines = flowLines(name);
    t.true(lines.length >= 11);
    for (const line of lines) t.is(formatFlow(parseFlow(line)), line);
  });
}

test('parseDump reads whole dumps, skipping the header line', (t) => {
  const { flows, errors } = parseDump(read('megaflows-dump-m.txt'));
  t.is(errors.length, 0);
  t.is(flows.length, 47);
  t.is(new Set(flows.map((f) => f.ufid)).size, 47);
});

function byUfid(name: string, ufid: string): DpFlow {
  const f = flowLines(name).map(parseFlow).find((x) => x.ufid === ufid);
  if (!f) throw new Error(`no flow ${ufid} in ${name}`);
  return f;
}

test('the model holds typed values and masks (IPv6, UDP, set eth)', (t) => {
  const f = byUfid('megaflows-dump-m-nonames.txt', '1de117b4-df58-4ca7-a3da-f84eb3479ea0');
  t.deepEqual(findKey(f.match, 'in_port'), { kind: 'in_port', port: 1, mask: 0xffffffff });
  const eth = findKey(f.match, 'eth');
  t.is(formatMac(eth!.src!.value), '50:54:00:00:00:01');
  t.is(eth!.src!.value, 0x505400000001);
  t.is(eth!.src!.mask, 0xffffffffffff);
  t.is(eth!.dst!.mask, 0);
  t.deepEqual(findKey(f.match, 'eth_type'), { kind: 'eth_type', value: 0x86dd, mask: 0xffff });
  const ip6 = findKey(f.match, 'ipv6')!;
  t.is(formatIpv6(ip6.src!.value), '2001:db8:1::5');
  t.is(formatIpv6(ip6.src!.mask), 'ffff:ffff:ffff::');
  t.deepEqual(ip6.src!.value, [0x2001, 0xdb8, 1, 0, 0, 0, 0, 5]);
  t.deepEqual(ip6.src!.mask, [0xffff, 0xffff, 0xffff, 0, 0, 0, 0, 0]);
  t.deepEqual(ip6.proto, { value: 17, mask: 0xff });
  t.deepEqual(ip6.hlimit, { value: 64, mask: 0 });
  t.is(ip6.frag, 'no');
  t.deepEqual(findKey(f.match, 'udp'), { kind: 'udp', src: { value: 5555, mask: 0 }, dst: { value: 4000, mask: 0xffff } });
  t.deepEqual(f.stats, { packets: 0, bytes: 0, usedMs: null, tcpFlags: 0 });
  t.is(f.dp, 'ovs');
  t.is(f.dpExtraInfo, 'miniflow_bits(5,3)');
  t.is(f.actions.length, 2);
  const set = f.actions[0] as SetAction;
  t.is(set.kind, 'set');
  t.is(set.key.kind, 'eth');
  t.true(isMaskedSet(set));
  t.deepEqual(f.actions[1], { kind: 'output', port: 5 });
});

test('the model holds conntrack, recirculation and stats', (t) => {
  const f = byUfid('megaflows-dump-m-nonames.txt', 'bcdc84f9-a08a-49d4-b389-a0506777688a');
  t.deepEqual(findKey(f.match, 'ct_state'), { kind: 'ct_state', value: 0x21, mask: 0x21 });
  t.deepEqual(findKey(f.match, 'ct_zone'), { kind: 'ct_zone', value: 1, mask: 0 });
  t.deepEqual(findKey(f.match, 'recirc_id'), { kind: 'recirc_id', value: 1, mask: 0xffffffff });
  const tuple = findKey(f.match, 'ct_tuple4')!;
  t.deepEqual(tuple.tpDst, { value: 2000, mask: 0 });
  t.is(tuple.src!.value, 0x0a040001);
  t.deepEqual(f.stats, { packets: 1, bytes: 54, usedMs: 1712, tcpFlags: 0x02 });
  t.deepEqual(f.actions, [{ kind: 'ct', commit: true, zone: 1 }, { kind: 'output', port: 5 }]);
  const g = byUfid('megaflows-dump-m-nonames.txt', '44ed05c8-c599-44db-a50a-70e47fd4cd01');
  t.deepEqual(g.actions, [{ kind: 'ct', zone: 1 }, { kind: 'recirc', id: 1 }]);
});

test('the model holds TCP flags, VLAN/QinQ encap, drops and nested actions', (t) => {
  const plus = byUfid('megaflows-dump-m-nonames.txt', '673ef800-2fc1-43ac-a9e8-9c91d6e59878');
  t.deepEqual(findKey(plus.match, 'tcp_flags'), { kind: 'tcp_flags', value: 0x02, mask: 0x12 });
  const vlan = byUfid('megaflows-dump-m-nonames.txt', '5f06e337-0a8f-4642-be1b-3c742da707ce');
  t.deepEqual(findKey(vlan.match, 'vlan'), { kind: 'vlan', vid: { value: 100, mask: 0xfff }, pcp: { value: 0, mask: 7 } });
  const encap = findKey(vlan.match, 'encap')!;
  t.deepEqual(encap.keys.map((k) => k.kind), ['eth_type', 'ipv4', 'udp']);
  t.deepEqual(vlan.actions, [{ kind: 'pop_vlan' }, { kind: 'output', port: 4 }]);
  const qinq = byUfid('megaflows-dump-m-nonames.txt', 'd31e458f-4f06-4c03-970b-50e3e72cd14c');
  t.deepEqual(findKey(qinq.match, 'eth_type'), { kind: 'eth_type', value: 0x88a8, mask: 0xffff });
  t.deepEqual(findKey(qinq.match, 'encap'), { kind: 'encap', keys: [{ kind: 'eth_type', value: 0x8100, mask: 0xffff }] });
  const frag = byUfid('megaflows-dump-m-nonames.txt', 'd21a9ed9-e33c-4444-b49c-e19a99102253');
  t.is(findKey(frag.match, 'ipv4')!.frag, 'first');
  t.deepEqual(frag.actions, []);
  t.true(isDrop(frag.actions));
  const cpl = byUfid('megaflows-dump-m-nonames.txt', '641741da-0043-4fda-b19a-49caeced2f0d');
  t.deepEqual(cpl.actions, [{ kind: 'check_pkt_len', size: 200, gt: [{ kind: 'output', port: 2 }], le: [{ kind: 'output', port: 3 }] }]);
  const mpls = byUfid('megaflows-dump-m-nonames.txt', 'f0beef62-d5a1-4dc4-9058-58972a1908ad');
  t.deepEqual(mpls.actions[0], { kind: 'push_mpls', label: 42, tc: 0, ttl: 64, bos: 1, ethType: 0x8847 });
  const ctl = byUfid('megaflows-dump-m-nonames.txt', '1d866173-0d46-40b1-a9bc-d14e70455ad5');
  t.deepEqual(ctl.actions, [{
    kind: 'userspace', pid: 0,
    cookie: { type: 'controller', reason: 1, dontSend: 0, continuation: 0, recircId: 2, ruleCookie: 0n, controllerId: 0, maxLen: 65535 },
  }]);
});

test('the model holds tunnel metadata and tnl_push headers', (t) => {
  const gre = byUfid('megaflows-tunnel-dump-m.txt', 'b7aef9ae-be9b-4a74-9387-6ff14e92fd81');
  const tun = findKey(gre.match, 'tunnel')!;
  t.deepEqual(tun.tunId, { value: 0x315n, mask: (1n << 64n) - 1n });
  t.deepEqual(tun.ttl, { value: 64, mask: 0 });
  t.deepEqual(tun.flags, { value: 0x8, mask: 0xe });
  t.deepEqual(findKey(gre.match, 'in_port'), { kind: 'in_port', port: 'gre_sys', mask: 0xffffffff });
  const gen = byUfid('megaflows-tunnel-dump-m.txt', '994fbbcf-289f-434e-bbf4-9c171fdf8883');
  t.deepEqual(findKey(gen.match, 'tunnel')!.geneve, []);
  const push = byUfid('megaflows-tunnel-dump-m.txt', '9ec08bcd-1de1-42c6-906f-082f23d3e101');
  const a = push.actions[0];
  if (a.kind !== 'tnl_push') return t.fail('expected tnl_push');
  t.is(a.tnlPort, 'gre_sys');
  t.is(a.outPort, 'br-phy');
  t.is(a.header.size, 42);
  t.is(formatMac(a.header.ethDst), 'f8:bc:12:44:34:b8');
  t.deepEqual(a.header.ip, { version: 4, src: 0x0a630001, dst: 0x0a630004, proto: 47, tos: 0, ttl: 64, frag: 0x4000 });
  t.deepEqual(a.header.tunnel, { type: 'gre', flags: 0x2000, proto: 0x6558, key: 0x315 });
  t.deepEqual(push.actions[1], { kind: 'output', port: 'phy0' });
  const pop = byUfid('megaflows-tunnel-dump-m.txt', 'dfb127c7-e67c-4cbd-9d16-1b42524c0196');
  t.deepEqual(pop.actions, [{ kind: 'tnl_pop', port: 'genev_sys_6081' }]);
});

test('port names resolve to the numbers of the --no-names dump of the same flows', (t) => {
  const show = parseDpctlShow(read('megaflows-dpctl-show.txt'));
  t.is(show.datapath, 'netdev@ovs-netdev');
  t.deepEqual(show.ports.find((p) => p.name === 'br0'), { number: 100, name: 'br0', type: 'dummy-internal' });
  const numbers = portNumbers(show);
  const named = new Map(flowLines('megaflows-dump-m.txt').map(parseFlow).map((f) => [f.ufid, f]));
  let compared = 0;
  for (const f of flowLines('megaflows-dump-m-nonames.txt').map(parseFlow)) {
    const n = named.get(f.ufid);
    if (!n) continue;
    const strip = (x: DpFlow): string => formatFlow({ ufid: x.ufid, match: x.match, actions: x.actions });
    t.is(strip(resolvePortNames(n, numbers)), strip(f));
    compared++;
  }
  t.true(compared >= 40, `compared ${compared}`);
});

test('dpctl/show of tunnel ports keeps their type and config', (t) => {
  const show = parseDpctlShow(read('megaflows-tunnel-dpctl-show.txt'));
  t.deepEqual(show.ports.find((p) => p.number === 4789), { number: 4789, name: 'vxlan_sys_4789', type: 'vxlan', config: 'packet_type=ptap' });
});
