/**
 * The agent beside a real ovsdb-server, changed with ovs-vsctl as an operator would.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import path from 'node:path';
import { ControlError } from '../../src/control/errors';
import { startOvsdbServer, type OvsdbServer } from '../../src/sandbox/ovsdb-server';
import { freePorts, run, waitFor } from '../../src/sandbox/processes';
import { AgentProcess } from '../helpers/agent-process';
import { expectedMap, listInterfaces } from '../helpers/db-expectations';

/** A server with br0 and `count` dpdk interfaces dpdk0.. with ofport_request 1.., plus an agent. */
async function setup(t: ExecutionContext, count: number, agentArgs: string[] = []): Promise<{ server: OvsdbServer; agent: AgentProcess }> {
  const server = await startOvsdbServer();
  const args = ['add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev'];
  for (let i = 0; i < count; i++) args.push('--', 'add-port', 'br0', `dpdk${i}`, '--', 'set', 'interface', `dpdk${i}`, 'type=dpdk', `ofport_request=${i + 1}`);
  await server.vsctl(...args);
  const agent = await AgentProcess.start(server.remote, server.dir, agentArgs);
  t.teardown(async () => {
    await agent.stop();
    await server.destroy();
  });
  return { server, agent };
}

const sameMap = (want: Record<string, number>) => (r: { hwLocalPortMap: Record<string, number> }): boolean =>
  JSON.stringify(r.hwLocalPortMap) === JSON.stringify(want);

test('initial sync: interfaces configured before the agent starts are in the map at once', async (t) => {
  const server = await startOvsdbServer();
  await server.vsctl('add-br', 'br0', '--', 'add-port', 'br0', 'dpdk0', '--', 'set', 'interface', 'dpdk0', 'type=dpdk', 'ofport_request=3', 'options:hw-port-id=0',
    '--', 'add-port', 'br0', 'dpdk1', '--', 'set', 'interface', 'dpdk1', 'type=dpdk', 'ofport_request=4', 'options:hw-port-id=1',
    '--', 'add-port', 'br0', 'dpdk2', '--', 'set', 'interface', 'dpdk2', 'type=dpdk', 'ofport_request=5');
  const agent = await AgentProcess.start(server.remote, server.dir);
  t.teardown(async () => {
    await agent.stop();
    await server.destroy();
  });
  const r = await agent.waitForPorts('the initial map', (p) => p.ports.length === 4);
  t.deepEqual(r.hwLocalPortMap, expectedMap(await listInterfaces(server.remote)));
  t.deepEqual(r.hwLocalPortMap, { 0: 3, 1: 4 });
  const dpdk2 = r.ports.find((p) => p.name === 'dpdk2');
  t.is(dpdk2?.state, 'disabled');
  t.is(dpdk2?.odpPort, 5);
  await agent.waitForLog(/HW OFFLOAD ready on device \(dpdk0\) : hw-port-id <-> odp-port-id 0 <-> 3/);
  const show = await agent.show();
  t.is(show.db.state, 'synced');
  t.true(show.db.connected);
  t.is(show.db.monitorMethod, 'monitor_cond_since');
});

test('set, change and remove hw-port-id', async (t) => {
  const { server, agent } = await setup(t, 2);
  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=7');
  await agent.waitForPorts('dpdk0 ready on 7', sameMap({ 7: 1 }));
  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=9');
  await agent.waitForPorts('dpdk0 moved to 9', sameMap({ 9: 1 }));
  await server.vsctl('set', 'interface', 'dpdk1', 'options:hw-port-id=7');
  await agent.waitForPorts('dpdk1 ready on 7', sameMap({ 7: 2, 9: 1 }));
  await server.vsctl('remove', 'interface', 'dpdk0', 'options', 'hw-port-id');
  const r = await agent.waitForPorts('dpdk0 gone from the map', sameMap({ 7: 2 }));
  t.is(r.ports.find((p) => p.name === 'dpdk0')?.state, 'disabled');
  t.deepEqual(r.hwLocalPortMap, expectedMap(await listInterfaces(server.remote)));
});

