/**
 * Every megaflow of the OVS 3.1 fixture dumps (test/fixtures/ovs-3.1) is either translated or has
 * a reason, against a real PortTable where every datapath port has a hw-port-id (its position in
 * `dpctl/show`). The expected outcome of each line was worked out by reading the line against
 * DESIGN.md §1, and is written here by hand with the reason why; it was not produced by running
 * the translator.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { parseDpctlShow, parseDump, type DpFlow, type DpShow } from '../../../src/flows/odp';
import { renderTestpmd, translateFlow, type Translation } from '../../../src/flows/translate';
import type { RuleSpec } from '../../../src/native/rule-spec';
import { createPortsState, DEFAULT_PORTS_CONFIG, type PortTable } from '../../../src/ports/index.js';
import type { RowChange } from '../../../src/ovsdb/row-change.js';

const DIR = path.resolve(__dirname, '../../../../test/fixtures/ovs-3.1');
const read = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

/** A PortTable with one dpdk Interface per datapath port, hw-port-id = its index in dpctl/show, odp ports mirrored. */
function portTable(show: DpShow): PortTable {
  const state = createPortsState(DEFAULT_PORTS_CONFIG, { mirrorOdpPorts: true });
  const rows: RowChange[] = show.ports.map((p, i) => ({
    event: 'initial',
    table: 'Interface',
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    row: { name: p.name, type: 'dpdk', options: ['map', [['hw-port-id', String(i)]]], ofport_request: ['set', []], ofport: ['set', []] },
  }));
  state.apply(rows);
  state.apply(new Map(show.ports.map((p) => [p.name, p.number])));
  return state.table;
}

/** What a line must give: the output port's name (offloaded, MARK), 'drop' (offloaded, DROP), or a reason. */
type Expected = { out: string } | 'drop' | { reason: string };

/** megaflows-dump-m.txt: ports ovs-netdev 0, p1..p6 = odp 1..6 (hw-port-id 1..6), br0 = odp 100 (hw-port-id 7). */
const MAIN: Record<string, Expected> = {
  '1de117b4': { reason: 'action set(eth(src))' }, // rewrites the source MAC
  '44ed05c8': { reason: 'action ct' }, // ct(zone=1),recirc(0x1)
  '4e83ff79': { reason: 'action set(ipv4(tos))' }, // masked set of the DSCP bits
  '673ef800': { out: 'p4' }, // TCP dst 8080, tcp_flags(+syn-ack): flags 0x02 under 0x12
  '6d3e26f3': { reason: 'ARP' }, // ARP sip/tip/op exact (before its 6 outputs)
  'eab45270': { out: 'p4' }, // IPv6 TCP dst 443, addresses wildcarded
  'e081c385': { out: 'p4' }, // ICMP type 0/0xf8, TOS 0/0xfc
  'd21a9ed9': { reason: 'fragments (frag=first)' },
  '641741da': { reason: 'action check_pkt_len' },
  '30766f87': { out: 'p2' }, // exact IPv4 src/dst, UDP dst 2222/0xf800
  'c61a8619': { reason: 'action set(ipv4(dst))' }, // DNAT-like rewrite
  '8f0d5636': { out: 'p3' }, // IPv6 src /48, dst exact, UDP dst 8/0xfff0
  'a3848bb3': 'drop', // p5: only eth_type and frag=no matched, no actions
  'e912db5a': 'drop', // IPv6 UDP dst 9/0xfff0, no actions
  '5f06e337': { reason: 'action pop_vlan' },
  'bf2cbbd8': { reason: 'action hash' }, // hash(l4(0)),recirc(0x3)
  '752e0801': { out: 'p3' }, // ICMPv6 echo request (type 128), code wildcarded
  'bcd9c4ab': { reason: '6 outputs' }, // flood: br0,p1,p2,p4,p5,p6
  '5851c483': { out: 'p2' }, // TCP dst 80, IPv4 dst /24
  '45cca1f8': { reason: 'action set(ipv4(src))' },
  '3db195c8': 'drop', // UDP ports under partial masks, no actions
  'b415b044': { out: 'p1' }, // p3: exact eth src/dst, IPv4 only frag=no
  'bcdc84f9': { reason: 'ct_state' }, // ct_state(0x21/0x21) is the first matched field (recirc_id(0x1) follows)
  '9ebf9836': { out: 'p5' }, // SCTP dst 5000
  'b16e8fab': 'drop', // TCP dst 22, no actions
  '64fce189': { reason: 'action push_vlan' },
  '8de53144': { reason: '3 outputs' }, // p1,p2,p3
  '43dc095c': { reason: 'action push_vlan' },
  '999294b3': 'drop', // eth_type 0x88b5 only
  'a3859be6': 'drop', // p2: ARP whose every ARP field is wildcarded: only eth_type 0x0806 counts
  '4ddf60c1': 'drop', // VLAN 300 pcp 1 with inner IPv4/UDP, no actions
  '45ad7c55': 'drop', // tcp_flags(-syn+ack): flags 0x10 under 0x12
  '34c17e55': { reason: 'ct_state' }, // ct_state(0x2a/0x23)
  'f32475ae': 'drop', // p6: IPv4 proto 6 (TCP ports wildcarded: no TCP item, proto stays)
  '5941283a': { reason: 'action set(eth(dst))' }, // then set(ipv4(ttl))
  '64e8e0ad': { reason: 'recirc_id != 0' }, // recirc_id(0x3), before dp_hash(.../0xf)
  'e28b22ca': { reason: 'action set(ipv4(tos))' }, // p4,set(...),p5: the set is named before the 2 outputs
  '31f27271': { reason: 'action meter' },
  'aaba8681': { out: 'p2' }, // TCP dst 7007, no tcp_flags attribute
  'c2990a7c': { out: 'p3' }, // the original patch's example, as OVS dumps it
  'd31e458f': { reason: 'QinQ' }, // 802.1ad tag with an 802.1Q tag inside (encap(eth_type(0x8100)))
  'f0beef62': { reason: 'action push_mpls' },
  '3b3e7e4c': { reason: 'IPv6 label' }, // label=0 is exact; it comes before the set(ipv6(...)) action
  '447f1562': { reason: '2 outputs' }, // p2,p3
  '787cc0a5': { reason: 'action pop_vlan' },
  '1d866173': { reason: 'action userspace' }, // LLDP to the controller
  '29364690': { reason: 'ARP' }, // ARP tip exact
};

