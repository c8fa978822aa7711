/**
 * ReliableSession with an injected connect and a virtual clock: failover order, backoff sequence,
 * probing, forced reconnects, stop, logging. (Real servers: session-*.test.ts.)
 */
import test from 'ava';
import { ConnectError } from '../../../src/ovsdb/errors';
import { formatRemote, type Remote } from '../../../src/ovsdb/remote';
import { ReliableSession, type SessionConnection, type SessionState } from '../../../src/ovsdb/reliable-session';
import { FakeChannel, FakeClock, captureLogger, settle } from './helpers/fakes';

interface Harness {
  clock: FakeClock;
  session: ReliableSession;
  /** Each connect call: remote and virtual time. */
  calls: Array<{ remote: string; at: number }>;
  channels: FakeChannel[];
  connections: SessionConnection[];
  states: SessionState[];
}

type Behaviour = (remote: string, attempt: number) => 'fail' | 'ok' | 'hang';

function harness(remotes: string, behaviour: Behaviour, opts: ConstructorParameters<typeof ReliableSession>[1] = {}): Harness {
  const clock = new FakeClock();
  const calls: Harness['calls'] = [];
  const channels: FakeChannel[] = [];
  const connect = (r: Remote): Promise<FakeChannel> => {
    const remote = formatRemote(r);
    calls.push({ remote, at: clock.now() });
    const what = behaviour(remote, calls.length);
    if (what === 'fail') return Promise.reject(new ConnectError(remote, 'Connection refused', 'ECONNREFUSED'));
    if (what === 'hang') return new Promise(() => undefined);
    const channel = new FakeChannel(remote);
    channels.push(channel);
    return Promise.resolve(channel);
  };
  const session = new ReliableSession(remotes, { clock, connect, ...opts });
  const connections: SessionConnection[] = [];
  const states: SessionState[] = [];
  session.connections$.subscribe((c) => connections.push(c));
  session.state$.subscribe((s) => states.push(s));
  return { clock, session, calls, channels, connections, states };
}

const THREE = 'tcp:127.0.0.1:1,tcp:127.0.0.1:2,tcp:127.0.0.1:3';

test('fails over through the list in order, without waiting during the first round', async (t) => {
  const h = harness(THREE, (remote) => (remote.endsWith(':3') ? 'ok' : 'fail'));
  h.session.start();
  await settle();
  t.deepEqual(h.calls, [
    { remote: 'tcp:127.0.0.1:1', at: 0 },
    { remote: 'tcp:127.0.0.1:2', at: 0 },
    { remote: 'tcp:127.0.0.1:3', at: 0 },
  ]);
  t.is(h.connections.length, 1);
  t.is(h.connections[0].remote, 'tcp:127.0.0.1:3');
  t.is(h.connections[0].channel, h.channels[0]);
  t.deepEqual(h.session.state, { state: 'connected', remote: 'tcp:127.0.0.1:3', attempts: 0 });
  h.session.stop();
});

test('a single failing remote is retried after 1, 2, 4, 8, 8 s', async (t) => {
  const h = harness('tcp:127.0.0.1:1', () => 'fail');
  h.session.start();
  await h.clock.advance(30_000);
  t.deepEqual(
    h.calls.map((c) => c.at),
    [0, 1000, 3000, 7000, 15_000, 23_000],
  );
  const last = h.states[h.states.length - 1];
  t.is(last.state, 'backoff');
  t.regex(last.error ?? '', /Connection refused/);
  t.is(last.attempts, 6);
  h.session.stop();
});

test('after the first round, the remotes alternate with growing backoff', async (t) => {
  const h = harness('tcp:127.0.0.1:1,tcp:127.0.0.1:2', () => 'fail');
  h.session.start();
  await h.clock.advance(16_000);
  t.deepEqual(
    h.calls.map((c) => `${c.remote.slice(-1)}@${c.at}`),
    ['1@0', '2@0', '1@1000', '2@3000', '1@7000', '2@15000'],
  );
  h.session.stop();
});

