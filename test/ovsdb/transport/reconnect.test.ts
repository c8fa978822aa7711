/**
 * The reconnect state machine, replayed on a virtual clock: each step is an event at a time and the
 * answers expected from run()/timeout()/state at that time.
 */
import test from 'ava';
import { Reconnect } from '../../../src/ovsdb/reconnect';

test('a new machine is disabled: run answers nothing and nothing is due', (t) => {
  const fsm = new Reconnect();
  t.is(fsm.state, 'void');
  t.is(fsm.run(0), undefined);
  t.is(fsm.run(1e9), undefined);
  t.is(fsm.timeout(0), undefined);
});

test('enable asks to connect at once', (t) => {
  const fsm = new Reconnect();
  fsm.enable(100);
  t.is(fsm.state, 'backoff');
  t.is(fsm.backoffMs, 0);
  t.is(fsm.timeout(100), 0);
  t.is(fsm.run(100), 'connect');
});

test('a connection attempt is abandoned after the connect timeout', (t) => {
  const fsm = new Reconnect({ connectTimeoutMs: 1000 });
  fsm.enable(0);
  fsm.connecting(0);
  t.is(fsm.state, 'connecting');
  t.is(fsm.timeout(0), 1000);
  t.is(fsm.run(999), undefined);
  t.is(fsm.run(1000), 'disconnect');
});

test('failures back off 1 s, 2 s, 4 s, 8 s, 8 s with the defaults', (t) => {
  const fsm = new Reconnect();
  fsm.enable(0);
  let now = 0;
  const backoffs: number[] = [];
  for (let i = 0; i < 6; i++) {
    t.is(fsm.run(now), 'connect', `attempt ${i} is due at ${now}`);
    fsm.connecting(now);
    fsm.connectFailed(now + 10, new Error('refused'));
    now += 10;
    t.is(fsm.state, 'backoff');
    backoffs.push(fsm.backoffMs);
    t.is(fsm.timeout(now), fsm.backoffMs);
    t.is(fsm.run(now + fsm.backoffMs - 1), undefined);
    now += fsm.backoffMs;
  }
  t.deepEqual(backoffs, [1000, 2000, 4000, 8000, 8000, 8000]);
  t.deepEqual(fsm.attempts, { attempted: 6, succeeded: 0 });
  t.true(fsm.lastError instanceof Error);
});

test('custom backoff bounds double from min and stop at max', (t) => {
  const fsm = new Reconnect({ minBackoffMs: 100, maxBackoffMs: 500 });
  fsm.enable(0);
  const backoffs: number[] = [];
  for (let i = 0; i < 5; i++) {
    fsm.connectFailed(i);
    backoffs.push(fsm.backoffMs);
  }
  // Doubling while under max/2, then max (as OVS): 200 < 250 doubles to 400; 400 jumps to 500.
  t.deepEqual(backoffs, [100, 200, 400, 500, 500]);
});

test('the connect timeout grows with the backoff', (t) => {
  const fsm = new Reconnect({ connectTimeoutMs: 1000 });
  fsm.enable(0);
  for (let i = 0; i < 4; i++) fsm.connectFailed(0);
  t.is(fsm.backoffMs, 8000);
  fsm.connecting(100);
  t.is(fsm.timeout(100), 8000);
});

test('free tries: one failure per remote without backoff, then the usual backoff', (t) => {
  const fsm = new Reconnect({ backoffFreeTries: 3 });
  fsm.enable(0);
  const backoffs: number[] = [];
  for (let i = 0; i < 5; i++) {
    fsm.connectFailed(0);
    backoffs.push(fsm.backoffMs);
  }
  t.deepEqual(backoffs, [0, 0, 1000, 2000, 4000]);
  fsm.setBackoffFreeTries(2);
  fsm.connectFailed(0);
  t.is(fsm.backoffMs, 0);
});

test('a stable connection resets the backoff to the minimum', (t) => {
  const fsm = new Reconnect();
  fsm.enable(0);
  for (let i = 0; i < 4; i++) fsm.connectFailed(0);
  t.is(fsm.backoffMs, 8000);
  fsm.connected(20_000);
  fsm.activity(28_000); // traffic 8 s (= the backoff) after connecting
  fsm.disconnected(30_000, new Error('reset'));
  t.is(fsm.backoffMs, 1000);
  t.is(fsm.lastDisconnectedAt, 30_000);
});

