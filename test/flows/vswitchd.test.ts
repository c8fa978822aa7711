/**
 * Checked against a real ovs-vswitchd (userspace datapath, dummy ports; DESIGN.md §4):
 * 1. OpenFlow rules plus injected packets make OVS install at least 30 different megaflows; every
 *    line OVS dumps (with port names and with --no-names) parses and formats back identically.
 * 2. Flows formatted by ovs-hwol are added with `dpctl/add-flow`, dumped back by OVS, and read
 *    back to the same flows.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import {
  deriveUfid, findKey, formatActions, formatFlow, formatMatch, parseDpctlShow, parseFlow, portNumbers, resolvePortNames,
  type Action, type DpFlow, type KeyAttr,
} from '../../src/flows/odp';
import { CommandError, waitFor } from '../../src/sandbox/processes';
import { Vswitchd } from '../../src/sandbox/vswitchd';
import { canon } from './arbitraries';
import { GROUPS, OPENFLOW_RULES, PACKETS, PORTS } from './ovs-scenario';

let vs: Vswitchd | undefined;
let numbered: DpFlow[] = [];

test.before(async () => {
  vs = await Vswitchd.start(undefined, PORTS);
});

test.after.always(async () => {
  await vs?.stop();
});

function sw(): Vswitchd {
  if (!vs) throw new Error('ovs-vswitchd did not start');
  return vs;
}

/** Match and actions only (stats and timers change between dumps). */
function core(f: DpFlow): string {
  return formatFlow({ ufid: f.ufid, match: f.match, actions: f.actions });
}

function allActions(actions: Action[]): Action[] {
  return actions.flatMap((a) => [a, ...(a.kind === 'clone' || a.kind === 'sample' ? allActions(a.actions) : a.kind === 'check_pkt_len' ? [...allActions(a.gt), ...allActions(a.le)] : [])]);
}

test.serial('megaflows dumped by ovs-vswitchd parse and format back identically', async (t) => {
  const v = sw();
  const groups = path.join(v.dir, 'groups.txt');
  fs.writeFileSync(groups, GROUPS.join('\n') + '\n');
  await v.ofctl('add-groups', groups);
  await v.addFlows(OPENFLOW_RULES);
  for (const [port, packet] of PACKETS) await v.receive(port, packet);
  // Replies of the conntrack connections opened from p4, now established.
  for (const [port, packet] of PACKETS.filter(([p]) => p === 'p5')) await v.receive(port, packet);

  const lines = await waitFor('at least 36 megaflows', async () => {
    const l = await v.dumpFlows(false);
    return l.length >= 36 ? l : undefined;
  }, 20_000, 100);
  const named = await v.dumpFlows(true);
  t.true(new Set(lines.map((l) => parseFlow(l).ufid)).size >= 30, `${lines.length} megaflows`);
  t.log(`${lines.length} megaflows from ${PACKETS.length} packets`);

  for (const line of [...lines, ...named]) t.is(formatFlow(parseFlow(line)), line);

  numbered = lines.map(parseFlow);
  const keysOf = (f: DpFlow): KeyAttr[] => f.match.flatMap((k) => (k.kind === 'encap' ? [k, ...k.keys] : [k]));
  const has = (p: (f: DpFlow) => boolean, what: string): void => {
    t.true(numbered.some(p), `no megaflow with ${what}`);
  };
  const kinds = (f: DpFlow): Set<string> => new Set(keysOf(f).map((k) => k.kind));
  const acts = (f: DpFlow): Action[] => allActions(f.actions);
  for (const k of ['ipv4', 'ipv6', 'tcp', 'udp', 'sctp', 'icmp', 'icmpv6', 'vlan', 'encap', 'arp', 'tcp_flags', 'ct_tuple4']) has((f) => kinds(f).has(k), k);
  has((f) => findKey(f.match, 'eth_type')?.value === 0x88a8, 'QinQ');
  has((f) => keysOf(f).some((k) => k.kind === 'ipv4' && k.frag === 'first'), 'frag=first');
  has((f) => keysOf(f).some((k) => k.kind === 'ipv4' && k.frag === 'later'), 'frag=later');
  has((f) => (findKey(f.match, 'recirc_id')?.value ?? 0) !== 0, 'recirc_id != 0');
  has((f) => f.actions.length === 0, 'drop');
  has((f) => f.actions.filter((a) => a.kind === 'output').length >= 2, 'several outputs');
  for (const k of ['set', 'push_vlan', 'pop_vlan', 'ct', 'recirc', 'hash', 'check_pkt_len', 'push_mpls', 'userspace']) has((f) => acts(f).some((a) => a.kind === k), k);

  // The names OVS printed resolve, through dpctl/show, to the numbers of the --no-names dump.
  const numbers = portNumbers(parseDpctlShow(await v.dpctlShow()));
  const byUfid = new Map(numbered.map((f) => [f.ufid, f]));
  let compared = 0;
  for (const f of named.map(parseFlow)) {
    const n = byUfid.get(f.ufid);
    if (!n) continue;
    t.is(core(resolvePortNames(f, numbers)), core(n));
    compared++;
  }
  t.true(compared >= 30);
});

