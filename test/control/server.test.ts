import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ControlServer } from '../../src/control/server';
import { ControlServerError, ControlSocketInUseError } from '../../src/control/errors';
import { waitFor } from '../../src/sandbox/processes';
import { AGENT_RESULT, makeStaleSocket, RawConnection, startTestServer, tempDir, UFID_CONTROL_ERROR, UFID_INTERNAL_ERROR, UFID_UNSERIALIZABLE, UFID_WAIT, type TestServer } from './helpers';

/** After any bad input the server must still answer a valid call, on a new connection. */
async function assertAlive(t: { is(a: unknown, b: unknown): void; deepEqual(a: unknown, b: unknown): void }, srv: TestServer): Promise<void> {
  const c = await RawConnection.open(srv.socketPath);
  c.send({ jsonrpc: '2.0', id: 'alive', method: 'agent/show' });
  const answer = await c.next();
  t.is(answer.id, 'alive');
  t.deepEqual(answer.result, AGENT_RESULT);
  c.destroy();
}

test('the socket file is created with mode 0600 and removed by stop()', async (t) => {
  const srv = await startTestServer();
  const stat = fs.statSync(srv.socketPath);
  t.true(stat.isSocket());
  t.is(stat.mode & 0o777, 0o600);
  await srv.stop();
  t.false(fs.existsSync(srv.socketPath));
});

test('a valid call gets its result with the same id; omitted params are accepted for a method without params', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  c.send({ jsonrpc: '2.0', id: 7, method: 'agent/show' });
  t.deepEqual(await c.next(), { jsonrpc: '2.0', id: 7, result: AGENT_RESULT });
  c.send({ jsonrpc: '2.0', id: 'x', method: 'agent/show', params: {} });
  t.deepEqual((await c.next()).result, AGENT_RESULT);
  c.send({ jsonrpc: '2.0', id: 8, method: 'flow/get', params: { ufid: '1de117b4-df58-4ca7-a3da-f84eb3479ea0' } });
  t.deepEqual(await c.next(), { jsonrpc: '2.0', id: 8, result: { ufid: '1de117b4-df58-4ca7-a3da-f84eb3479ea0', state: 'offloaded' } });
  c.destroy();
  await srv.stop();
});

test('garbage is a parse error (-32700, id null) and the connection stays usable', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  c.send('{"jsonrpc": "2.0", "id": 1, "method": ');
  const answer = await c.next();
  t.is(answer.id, null);
  t.is(answer.error?.code, -32700);
  t.regex(answer.error?.message ?? '', /^parse error: /);
  t.is((answer.error?.data as { reason?: string } | undefined)?.reason, answer.error?.message.slice('parse error: '.length));
  c.send('\u0000\u00ff garbage');
  t.is((await c.next()).error?.code, -32700);
  c.send({ jsonrpc: '2.0', id: 2, method: 'agent/show' });
  t.is((await c.next()).id, 2);
  c.destroy();
  await assertAlive(t, srv);
  await srv.stop();
});

test('non-objects and malformed requests are invalid requests (-32600)', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  const cases: Array<[string, unknown, RegExp]> = [
    ['5', null, /must be an object, not a number/],
    ['null', null, /must be an object, not null/],
    ['"agent/show"', null, /must be an object, not a string/],
    ['true', null, /must be an object/],
    ['{"jsonrpc":"1.0","id":3,"method":"agent/show"}', 3, /jsonrpc must be "2.0"/],
    ['{"id":4,"method":"agent/show"}', 4, /jsonrpc must be "2.0"/],
    ['{"jsonrpc":"2.0","id":5}', 5, /method is missing/],
    ['{"jsonrpc":"2.0","id":6,"method":42}', 6, /method must be a string/],
    ['{"jsonrpc":"2.0","id":{"a":1},"method":"agent/show"}', null, /id must be a string, a number or null/],
    ['{"jsonrpc":"2.0","id":7,"method":"agent/show","params":"x"}', 7, /params must be an object or an array/],
    ['{"jsonrpc":"2.0","id":8,"result":1}', 8, /method is missing|no result or error/],
  ];
  for (const [line, id, message] of cases) {
    c.send(line);
    const answer = await c.next();
    t.is(answer.error?.code, -32600, line);
    t.is(answer.id, id, line);
    t.regex(answer.error?.message ?? '', message, line);
    t.is(`invalid request: ${String((answer.error?.data as { reason?: string } | undefined)?.reason)}`, answer.error?.message ?? '', line);
  }
  c.destroy();
  await assertAlive(t, srv);
  await srv.stop();
});

