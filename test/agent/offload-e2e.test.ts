/**
 * The offload end to end: a real ovsdb-server, the real agent process on the soft NIC, and
 * ovs-hwol-ctl / ControlClient. The original patch's example: dpdk0 and dpdk1 with hw-port-id 0
 * and 1, the megaflow in_port(1) ... actions:2, frames injected on dpdk0.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ControlError } from '../../src/control/errors';
import type { FlowPutResult, PacketInjectResult, PortState } from '../../src/control/api-types';
import type { FlowView, OffloadStats } from '../../src/offload';
import { parsePcap, writePcap } from '../../src/offload';
import { startOvsdbServer, type OvsdbServer } from '../../src/sandbox/ovsdb-server';
import { CommandError, run, waitFor } from '../../src/sandbox/processes';
import { AGENT_BIN, AgentProcess, CTL_BIN } from '../helpers/agent-process';
import { udpFrame } from '../offload/helpers';

const MATCH = 'in_port(1),eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17),udp(src=10025,dst=10026)';
const UFID = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const STATS_INTERVAL_MS = 200;

async function setup(t: ExecutionContext, agentArgs: string[] = []): Promise<{ server: OvsdbServer; agent: AgentProcess }> {
  const server = await startOvsdbServer();
  // Teardowns run last first: the agent stops before the server, and a server whose agent failed to start is destroyed too.
  t.teardown(() => server.destroy());
  await server.vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev',
    '--', 'add-port', 'br0', 'dpdk0', '--', 'set', 'interface', 'dpdk0', 'type=dpdk', 'ofport_request=1', 'options:hw-port-id=0',
    '--', 'add-port', 'br0', 'dpdk1', '--', 'set', 'interface', 'dpdk1', 'type=dpdk', 'ofport_request=2', 'options:hw-port-id=1');
  const agent = await AgentProcess.start(server.remote, server.dir, ['--stats-interval', String(STATS_INTERVAL_MS), ...agentArgs]);
  t.teardown(async () => {
    await agent.stop();
  });
  await agent.waitForPorts('dpdk0 and dpdk1 ready', (r) => JSON.stringify(r.hwLocalPortMap) === JSON.stringify({ 0: 1, 1: 2 }));
  return { server, agent };
}

function ctl(agent: AgentProcess, ...args: string[]): Promise<string> {
  return run(process.execPath, [CTL_BIN, '--ctl-socket', agent.ctlSocket, ...args]);
}

const hex = (f: Uint8Array): string => Buffer.from(f).toString('hex');

test('the original example: matching frames are marked and steered to port 2, others miss, flow/get counts them', async (t) => {
  const { agent } = await setup(t);
  const put = await agent.call<FlowPutResult>('flow/put', { flows: [{ ufid: UFID, match: MATCH, actions: '2' }] });
  t.is(put.flows[0].state, 'offloaded', put.flows[0].reason);
  const flowId = put.flows[0].flowId ?? -1;
  t.is(put.flows[0].mark, flowId * 65536 + 1, 'mark = (flow_id << 16) | hw-port-id of dpdk1');

  const hits = [0, 30, 200].map((payload) => udpFrame({ src: '192.168.1.2', dst: '192.168.1.8', sport: 10025, dport: 10026, payload }));
  const misses = [
    udpFrame({ src: '192.168.1.2', dst: '192.168.1.8', sport: 10025, dport: 10027 }),
    udpFrame({ src: '192.168.1.3', dst: '192.168.1.8', sport: 10025, dport: 10026 }),
  ];
  const frames = [hits[0], misses[0], hits[1], misses[1], hits[2]];
  const inj = await agent.call<PacketInjectResult>('packet/inject', { port: 'dpdk0', frames: frames.map(hex) });
  t.deepEqual(inj.packets, [
    { hit: true, ufid: UFID, mark: flowId * 65536 + 1, outPort: 2 },
    { hit: false },
    { hit: true, ufid: UFID, mark: flowId * 65536 + 1, outPort: 2 },
    { hit: false },
    { hit: true, ufid: UFID, mark: flowId * 65536 + 1, outPort: 2 },
  ]);
  t.is(inj.hits, 3);
  t.is(inj.misses, 2);

  const bytes = hits.reduce((n, f) => n + f.length, 0);
  t.is(bytes, 3 * (14 + 20 + 8) + 230);
  const flow = await waitFor('the counters after a stats interval', async () => {
    const f = await agent.call<FlowView>('flow/get', { ufid: UFID });
    return f.stats.packets === 3 ? f : undefined;
  }, 10 * STATS_INTERVAL_MS + 5000, 50);
  t.is(flow.stats.bytes, bytes);
  t.is(flow.stats.source, 'hw');
  t.is(flow.rule, `flow create 0 ingress pattern eth type is 0x0800 has_vlan is 0 / ipv4 src is 192.168.1.2 dst is 192.168.1.8 / udp src is 10025 dst is 10026 / end actions count / mark id ${flowId * 65536 + 1} / end`);

  // The same through ovs-hwol-ctl.
  const dump = await ctl(agent, 'flow/dump');
  t.regex(dump, new RegExp(`^ufid:${UFID}, ${MATCH.replace(/[()]/g, '\\$&')}, packets:3, bytes:${bytes}, used:\\d+\\.\\d{3}s, offloaded:yes, dp:hw, actions:2\\n$`));
  const get = await ctl(agent, 'flow/get', UFID);
  t.regex(get, /state: offloaded/);
  t.regex(get, new RegExp(`packets: 3, bytes: ${bytes}`));
  const stats = await agent.call<OffloadStats>('offload/stats');
  t.is(stats.flows.offloaded, 1);
  t.is(stats.attempts.count.succeeded, 1);
  t.deepEqual(stats.learnedVariants, { 0: 'count' });
});

test('pcap injection, flow/put --file, flush, and errors through ovs-hwol-ctl', async (t) => {
  const { server, agent } = await setup(t);
  const file = path.join(server.dir, 'flows.txt');
  fs.writeFileSync(file, `${MATCH} 2\n# a comment\nufid:${UFID}, in_port(2),eth_type(0x0800),ipv4(src=192.168.1.8,dst=192.168.1.2,proto=17),udp(src=10026,dst=10025), actions:1\nct_state(0x21/0x21),${MATCH} 2\n`);
  const typo = path.join(server.dir, 'bad-flows.txt');
  fs.writeFileSync(typo, `# two flows, the second with a typo\n${MATCH} 2\n\n${MATCH.replace('192.168.1.8', '192.168.1.300')} 2\n`);
  const typoErr = await t.throwsAsync(ctl(agent, 'flow/put', '--file', typo), { instanceOf: CommandError });
  t.is(typoErr?.exitCode, 1);
  t.regex(typoErr?.message ?? '', new RegExp(`flow/put: invalid params: ${typo.replace(/[.]/g, '\\.')}:4: .*192\\.168\\.1\\.300`));
  const putOut = await ctl(agent, 'flow/put', '--file', file);
  const lines = putOut.trim().split('\n');
  t.is(lines.length, 3);
  t.regex(lines[0], /offloaded \(flow_id 0, mark 0x1\)/);
  t.regex(lines[1], new RegExp(`ufid:${UFID} offloaded \\(flow_id 1, mark 0x10000\\)`));
  t.regex(lines[2], /software: ct_state/);

  const pcap = path.join(server.dir, 'in.pcap');
  fs.writeFileSync(pcap, writePcap([udpFrame({ src: '192.168.1.8', dst: '192.168.1.2', sport: 10026, dport: 10025 }), udpFrame({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2 })]));
  const injOut = await ctl(agent, 'packet/inject', '2', pcap);
  t.is(injOut, `packet 1: hit ufid:${UFID}, mark 0x10000, output 1\npacket 2: miss\nhits: 1, misses: 1\n`);
  const caps = path.join(server.dir, 'caps');
  const capOut = await ctl(agent, 'packet/inject', '2', pcap, '--pcap-out', caps);
  t.true(capOut.endsWith(`hits: 1, misses: 1\nwrote ${caps}/port-1.pcap: 1 frame to port 1\nwrote ${caps}/miss.pcap: 1 frame that missed\n`), capOut);
  t.deepEqual(parsePcap(fs.readFileSync(path.join(caps, 'port-1.pcap'))).frames, parsePcap(fs.readFileSync(pcap)).frames.slice(0, 1));

  const stats = await ctl(agent, 'offload/stats');
  t.regex(stats, /offloaded: 2/);
  t.regex(stats, /flow_id pool: 2 of 65536 in use/);

  const err = await t.throwsAsync(agent.call('flow/get', { ufid: '2de117b4-df58-4ca7-a3da-f84eb3479ea0' }), { instanceOf: ControlError });
  t.is((err).code, -32001);
  const bad = await t.throwsAsync(agent.call('flow/put', { flows: [{ match: 'in_port(1),nonsense(1)', actions: '2' }] }), { instanceOf: ControlError });
  t.is((bad).code, -32602);
  t.regex((bad).message, /flows\[0\]/);
  const noHw = await t.throwsAsync(agent.call('packet/inject', { port: 'nosuch', frames: ['00'] }), { instanceOf: ControlError });
  t.regex((noHw).message, /no interface named "nosuch"/);

  t.is(await ctl(agent, 'flow/flush'), 'removed 3 flows\n');
  t.is(await ctl(agent, 'flow/dump'), 'no flows\n');
});

/** A flow of the port-change tests, with a frame that hits it and nothing else. */
interface PortFlow {
  ufid: string;
  match: string;
  actions: string;
  /** The interface its in_port names. */
  inPort: string;
  /** Its output odp port. */
  outPort: number;
  frame: Uint8Array;
}