/** megaflows-tunnel-dump-m.txt: nothing offloads: tunnel metadata, or tunnel actions. */
const TUNNEL: Record<string, Expected> = {
  '562c9a9a': { reason: 'action tnl_push' }, // Geneve encapsulation
  'dfb127c7': { reason: 'action tnl_pop' },
  'b7aef9ae': { reason: 'tunnel metadata' }, // received on gre_sys with tun_id/src/dst
  '994fbbcf': { reason: 'tunnel metadata' }, // Geneve
  '3030e5a0': { reason: 'action tnl_pop' },
  '8bfd57c4': { reason: 'action clone' }, // clone(tnl_push(...)),tnl_push(...)
  '75ee9d9c': { reason: 'action tnl_push' }, // VXLAN
  '9ec08bcd': { reason: 'action tnl_push' }, // GRE
  '4ed8921d': { reason: 'tunnel metadata' }, // VXLAN
  'cf4d3f40': { reason: 'action tnl_push' },
  'fdbf33f9': { reason: 'action tnl_pop' },
};

function check(name: string, flows: DpFlow[], table: PortTable): { offloaded: string[]; results: Map<string, Translation> } {
  const results = new Map<string, Translation>();
  for (let i = 0; i < flows.length; i++) {
    const ufid = flows[i].ufid?.slice(0, 8) ?? '';
    results.set(ufid, translateFlow(flows[i], table, { flowId: i }));
  }
  if (results.size !== flows.length) throw new Error(`${name}: duplicate ufid prefixes`);
  return { offloaded: [...results].filter(([, r]) => r.ok).map(([u]) => u), results };
}

function expectLines(t: ExecutionContext, file: string, show: string, expected: Record<string, Expected>): Map<string, Translation> {
  const dpShow = parseDpctlShow(read(show));
  const table = portTable(dpShow);
  const { flows, errors } = parseDump(read(file));
  t.is(errors.length, 0);
  t.deepEqual(flows.map((f) => f.ufid?.slice(0, 8)).sort(), Object.keys(expected).sort(), 'every line of the dump has an expectation');
  const { offloaded, results } = check(file, flows, table);
  const wanted = Object.entries(expected).filter(([, e]) => e === 'drop' || 'out' in e).map(([u]) => u);
  t.deepEqual(offloaded.sort(), wanted.sort(), 'the set of offloaded flows');
  const numbers = new Map(dpShow.ports.map((p) => [p.name, p.number]));
  for (const [ufid, e] of Object.entries(expected)) {
    const r = results.get(ufid);
    if (r === undefined) continue;
    if (e === 'drop') {
      t.true(r.ok && r.fate === 'drop' && r.mark === null, `${ufid} drops`);
    } else if ('out' in e) {
      const odp = numbers.get(e.out);
      const hw = dpShow.ports.findIndex((p) => p.name === e.out);
      t.true(r.ok && r.fate === 'mark' && r.outPort?.odpPort === odp && r.mark === ((flows.findIndex((f) => f.ufid?.startsWith(ufid)) << 16) | hw), `${ufid} marks for ${e.out}`);
    } else {
      t.like(r, { ok: false, reason: e.reason, portDependent: false }, ufid);
    }
  }
  return results;
}

test('megaflows-dump-m.txt (names): 20 of 47 offload, the rest have their reasons', (t) => {
  const results = expectLines(t, 'megaflows-dump-m.txt', 'megaflows-dpctl-show.txt', MAIN);
  t.is([...results.values()].filter((r) => r.ok).length, 20);
});

