/**
 * The end-to-end checks, against a real ovs-vswitchd (userspace datapath, dummy ports p1..p4
 * with hw-port-ids 0..3) mirrored by an in-process agent on the soft NIC:
 * 1. megaflows made by OpenFlow rules and injected packets appear in flow/dump with OVS's ufids, OVS's
 *    match and actions text and the right offload states (ct/recirc in software, with the reason);
 * 2. megaflows deleted with dpctl/del-flows leave the NIC;
 * 3. megaflows expired by max-idle leave the NIC;
 * 4. a port removed with ovs-vsctl takes exactly its own rules with it;
 * 5. ovs-vswitchd killed (-9) and restarted: agent/show and the log say so, the agent resynchronises
 *    with no leaked rules.
 * The tests run in order on one daemon and one agent.
 */
import test from 'ava';
import path from 'node:path';
import { ControlClient } from '../../src/control/client';
import { validateResult } from '../../src/control/schema';
import type { FlowView, OffloadStats } from '../../src/offload';
import { waitFor } from '../../src/sandbox/processes';
import { MirroredAgent } from '../helpers/mirrored-agent';

let env: MirroredAgent | undefined;
let client: ControlClient | undefined;

const RULES = [
  'table=0,priority=100,in_port=1,udp,actions=output:2',
  'table=0,priority=100,in_port=1,icmp,actions=drop',
  'table=0,priority=100,in_port=2,udp,actions=output:1',
  'table=0,priority=100,in_port=3,tcp,actions=output:1',
  'table=0,priority=100,in_port=4,tcp,actions=output:2',
  'table=0,priority=100,in_port=4,udp,actions=ct(zone=1,table=1)',
  'table=0,priority=1,actions=drop',
  'table=1,priority=100,in_port=4,udp,actions=output:3',
];

const ETH = 'eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02)';
const ip4 = (src: string, dst: string, proto: number): string => `eth_type(0x0800),ipv4(src=${src},dst=${dst},proto=${proto},tos=0,ttl=64,frag=no)`;
const PACKETS: Array<[string, string]> = [
  ['p1', `${ETH},${ip4('10.1.0.1', '10.2.0.1', 17)},udp(src=1,dst=2)`],
  ['p1', `${ETH},${ip4('10.1.0.1', '10.2.0.1', 1)},icmp(type=8,code=0)`],
  ['p2', `${ETH},${ip4('10.2.0.1', '10.1.0.1', 17)},udp(src=2,dst=1)`],
  ['p3', `${ETH},${ip4('10.3.0.1', '10.1.0.1', 6)},tcp(src=3,dst=1)`],
  ['p4', `${ETH},${ip4('10.4.0.1', '10.2.0.1', 6)},tcp(src=4,dst=2)`],
  ['p4', `${ETH},${ip4('10.4.0.1', '10.3.0.1', 17)},udp(src=4,dst=3)`],
];

function e(): MirroredAgent {
  if (!env) throw new Error('setup failed');
  return env;
}

async function injectAll(packets = PACKETS): Promise<void> {
  for (const [port, spec] of packets) await e().vs.receive(port, spec);
}

/** Injects the packets until OVS has at least `n` megaflows. */
async function injectUntil(n: number, packets = PACKETS): Promise<void> {
  await waitFor(`${n} megaflows in OVS`, async () => {
    await injectAll(packets);
    return (await e().vs.dumpFlows(false)).length >= n;
  }, 20_000, 250);
}