/** Actions OVS 3.1's odp_actions_from_string() can read (it has no parser for these). */
const OVS_CANNOT_READ = new Set(['recirc', 'hash', 'push_mpls', 'pop_mpls', 'tnl_push']);

/** `value` with the highest bit of `mask` flipped: a value the megaflow tells apart. */
function flipLowMaskBit(m: { value: number; mask: number }): { value: number; mask: number } {
  const high = 2 ** Math.floor(Math.log2(m.mask));
  return { value: (m.value ^ high) >>> 0, mask: m.mask };
}

/**
 * New flows made by changing typed values of real ones inside their masks (a UDP/TCP port, an
 * IPv4 destination), so that OVS sees a different megaflow.
 */
function variants(flows: DpFlow[]): DpFlow[] {
  const out: DpFlow[] = [];
  for (const f of flows) {
    const match = f.match.map((k): KeyAttr => {
      if ((k.kind === 'udp' || k.kind === 'tcp') && k.dst && k.dst.mask !== 0) return { ...k, dst: flipLowMaskBit(k.dst) };
      if (k.kind === 'ipv4' && k.dst && k.dst.mask !== 0) return { ...k, dst: flipLowMaskBit(k.dst) };
      return k;
    });
    const m = formatMatch(match);
    if (m !== formatMatch(f.match)) out.push({ match, actions: f.actions });
  }
  return out;
}

test.serial('flows formatted by ovs-hwol are added with dpctl/add-flow and read back the same', async (t) => {
  const v = sw();
  t.true(numbered.length >= 30, 'the first test must have collected the megaflows');
  await v.appctl('revalidator/pause');
  try {
    await v.appctl('dpctl/del-flows');
    const usable = numbered.filter((f) => !allActions(f.actions).some((a) => OVS_CANNOT_READ.has(a.kind)));
    const candidates = [...usable.map((f) => ({ match: f.match, actions: f.actions })), ...variants(usable)];
    const added = new Map<string, DpFlow>();
    for (const c of candidates) {
      const ufid = deriveUfid(c.match);
      if (added.has(ufid)) continue;
      const flow: DpFlow = { ufid, match: c.match, actions: c.actions };
      try {
        await v.appctl('dpctl/add-flow', `ufid:${ufid}, ${formatMatch(flow.match)}`, formatActions(flow.actions));
      } catch (err) {
        // A variant may overlap a flow already added (the same masked key): OVS refuses it.
        if (err instanceof CommandError && err.stderr.includes('File exists')) continue;
        throw err;
      }
      added.set(ufid, flow);
    }
    t.true(added.size >= 40, `${added.size} flows added`);
    t.log(`${added.size} flows added with dpctl/add-flow (${candidates.length - added.size} duplicates or overlaps skipped)`);
    const dumped = await waitFor('the added flows in the dump', async () => {
      const l = await v.dumpFlows(false);
      return l.length >= added.size ? l : undefined;
    }, 10_000, 50);
    const back = new Map(dumped.map(parseFlow).map((f) => [f.ufid, f]));
    for (const [ufid, flow] of added) {
      const got = back.get(ufid);
      if (!got) {
        t.fail(`flow ${ufid} missing from the dump`);
        continue;
      }
      t.is(core(got), core(flow));
      t.is(canon({ m: got.match, a: got.actions }), canon({ m: flow.match, a: flow.actions }));
    }
  } finally {
    await v.appctl('revalidator/resume');
  }
});
