/**
 * The agent against a 3-member clustered ovsdb-server on loopback: the member it uses is killed,
 * it fails over, and later changes still arrive.
 */
import test from 'ava';
import fs from 'node:fs';
import { makeTempDir, startOvsdbCluster } from '../../src/sandbox/ovsdb-server';
import { waitFor } from '../../src/sandbox/processes';
import { AgentProcess } from '../helpers/agent-process';

test('failover: the member the agent uses is killed; later changes still arrive', async (t) => {
  const cluster = await startOvsdbCluster(3);
  const agentDir = makeTempDir('ovs-hwol-agent-');
  const agent = await AgentProcess.start(cluster.remotes, agentDir);
  t.teardown(async () => {
    if (!t.passed) t.log(agent.logText());
    await agent.stop();
    await cluster.destroy();
    fs.rmSync(agentDir, { recursive: true, force: true });
  });
  await cluster.vsctl('add-br', 'br0', '--', 'add-port', 'br0', 'dpdk0', '--', 'set', 'interface', 'dpdk0', 'type=dpdk', 'ofport_request=1', 'options:hw-port-id=0');
  await agent.waitForPorts('dpdk0 ready', (p) => p.hwLocalPortMap['0'] === 1, 20_000);
  const before = await agent.show();
  t.true(before.db.clustered);
  const used = cluster.members.find((m) => m.remote === before.db.currentRemote);
  if (!used) return t.fail(`agent/show names no member: ${JSON.stringify(before.db)}`);
  await used.kill();
  // Writes resume once the remaining two members have a leader (about 1 s when the leader died).
  // ovs-vsctl refuses while there is no leader: retry until the write goes through.
  await waitFor('a write to the cluster', () => cluster.vsctl('--may-exist', 'add-port', 'br0', 'dpdk1', '--', 'set', 'interface', 'dpdk1', 'type=dpdk', 'ofport_request=2', 'options:hw-port-id=1').then(() => true), 30_000, 200);
  const r = await agent.waitForPorts('the change made after the failover', (p) => p.ports.find((x) => x.name === 'dpdk1')?.state === 'ready', 30_000);
  t.is<number | null | undefined, number | null | undefined>(r.hwLocalPortMap['1'], r.ports.find((x) => x.name === 'dpdk1')?.odpPort);
  const after = await agent.show();
  t.is(after.db.state, 'synced');
  t.not(after.db.currentRemote, used.remote);
  t.true(cluster.members.some((m) => m.remote === after.db.currentRemote));
});