/** dpdk0 -> dpdk1 (the original example) and dpdk1 -> dpdk0. */
const PORT_FLOWS: readonly PortFlow[] = [
  { ufid: UFID, match: MATCH, actions: '2', inPort: 'dpdk0', outPort: 2, frame: udpFrame({ src: '192.168.1.2', dst: '192.168.1.8', sport: 10025, dport: 10026 }) },
  {
    ufid: '3de117b4-df58-4ca7-a3da-f84eb3479ea0',
    match: 'in_port(2),eth_type(0x0800),ipv4(src=192.168.1.8,dst=192.168.1.2,proto=17),udp(src=10026,dst=10025)',
    actions: '1',
    inPort: 'dpdk1',
    outPort: 1,
    frame: udpFrame({ src: '192.168.1.8', dst: '192.168.1.2', sport: 10026, dport: 10025 }),
  },
];

/** A flow offloaded on NIC port `device` with mark (flow_id << 16) | markPort, or in software for `reason`. */
type FlowExpectation = { state: 'offloaded'; device: number; markPort: number } | { state: 'software'; reason: string };

/** What the agent must show after one OVSDB change. */
interface StepExpectation {
  /** Every interface of ports/show, by name (br0's internal interface included). */
  ports: Record<string, { state: PortState; hwPortId: number | null; reason?: string }>;
  hwLocalPortMap: Record<string, number>;
  /** By the index of the flow in PORT_FLOWS. */
  flows: readonly FlowExpectation[];
  /** offload/stats `devices`. */
  devices: Record<string, { offloaded: number }>;
}

