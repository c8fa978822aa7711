/**
 * `formatActions(actions, { forOvsInput: true })`: the action text OVS 3.1's parser reads
 * (odp_actions_from_string(), behind `ovs-appctl dpctl/add-flow`), checked against a real
 * ovs-vswitchd 3.1 (src/sandbox/vswitchd.ts):
 * - for actions OVS prints in a form its parser refuses (recirc in hex, `drop` inside clone and
 *   sample), OVS refuses the printed text and accepts the option's text, and dumps the flow back
 *   as the printed text;
 * - other actions (conntrack with recirculation, tunnels, nested lists) are added and dumped back
 *   the same;
 * - the actions the option refuses (hash, push_mpls, pop_mpls, push_eth, pop_eth, ERSPAN and GTP-U
 *   tnl_push, `drop` among others) are refused by OVS in every form tried, or come back different.
 */
import test from 'ava';
import {
  deriveUfid, formatActions, formatMatch, OdpFormatError, parseActions, parseFlow, parseMatch, type Action, type DpFlow, type KeyAttr,
} from '../../src/flows/odp';
import { CommandError } from '../../src/sandbox/processes';
import { Vswitchd } from '../../src/sandbox/vswitchd';
import { canon } from './arbitraries';

/** Action texts exactly as OVS 3.1 prints them, that its parser can read in some form. */
const READABLE = [
  'recirc(0x5)',
  'recirc(0)',
  'ct(zone=1),recirc(0x1)',
  'ct(commit,zone=5,mark=0x1/0xff,label=0x1/0xff,helper=ftp,timeout=t1,nat(src=10.0.0.1-10.0.0.9:1000-2000,persistent,random)),recirc(0xabc)',
  'ct(nat(dst=[2001:db8::1]-[2001:db8::9]:80,hash)),recirc(0xffffffff)',
  'clone(drop)',
  'clone(ct(zone=2),recirc(0x10)),3',
  'sample(sample=50.0%,actions(drop))',
  'sample(sample=12.5%,actions(recirc(0x7)))',
  'check_pkt_len(size=200,gt(drop),le(recirc(0x3)))',
  'check_pkt_len(size=1500,gt(clone(drop)),le(2))',
  'tnl_push(tnl_port(6),header(size=50,type=4,eth(dst=f8:bc:12:44:34:b6,src=f8:bc:12:46:58:e0,dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x1c7)),out_port(1))',
  'tnl_push(tnl_port(6),header(size=78,type=5,eth(dst=f8:bc:12:44:34:b6,src=f8:bc:12:46:58:e0,dl_type=0x86dd),ipv6(src=2001:cafe::88,dst=2001:cafe::92,label=0,proto=17,tclass=0x0,hlimit=64),udp(src=0,dst=6081,csum=0x0),geneve(crit,vni=0x1c7,options({class=0xffff,type=0x80,len=4,0xa}))),out_port(1))',
  'tnl_push(tnl_port(4),header(size=46,type=3,eth(dst=f8:bc:12:44:34:b6,src=f8:bc:12:46:58:e0,dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=47,tos=0,ttl=64,frag=0x4000),gre((flags=0xa000,proto=0x6558),csum=0x0,key=0x1e241)),out_port(1))',
  'push_vlan(tpid=0x88a8,vid=10,pcp=3,cfi=0),pop_vlan,2',
  'set(ipv4(src=1.2.3.4/255.255.255.0)),set(udp(dst=53)),2',
  'userspace(pid=0,controller(reason=1,dont_send=0,continuation=0,recirc_id=5,rule_cookie=0x1234,controller_id=0,max_len=65535))',
  'add_mpls(label=5,tc=1,ttl=9,bos=0,eth_type=0x8847),1',
  'trunc(100),1',
  'meter(7),1',
  'drop',
];

const ETH4 = 'eth(dst=f8:bc:12:44:34:b6,src=f8:bc:12:46:58:e0,dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92';

/**
 * Actions as OVS 3.1 prints them (`text`) that its parser cannot read: the text and every other
 * form tried (`forms`) is refused, or read as other actions.
 */
const UNREADABLE: Array<{ text: string; forms: string[] }> = [
  { text: 'hash(l4(0)),recirc(0x2)', forms: ['hash(l4(0)),recirc(2)', 'hash(l4(0x0)),recirc(2)', 'hash(sym_l4(0)),recirc(2)', 'hash(hash_l4(0)),recirc(2)'] },
  { text: 'push_mpls(label=42,tc=0,ttl=64,bos=1,eth_type=0x8847),3', forms: ['push_mpls(label=42,tc=0,ttl=64,bos=1,eth_type=34887),3'] },
  { text: 'pop_mpls(eth_type=0x800),3', forms: ['pop_mpls(eth_type=2048),3', 'pop_mpls(eth_type=0x0800),3'] },
  { text: 'push_eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),1', forms: ['push_eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02,type=0),1'] },
  { text: 'pop_eth,1', forms: ['pop_eth(),1'] },
  { text: `tnl_push(tnl_port(9),header(size=50,type=107,${ETH4},proto=47,tos=0,ttl=64,frag=0x4000),erspan(ver=1,sid=0x1,idx=0x7)),out_port(1))`, forms: [] },
  { text: `tnl_push(tnl_port(9),header(size=54,type=107,${ETH4},proto=47,tos=0,ttl=64,frag=0x4000),erspan(ver=2,sid=0x1,dir=1,hwid=0x4)),out_port(1))`, forms: [] },
  {
    text: `tnl_push(tnl_port(6),header(size=50,type=110,${ETH4},proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=2152,csum=0x0),gtpu(flags=0x30,msgtype=255,teid=0x1)),out_port(1))`,
    // Read, but with a UDP header OVS makes up.
    forms: [`tnl_push(tnl_port(6),header(size=50,type=110,${ETH4},proto=17,tos=0,ttl=64,frag=0x4000),gtpu(flags=0x30,msgtype=255,teid=0x1)),out_port(1))`],
  },
  { text: '1,drop', forms: ['drop,1'] },
];

