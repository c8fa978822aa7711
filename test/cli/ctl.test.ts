/**
 * The real bin/ovs-hwol-ctl, run as a child process against a ControlServer with test handlers.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CONTROL_METHODS } from '../../src/control/schema';
import { COMMANDS } from '../../src/cli/commands';
import { PORTS_RESULT, startTestServer, tempDir, UFID_CONTROL_ERROR, UFID_WAIT, type TestServer } from '../control/helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'ovs-hwol-ctl');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function ctl(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

let srv: TestServer;

test.before(async () => {
  srv = await startTestServer();
});

test.after.always(async () => {
  await srv?.stop();
});

test('ports/show prints the table and the map; --json prints the raw result', async (t) => {
  const human = await ctl(['--ctl-socket', srv.socketPath, 'ports/show']);
  t.is(human.code, 0, human.stderr);
  t.is(
    human.stdout,
    [
      'NAME    TYPE           ODP PORT  HW-PORT-ID  STATE    REASON',
      'dpdk0   dpdk           1         0           ready',
      'dpdk1   dpdk           2         -           invalid  hw-port-id "abc" is not a base-10 integer',
      'vhost9  dpdkvhostuser  12        3           ready',
      'hw_local_port_map:',
      '  hw-port-id 0 -> odp port 1',
      '  hw-port-id 3 -> odp port 12',
      '',
    ].join('\n'),
  );
  t.is(human.stderr, '');
  const json = await ctl(['ports/show', '--json', '--ctl-socket', srv.socketPath]);
  t.is(json.code, 0);
  t.deepEqual(JSON.parse(json.stdout), PORTS_RESULT);
});

test('agent/show is human-readable; OVS_HWOL_CTL_SOCKET chooses the socket', async (t) => {
  const r = await ctl(['agent/show'], { OVS_HWOL_CTL_SOCKET: srv.socketPath });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.split('\n')[0], 'ovs-hwol-agent 0.1.0 (pid 4242), up 1h 02m 03s');
  t.true(r.stdout.includes('backend: soft, profile full\n'));
  t.true(r.stdout.includes('  state: synced, connected to unix:/tmp/x/db.sock\n'));
});

test('log/set prints the change; an unknown level is the agent\'s error, exit 1', async (t) => {
  const ok = await ctl(['--ctl-socket', srv.socketPath, 'log/set', 'debug']);
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout, 'log level: debug (was info)\n');
  const back = await ctl(['--ctl-socket', srv.socketPath, '--json', 'log/set', 'info']);
  t.deepEqual(JSON.parse(back.stdout), { previous: 'debug' });
  const bad = await ctl(['--ctl-socket', srv.socketPath, 'log/set', 'loud']);
  t.is(bad.code, 1);
  t.is(bad.stdout, '');
  t.is(bad.stderr, 'ovs-hwol-ctl: log/set: invalid params: level must be one of error, warn, info, debug (got "loud")\n');
});

test('an error answer from a handler and an unimplemented method exit 1 with "ovs-hwol-ctl: METHOD: message"', async (t) => {
  const r = await ctl(['--ctl-socket', srv.socketPath, 'flow/get', `ufid:${UFID_CONTROL_ERROR}`]);
  t.is(r.code, 1);
  t.is(r.stderr, `ovs-hwol-ctl: flow/get: no flow with ufid ${UFID_CONTROL_ERROR}\n`);
  const dump = await ctl(['--ctl-socket', srv.socketPath, 'flow/dump', 'type=offloaded']);
  t.is(dump.code, 1);
  t.is(dump.stderr, 'ovs-hwol-ctl: flow/dump: method flow/dump is not implemented by this agent\n');
});

test('flow/put --file sends every flow of the file (and - reads stdin)', async (t) => {
  const dir = tempDir();
  const file = path.join(dir, 'flows.txt');
  const lines = [
    'flow-dump from the main thread:',
    'ufid:1de117b4-df58-4ca7-a3da-f84eb3479ea0, in_port(1),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, actions:2',
    'in_port(2),eth_type(0x86dd) drop',
    '',
  ];
  fs.writeFileSync(file, lines.join('\n'));
  const r = await ctl(['--ctl-socket', srv.socketPath, 'flow/put', '--file', file]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'ufid:00000000-0000-0000-0000-000000000000 software: test\nufid:00000000-0000-0000-0000-000000000001 software: test\n');
  const stdin = await ctl(['--ctl-socket', srv.socketPath, '--json', 'flow/put', '--file', '-'], {}, lines.slice(1, 2).join('\n'));
  t.is(stdin.code, 0, stdin.stderr);
  t.is((JSON.parse(stdin.stdout) as { flows: unknown[] }).flows.length, 1);
});

test('no agent: exit 2 with "cannot connect to PATH: no agent is running (ENOENT)"', async (t) => {
  const missing = path.join(tempDir(), 'none.ctl');
  const r = await ctl(['--ctl-socket', missing, 'ports/show']);
  t.is(r.code, 2);
  t.is(r.stdout, '');
  t.is(r.stderr, `ovs-hwol-ctl: cannot connect to ${missing}: no agent is running (ENOENT)\n`);
});

test('usage errors exit 2 without contacting the agent', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /^ovs-hwol-ctl: missing METHOD/],
    [['no/such'], /^ovs-hwol-ctl: unknown method no\/such/],
    [['--frob', 'ports/show'], /^ovs-hwol-ctl: unknown option --frob/],
    [['flow/get'], /^ovs-hwol-ctl: flow\/get takes exactly one UFID/],
    [['ports/show', 'extra'], /^ovs-hwol-ctl: ports\/show takes no arguments/],
    [['--timeout', 'x', 'ports/show'], /^ovs-hwol-ctl: --timeout: "x" is not a number/],
  ];
  for (const [args, message] of cases) {
    const r = await ctl(['--ctl-socket', srv.socketPath, ...args]);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, message, args.join(' '));
    t.is(r.stdout, '');
  }
});

test('--timeout: no answer in time is exit 2', async (t) => {
  const r = await ctl(['--ctl-socket', srv.socketPath, '--timeout', '0.3', 'flow/get', UFID_WAIT]);
  t.is(r.code, 2);
  t.is(r.stderr, 'ovs-hwol-ctl: flow/get: no answer from the agent within 0.3 s\n');
  srv.release();
});

test('--help lists every method with each of its argument forms; --version prints the package version', async (t) => {
  const r = await ctl(['--help']);
  t.is(r.code, 0);
  for (const method of CONTROL_METHODS) t.true(r.stdout.includes(`\n  ${method}`), method);
  for (const c of COMMANDS) for (const f of c.forms) t.true(r.stdout.includes(`  ${c.method}${f.args ? ` ${f.args}` : ''}`), `${c.method} ${f.args}`);
  for (const option of ['--ctl-socket PATH', '--json', '--timeout SECONDS', 'OVS_HWOL_CTL_SOCKET', '/var/run/openvswitch/ovs-hwol-agent.ctl', 'Exit status']) t.true(r.stdout.includes(option), option);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const v = await ctl(['--version']);
  t.is(v.code, 0);
  t.is(v.stdout, `ovs-hwol-ctl ${pkg.version}\n`);
});
