/**
 * `npm run sandbox`: ovs-hwol beside a private ovsdb-server, like OVS's own sandbox.
 *
 * Starts an ovsdb-server in a new temporary directory, creates bridge br0 (datapath_type=netdev)
 * with interfaces dpdk0..dpdk3 of type dpdk, starts ovs-hwol-agent on the soft NIC with its
 * control socket in that directory, prints the commands to try, and runs until Ctrl-C; then it
 * stops everything it started (by pid) and leaves the directory for inspection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startOvsdbServer } from './ovsdb-server';
import { waitFor } from './processes';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const INTERFACES = ['dpdk0', 'dpdk1', 'dpdk2', 'dpdk3'];

/** The bridge and its dpdk interfaces, with ofport_request 1..4 so odp port numbers are predictable. */
export function sandboxBridgeCommands(): string[] {
  const args = ['add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev'];
  INTERFACES.forEach((name, i) => {
    args.push('--', 'add-port', 'br0', name, '--', 'set', 'interface', name, 'type=dpdk', `ofport_request=${i + 1}`);
  });
  return args;
}

function instructions(dir: string, db: string, ctl: string): string {
  const vsctl = `ovs-vsctl --db=${db} --no-wait`;
  const hwctl = `${path.join(ROOT, 'bin', 'ovs-hwol-ctl')} --ctl-socket ${ctl}`;
  return `
ovs-hwol sandbox is running in ${dir}
  ovsdb-server: ${db} (bridge br0 with ${INTERFACES.join(', ')}, type dpdk)
  agent:        soft NIC (profile full), control socket ${ctl}
  logs:         ${path.join(dir, 'ovsdb-server.log')}; the agent logs here

Try, in another terminal (or: source ${path.join(dir, 'env.sh')} and use vsctl / hwctl):
  ${vsctl} set interface dpdk0 options:hw-port-id=0
  ${vsctl} set interface dpdk1 options:hw-port-id=1
  ${hwctl} ports/show
  ${vsctl} set interface dpdk2 options:hw-port-id=0      # a conflict: dpdk0 holds 0
  ${vsctl} remove interface dpdk0 options hw-port-id     # dpdk2 takes over
  ${vsctl} set interface dpdk3 options:hw-port-id=abc    # invalid: a warning, no map entry
  ${hwctl} flow/put 'in_port(1),eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17),udp(src=10025,dst=10026)' 2
  ${hwctl} flow/dump
  ${hwctl} agent/show
  ${hwctl} log/set debug

Press Ctrl-C to stop the sandbox.
`;
}

/** Entry point of `npm run sandbox`. */
export async function main(): Promise<void> {
  const server = await startOvsdbServer();
  const dir = server.dir;
  const ctl = path.join(dir, 'ovs-hwol-agent.ctl');
  let agent: ChildProcess | undefined;
  let stopping = false;
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (agent && agent.exitCode === null) {
      const exited = new Promise((r) => agent?.once('exit', r));
      agent.kill('SIGTERM');
      await exited;
    }
    await server.stop();
    process.stderr.write(`sandbox stopped; its files are in ${dir}\n`);
    process.exit(code);
  };
  try {
    await server.vsctl(...sandboxBridgeCommands());
    fs.writeFileSync(
      path.join(dir, 'env.sh'),
      `alias vsctl='ovs-vsctl --db=${server.remote} --no-wait'\nalias hwctl='${path.join(ROOT, 'bin', 'ovs-hwol-ctl')} --ctl-socket ${ctl}'\n`,
    );
    agent = spawn(process.execPath, [path.join(ROOT, 'bin', 'ovs-hwol-agent'), '--db', server.remote, '--ctl-socket', ctl, '--backend', 'soft:full'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const child = agent;
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`ovs-hwol-agent exited unexpectedly (${signal ?? `code ${code}`})\n`);
      void stopAll(1);
    });
    await waitFor('the agent control socket', () => fs.existsSync(ctl) || child.exitCode !== null, 15_000, 50);
    process.stdout.write(instructions(dir, server.remote, ctl));
  } catch (err) {
    process.stderr.write(`sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
    await stopAll(1);
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stopAll(0));
}

if (require.main === module) void main();