test('an idle connection is probed with echo, and dropped when the probe gets no answer', async (t) => {
  const h = harness('tcp:127.0.0.1:1', () => 'ok', { probeIntervalMs: 5000 });
  h.session.start();
  await settle();
  const first = h.channels[0];
  first.answerEcho = false;
  await h.clock.advance(4999);
  t.deepEqual(first.requests, []);
  await h.clock.advance(1);
  t.deepEqual(first.requests, [{ method: 'echo', params: [] }]);
  await h.clock.advance(4999);
  t.false(first.isClosed);
  await h.clock.advance(1);
  t.true(first.isClosed);
  t.is(first.closedBy, 'client');
  const dropped = h.states.find((s) => s.state === 'backoff');
  t.regex(dropped?.error ?? '', /no response to inactivity probe after 5\.000 s/);
  await h.clock.advance(1000);
  t.is(h.channels.length, 2);
  t.is(h.connections.length, 2);
  t.is(h.connections[1].channel, h.channels[1]);
  h.session.stop();
});

test('a connection that answers its probes stays up', async (t) => {
  const h = harness('tcp:127.0.0.1:1', () => 'ok', { probeIntervalMs: 5000 });
  h.session.start();
  await h.clock.advance(31_000);
  t.is(h.channels.length, 1);
  t.false(h.channels[0].isClosed);
  t.is(h.channels[0].requests.filter((r) => r.method === 'echo').length, 6);
  h.session.stop();
});

test('traffic from the server postpones the probe', async (t) => {
  const h = harness('tcp:127.0.0.1:1', () => 'ok', { probeIntervalMs: 5000 });
  h.session.start();
  await settle();
  for (let i = 0; i < 10; i++) {
    await h.clock.advance(2000);
    h.channels[0].receive({ method: 'update3', params: [] });
  }
  t.deepEqual(h.channels[0].requests, []);
  h.session.stop();
});

test('unix remotes are not probed unless probeUnix is set (as in OVS)', async (t) => {
  const quiet = harness('unix:/x.sock', () => 'ok', { probeIntervalMs: 1000 });
  quiet.session.start();
  await quiet.clock.advance(10_000);
  t.deepEqual(quiet.channels[0].requests, []);
  quiet.session.stop();
  const probing = harness('unix:/x.sock', () => 'ok', { probeIntervalMs: 1000, probeUnix: true });
  probing.session.start();
  await probing.clock.advance(2500);
  t.is(probing.channels[0].requests.length, 2);
  probing.session.stop();
});

test('connections$ replays the current connection to a late subscriber', async (t) => {
  const h = harness('tcp:127.0.0.1:1', () => 'ok');
  const early: SessionConnection[] = [];
  h.session.connections$.subscribe((c) => early.push(c));
  h.session.start();
  await settle();
  const late: SessionConnection[] = [];
  h.session.connections$.subscribe((c) => late.push(c));
  t.is(late.length, 1);
  t.is(late[0].channel, h.channels[0]);
  t.is(early.length, 1);
  h.session.stop();
  const afterStop: SessionConnection[] = [];
  h.session.connections$.subscribe((c) => afterStop.push(c));
  t.is(afterStop.length, 0);
});

test('when the server drops the connection, the session backs off and connects to the next remote', async (t) => {
  const h = harness('tcp:127.0.0.1:1,tcp:127.0.0.1:2', () => 'ok');
  h.session.start();
  await settle();
  t.is(h.connections[0].remote, 'tcp:127.0.0.1:1');
  h.channels[0].serverClose();
  await settle();
  // One free try per remote: the first drop is retried at once, on the next remote.
  t.is(h.connections.length, 2);
  t.is(h.connections[1].remote, 'tcp:127.0.0.1:2');
  h.channels[1].serverClose();
  await settle();
  t.is(h.session.state.state, 'backoff');
  t.is(h.session.state.remote, 'tcp:127.0.0.1:1');
  t.regex(h.session.state.error ?? '', /closed by the peer/);
  await h.clock.advance(1000);
  t.is(h.connections.length, 3);
  t.is(h.connections[2].remote, 'tcp:127.0.0.1:1');
  h.session.stop();
});

test('forceReconnect drops the connection and moves to the next remote at once', async (t) => {
  const { logger, lines } = captureLogger('info');
  const h = harness(THREE, () => 'ok', { logger });
  h.session.start();
  await settle();
  h.channels[0].serverClose();
  await h.clock.advance(10_000);
  const before = h.connections.length;
  const current = h.channels[h.channels.length - 1];
  h.session.forceReconnect('not a member of the majority');
  await settle();
  t.true(current.isClosed);
  t.is(current.closedBy, 'client');
  t.is(h.connections.length, before + 1);
  t.not(h.connections[before].remote, h.connections[before - 1].remote);
  t.true(lines.some((l) => l.message.includes('not a member of the majority')));
  h.session.stop();
});

