/**
 * The PORT remap end to end: a real ovsdb-server and the agent process on the soft NIC. OVS-DPDK
 * reports an interface's DPDK port id as its status:port_no; here it is written with ovs-vsctl,
 * as ovs-vswitchd would write it. An interface whose DPDK port id differs from its hw-port-id has
 * its rules on that DPDK port with a PORT item selecting the hw-port-id (DESIGN.md §1).
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { FlowPutResult, PacketInjectResult, PortsShowResult } from '../../src/control/api-types';
import type { FlowView } from '../../src/offload';
import { startOvsdbServer, type OvsdbServer } from '../../src/sandbox/ovsdb-server';
import { run, waitFor } from '../../src/sandbox/processes';
import { AgentProcess, CTL_BIN } from '../helpers/agent-process';
import { udpFrame } from '../offload/helpers';

const MATCH = 'in_port(1),eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17),udp(src=10025,dst=10026)';
const UFID = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const FRAME = Buffer.from(udpFrame({ src: '192.168.1.2', dst: '192.168.1.8', sport: 10025, dport: 10026 })).toString('hex');

async function setup(t: ExecutionContext): Promise<{ server: OvsdbServer; agent: AgentProcess }> {
  const server = await startOvsdbServer();
  await server.vsctl('add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev',
    '--', 'add-port', 'br0', 'dpdk0', '--', 'set', 'interface', 'dpdk0', 'type=dpdk', 'ofport_request=1', 'options:hw-port-id=0', 'status:port_no=2',
    '--', 'add-port', 'br0', 'dpdk1', '--', 'set', 'interface', 'dpdk1', 'type=dpdk', 'ofport_request=2', 'options:hw-port-id=1');
  const agent = await AgentProcess.start(server.remote, server.dir, []);
  t.teardown(async () => {
    await agent.stop();
    await server.destroy();
  });
  await agent.waitForPorts('dpdk0 and dpdk1 ready', (r) => JSON.stringify(r.hwLocalPortMap) === JSON.stringify({ 0: 1, 1: 2 }));
  return { server, agent };
}

test('status:port_no other than the hw-port-id: ports/show shows it, the rule goes on that DPDK port with a PORT item, packets hit', async (t) => {
  const { server, agent } = await setup(t);
  const ports = await agent.call<PortsShowResult>('ports/show');
  t.deepEqual(ports.ports.map((p) => [p.name, p.hwPortId, p.dpdkPortId]), [['br0', null, undefined], ['dpdk0', 0, 2], ['dpdk1', 1, undefined]]);
  const shown = await run(process.execPath, [CTL_BIN, '--ctl-socket', agent.ctlSocket, 'ports/show']);
  t.regex(shown, /^NAME +TYPE +ODP PORT +HW-PORT-ID +DPDK PORT +STATE +REASON\nbr0 .*\ndpdk0 +dpdk +1 +0 +2 +ready\n/);

  const put = await agent.call<FlowPutResult>('flow/put', { flows: [{ ufid: UFID, match: MATCH, actions: '2' }] });
  t.is(put.flows[0].state, 'offloaded', put.flows[0].reason);
  let flow = await agent.call<FlowView>('flow/get', { ufid: UFID });
  t.is(flow.device, 2);
  t.regex(flow.rule ?? '', /^flow create 2 ingress pattern port_id id is 0 \/ eth type is 0x0800 /);
  const inj = await agent.call<PacketInjectResult>('packet/inject', { port: 'dpdk0', frames: [FRAME] });
  t.deepEqual(inj.packets, [{ hit: true, ufid: UFID, mark: put.flows[0].mark, outPort: 2 }]);

  // ovs-vswitchd restarted dpdk0 as another DPDK port: the rule moves there.
  await server.vsctl('set', 'interface', 'dpdk0', 'status:port_no=3');
  flow = await waitFor('the rule on DPDK port 3', async () => {
    const f = await agent.call<FlowView>('flow/get', { ufid: UFID });
    return f.device === 3 ? f : undefined;
  }, 10_000, 50);
  t.is(flow.state, 'offloaded');
  t.is(flow.flowId, put.flows[0].flowId);
  const stats = await agent.call<{ devices: Record<string, { offloaded: number }> }>('offload/stats');
  t.deepEqual(stats.devices, { 3: { offloaded: 1 } });
  t.is((await agent.call<PacketInjectResult>('packet/inject', { port: 'dpdk0', frames: [FRAME] })).hits, 1);

  // No port_no any more: the hw-port-id is the DPDK port, no PORT item.
  await server.vsctl('remove', 'interface', 'dpdk0', 'status', 'port_no');
  flow = await waitFor('the rule back on port 0', async () => {
    const f = await agent.call<FlowView>('flow/get', { ufid: UFID });
    return f.device === 0 ? f : undefined;
  }, 10_000, 50);
  t.regex(flow.rule ?? '', /^flow create 0 ingress pattern eth type is 0x0800 /);
  t.is((await agent.call<PacketInjectResult>('packet/inject', { port: 'dpdk0', frames: [FRAME] })).hits, 1);
});