test('an unknown method and a contract method this agent lacks are -32601; a notification gets no answer', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  c.send({ jsonrpc: '2.0', id: 1, method: 'no/such' });
  let answer = await c.next();
  t.is(answer.error?.code, -32601);
  t.regex(answer.error?.message ?? '', /unknown method "no\/such"/);
  c.send({ jsonrpc: '2.0', id: 2, method: 'flow/dump', params: { type: 'all' } });
  answer = await c.next();
  t.is(answer.error?.code, -32601);
  t.regex(answer.error?.message ?? '', /flow\/dump is not implemented/);
  t.deepEqual(answer.error?.data, { method: 'flow/dump' });
  // Notifications (no id), valid or not, are never answered: the next line answers id 3.
  c.send({ jsonrpc: '2.0', method: 'no/such' });
  c.send({ jsonrpc: '2.0', method: 'log/set', params: { level: 'loud' } });
  c.send({ jsonrpc: '2.0', method: 'flow/get', params: { ufid: UFID_INTERNAL_ERROR } });
  c.send({ jsonrpc: '2.0', id: 3, method: 'agent/show' });
  t.is((await c.next()).id, 3);
  c.destroy();
  await srv.stop();
});

test('params that fail the schema are -32602 with data naming the field', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['log/set', {}, 'level', /level is missing/],
    ['log/set', { level: 'loud' }, 'level', /level must be one of error, warn, info, debug \(got "loud"\)/],
    ['log/set', { level: 'info', extra: 1 }, 'extra', /extra is not a known field/],
    ['log/set', ['info'], 'params', /params must be an object/],
    ['agent/show', { verbose: true }, 'verbose', /verbose is not a known field/],
    ['flow/get', { ufid: 'abc' }, 'ufid', /ufid must be a ufid as OVS prints it/],
    ['flow/put', { flows: [] }, 'flows', /flows must not be empty/],
    ['flow/put', { flows: [{ match: 'in_port(1)' }] }, 'flows[0].actions', /flows\[0\]\.actions is missing/],
    ['flow/put', { flows: ['ufid:x, in_port(1), actions:2', 7] }, 'flows[1]', /flows\[1\] must be a string or an object/],
  ];
  let id = 0;
  for (const [method, params, field, message] of cases) {
    c.send({ jsonrpc: '2.0', id: ++id, method, params });
    const answer = await c.next();
    t.is(answer.id, id);
    t.is(answer.error?.code, -32602, `${method} ${JSON.stringify(params)}`);
    t.is(answer.error?.data?.field, field, `${method} ${JSON.stringify(params)}`);
    t.regex(answer.error?.message ?? '', message);
  }
  c.destroy();
  await assertAlive(t, srv);
  await srv.stop();
});

test('a ControlError from a handler keeps its code, message and data; other exceptions are -32603 without a stack', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  c.send({ jsonrpc: '2.0', id: 1, method: 'flow/get', params: { ufid: UFID_CONTROL_ERROR } });
  t.deepEqual((await c.next()).error, { code: -32001, message: `no flow with ufid ${UFID_CONTROL_ERROR}`, data: { ufid: UFID_CONTROL_ERROR } });
  c.send({ jsonrpc: '2.0', id: 2, method: 'flow/get', params: { ufid: UFID_INTERNAL_ERROR } });
  const internal = await c.next();
  t.is(internal.error?.code, -32603);
  t.regex(internal.error?.message ?? '', /^internal error in flow\/get: TypeError: cannot read properties/);
  const text = JSON.stringify(internal);
  t.false(/\bat .*\(|\.js:\d+|\.ts:\d+/.test(text), `no stack in ${text}`);
  c.send({ jsonrpc: '2.0', id: 3, method: 'flow/get', params: { ufid: UFID_UNSERIALIZABLE } });
  const unserializable = await c.next();
  t.is(unserializable.id, 3);
  t.is(unserializable.error?.code, -32603);
  c.destroy();
  await assertAlive(t, srv);
  await srv.stop();
});