test('invalid values: state invalid, a warning naming interface and value, no map entry', async (t) => {
  const values = ['abc', '1.5', '', '-1', '0x1', '64'];
  const { server, agent } = await setup(t, values.length);
  await server.vsctl(...values.flatMap((v, i) => ['--', 'set', 'interface', `dpdk${i}`, `options:hw-port-id="${v}"`]).slice(1));
  const r = await agent.waitForPorts('every value judged', (p) => p.ports.filter((x) => x.state === 'invalid').length === values.length);
  t.deepEqual(r.hwLocalPortMap, {});
  for (const [i, v] of values.entries()) {
    const line = await agent.waitForLog(new RegExp(`dpdk${i}\\b.*hw-port-id`));
    t.true(line.includes('warn'), line);
    t.true(line.includes(JSON.stringify(v)) || line.includes(`'${v}'`) || (v !== '' && line.includes(v)), `${line} should name ${JSON.stringify(v)}`);
  }
  // 63 is the last valid id with the default --max-hw-ports 64.
  await server.vsctl('set', 'interface', 'dpdk5', 'options:hw-port-id=63');
  await agent.waitForPorts('63 accepted', sameMap({ 63: 6 }));
});

test('conflict: the holder keeps the id, the newcomer takes over when the holder lets go', async (t) => {
  const { server, agent } = await setup(t, 3);
  await server.vsctl('set', 'interface', 'dpdk1', 'options:hw-port-id=5');
  await agent.waitForPorts('dpdk1 holds 5', sameMap({ 5: 2 }));
  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=5');
  const r = await agent.waitForPorts('dpdk0 in conflict', (p) => p.ports.find((x) => x.name === 'dpdk0')?.state === 'conflict');
  t.deepEqual(r.hwLocalPortMap, { 5: 2 });
  t.regex(r.ports.find((x) => x.name === 'dpdk0')?.reason ?? '', /dpdk1/);
  await agent.waitForLog(/warn.*dpdk0.*5.*dpdk1/);
  await server.vsctl('remove', 'interface', 'dpdk1', 'options', 'hw-port-id');
  await agent.waitForPorts('dpdk0 took over', sameMap({ 5: 1 }));
  // Claims that arrive together: the lowest odp port wins.
  await server.vsctl('set', 'interface', 'dpdk2', 'options:hw-port-id=6', '--', 'set', 'interface', 'dpdk1', 'options:hw-port-id=6');
  const both = await agent.waitForPorts('simultaneous claims judged', (p) => p.hwLocalPortMap['6'] !== undefined);
  t.is(both.hwLocalPortMap['6'], 2);
  t.is(both.ports.find((x) => x.name === 'dpdk2')?.state, 'conflict');
});

test('interfaces added and deleted', async (t) => {
  const { server, agent } = await setup(t, 1);
  await server.vsctl('add-port', 'br0', 'dpdk9', '--', 'set', 'interface', 'dpdk9', 'type=dpdk', 'ofport_request=9', 'options:hw-port-id=3');
  await agent.waitForPorts('dpdk9 added', sameMap({ 3: 9 }));
  await server.vsctl('del-port', 'br0', 'dpdk9');
  const r = await agent.waitForPorts('dpdk9 deleted', sameMap({}));
  t.falsy(r.ports.find((p) => p.name === 'dpdk9'));
});