interface Observation {
  ports: StepExpectation['ports'];
  hwLocalPortMap: Record<string, number>;
  flows: FlowView[];
}

async function observe(agent: AgentProcess): Promise<Observation> {
  const shown = await agent.ports();
  const ports: StepExpectation['ports'] = {};
  for (const p of shown.ports) ports[p.name] = p.reason === undefined ? { state: p.state, hwPortId: p.hwPortId } : { state: p.state, hwPortId: p.hwPortId, reason: p.reason };
  const flows = await Promise.all(PORT_FLOWS.map((f) => agent.call<FlowView>('flow/get', { ufid: f.ufid })));
  return { ports, hwLocalPortMap: shown.hwLocalPortMap, flows };
}

function flowReached(view: FlowView, want: FlowExpectation): boolean {
  if (want.state === 'software') return view.state === 'software' && view.reason === want.reason;
  return view.state === 'offloaded' && view.device === want.device && view.flowId !== undefined && view.mark === view.flowId * 65536 + want.markPort;
}

function reached(obs: Observation, want: StepExpectation): boolean {
  return isDeepStrictEqual(obs.ports, want.ports)
    && isDeepStrictEqual(obs.hwLocalPortMap, want.hwLocalPortMap)
    && want.flows.every((f, i) => flowReached(obs.flows[i], f));
}

