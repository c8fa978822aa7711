/**
 * `npm run sandbox`: ovs-hwol beside a private ovsdb-server, like OVS's own sandbox.
 *
 * Default mode: starts an ovsdb-server in a new temporary directory, creates bridge br0
 * (datapath_type=netdev) with interfaces dpdk0..dpdk3 of type dpdk, starts ovs-hwol-agent on the soft
 * NIC with its control socket in that directory, prints the commands to try, and runs until Ctrl-C.
 *
 * `npm run sandbox -- --with-vswitchd`: also starts a real ovs-vswitchd (userspace datapath, dummy
 * ports p1..p4 with hw-port-ids 0..3, a few OpenFlow rules), and the agent mirrors it
 * (`--flow-source vswitchd:DIR/ovs-vswitchd.ctl --offload-types dummy`): packets injected with
 * `ovs-appctl netdev-dummy/receive` make megaflows that the agent offloads.
 *
 * Either way, Ctrl-C stops everything it started (by pid) and leaves the directory for inspection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, startOvsdbServer } from './ovsdb-server';
import { waitFor } from './processes';
import { Vswitchd, type VswitchdPort } from './vswitchd';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const INTERFACES = ['dpdk0', 'dpdk1', 'dpdk2', 'dpdk3'];
const HWCTL = path.join(ROOT, 'bin', 'ovs-hwol-ctl');

/** The bridge and its dpdk interfaces, with ofport_request 1..4 so odp port numbers are predictable. */
export function sandboxBridgeCommands(): string[] {
  const args = ['add-br', 'br0', '--', 'set', 'bridge', 'br0', 'datapath_type=netdev'];
  INTERFACES.forEach((name, i) => {
    args.push('--', 'add-port', 'br0', name, '--', 'set', 'interface', name, 'type=dpdk', `ofport_request=${i + 1}`);
  });
  return args;
}

/** --with-vswitchd: dummy ports p1..p4 (odp ports 1..4) with hw-port-ids 0..3. */
export const VSWITCHD_PORTS: VswitchdPort[] = [1, 2, 3, 4].map((n) => ({ name: `p${n}`, ofport: n, options: { 'hw-port-id': String(n - 1) } }));

/** --with-vswitchd: OpenFlow rules that make offloadable megaflows, and one that stays in software. */
export const VSWITCHD_RULES = [
  'priority=100,in_port=1,ip,actions=output:2',
  'priority=100,in_port=2,ip,actions=output:1',
  'priority=100,in_port=3,ip,actions=output:1,output:2',
  'priority=100,in_port=4,udp,actions=ct(zone=1,table=1)',
  'table=1,priority=100,actions=output:1',
  'priority=0,actions=drop',
];

const PACKET = "'eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17,tos=0,ttl=64,frag=no),udp(src=10025,dst=10026)'";
const PACKET3 = "'eth(src=50:54:00:00:00:03,dst=50:54:00:00:00:01),eth_type(0x0800),ipv4(src=192.168.3.2,dst=192.168.1.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=40000,dst=80)'";

function instructions(dir: string, db: string, ctl: string): string {
  const vsctl = `ovs-vsctl --db=${db} --no-wait`;
  const hwctl = `${HWCTL} --ctl-socket ${ctl}`;
  return `
ovs-hwol sandbox is running in ${dir}
  ovsdb-server: ${db} (bridge br0 with ${INTERFACES.join(', ')}, type dpdk)
  agent:        soft NIC (profile full), control socket ${ctl}
  logs:         ${path.join(dir, 'ovsdb-server.log')}; the agent logs here

Try, in another terminal (or: source ${path.join(dir, 'env.sh')} and use vsctl / hwctl):
  ${vsctl} set interface dpdk0 options:hw-port-id=0
  ${vsctl} set interface dpdk1 options:hw-port-id=1
  ${hwctl} ports/show
  ${hwctl} flow/put 'in_port(1),eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17),udp(src=10025,dst=10026)' 2
  ${hwctl} flow/dump                                    # offloaded:yes, dp:hw
  ${vsctl} set interface dpdk2 options:hw-port-id=0      # a conflict: dpdk0 holds 0
  ${vsctl} remove interface dpdk0 options hw-port-id     # dpdk2 takes over; the flow from dpdk0 goes back to software
  ${hwctl} flow/dump                                    # offloaded:no
  ${vsctl} set interface dpdk3 options:hw-port-id=abc    # invalid: a warning, no map entry
  ${hwctl} ports/show
  ${hwctl} agent/show
  ${hwctl} log/set debug

Press Ctrl-C to stop the sandbox.
`;
}

function vswitchdInstructions(vs: Vswitchd, ctl: string): string {
  const appctl = `ovs-appctl -t ${vs.ctlPath}`;
  const hwctl = `${HWCTL} --ctl-socket ${ctl}`;
  const vsctl = `ovs-vsctl --db=${vs.db.remote}`;
  return `
ovs-hwol sandbox (with ovs-vswitchd) is running in ${vs.dir}
  ovs-vswitchd: ${vs.ctlPath} (bridge br0, userspace datapath, dummy ports p1..p4 = odp ports 1..4,
                hw-port-ids 0..3); OpenFlow rules:
                  ${VSWITCHD_RULES.join('\n                  ')}
  agent:        mirrors ovs-vswitchd's megaflows onto the soft NIC (--flow-source vswitchd:${vs.ctlPath}),
                control socket ${ctl}
  logs:         ${vs.logFile}; the agent logs here ([mirror] lines say what it offloads)

Try, in another terminal (or: source ${path.join(vs.dir, 'env.sh')} and use appctl / vsctl / ofctl / hwctl):
  ${appctl} netdev-dummy/receive p1 ${PACKET}
  ${appctl} dpctl/dump-flows -m          # the megaflow OVS made, with its ufid
  ${hwctl} flow/dump                      # the same ufid, offloaded:yes (a rule on the NIC of p1)
  ${hwctl} flow/get UFID                  # its rule as testpmd text
  ${appctl} netdev-dummy/receive p3 ${PACKET3}
  ${hwctl} flow/dump type=non-offloaded   # two outputs: stays in software (flow/get UFID says why)
  ${appctl} dpctl/del-flows               # the rules leave the NIC at the next poll
  ${vsctl} set Open_vSwitch . other_config:max-idle=2000   # idle megaflows expire after 2 s
  ${vsctl} del-port br0 p2                # p2's rules go with it
  ${hwctl} agent/show                     # "mirror": connection state, polls, flows, changes
  ${hwctl} ports/show                     # odp port numbers come from ovs-vswitchd's dpctl/show

Press Ctrl-C to stop the sandbox.
`;
}

