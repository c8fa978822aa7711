/**
 * Interface rows exactly as a real ovsdb-server (OVS 3.1) sends them in RFC 7047 wire form, read here with
 * `ovsdb-client transact` (a select), run through the reducer. Confirms the decoder against real datums: empty
 * sets for unset optional columns, options maps, the bridge's own internal interface.
 */
import test from 'ava';
import type { RowChange } from '../../src/ovsdb/row-change.js';
import { createPortsState, resolvePortsConfig } from '../../src/ports/index.js';
import { startOvsdbServer, type OvsdbServer } from '../../src/sandbox/ovsdb-server.js';
import { run } from '../../src/sandbox/processes.js';

let server: OvsdbServer | undefined;

test.before(async () => {
  server = await startOvsdbServer();
});

test.after.always(async () => {
  await server?.destroy();
});

async function selectInterfaces(remote: string): Promise<RowChange[]> {
  const select = ['Open_vSwitch', { op: 'select', table: 'Interface', where: [], columns: ['_uuid', 'name', 'type', 'options', 'ofport_request', 'ofport'] }];
  const [result] = JSON.parse(await run('ovsdb-client', ['transact', remote, JSON.stringify(select)])) as [{ rows: Record<string, unknown>[] }];
  return result.rows.map(({ _uuid, ...row }) => ({ event: 'initial', table: 'Interface', uuid: (_uuid as [string, string])[1], row }));
}

test('rows from a real ovsdb-server decode and follow the rules', async (t) => {
  const db = server as OvsdbServer;
  await db.vsctl('add-br', 'br0');
  await db.vsctl('add-port', 'br0', 'dpdk0', '--', 'set', 'Interface', 'dpdk0', 'type=dpdk', 'options:hw-port-id=0', 'options:dpdk-devargs=net_null0', 'ofport_request=5');
  await db.vsctl('add-port', 'br0', 'dpdk1', '--', 'set', 'Interface', 'dpdk1', 'type=dpdk', 'options:hw-port-id=0', 'ofport_request=7');
  await db.vsctl('add-port', 'br0', 'dpdk2', '--', 'set', 'Interface', 'dpdk2', 'type=dpdk', 'options:hw-port-id=64');
  await db.vsctl('add-port', 'br0', 'vm1', '--', 'set', 'Interface', 'vm1', 'type=dpdkvhostuserclient', 'options:hw-port-id=1');
  const rows = await selectInterfaces(db.remote);
  t.is(rows.length, 5);

  const state = createPortsState(resolvePortsConfig());
  state.apply(rows);
  // Rows without ofport_request are numbered in the order the server sends them (uuid hash order): 1, 2, 3.
  const odp = (name: string) => state.table.port(name)?.odpPort;
  t.deepEqual([odp('br0'), odp('dpdk2'), odp('vm1')].sort(), [1, 2, 3]);
  t.deepEqual(
    state.table.ports.map((p) => ({ ...p, uuid: typeof p.uuid, odpPort: p.name.startsWith('dpdk0') || p.name.startsWith('dpdk1') ? p.odpPort : 'any' })),
    [
      { name: 'br0', type: 'internal', uuid: 'string', odpPort: 'any', hwPortId: null, state: 'disabled' },
      { name: 'dpdk0', type: 'dpdk', uuid: 'string', odpPort: 5, hwPortId: 0, state: 'ready' },
      { name: 'dpdk1', type: 'dpdk', uuid: 'string', odpPort: 7, hwPortId: 0, state: 'conflict', reason: 'hw-port-id 0 is held by dpdk0' },
      { name: 'dpdk2', type: 'dpdk', uuid: 'string', odpPort: 'any', hwPortId: null, state: 'invalid', reason: 'hw-port-id "64" is out of range 0..63' },
      {
        name: 'vm1',
        type: 'dpdkvhostuserclient',
        uuid: 'string',
        odpPort: 'any',
        hwPortId: 1,
        state: 'disabled',
        reason: 'type "dpdkvhostuserclient" is not offloadable (offload types: dpdk); hw-port-id ignored',
      },
    ],
  );
  t.deepEqual(state.table.hwLocalPortMap, { '0': 5 });
  t.is(state.table.port('br0')?.type, 'internal');
});