/**
 * Waits until ports/show and flow/get show `want` (the agent applies an OVSDB change
 * asynchronously), then checks offload/stats and what the NIC does: the frame of each flow,
 * injected on every interface with a hw-port-id, hits (marked with the flow's mark and steered to
 * its output port) exactly on the interface of its in_port when the flow is offloaded, and misses
 * everywhere else. A rule left behind on the NIC after a port change, or a rule missing, fails.
 */
async function checkStep(t: ExecutionContext, agent: AgentProcess, what: string, want: StepExpectation): Promise<void> {
  let last: Observation | undefined;
  const obs = await waitFor(what, async () => {
    last = await observe(agent);
    return reached(last, want) ? last : undefined;
  }).catch((err: Error) => {
    throw new Error(`${err.message}; last seen: ${JSON.stringify(last, (k, v: unknown) => (k === 'stats' || k === 'rule' ? undefined : v))}`);
  });
  t.deepEqual(obs.ports, want.ports, `${what}: ports/show`);

  const stats = await agent.call<OffloadStats>('offload/stats');
  t.deepEqual(stats.devices, want.devices, `${what}: offload/stats devices`);
  const offloaded = want.flows.filter((f) => f.state === 'offloaded').length;
  t.deepEqual([stats.flows.offloaded, stats.flows.software], [offloaded, want.flows.length - offloaded], `${what}: offload/stats flows`);

  const frames = PORT_FLOWS.map((f) => hex(f.frame));
  for (const [name, port] of Object.entries(want.ports)) {
    if (port.state !== 'ready') {
      const err = await t.throwsAsync(agent.call('packet/inject', { port: name, frames }), { instanceOf: ControlError }, `${what}: ${name} is not on the NIC`);
      t.regex(err?.message ?? '', /has no hw-port-id: its packets do not go through the NIC/);
      continue;
    }
    const expected = PORT_FLOWS.map((f, i) => {
      const w = want.flows[i];
      if (w.state !== 'offloaded' || f.inPort !== name) return { hit: false };
      t.is(w.device, port.hwPortId ?? -1, `${what}: the expectation puts ${f.ufid} on ${name}'s NIC port`);
      return { hit: true, ufid: f.ufid, mark: (obs.flows[i].flowId ?? -1) * 65536 + w.markPort, outPort: f.outPort };
    });
    const inj = await agent.call<PacketInjectResult>('packet/inject', { port: name, frames });
    t.deepEqual(inj.packets, expected, `${what}: frames received on ${name} (NIC port ${String(port.hwPortId)})`);
  }
}

async function putPortFlows(t: ExecutionContext, agent: AgentProcess): Promise<void> {
  const put = await agent.call<FlowPutResult>('flow/put', { flows: PORT_FLOWS.map(({ ufid, match, actions }) => ({ ufid, match, actions })) });
  t.deepEqual(put.flows.map((f) => f.state), ['offloaded', 'offloaded']);
}

/** The bridge's internal interface: never offloaded. */
const BR0 = { state: 'disabled', hwPortId: null } as const;

const READY_BOTH: StepExpectation = {
  ports: { br0: BR0, dpdk0: { state: 'ready', hwPortId: 0 }, dpdk1: { state: 'ready', hwPortId: 1 } },
  hwLocalPortMap: { 0: 1, 1: 2 },
  flows: [{ state: 'offloaded', device: 0, markPort: 1 }, { state: 'offloaded', device: 1, markPort: 0 }],
  devices: { 0: { offloaded: 1 }, 1: { offloaded: 1 } },
};