test('a connection attempt that hangs is abandoned after the connect timeout', async (t) => {
  let release: ((c: FakeChannel) => void) | undefined;
  const clock = new FakeClock();
  const calls: string[] = [];
  const late = new FakeChannel('tcp:127.0.0.1:1');
  const session = new ReliableSession('tcp:127.0.0.1:1,tcp:127.0.0.1:2', {
    clock,
    connectTimeoutMs: 2000,
    connect: (r) => {
      calls.push(`${formatRemote(r)}@${clock.now()}`);
      if (calls.length === 1) return new Promise((resolve) => (release = resolve));
      return Promise.resolve(new FakeChannel(formatRemote(r)));
    },
  });
  session.start();
  await clock.advance(1999);
  t.deepEqual(calls, ['tcp:127.0.0.1:1@0']);
  await clock.advance(1);
  t.deepEqual(calls, ['tcp:127.0.0.1:1@0', 'tcp:127.0.0.1:2@2000']);
  t.is(session.state.state, 'connected');
  release?.(late);
  await settle();
  t.true(late.isClosed, 'a connection that completes after it was abandoned is closed');
  t.is(session.connection?.remote, 'tcp:127.0.0.1:2');
  session.stop();
});

test('stop closes the connection, cancels timers and attempts, and start connects again', async (t) => {
  const h = harness('tcp:127.0.0.1:1', () => 'ok');
  h.session.start();
  h.session.start();
  await settle();
  t.is(h.calls.length, 1);
  h.session.stop();
  t.true(h.channels[0].isClosed);
  t.is(h.session.state.state, 'stopped');
  t.is(h.clock.pendingTimers, 0);
  await h.clock.advance(60_000);
  t.is(h.calls.length, 1);
  h.session.start();
  await settle();
  t.is(h.calls.length, 2);
  t.is(h.session.state.state, 'connected');
  h.session.stop();
});

test('a connection that completes after stop is closed', async (t) => {
  let release: ((c: FakeChannel) => void) | undefined;
  const channel = new FakeChannel('tcp:127.0.0.1:1');
  const session = new ReliableSession('tcp:127.0.0.1:1', { clock: new FakeClock(), connect: () => new Promise((resolve) => (release = resolve)) });
  session.start();
  await settle();
  session.stop();
  release?.(channel);
  await settle();
  t.true(channel.isClosed);
  t.is(session.connection, undefined);
});

test('state$ goes stopped -> connecting -> connected, then backoff with the error', async (t) => {
  const h = harness('tcp:127.0.0.1:1', (_r, n) => (n === 1 ? 'ok' : 'fail'));
  h.session.start();
  await settle();
  h.channels[0].serverClose(new Error('ECONNRESET'));
  await settle();
  t.deepEqual(h.states.slice(0, 4), [
    { state: 'stopped', attempts: 0 },
    { state: 'connecting', remote: 'tcp:127.0.0.1:1', attempts: 1 },
    { state: 'connected', remote: 'tcp:127.0.0.1:1', attempts: 0 },
    { state: 'backoff', remote: 'tcp:127.0.0.1:1', error: 'ECONNRESET', attempts: 0 },
  ]);
  h.session.stop();
});

test('a long outage logs each failure until the backoff is at its maximum, then stays quiet until connected', async (t) => {
  const { logger, lines } = captureLogger('info');
  let up = false;
  const h = harness('tcp:127.0.0.1:1', () => (up ? 'ok' : 'fail'), { logger });
  h.session.start();
  await h.clock.advance(120_000);
  const attempts = h.calls.length;
  t.true(attempts >= 15, `${attempts} attempts`);
  const outageLines = lines.length;
  t.true(outageLines <= 10, `${outageLines} lines for ${attempts} attempts:\n${lines.map((l) => l.message).join('\n')}`);
  t.is(lines.filter((l) => l.message.includes('suppressing further logging')).length, 1);
  up = true;
  await h.clock.advance(8000);
  t.is(h.session.state.state, 'connected');
  t.regex(lines[lines.length - 1].message, /connected after \d+ attempts/);
  h.session.stop();
});

test('an empty remote list and a bad remote are refused at construction', (t) => {
  t.throws(() => new ReliableSession('', {}), { message: /empty/ });
  t.throws(() => new ReliableSession([], {}), { message: /empty/ });
  t.throws(() => new ReliableSession('tcp:1.2.3.4:99999'), { message: /out of range/ });
  t.throws(() => new ReliableSession('tcp:1.2.3.4:1', { connectTimeoutMs: 0 }), { instanceOf: RangeError });
});
