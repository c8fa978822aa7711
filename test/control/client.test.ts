import test from 'ava';
import net from 'node:net';
import path from 'node:path';
import { ControlClient } from '../../src/control/client';
import { ControlClosedError, ControlConnectError, ControlError, ControlProtocolError, ControlTimeoutError } from '../../src/control/errors';
import { waitFor } from '../../src/sandbox/processes';
import { AGENT_RESULT, makeStaleSocket, PORTS_RESULT, startTestServer, tempDir, UFID_CONTROL_ERROR, UFID_WAIT } from './helpers';

test('calls resolve with results; overlapping calls are matched by id', async (t) => {
  const srv = await startTestServer();
  const client = await ControlClient.connect(srv.socketPath);
  const [agent, ports, previous] = await Promise.all([client.call('agent/show'), client.call('ports/show', {}), client.call('log/set', { level: 'debug' })]);
  t.deepEqual(agent, AGENT_RESULT);
  t.deepEqual(ports, PORTS_RESULT);
  t.deepEqual(previous, { previous: 'info' });
  t.deepEqual(await client.call('log/set', { level: 'warn' }), { previous: 'debug' });
  await client.close();
  await srv.stop();
});

test('an error answer rejects with ControlError carrying code, message and data', async (t) => {
  const srv = await startTestServer();
  const client = await ControlClient.connect(srv.socketPath);
  const e1 = await t.throwsAsync(client.call('flow/get', { ufid: UFID_CONTROL_ERROR }), { instanceOf: ControlError });
  t.is(e1?.code, -32001);
  t.deepEqual(e1?.data, { ufid: UFID_CONTROL_ERROR });
  const e2 = await t.throwsAsync(client.call('log/set', { level: 'loud' }), { instanceOf: ControlError });
  t.is(e2?.code, -32602);
  t.is((e2?.data as { field: string }).field, 'level');
  const e3 = await t.throwsAsync(client.call('flow/flush'), { instanceOf: ControlError });
  t.is(e3?.code, -32601);
  // The connection is still good.
  t.deepEqual(await client.call('agent/show'), AGENT_RESULT);
  await client.close();
  await srv.stop();
});

test('no agent: ControlConnectError names the path and says no agent is running', async (t) => {
  const missing = path.join(tempDir(), 'none.ctl');
  const err = await t.throwsAsync(ControlClient.connect(missing), { instanceOf: ControlConnectError });
  t.is(err?.message, `cannot connect to ${missing}: no agent is running (ENOENT)`);
  t.is(err?.errno, 'ENOENT');
  // A socket file nobody listens on (left by a dead process).
  const dead = path.join(tempDir(), 'dead.ctl');
  await makeStaleSocket(dead);
  const e2 = await t.throwsAsync(ControlClient.connect(dead), { instanceOf: ControlConnectError });
  t.is(e2?.message, `cannot connect to ${dead}: no agent is running (ECONNREFUSED)`);
});

test('a call times out with ControlTimeoutError and a late answer is ignored', async (t) => {
  const srv = await startTestServer();
  const client = await ControlClient.connect(srv.socketPath, { timeoutMs: 100 });
  const err = await t.throwsAsync(client.call('flow/get', { ufid: UFID_WAIT }), { instanceOf: ControlTimeoutError });
  t.regex(err?.message ?? '', /flow\/get: no answer from the agent within 0.1 s/);
  t.is(client.pendingCount, 0);
  srv.release();
  t.deepEqual(await client.call('agent/show', undefined, { timeoutMs: 0 }), AGENT_RESULT);
  await client.close();
  await srv.stop();
});

test('pending calls reject with ControlClosedError when the agent goes away, and later calls too', async (t) => {
  const srv = await startTestServer();
  const client = await ControlClient.connect(srv.socketPath);
  const pending = client.call('flow/get', { ufid: UFID_WAIT });
  await waitFor('the handler to start', () => srv.waiting() === 1, 5000);
  await srv.stop();
  await t.throwsAsync(pending, { instanceOf: ControlClosedError });
  await t.throwsAsync(client.call('agent/show'), { instanceOf: ControlClosedError });
  await client.close();
});

test('close() rejects pending calls', async (t) => {
  const srv = await startTestServer();
  const client = await ControlClient.connect(srv.socketPath);
  const pending = client.call('flow/get', { ufid: UFID_WAIT });
  await waitFor('the handler to start', () => srv.waiting() === 1, 5000);
  await client.close();
  await t.throwsAsync(pending, { instanceOf: ControlClosedError, message: /client was closed/ });
  srv.release();
  await srv.stop();
});

test('an over-long request fails with the server\'s -32600 (id null) and the connection closes', async (t) => {
  const srv = await startTestServer({ maxMessageBytes: 1024 });
  const client = await ControlClient.connect(srv.socketPath);
  const err = await t.throwsAsync(client.call('flow/put', { flows: [{ match: 'x'.repeat(2000), actions: '2' }] }), { instanceOf: ControlError });
  t.is(err?.code, -32600);
  t.deepEqual(err?.data, { limit: 1024 });
  await t.throwsAsync(client.call('agent/show'), { instanceOf: ControlClosedError });
  await client.close();
  await srv.stop();
});

test('a peer that sends garbage or an over-long answer is a ControlProtocolError', async (t) => {
  const dir = tempDir();
  const socketPath = path.join(dir, 'fake.ctl');
  const answers = ['this is not json\n', `${'x'.repeat(5000)}`];
  let n = 0;
  const fake = net.createServer((s) => s.once('data', () => s.write(answers[n++])));
  await new Promise<void>((r) => fake.listen(socketPath, r));
  const c1 = await ControlClient.connect(socketPath);
  await t.throwsAsync(c1.call('agent/show'), { instanceOf: ControlProtocolError, message: /invalid JSON/ });
  await c1.close();
  const c2 = await ControlClient.connect(socketPath, { maxMessageBytes: 1000 });
  await t.throwsAsync(c2.call('agent/show'), { instanceOf: ControlProtocolError, message: /longer than 1000 bytes/ });
  await c2.close();
  await new Promise((r) => fake.close(r));
});