test('port changes in OVSDB: loss, gain, move and deletion keep the NIC equal to the table', async (t) => {
  const { server, agent } = await setup(t);
  await putPortFlows(t, agent);
  await checkStep(t, agent, 'both flows offloaded', READY_BOTH);

  await server.vsctl('remove', 'interface', 'dpdk0', 'options', 'hw-port-id');
  await checkStep(t, agent, 'dpdk0 lost its hw-port-id', {
    ports: { br0: BR0, dpdk0: { state: 'disabled', hwPortId: null }, dpdk1: { state: 'ready', hwPortId: 1 } },
    hwLocalPortMap: { 1: 2 },
    flows: [{ state: 'software', reason: 'in_port 1 has no hw-port-id' }, { state: 'offloaded', device: 1, markPort: 0x8000 | 1 }],
    devices: { 1: { offloaded: 1 } },
  });

  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=2');
  await checkStep(t, agent, 'dpdk0 gained hw-port-id 2', {
    ports: { br0: BR0, dpdk0: { state: 'ready', hwPortId: 2 }, dpdk1: { state: 'ready', hwPortId: 1 } },
    hwLocalPortMap: { 1: 2, 2: 1 },
    flows: [{ state: 'offloaded', device: 2, markPort: 1 }, { state: 'offloaded', device: 1, markPort: 2 }],
    devices: { 1: { offloaded: 1 }, 2: { offloaded: 1 } },
  });

  await server.vsctl('set', 'interface', 'dpdk1', 'options:hw-port-id=3');
  await checkStep(t, agent, 'dpdk1 moved to hw-port-id 3', {
    ports: { br0: BR0, dpdk0: { state: 'ready', hwPortId: 2 }, dpdk1: { state: 'ready', hwPortId: 3 } },
    hwLocalPortMap: { 2: 1, 3: 2 },
    flows: [{ state: 'offloaded', device: 2, markPort: 3 }, { state: 'offloaded', device: 3, markPort: 2 }],
    devices: { 2: { offloaded: 1 }, 3: { offloaded: 1 } },
  });

  await server.vsctl('del-port', 'br0', 'dpdk0');
  await checkStep(t, agent, 'dpdk0 deleted', {
    ports: { br0: BR0, dpdk1: { state: 'ready', hwPortId: 3 } },
    hwLocalPortMap: { 3: 2 },
    flows: [{ state: 'software', reason: 'in_port 1 has no hw-port-id' }, { state: 'offloaded', device: 3, markPort: 0x8000 | 1 }],
    devices: { 3: { offloaded: 1 } },
  });

  // No rule of dpdk0's flow is left anywhere on the NIC (the soft NIC has ports 0..3): dpdk1,
  // and with it its flow, visits every other NIC port, where dpdk0's frame must miss.
  for (const hw of [0, 1, 2]) {
    await server.vsctl('set', 'interface', 'dpdk1', `options:hw-port-id=${hw}`);
    await checkStep(t, agent, `dpdk1 moved to hw-port-id ${hw}`, {
      ports: { br0: BR0, dpdk1: { state: 'ready', hwPortId: hw } },
      hwLocalPortMap: { [hw]: 2 },
      flows: [{ state: 'software', reason: 'in_port 1 has no hw-port-id' }, { state: 'offloaded', device: hw, markPort: 0x8000 | 1 }],
      devices: { [hw]: { offloaded: 1 } },
    });
  }
});