const SANDBOX_HELP = `usage: npm run sandbox [-- --with-vswitchd]

Starts a private ovsdb-server in a temporary directory and ovs-hwol-agent beside it on the soft NIC,
then prints the commands to try. Ctrl-C stops everything; the directory, with the database and
the logs, is kept (as OVS's own sandbox keeps its files).
  (default)         bridge br0 with interfaces dpdk0..dpdk3 (type dpdk, ofport_request 1..4); flows
                    come from the control API (ovs-hwol-ctl flow/put)
  --with-vswitchd   also starts ovs-vswitchd (userspace datapath) with dummy ports p1..p4 carrying
                    hw-port-ids 0..3 and a few OpenFlow rules; the agent mirrors its megaflows
                    (--flow-source vswitchd:), so packets injected with ovs-appctl netdev-dummy/receive
                    show up as offloaded flows
  -h, --help        print this help and exit
`;

/** Starts the agent as a child process; resolves once its control socket exists. */
async function startAgent(args: string[], ctl: string, onUnexpectedExit: (why: string) => void): Promise<ChildProcess> {
  const agent = spawn(process.execPath, [path.join(ROOT, 'bin', 'ovs-hwol-agent'), '--ctl-socket', ctl, '--backend', 'soft:full', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  agent.once('exit', (code, signal) => onUnexpectedExit(signal ?? `code ${code}`));
  await waitFor('the agent control socket', () => fs.existsSync(ctl) || agent.exitCode !== null, 15_000, 50);
  return agent;
}

/** Entry point of `npm run sandbox [-- --with-vswitchd]`. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(SANDBOX_HELP);
    process.exit(0);
  }
  const unknown = argv.filter((a) => a !== '--with-vswitchd');
  if (unknown.length > 0) {
    process.stderr.write(`npm run sandbox: unknown argument ${unknown[0]} (see npm run sandbox -- --help)\n`);
    process.exit(2);
  }
  const withVswitchd = argv.includes('--with-vswitchd');
  let agent: ChildProcess | undefined;
  let stopping = false;
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let dir = '';
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (agent && agent.exitCode === null) {
      const exited = new Promise((r) => agent?.once('exit', r));
      agent.kill('SIGTERM');
      // An agent that does not stop within 10 s (stuck) is killed, so that Ctrl-C always ends the sandbox.
      const timer = setTimeout(() => {
        process.stderr.write('ovs-hwol-agent did not stop within 10 s of SIGTERM; killing it\n');
        agent?.kill('SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    await cleanup();
    process.stderr.write(`sandbox stopped; its files (database, logs) are kept in ${dir}\n`);
    process.exit(code);
  };
  const onAgentExit = (why: string): void => {
    if (stopping) return;
    process.stderr.write(`ovs-hwol-agent exited unexpectedly (${why})\n`);
    void stopAll(1);
  };
  try {
    if (withVswitchd) {
      dir = makeTempDir('ovs-hwol-sandbox-');
      const vs = await Vswitchd.start(dir, VSWITCHD_PORTS);
      cleanup = () => vs.stop();
      await vs.addFlows(VSWITCHD_RULES);
      const ctl = path.join(dir, 'ovs-hwol-agent.ctl');
      fs.writeFileSync(
        path.join(dir, 'env.sh'),
        [
          `alias appctl='ovs-appctl -t ${vs.ctlPath}'`,
          `alias vsctl='ovs-vsctl --db=${vs.db.remote}'`,
          `alias ofctl='ovs-ofctl -O OpenFlow15 --names'`,
          `alias hwctl='${HWCTL} --ctl-socket ${ctl}'`,
          `# ofctl dump-flows unix:${vs.mgmtPath}`,
          '',
        ].join('\n'),
      );
      agent = await startAgent(['--db', vs.db.remote, '--flow-source', `vswitchd:${vs.ctlPath}`, '--offload-types', 'dummy'], ctl, onAgentExit);
      process.stdout.write(vswitchdInstructions(vs, ctl));
    } else {
      const server = await startOvsdbServer();
      dir = server.dir;
      cleanup = () => server.stop();
      const ctl = path.join(dir, 'ovs-hwol-agent.ctl');
      await server.vsctl(...sandboxBridgeCommands());
      fs.writeFileSync(
        path.join(dir, 'env.sh'),
        `alias vsctl='ovs-vsctl --db=${server.remote} --no-wait'\nalias hwctl='${HWCTL} --ctl-socket ${ctl}'\n`,
      );
      agent = await startAgent(['--db', server.remote], ctl, onAgentExit);
      process.stdout.write(instructions(dir, server.remote, ctl));
    }
  } catch (err) {
    process.stderr.write(`sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
    await stopAll(1);
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stopAll(0));
}

if (require.main === module) void main();