/** A distinct exact-match megaflow for the `i`th flow added. */
function matchFor(i: number): KeyAttr[] {
  return parseMatch(`recirc_id(0),in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),` +
    `ipv4(src=10.${i >> 8}.${i & 255}.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)`);
}

test('the default text is OVS\'s printed text; forOvsInput changes recirc and empty nested lists only', (t) => {
  for (const text of READABLE) t.is(formatActions(parseActions(text)), text);
  const input = (text: string): string => formatActions(parseActions(text), { forOvsInput: true });
  t.is(input('recirc(0x5)'), 'recirc(5)');
  t.is(input('recirc(0xffffffff)'), 'recirc(4294967295)');
  t.is(input('ct(zone=1),recirc(0x1)'), 'ct(zone=1),recirc(1)');
  t.is(input('clone(drop)'), 'clone()');
  t.is(input('sample(sample=50.0%,actions(drop))'), 'sample(sample=50.0%,actions())');
  t.is(input('clone(ct(zone=2),recirc(0x10)),3'), 'clone(ct(zone=2),recirc(16)),3');
  t.is(input('check_pkt_len(size=200,gt(drop),le(recirc(0x3)))'), 'check_pkt_len(size=200,gt(drop),le(recirc(3)))');
  t.is(input('drop'), 'drop');
  t.is(formatActions([], { forOvsInput: true }), 'drop');
  t.is(formatActions([{ kind: 'drop' }], { forOvsInput: true }), 'drop');
  // Everything else is written as printed.
  for (const text of READABLE.filter((x) => !/recirc|clone|sample/.test(x))) t.is(input(text), text);
});

test('forOvsInput refuses, naming it, an action OVS cannot read in any form', (t) => {
  for (const { text } of UNREADABLE) {
    t.throws(() => formatActions(parseActions(text), { forOvsInput: true }), { instanceOf: OdpFormatError, message: /^OVS 3\.1 cannot read / }, text);
  }
  t.throws(() => formatActions(parseActions('hash(l4(0)),recirc(0x2)'), { forOvsInput: true }), { message: /cannot read hash in any form/ });
  t.throws(() => formatActions(parseActions('clone(pop_mpls(eth_type=0x800))'), { forOvsInput: true }), { message: /cannot read pop_mpls/ });
  const nestedDrop: Action[] = [{ kind: 'clone', actions: [{ kind: 'drop' }] }];
  t.throws(() => formatActions(nestedDrop, { forOvsInput: true }), { message: /"drop" among other actions/ });
});

test('ovs-vswitchd reads the forOvsInput text, and dumps back the printed text', async (t) => {
  const v = await Vswitchd.start(undefined, [1, 2, 3].map((n) => ({ name: `p${n}`, ofport: n })));
  t.teardown(() => v.stop());
  // No OpenFlow rules: the revalidator would remove the flows added by hand.
  await v.appctl('revalidator/pause');
  let n = 0;
  const add = async (match: KeyAttr[], actionsText: string): Promise<string | undefined> => {
    try {
      await v.appctl('dpctl/add-flow', `ufid:${deriveUfid(match)}, ${formatMatch(match)}`, actionsText);
      return undefined;
    } catch (err) {
      if (err instanceof CommandError) return err.stderr;
      throw err;
    }
  };

  const expected = new Map<string, Action[]>();
  for (const text of READABLE) {
    const actions = parseActions(text);
    const input = formatActions(actions, { forOvsInput: true });
    const match = matchFor(n++);
    t.is(await add(match, input), undefined, `OVS refused ${input}`);
    expected.set(deriveUfid(match), actions);
    // Where the printed text differs, OVS refuses it: that is why the option exists.
    if (input !== text) t.regex(await add(matchFor(n++), text) ?? 'accepted', /parsing actions/, `OVS read ${text}`);
  }

  const unreadable = new Map<string, { form: string; actions: Action[] }>();
  for (const { text, forms } of UNREADABLE) {
    for (const form of [text, ...forms]) {
      const match = matchFor(n++);
      const refused = await add(match, form);
      if (refused !== undefined) t.regex(refused, /parsing actions/, form);
      else unreadable.set(deriveUfid(match), { form, actions: parseActions(text) });
    }
  }

  t.log(`${expected.size} read, ${unreadable.size} accepted forms of unreadable actions: ${[...unreadable.values()].map((u) => u.form).join(' ; ')}`);
  const dumped = new Map((await v.dumpFlows(false)).map(parseFlow).map((f): [string, DpFlow] => [f.ufid ?? '', f]));
  for (const [ufid, actions] of expected) {
    const got = dumped.get(ufid);
    if (!got) {
      t.fail(`flow ${ufid} (${formatActions(actions)}) missing from the dump`);
      continue;
    }
    t.is(formatActions(got.actions), formatActions(actions));
    t.is(canon(got.actions), canon(actions));
  }
  // A form OVS accepted for an action it cannot read gave other actions.
  for (const [ufid, { form, actions }] of unreadable) {
    const got = dumped.get(ufid);
    t.truthy(got, `flow for ${form} missing from the dump`);
    if (got) t.not(canon(got.actions), canon(actions), `OVS read ${form} as ${formatActions(actions)}: it is readable`);
  }
});