test('megaflows-dump-m-nonames.txt (numbers) gives the same outcomes', (t) => {
  expectLines(t, 'megaflows-dump-m-nonames.txt', 'megaflows-dpctl-show.txt', MAIN);
});

test('megaflows-tunnel-dump-m.txt: none of the 11 offload', (t) => {
  const results = expectLines(t, 'megaflows-tunnel-dump-m.txt', 'megaflows-tunnel-dpctl-show.txt', TUNNEL);
  t.is(results.size, 11);
});

function fixtureFlow(ufidPrefix: string): { flow: DpFlow; table: PortTable } {
  const flow = parseDump(read('megaflows-dump-m.txt')).flows.find((f) => f.ufid?.startsWith(ufidPrefix));
  if (flow === undefined) throw new Error(`no flow ${ufidPrefix}`);
  return { flow, table: portTable(parseDpctlShow(read('megaflows-dpctl-show.txt'))) };
}

test('fixture 4ddf60c1: VLAN 300 pcp 1 drop, rule written from DESIGN.md', (t) => {
  const { flow, table } = fixtureFlow('4ddf60c1');
  const r = translateFlow(flow, table, { flowId: 0 });
  const expected: RuleSpec = {
    attr: { port: 1, group: 0, priority: 0, ingress: true }, // in_port p1 has hw-port-id 1
    pattern: [
      { type: 'ETH', spec: { type: 0x8100, hasVlan: 1 }, mask: { type: 0xffff, hasVlan: 1 } },
      // vid=300 (0x12c), pcp=1 (<< 13 = 0x2000), CFI left out of spec and mask.
      { type: 'VLAN', spec: { tci: 0x212c, innerType: 0x0800 }, mask: { tci: 0xefff, innerType: 0xffff } },
      // dst=10.9.0.7/255.248.0.0 -> 10.8.0.0; tos=0/0xfc; ttl=64/0 not matched; proto=17 implied by UDP.
      {
        type: 'IPV4',
        spec: { dst: '10.8.0.0', tos: 0, fragmentOffset: 0 },
        mask: { dst: '255.248.0.0', tos: 0xfc, fragmentOffset: 0x3fff },
      },
      // udp(src=1/0,dst=2/0xfff0): 2 & 0xfff0 = 0.
      { type: 'UDP', spec: { dstPort: 0 }, mask: { dstPort: 0xfff0 } },
      { type: 'END' },
    ],
    actions: [{ type: 'DROP' }, { type: 'END' }],
  };
  t.like(r, { ok: true, fate: 'drop', mark: null });
  if (r.ok) t.deepEqual(r.rule, expected);
});

test('fixture 673ef800: TCP with tcp_flags(+syn-ack) to p4, rule written from DESIGN.md', (t) => {
  const { flow, table } = fixtureFlow('673ef800');
  const r = translateFlow(flow, table, { flowId: 0x1234 });
  const expected: RuleSpec = {
    attr: { port: 1, group: 0, priority: 0, ingress: true },
    pattern: [
      { type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } },
      // dst=10.9.0.5/255.248.0.0 -> 10.8.0.0; tos=0/0 and ttl=64/0 not matched; proto=6 implied by TCP.
      { type: 'IPV4', spec: { dst: '10.8.0.0', fragmentOffset: 0 }, mask: { dst: '255.248.0.0', fragmentOffset: 0x3fff } },
      // +syn-ack: SYN (0x02) set, ACK (0x10) clear.
      { type: 'TCP', spec: { dstPort: 8080, flags: 0x02 }, mask: { dstPort: 0xffff, flags: 0x12 } },
      { type: 'END' },
    ],
    actions: [{ type: 'MARK', id: 0x12340004 }, { type: 'END' }], // flow_id 0x1234, p4 has hw-port-id 4
  };
  if (!r.ok) return t.fail(r.reason);
  t.deepEqual(r.rule, expected);
});

test('fixture 752e0801: ICMPv6 echo to p3, as testpmd text written from DESIGN.md', (t) => {
  const { flow, table } = fixtureFlow('752e0801');
  const r = translateFlow(flow, table, { flowId: 2 });
  if (!r.ok) return t.fail(r.reason);
  // src=2001:db8::5/ffff:ffff:ffff:: -> 2001:db8::, dst wildcarded, hlimit=64/0 and tclass=0/0 not matched,
  // proto=58 implied by ICMP6, code=0/0 not matched; mark (2 << 16) | 3 = 131075.
  t.is(
    renderTestpmd(r.rule.attr.port, r.rule),
    'flow create 1 ingress pattern eth type is 0x86dd has_vlan is 0 / ipv6 src spec 2001:db8:: src mask ffff:ffff:ffff:: has_frag_ext is 0 / icmp6 type is 128 / end actions mark id 131075 / end',
  );
});