/** What the engine must say for an OVS megaflow: only single-output (or drop) flows without ct/recirc go to the NIC. */
function expectedState(match: string, actions: string): 'offloaded' | 'software' {
  if (!/recirc_id\(0\)/.test(match)) return 'software';
  if (/ct\(|recirc\(/.test(actions)) return 'software';
  return /^(\d+|drop)$/.test(actions) ? 'offloaded' : 'software';
}

test.before(async () => {
  env = await MirroredAgent.start({ pollIntervalMs: 100 });
  client = await ControlClient.connect(path.join(env.vs.dir, 'ovs-hwol-agent.ctl'));
  await env.vs.addFlows(RULES);
});

test.after.always(async () => {
  client?.close();
  await env?.stop();
});

test.afterEach.always((t) => {
  if (!t.passed && env) t.log(env.logText());
});

test.serial('megaflows appear in flow/dump with the same ufids, text and offload states', async (t) => {
  await injectAll();
  const ovs = await e().waitForSync('6 megaflows mirrored', (m) => m.size >= 6);
  const dumped = await client!.call<{ flows: FlowView[] }>('flow/dump', {});
  const mine = new Map(dumped.flows.map((f) => [f.ufid, f]));
  t.deepEqual([...mine.keys()].sort(), [...ovs.keys()].sort());
  let offloaded = 0;
  let software = 0;
  for (const [ufid, f] of ovs) {
    const rec = mine.get(ufid)!;
    t.is(rec.match, f.match, ufid);
    t.is(rec.actions, f.actions, ufid);
    const want = expectedState(f.match, f.actions);
    t.is(rec.state, want, `${ufid}: ${f.match} actions:${f.actions} -> ${rec.state} ${rec.reason ?? ''}`);
    if (want === 'software') {
      t.truthy(rec.reason, `${ufid} has no reason`);
      software++;
    } else offloaded++;
  }
  t.true(software >= 2, 'the ct flow and the recirculated flow stay in software');
  t.true(offloaded >= 5);
  t.true([...mine.values()].some((f) => f.state === 'software' && /recirc_id|ct/.test(f.reason ?? '')), 'a reason names recirc_id or ct');
  const stats = await client!.call<OffloadStats>('offload/stats', {});
  t.is(stats.flows.offloaded, offloaded);
  t.is(e().nicRules(), offloaded);
  const show = e().mirror();
  const checked = validateResult('agent/show', await client!.call('agent/show', {}));
  t.true(checked.ok, JSON.stringify(checked));
  t.is(show.state, 'connected');
  t.is(show.datapath, 'netdev@ovs-netdev');
  t.is(show.flows, ovs.size);
  t.true(show.changes.added >= ovs.size);
  // The mirror owns the table: the API may read it but not change it behind OVS's back.
  await t.throwsAsync(client!.call('flow/flush', {}), { message: /^flow\/flush is refused: the flows come from vswitchd:/ });
  t.is(e().nicRules(), offloaded);
});

test.serial('megaflows deleted with dpctl/del-flows leave the NIC', async (t) => {
  t.true(e().nicRules() > 0);
  await e().vs.appctl('dpctl/del-flows');
  await e().waitForSync('the mirror to follow dpctl/del-flows', (m) => m.size === 0);
  t.is(e().engine.size, 0);
  t.is(e().nicRules(), 0);
  t.is(e().engine.stats().flows.total, 0);
  // They come back with the next packets, once OVS forgets its upcall keys of the deleted megaflows
  // (until then it refuses to install them again: "ukey installation fails").
  await e().vs.appctl('revalidator/purge');
  await injectUntil(6);
  await e().waitForSync('megaflows back', (m) => m.size >= 6);
  t.true(e().nicRules() >= 5);
});

test.serial('megaflows expired by max-idle leave the NIC', async (t) => {
  t.true(e().nicRules() > 0);
  await e().vs.vsctl('set', 'Open_vSwitch', '.', 'other_config:max-idle=500');
  try {
    await e().waitForSync('OVS to expire every megaflow', (m) => m.size === 0, 15_000);
    t.is(e().nicRules(), 0);
    t.is(e().engine.size, 0);
    t.true(e().logs.some((l) => /\[mirror\] megaflows from ovs-vswitchd: 0 added, 0 modified, [1-9]\d* deleted/.test(l)));
  } finally {
    await e().vs.vsctl('set', 'Open_vSwitch', '.', 'other_config:max-idle=60000');
  }
});

test.serial('a port removed with ovs-vsctl takes exactly its own rules with it', async (t) => {
  await injectUntil(6);
  const ovs = await e().waitForSync('megaflows for the port test', (m) => m.size >= 6);
  const before = e().flows();
  const onP4 = [...ovs].filter(([, f]) => /in_port\(4\)/.test(f.match)).map(([u]) => u);
  const others = [...before.values()].filter((f) => !onP4.includes(f.ufid));
  t.true(onP4.length >= 2, 'p4 has a tcp and a ct flow');
  t.true(e().engine.backend.ruleCount(3) >= 1, 'p4 (hw-port-id 3) has a rule');
  const otherRules = [0, 1, 2].map((d) => e().engine.backend.ruleCount(d));

  await e().vs.vsctl('del-port', 'br0', 'p4');
  await waitFor('p4 gone from the agent and its flows from the NIC', () => e().engine.backend.ruleCount(3) === 0 && !e().agent.portsShow().ports.some((p) => p.name === 'p4'), 10_000, 20);
  await e().waitForSync('OVS to drop the megaflows of p4', (m) => onP4.every((u) => !m.has(u)));
  const after = e().flows();
  for (const u of onP4) t.false(after.has(u), `${u} (in_port 4) is gone`);
  for (const f of others) {
    const now = after.get(f.ufid);
    t.truthy(now, `${f.ufid} kept`);
    t.is(now?.state, f.state, f.ufid);
    t.is(now?.flowId, f.flowId, `${f.ufid} keeps its rule (same flow_id)`);
  }
  t.deepEqual([0, 1, 2].map((d) => e().engine.backend.ruleCount(d)), otherRules);
  t.true(e().logs.some((l) => /\[mirror\] datapath netdev@ovs-netdev ports changed: removed p4/.test(l)));
});

test.serial('ovs-vswitchd killed and restarted: the agent says so, reconnects and resynchronises without leaked rules', async (t) => {
  const old = await e().waitForSync('steady state before the kill');
  t.true(e().nicRules() > 0);
  const connections = e().mirror().connections;
  await e().vs.kill('SIGKILL');
  await waitFor('agent/show to say disconnected', () => e().mirror().state === 'disconnected', 10_000, 20);
  t.truthy(e().logs.find((l) => /^warn \[mirror\] ovs-vswitchd at .* went away .*keeping \d+ mirrored flows/.test(l)));
  t.is(e().engine.size, old.size, 'flows are kept while the daemon is away');
  t.true(e().agent.show().mirror?.lastError !== null);
  t.true(validateResult('agent/show', await client!.call('agent/show', {})).ok);

  await e().vs.restart();
  await e().vs.addFlows(RULES);
  await injectUntil(4, PACKETS.filter(([p]) => p !== 'p4'));
  const fresh = await e().waitForSync('the new daemon mirrored', (m) => m.size >= 4, 20_000);
  t.true(e().mirror().connections > connections);
  t.is(e().mirror().state, 'connected');
  for (const u of old.keys()) t.false(fresh.has(u) || e().flows().has(u), `old ufid ${u} is gone`);
  const offloaded = [...e().flows().values()].filter((f) => f.state === 'offloaded').length;
  t.is(e().nicRules(), offloaded, 'every NIC rule belongs to a flow of the new daemon');
  t.is(offloaded, [...fresh.values()].filter((f) => expectedState(f.match, f.actions) === 'offloaded').length);
  t.true(e().logs.some((l) => /\[mirror\] connected to ovs-vswitchd at .*; resynchronising \d+ mirrored flows/.test(l)));
});
