/**
 * UnixctlClient: against a real ovs-vswitchd's control socket (the one ovs-appctl uses), and against a
 * scripted unix socket server for what a healthy daemon does not do (never answering).
 */
import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { UnixctlClient, UnixctlError, UnixctlTimeoutError, UnixctlUnavailableError } from '../../src/mirror';
import { makeTempDir } from '../../src/sandbox/ovsdb-server';
import { waitFor } from '../../src/sandbox/processes';
import { Vswitchd } from '../../src/sandbox/vswitchd';

let vs: Vswitchd | undefined;

test.before(async () => {
  vs = await Vswitchd.start(undefined, [{ name: 'p1', ofport: 1 }, { name: 'p2', ofport: 2 }]);
});

test.after.always(async () => {
  await vs?.stop();
});

function sw(): Vswitchd {
  if (!vs) throw new Error('ovs-vswitchd did not start');
  return vs;
}

async function connected(client: UnixctlClient): Promise<void> {
  client.start();
  await waitFor('the unixctl connection', () => client.connected, 10_000, 10);
}

test.serial('commands answer with the same text as ovs-appctl prints', async (t) => {
  const logged: string[] = [];
  const logger = winston.createLogger({ format: winston.format.printf((i) => String(i.message)), transports: [new winston.transports.Stream({ stream: new Writable({ write(c: Buffer, _e, done): void { logged.push(c.toString('utf8').trim()); done(); } }) })] });
  const client = new UnixctlClient(sw().ctlPath, { logger });
  try {
    await connected(client);
    const show = await client.call('dpctl/show');
    t.is(show, await sw().appctl('dpctl/show'));
    t.regex(show, /^netdev@ovs-netdev:\n/m);
    t.regex(show, / port 1: p1 \(dummy\)/);
    await sw().addFlows(['in_port=1,actions=output:2']);
    await sw().receive('p1', 'eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)');
    const dump = await client.call('dpctl/dump-flows', ['-m', '--no-names']);
    t.regex(dump, /^flow-dump from the main thread:\nufid:[0-9a-f-]{36}, .*in_port\(1\).* actions:2, dp-extra-info:/);
    // Requests on one connection are answered in order, also when sent together.
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => client.call(i % 2 === 0 ? 'dpctl/show' : 'version')));
    for (let i = 0; i < 20; i++) t.regex(many[i], i % 2 === 0 ? /^netdev@ovs-netdev:/ : /^ovs-vswitchd \(Open vSwitch\) /);
  } finally {
    client.stop();
  }
  await waitFor('the stop to be logged', () => logged.some((l) => l.endsWith('session stopped')), 5000, 5);
  t.true(logged.includes('unixctl session stopped'), `the session names its peer when it stops: ${logged.join(' | ')}`);
});

test.serial('an error answer is a UnixctlError with the daemon\'s text', async (t) => {
  const client = new UnixctlClient(sw().ctlPath);
  try {
    await connected(client);
    const err = await t.throwsAsync(client.call('no-such/command'), { instanceOf: UnixctlError });
    t.is(err?.command, 'no-such/command');
    t.regex(err?.reply ?? '', /"no-such\/command" is not a valid command/);
    t.regex(err?.message ?? '', new RegExp(`^${sw().ctlPath}: "no-such/command" failed: `));
    const bad = await t.throwsAsync(client.call('dpctl/dump-flows', ['-m', 'nosuch@dp']), { instanceOf: UnixctlError });
    t.truthy(bad?.reply);
    // The connection is still good.
    t.regex(await client.call('version'), /Open vSwitch/);
  } finally {
    client.stop();
  }
});

test('without a connection, calls fail at once with UnixctlUnavailableError', async (t) => {
  const dir = makeTempDir('ovs-hwol-unixctl-');
  const client = new UnixctlClient(path.join(dir, 'nobody.ctl'), { minBackoffMs: 50, maxBackoffMs: 100 });
  try {
    await t.throwsAsync(client.call('version'), { instanceOf: UnixctlUnavailableError, message: /not connected to ovs-vswitchd/ });
    client.start();
    await waitFor('a failed attempt', () => client.state.state === 'backoff', 5000, 10);
    const err = await t.throwsAsync(client.call('version'), { instanceOf: UnixctlUnavailableError });
    t.regex(err?.message ?? '', /nobody\.ctl.*(ENOENT|no such file)/i);
  } finally {
    client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a command without an answer times out, and the connection is made again', async (t) => {
  const dir = makeTempDir('ovs-hwol-unixctl-');
  const sock = path.join(dir, 'mute.ctl');
  let accepted = 0;
  const requests: unknown[] = [];
  const server = net.createServer((c) => {
    accepted++;
    c.on('data', (b) => requests.push(JSON.parse(b.toString('utf8'))));
  });
  await new Promise<void>((r) => server.listen(sock, r));
  const client = new UnixctlClient(sock, { minBackoffMs: 50, maxBackoffMs: 100 });
  try {
    await connected(client);
    const err = await t.throwsAsync(client.call('dpctl/dump-flows', ['-m'], 200), { instanceOf: UnixctlTimeoutError });
    t.is(err?.timeoutMs, 200);
    t.deepEqual(requests[0], { method: 'dpctl/dump-flows', params: ['-m'], id: 1 });
    await waitFor('a second connection', () => accepted >= 2 && client.connected, 5000, 10);
    t.pass();
  } finally {
    client.stop();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