test('ovsdb-server killed and restarted: the agent reconnects and ends equal to the database', async (t) => {
  const { server, agent } = await setup(t, 3);
  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=0', '--', 'set', 'interface', 'dpdk1', 'options:hw-port-id=1');
  await agent.waitForPorts('two ports ready', sameMap({ 0: 1, 1: 2 }));
  const before = await agent.show();
  await server.kill();
  await agent.waitForLog(/disconnect|connection (closed|lost)|backoff/i);
  // Change the database while the server is down, as an offline repair would.
  const txn = JSON.stringify(['Open_vSwitch',
    { op: 'update', table: 'Interface', where: [['name', '==', 'dpdk1']], row: { options: ['map', []] } },
    { op: 'update', table: 'Interface', where: [['name', '==', 'dpdk2']], row: { options: ['map', [['hw-port-id', '2']]] } }]);
  await run('ovsdb-tool', ['transact', path.join(server.dir, 'conf.db'), txn]);
  await server.start();
  const r = await agent.waitForPorts('the map after restart', sameMap({ 0: 1, 2: 3 }), 20_000);
  t.deepEqual(r.hwLocalPortMap, expectedMap(await listInterfaces(server.remote)));
  const after = await agent.show();
  t.is(after.db.state, 'synced');
  t.is(after.db.monitorMethod, 'monitor_cond_since');
  t.not(after.uptimeSeconds, undefined);
  t.is(after.pid, before.pid, 'the agent itself kept running');
  // Later changes still arrive on the new connection.
  await server.vsctl('set', 'interface', 'dpdk1', 'options:hw-port-id=4');
  await agent.waitForPorts('a change after the restart', sameMap({ 0: 1, 2: 3, 4: 2 }));
});

test('update storm: 1,000 ovs-vsctl changes, nothing lost', async (t) => {
  const ifaces = 20;
  const { server, agent } = await setup(t, ifaces, ['--max-hw-ports', '32767']);
  const changes = 1000;
  let next = 0;
  // Four operators typing at once; each change gives one interface a new, unique id.
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < changes) {
      const k = next++;
      await server.vsctl('set', 'interface', `dpdk${k % ifaces}`, `options:hw-port-id=${k + 100}`);
    }
  }));
  const want = expectedMap(await listInterfaces(server.remote));
  t.is(Object.keys(want).length, ifaces);
  const r = await agent.waitForPorts('the map after the storm', sameMap(want), 30_000);
  t.is(r.ports.filter((p) => p.state === 'ready').length, ifaces);
});

test('bad input on the control socket gets an error and the agent lives on', async (t) => {
  const { agent } = await setup(t, 1);
  const err = await t.throwsAsync(agent.call('log/set', { level: 'loud' }), { instanceOf: ControlError });
  t.is(err?.code, -32602);
  const unknown = await t.throwsAsync(agent.call('no/such-method'), { instanceOf: ControlError });
  t.is(unknown?.code, -32601);
  const show = await agent.show();
  t.is(show.db.state, 'synced');
  t.is(agent.child.exitCode, null);
});

test('the agent stops cleanly on SIGTERM and removes its control socket', async (t) => {
  const { agent } = await setup(t, 1);
  t.is(await agent.stop(), 0);
  const fs = await import('node:fs');
  t.false(fs.existsSync(agent.ctlSocket));
});

test('--metrics serves the port table and the OVSDB state in Prometheus format', async (t) => {
  const [port] = await freePorts(1);
  const { server, agent } = await setup(t, 2, ['--metrics', `127.0.0.1:${port}`]);
  await server.vsctl('set', 'interface', 'dpdk0', 'options:hw-port-id=0', '--', 'set', 'interface', 'dpdk1', 'options:hw-port-id=zz');
  await agent.waitForPorts('dpdk0 ready', sameMap({ 0: 1 }));
  const body = await waitFor('a scrape', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    const text = await res.text();
    return res.status === 200 && /ovs_hwol_hw_local_port_map_entries 1/.test(text) ? text : undefined;
  });
  t.regex(body, /^ovs_hwol_ports\{state="ready"\} 1$/m);
  t.regex(body, /^ovs_hwol_ports\{state="invalid"\} 1$/m);
  t.regex(body, /^ovs_hwol_ovsdb_connected 1$/m);
  t.regex(body, /^# TYPE ovs_hwol_flows gauge$/m);
});
