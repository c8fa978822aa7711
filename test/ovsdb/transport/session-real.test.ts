/** ReliableSession against real ovsdb-server processes: unix, tcp, failover, restart. */
import fs from 'node:fs';
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { UnknownDatabaseError, UnknownMethodError } from '../../../src/ovsdb/errors';
import { ReliableSession, type SessionConnection, type SessionState } from '../../../src/ovsdb/reliable-session';
import { startOvsdbServer, type OvsdbServer } from '../../../src/sandbox/ovsdb-server';
import { freePorts, waitFor } from '../../../src/sandbox/processes';
import { captureLogger } from './helpers/fakes';

const FAST = { minBackoffMs: 100, maxBackoffMs: 400 };

async function remove(server: OvsdbServer): Promise<void> {
  await server.stop();
  fs.rmSync(server.dir, { recursive: true, force: true });
}

function sorted(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as string[])].sort() : value;
}

test('unix: list_dbs, then the server is killed and restarted and the session reconnects', async (t) => {
  const server = await startOvsdbServer({ init: false });
  t.teardown(() => remove(server));
  const session = new ReliableSession(server.remote, FAST);
  t.teardown(() => session.stop());
  const connections: SessionConnection[] = [];
  const states: SessionState[] = [];
  session.connections$.subscribe((c) => connections.push(c));
  session.state$.subscribe((s) => states.push(s));
  session.start();
  const first = await waitFor('the first connection', () => connections[0]);
  t.is(first.remote, server.remote);
  t.deepEqual(sorted(await first.channel.request('list_dbs', [])), ['Open_vSwitch', '_Server']);

  await server.kill();
  const cause = await first.channel.closed;
  t.true(cause instanceof Error, 'a killed server is not a clean close');
  await waitFor('the session to back off', () => session.state.state === 'backoff' || session.state.state === 'connecting');

  await server.start();
  const second = await waitFor('a new connection', () => connections[1], 15_000);
  t.not(second.channel, first.channel);
  t.deepEqual(sorted(await second.channel.request('list_dbs', [])), ['Open_vSwitch', '_Server']);
  t.true(states.some((s) => s.state === 'backoff' && s.error !== undefined));
});

test('tcp: requests, typed errors from the real server, and probes that keep the connection up', async (t) => {
  const [port] = await freePorts(1);
  const server = await startOvsdbServer({ tcpPort: port, init: false });
  t.teardown(() => remove(server));
  const { logger, lines } = captureLogger('debug');
  const session = new ReliableSession(`tcp:127.0.0.1:${port}`, { ...FAST, probeIntervalMs: 150, logger });
  t.teardown(() => session.stop());
  session.start();
  const { channel, remote } = await firstValueFrom(session.connections$);
  t.is(remote, `tcp:127.0.0.1:${port}`);
  t.deepEqual(sorted(await channel.request('list_dbs', [])), ['Open_vSwitch', '_Server']);
  t.deepEqual(await channel.request('echo', ['hello', 1]), ['hello', 1]);
  await t.throwsAsync(channel.request('get_schema', ['Nope']), { instanceOf: UnknownDatabaseError });
  await t.throwsAsync(channel.request('frobnicate', []), { instanceOf: UnknownMethodError });
  // An operation's error is part of the transact result, not a JSON-RPC error.
  const ops = (await channel.request('transact', ['Open_vSwitch', { op: 'bogus' }])) as Array<{ error?: string }>;
  t.is(ops[0].error, 'syntax error');
  await waitFor('three inactivity probes', () => lines.filter((l) => l.message.includes('sending inactivity probe')).length >= 3, 10_000);
  t.is(session.connection?.channel, channel, 'the probes were answered, so the connection stayed');
  t.is(session.state.state, 'connected');
});

test('failover: a list whose first remote does not exist connects to the second', async (t) => {
  const server = await startOvsdbServer({ init: false });
  t.teardown(() => remove(server));
  const session = new ReliableSession(`unix:/nonexistent/db.sock,${server.remote}`, FAST);
  t.teardown(() => session.stop());
  const states: SessionState[] = [];
  session.state$.subscribe((s) => states.push(s));
  session.start();
  const { channel, remote } = await firstValueFrom(session.connections$);
  t.is(remote, server.remote);
  t.deepEqual(sorted(await channel.request('list_dbs', [])), ['Open_vSwitch', '_Server']);
  const failure = states.find((s) => s.state === 'backoff');
  t.regex(failure?.error ?? '', /ENOENT|no such file/i);
  t.is(failure?.remote, server.remote);
});