test('a connection that drops without traffic keeps backing off', (t) => {
  const fsm = new Reconnect();
  fsm.enable(0);
  for (let i = 0; i < 3; i++) fsm.connectFailed(0);
  t.is(fsm.backoffMs, 4000);
  fsm.connected(10_000);
  fsm.activity(11_000); // only 1 s of traffic: not stable for a 4 s backoff
  fsm.disconnected(12_000);
  t.is(fsm.backoffMs, 8000);
});

test('probe after the probe interval without activity, disconnect after another', (t) => {
  const fsm = new Reconnect({ probeIntervalMs: 5000 });
  fsm.enable(0);
  fsm.connected(0);
  t.is(fsm.state, 'active');
  t.true(fsm.isConnected);
  t.is(fsm.timeout(0), 5000);
  t.is(fsm.run(4999), undefined);
  t.is(fsm.run(5000), 'probe');
  t.is(fsm.state, 'idle');
  t.true(fsm.isConnected);
  t.is(fsm.timeout(5000), 5000);
  t.is(fsm.run(9999), undefined);
  t.is(fsm.run(10_000), 'disconnect');
});

test('activity postpones the probe, and an answer to the probe returns to active', (t) => {
  const fsm = new Reconnect({ probeIntervalMs: 5000 });
  fsm.enable(0);
  fsm.connected(0);
  fsm.activity(3000);
  t.is(fsm.run(7999), undefined);
  t.is(fsm.timeout(7000), 1000);
  t.is(fsm.run(8000), 'probe');
  fsm.activity(8200);
  t.is(fsm.state, 'active');
  t.is(fsm.run(13_199), undefined);
  t.is(fsm.run(13_200), 'probe');
});

test('probe interval 0 never probes', (t) => {
  const fsm = new Reconnect({ probeIntervalMs: 0 });
  fsm.enable(0);
  fsm.connected(0);
  t.is(fsm.timeout(0), undefined);
  t.is(fsm.run(1e9), undefined);
  fsm.setProbeInterval(1000);
  t.is(fsm.run(1e9), 'probe');
});

test('a forced reconnect answers disconnect at once, from connecting or connected', (t) => {
  const fsm = new Reconnect();
  fsm.enable(0);
  fsm.connected(0);
  fsm.forceReconnect(50);
  t.is(fsm.state, 'reconnect');
  t.is(fsm.timeout(50), 0);
  t.is(fsm.run(50), 'disconnect');
  fsm.disconnected(50);
  t.is(fsm.state, 'backoff');
  t.is(fsm.run(50 + fsm.backoffMs), 'connect');
  fsm.connecting(2000);
  fsm.forceReconnect(2100);
  t.is(fsm.run(2100), 'disconnect');
});

test('a forced reconnect is ignored while backing off, and activity does not cancel one', (t) => {
  const fsm = new Reconnect();
  fsm.enable(0);
  fsm.forceReconnect(0);
  t.is(fsm.state, 'backoff');
  fsm.connected(0);
  fsm.forceReconnect(10);
  fsm.activity(20);
  t.is(fsm.run(20), 'disconnect');
});

test('disconnected is ignored when not connecting or connected', (t) => {
  const fsm = new Reconnect();
  fsm.disconnected(0);
  t.is(fsm.state, 'void');
  fsm.enable(0);
  fsm.disconnected(0);
  t.is(fsm.backoffMs, 0);
});

test('disable stops everything until enabled again', (t) => {
  const fsm = new Reconnect();
  fsm.enable(0);
  fsm.connected(0);
  fsm.disable(10);
  t.is(fsm.state, 'void');
  t.is(fsm.run(1e9), undefined);
  fsm.enable(20);
  t.is(fsm.run(20), 'connect');
});

test('counters and timestamps follow the events', (t) => {
  const fsm = new Reconnect();
  fsm.enable(0);
  fsm.connecting(0);
  fsm.connected(5);
  t.is(fsm.lastConnectedAt, 5);
  t.is(fsm.stateEnteredAt, 5);
  fsm.disconnected(10);
  fsm.connectFailed(2000);
  t.deepEqual(fsm.attempts, { attempted: 2, succeeded: 1 });
});

test('bad options are refused with a RangeError naming the option', (t) => {
  t.throws(() => new Reconnect({ minBackoffMs: -1 }), { instanceOf: RangeError, message: /minBackoffMs/ });
  t.throws(() => new Reconnect({ probeIntervalMs: Number.NaN }), { instanceOf: RangeError, message: /probeIntervalMs/ });
  t.throws(() => new Reconnect({ minBackoffMs: 5000, maxBackoffMs: 1000 }), { instanceOf: RangeError, message: /must not exceed/ });
});
