/**
 * Benchmark peer: ovs-hwol's own OVSDB client and port derivation, in a process of its own, so that it
 * is measured exactly like the Python IDL peer (bench/peers/python_idl_monitor.py) and speaks the same
 * protocol on stdout (times from CLOCK_MONOTONIC, in ns):
 *   synced ROWS START_NS END_NS MAP_SIZE  once hw_local_port_map holds the EXPECTED interfaces
 *   seen NAME HW_PORT_ID NS                 for every later change of the port table
 * It exits when stdin closes.
 *
 * usage: node hwol_monitor.js REMOTE EXPECTED_ROWS
 */
import { OvsdbClient } from '../../src/ovsdb/client';
import { ReliableSession } from '../../src/ovsdb/reliable-session';
import { derivePortTable } from '../../src/ports';
import { INTERFACE_COLUMNS } from '../../src/agent/agent';

function main(): void {
  const [remote, expectedText] = process.argv.slice(2);
  if (remote === undefined || expectedText === undefined) throw new Error('usage: hwol_monitor.js REMOTE EXPECTED_ROWS');
  const expected = Number(expectedText);
  const start = process.hrtime.bigint();
  const session = new ReliableSession(remote);
  const client = new OvsdbClient({ session, tables: { Interface: INTERFACE_COLUMNS } });
  let synced = false;
  derivePortTable(client.updates$, { maxHwPorts: 0x7fff }).subscribe((table) => {
    if (!synced) {
      if (table.readyCount < expected) return;
      synced = true;
      process.stdout.write(`synced ${table.size} ${start} ${process.hrtime.bigint()} ${table.readyCount}\n`);
      return;
    }
    const now = process.hrtime.bigint();
    for (const change of table.changes) {
      if (change.after) process.stdout.write(`seen ${change.after.name} ${change.after.hwPortId ?? ''} ${now}\n`);
    }
  });
  client.start();
  process.stdin.resume();
  process.stdin.on('end', () => {
    client.stop();
    process.exit(0);
  });
}

main();