test('batches: one array of answers in any order, notifications left out, invalid members answered, empty batch is one -32600', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  c.send([
    { jsonrpc: '2.0', id: 1, method: 'agent/show' },
    { jsonrpc: '2.0', method: 'agent/show' },
    5,
    { jsonrpc: '2.0', id: 2, method: 'no/such' },
    { jsonrpc: '2.0', id: 3, method: 'log/set', params: { level: 'x' } },
  ]);
  const batch = await c.nextBatch();
  t.true(Array.isArray(batch));
  t.is(batch.length, 4);
  const byId = new Map(batch.map((a) => [a.id, a]));
  t.deepEqual(byId.get(1)?.result, AGENT_RESULT);
  t.is(byId.get(null)?.error?.code, -32600);
  t.is(byId.get(2)?.error?.code, -32601);
  t.is(byId.get(3)?.error?.code, -32602);
  // A batch of one request is still answered with an array.
  c.send([{ jsonrpc: '2.0', id: 9, method: 'agent/show' }]);
  const single = await c.nextBatch();
  t.true(Array.isArray(single));
  t.is(single[0].id, 9);
  // Only notifications: no answer at all (the next line answers id 10).
  c.send([{ jsonrpc: '2.0', method: 'agent/show' }]);
  c.send([]);
  const empty = await c.next();
  t.false(Array.isArray(empty));
  t.is(empty.error?.code, -32600);
  t.deepEqual(empty.error?.data, { reason: 'an empty batch' });
  t.is(empty.id, null);
  c.destroy();
  await assertAlive(t, srv);
  await srv.stop();
});

test('a line over the size limit gets -32600 with the limit and the connection is closed; others are unaffected', async (t) => {
  const srv = await startTestServer({ maxMessageBytes: 64 * 1024 });
  const bystander = await RawConnection.open(srv.socketPath);
  // No newline at all: the server must not wait for one.
  const c = await RawConnection.open(srv.socketPath);
  c.write(Buffer.alloc(100 * 1024, 'x'.charCodeAt(0)));
  const answer = await c.next();
  t.is(answer.error?.code, -32600);
  t.is(answer.id, null);
  t.deepEqual(answer.error?.data, { limit: 64 * 1024 });
  await c.closed;
  // Over the limit by one byte, newline included in the same chunk.
  const c2 = await RawConnection.open(srv.socketPath);
  const match = 'in_port(1),' + 'x'.repeat(64 * 1024);
  c2.send({ jsonrpc: '2.0', id: 1, method: 'flow/put', params: { flows: [{ match, actions: '2' }] } });
  t.is((await c2.next()).error?.code, -32600);
  await c2.closed;
  // Just under the limit is a normal request.
  const c3 = await RawConnection.open(srv.socketPath);
  const head = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'flow/put', params: { flows: [{ match: '', actions: '2' }] } });
  const fits = 'm'.repeat(64 * 1024 - Buffer.byteLength(head));
  c3.send({ jsonrpc: '2.0', id: 1, method: 'flow/put', params: { flows: [{ match: fits, actions: '2' }] } });
  const ok = await c3.next();
  t.is(ok.error, undefined);
  t.is((ok.result as { flows: unknown[] }).flows.length, 1);
  bystander.send({ jsonrpc: '2.0', id: 'b', method: 'agent/show' });
  t.is((await bystander.next()).id, 'b');
  c3.destroy();
  bystander.destroy();
  await srv.stop();
});