test('port changes in OVSDB: a hw-port-id conflict keeps the holder, and the claimant takes over when it lets go', async (t) => {
  const { server, agent } = await setup(t);
  await putPortFlows(t, agent);
  await checkStep(t, agent, 'both flows offloaded', READY_BOTH);

  // An operator gives dpdk1 the id dpdk0 holds: dpdk0 keeps it, dpdk1 waits in conflict and its
  // flow goes back to software; dpdk0's flow now outputs to a port without a hw-port-id.
  await server.vsctl('set', 'interface', 'dpdk1', 'options:hw-port-id=0');
  await checkStep(t, agent, 'dpdk1 claims hw-port-id 0, held by dpdk0', {
    ports: { br0: BR0, dpdk0: { state: 'ready', hwPortId: 0 }, dpdk1: { state: 'conflict', hwPortId: 0, reason: 'hw-port-id 0 is held by dpdk0' } },
    hwLocalPortMap: { 0: 1 },
    flows: [{ state: 'offloaded', device: 0, markPort: 0x8000 | 2 }, { state: 'software', reason: 'in_port 2 has no hw-port-id' }],
    devices: { 0: { offloaded: 1 } },
  });
  await agent.waitForLog(/interface dpdk1: hw-port-id 0 is held by dpdk0/);

  // The holder lets go: the waiting claimant takes the id over, on the same NIC port.
  await server.vsctl('remove', 'interface', 'dpdk0', 'options', 'hw-port-id');
  await checkStep(t, agent, 'dpdk0 let go of hw-port-id 0, dpdk1 took it over', {
    ports: { br0: BR0, dpdk0: { state: 'disabled', hwPortId: null }, dpdk1: { state: 'ready', hwPortId: 0 } },
    hwLocalPortMap: { 0: 2 },
    flows: [{ state: 'software', reason: 'in_port 1 has no hw-port-id' }, { state: 'offloaded', device: 0, markPort: 0x8000 | 1 }],
    devices: { 0: { offloaded: 1 } },
  });
  await agent.waitForLog(/HW OFFLOAD ready on device \(dpdk1\) : hw-port-id <-> odp-port-id 0 <-> 2/);

  // dpdk0 takes the id dpdk1 had at first: frames on NIC port 1 now show whether dpdk1's first
  // rule, which its conflict had to remove, is still there.
  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=1');
  await checkStep(t, agent, 'dpdk0 took hw-port-id 1', {
    ports: { br0: BR0, dpdk0: { state: 'ready', hwPortId: 1 }, dpdk1: { state: 'ready', hwPortId: 0 } },
    hwLocalPortMap: { 0: 2, 1: 1 },
    flows: [{ state: 'offloaded', device: 1, markPort: 0 }, { state: 'offloaded', device: 0, markPort: 1 }],
    devices: { 0: { offloaded: 1 }, 1: { offloaded: 1 } },
  });
});

test('a bad backend profile stops the agent at start with a clear message', async (t) => {
  const server = await startOvsdbServer();
  t.teardown(() => server.destroy());
  // An unknown profile name is a usage error; a profile file is read at start.
  const err = await t.throwsAsync(run(process.execPath, [AGENT_BIN, '--db', server.remote, '--ctl-socket', path.join(server.dir, 'x.ctl'), '--backend', 'soft:nosuchprofile']), { instanceOf: CommandError });
  t.is((err).exitCode, 2);
  t.regex(err?.message ?? '', /no soft NIC profile "nosuchprofile" \(profiles: full, nocount, nomark, xl710; or soft:FILE.json\)/);
  const missing = path.join(server.dir, 'nosuch.json');
  const fileErr = await t.throwsAsync(run(process.execPath, [AGENT_BIN, '--db', server.remote, '--ctl-socket', path.join(server.dir, 'x.ctl'), '--backend', `soft:${missing}`]), { instanceOf: CommandError });
  t.is((fileErr).exitCode, 1);
  t.regex(fileErr?.message ?? '', /no soft NIC profile ".*nosuch\.json": ENOENT/);
});

test('--backend soft:FILE.json runs the agent on a NIC described by a profile file (one that needs QUEUE with MARK)', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwprofile-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const full = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../schema/nic-profiles/full.json'), 'utf8')) as Record<string, unknown>;
  const file = path.join(dir, 'countqueue.json');
  fs.writeFileSync(file, JSON.stringify({ ...full, name: 'countqueue', markNeedsQueue: true }));
  const { agent } = await setup(t, ['--backend', `soft:${file}`]);
  t.regex(await ctl(agent, 'agent/show'), /countqueue/);
  const put = await agent.call<FlowPutResult>('flow/put', { flows: [{ ufid: UFID, match: MATCH, actions: '2' }] });
  t.is(put.flows[0].state, 'offloaded', put.flows[0].reason);
  const flow = await agent.call<FlowView>('flow/get', { ufid: UFID });
  t.is(flow.variant, 'count+queue');
  t.true(flow.rule?.endsWith('/ end actions count / mark id 1 / queue index 0 / end'), flow.rule);
});
