/**
 * The offload end to end: a real ovsdb-server, the real agent process on the soft NIC, and
 * ovs-hwol-ctl / ControlClient. The original patch's example: dpdk0 and dpdk1 with hw-port-id 0
 * and 1, the megaflow in_port(1) ... actions:2, frames injected on dpdk0.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ControlError } from '../../src/control/errors';
import type { FlowPutResult, PacketInjectResult } from '../../src/control/api-types';
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
  await server.vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev',
    '--', 'add-port', 'br0', 'dpdk0', '--', 'set', 'interface', 'dpdk0', 'type=dpdk', 'ofport_request=1', 'options:hw-port-id=0',
    '--', 'add-port', 'br0', 'dpdk1', '--', 'set', 'interface', 'dpdk1', 'type=dpdk', 'ofport_request=2', 'options:hw-port-id=1');
  const agent = await AgentProcess.start(server.remote, server.dir, ['--stats-interval', String(STATS_INTERVAL_MS), ...agentArgs]);
  t.teardown(async () => {
    await agent.stop();
    await server.destroy();
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

test('port changes in OVSDB: loss, gain, move and deletion keep the NIC equal to the table', async (t) => {
  const { server, agent } = await setup(t);
  await agent.call('flow/put', { flows: [{ ufid: UFID, match: MATCH, actions: '2' }] });
  const state = async (): Promise<FlowView> => agent.call<FlowView>('flow/get', { ufid: UFID });
  const devices = async (): Promise<Record<string, { offloaded: number }>> => (await agent.call<OffloadStats>('offload/stats')).devices;

  await server.vsctl('remove', 'interface', 'dpdk0', 'options', 'hw-port-id');
  const lost = await waitFor('the flow back in software', async () => ((await state()).state === 'software' ? state() : undefined));
  t.is(lost.reason, 'in_port 1 has no hw-port-id');
  t.deepEqual(await devices(), {});

  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=2');
  const gained = await waitFor('the flow offloaded on device 2', async () => {
    const f = await state();
    return f.state === 'offloaded' && f.device === 2 ? f : undefined;
  });
  t.is(gained.mark, (gained.flowId ?? -1) * 65536 + 1);
  t.deepEqual(await devices(), { 2: { offloaded: 1 } });

  await server.vsctl('set', 'interface', 'dpdk1', 'options:hw-port-id=3');
  const moved = await waitFor('the mark rebuilt for output hw-port-id 3', async () => {
    const f = await state();
    return f.mark === (f.flowId ?? -1) * 65536 + 3 ? f : undefined;
  });
  t.is(moved.state, 'offloaded');

  await server.vsctl('del-port', 'br0', 'dpdk0');
  const deleted = await waitFor('the flow in software after dpdk0 is deleted', async () => ((await state()).state === 'software' ? state() : undefined));
  t.regex(deleted.reason ?? '', /in_port 1/);
  t.deepEqual(await devices(), {});
});

test('a bad backend profile stops the agent at start with a clear message', async (t) => {
  const server = await startOvsdbServer();
  t.teardown(() => server.destroy());
  const err = await t.throwsAsync(run(process.execPath, [AGENT_BIN, '--db', server.remote, '--ctl-socket', path.join(server.dir, 'x.ctl'), '--backend', 'soft:nosuchprofile']), { instanceOf: CommandError });
  t.is((err).exitCode, 1);
  t.regex(err?.message ?? '', /no soft NIC profile "nosuchprofile"/);
});