test('lines may arrive split anywhere and several per chunk, with CRLF and blank lines', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  const text = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'log/set', params: { level: 'info' } })}\r\n\n${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'agent/show' })}\n`;
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 7) {
    c.write(bytes.subarray(i, i + 7));
    await new Promise((r) => setImmediate(r));
  }
  const a = [await c.next(), await c.next()].sort((x, y) => Number(x.id) - Number(y.id));
  t.deepEqual(a[0].result, { previous: 'info' });
  t.deepEqual(a[1].result, AGENT_RESULT);
  c.destroy();
  await srv.stop();
});

test('many clients at once each get their own answers', async (t) => {
  const srv = await startTestServer();
  const clients = await Promise.all(Array.from({ length: 20 }, () => RawConnection.open(srv.socketPath)));
  clients.forEach((c, i) => {
    for (let k = 0; k < 5; k++) {
      const ufid = `aaaaaaaa-0000-0000-${String(i).padStart(4, '0')}-${String(k).padStart(12, '0')}`;
      c.send({ jsonrpc: '2.0', id: k, method: 'flow/get', params: { ufid } });
    }
  });
  for (const [i, c] of clients.entries()) {
    const answers = await Promise.all(Array.from({ length: 5 }, () => c.next()));
    const ufids = answers.map((a) => (a.result as { ufid: string }).ufid).sort();
    t.deepEqual(ufids, Array.from({ length: 5 }, (_x, k) => `aaaaaaaa-0000-0000-${String(i).padStart(4, '0')}-${String(k).padStart(12, '0')}`));
  }
  t.is(srv.server.connectionCount, 20);
  clients.forEach((c) => c.destroy());
  await waitFor('connections to close', () => srv.server.connectionCount === 0, 5000);
  await srv.stop();
});

test('a client that disconnects mid-request does not crash the server', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  c.send({ jsonrpc: '2.0', id: 1, method: 'flow/get', params: { ufid: UFID_WAIT } });
  await waitFor('the handler to start', () => srv.waiting() === 1, 5000);
  c.destroy();
  await waitFor('the server to see the disconnect', () => srv.server.connectionCount === 0, 5000);
  srv.release();
  await assertAlive(t, srv);
  // Half-written request, then gone.
  const c2 = await RawConnection.open(srv.socketPath);
  c2.write('{"jsonrpc":"2.0","id":1,"meth');
  c2.destroy();
  await assertAlive(t, srv);
  await srv.stop();
});

test('a stale socket left by a dead agent is replaced', async (t) => {
  const socketPath = path.join(tempDir(), 'agent.ctl');
  await makeStaleSocket(socketPath);
  t.true(fs.lstatSync(socketPath).isSocket());
  const srv = await startTestServer({ socketPath });
  t.is(fs.statSync(socketPath).mode & 0o777, 0o600);
  await assertAlive(t, srv);
  await srv.stop();
});

test('a socket in a directory that does not exist is refused saying so (Node says EACCES)', async (t) => {
  const socketPath = path.join(tempDir(), 'no-such-dir', 'agent.ctl');
  const server = new ControlServer({ socketPath });
  const err = await t.throwsAsync(server.start(), { instanceOf: ControlServerError });
  t.is(err?.message, `cannot listen on ${socketPath}: directory ${path.dirname(socketPath)} does not exist`);
});

test('a live socket is refused with a clear error and left working', async (t) => {
  const srv = await startTestServer();
  const second = new ControlServer({ socketPath: srv.socketPath });
  const err = await t.throwsAsync(second.start(), { instanceOf: ControlSocketInUseError });
  t.regex(err?.message ?? '', /in use: another agent is running/);
  t.true(err?.message.includes(srv.socketPath));
  await assertAlive(t, srv);
  await srv.stop();
});

test('a path that is not a socket is never deleted', async (t) => {
  const socketPath = path.join(tempDir(), 'agent.ctl');
  fs.writeFileSync(socketPath, 'precious');
  const server = new ControlServer({ socketPath });
  const err = await t.throwsAsync(server.start(), { instanceOf: ControlServerError });
  t.regex(err?.message ?? '', /exists and is not a socket/);
  t.is(fs.readFileSync(socketPath, 'utf8'), 'precious');
});

test('bad options and registrations are refused', (t) => {
  t.throws(() => new ControlServer({ socketPath: '' }), { instanceOf: ControlServerError });
  t.throws(() => new ControlServer({ socketPath: '/tmp/x', maxMessageBytes: 0 }), { instanceOf: ControlServerError, message: /maxMessageBytes/ });
  const server = new ControlServer({ socketPath: '/tmp/never-started.ctl' });
  t.throws(() => server.register('not/in/schema', () => 1), { instanceOf: ControlServerError, message: /has no "not\/in\/schema.params"/ });
  server.register('agent/show', () => 1);
  t.throws(() => server.register('agent/show', () => 2), { instanceOf: ControlServerError, message: /already registered/ });
});

test('a socket path too long for a unix socket is a clear error', async (t) => {
  const server = new ControlServer({ socketPath: path.join(tempDir(), 'x'.repeat(120)) });
  await t.throwsAsync(server.start(), { instanceOf: ControlServerError, message: /longer than 107 bytes/ });
});

test('stop() closes open connections and is idempotent', async (t) => {
  const srv = await startTestServer();
  const c = await RawConnection.open(srv.socketPath);
  await srv.stop();
  await c.closed;
  await srv.stop();
  t.false(fs.existsSync(srv.socketPath));
  await t.throwsAsync(
    new Promise((resolve, reject) => {
      const s = net.createConnection(srv.socketPath);
      s.once('connect', resolve);
      s.once('error', reject);
    }),
    { code: 'ENOENT' },
  );
});
