import test from 'ava';
import { JsonRpcConnection } from '../../../src/ovsdb/connection';
import { ConnectionClosedError, FramingError, OvsdbError, ProtocolError, UnknownDatabaseError } from '../../../src/ovsdb/errors';
import type { RpcNotification } from '../../../src/ovsdb/rpc-channel';
import { waitFor } from '../../../src/sandbox/processes';
import { socketPair, type SocketPair } from './helpers/socket-pair';

async function open(opts: ConstructorParameters<typeof JsonRpcConnection>[1] = {}): Promise<{ conn: JsonRpcConnection; pair: SocketPair }> {
  const pair = await socketPair();
  return { conn: new JsonRpcConnection(pair.client, { name: 'test', ...opts }), pair };
}

test('a request goes out in OVSDB form and resolves with the result', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const answer = conn.request('list_dbs', []);
  await waitFor('the request', () => pair.messages().length === 1);
  t.deepEqual(pair.messages(), [{ method: 'list_dbs', params: [], id: 1 }]);
  pair.peer.write('{"result":["Open_vSwitch","_Server"],"error":null,"id":1}');
  t.deepEqual(await answer, ['Open_vSwitch', '_Server']);
});

test('answers are matched by id, in any order', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const a = conn.request('a', [1]);
  const b = conn.request('b', [2]);
  await waitFor('two requests', () => pair.messages().length === 2);
  pair.peer.write('{"result":"B","error":null,"id":2}{"result":"A","error":null,"id":1}');
  t.deepEqual(await Promise.all([a, b]), ['A', 'B']);
});

test('an error answer rejects with the typed OvsdbError', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const answer = conn.request('get_schema', ['Nope']);
  await waitFor('the request', () => pair.messages().length === 1);
  pair.peer.write('{"result":null,"error":{"error":"unknown database","details":"Nope"},"id":1}');
  const err = await t.throwsAsync(answer, { instanceOf: UnknownDatabaseError });
  t.is(err?.details, 'Nope');
  t.true(err instanceof OvsdbError);
});

test('a plain-string error answer rejects with an OvsdbError', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const answer = conn.request('x', []);
  await waitFor('the request', () => pair.messages().length === 1);
  pair.peer.write('{"result":null,"error":"not supported","id":1}');
  const err = await t.throwsAsync(answer, { instanceOf: OvsdbError });
  t.is(err?.error, 'not supported');
});

test('notifications arrive in order; echo requests are answered and not passed on', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const seen: RpcNotification[] = [];
  conn.notifications$.subscribe((n) => seen.push(n));
  pair.peer.write('{"method":"update","params":["m",{"n":1}],"id":null}{"method":"echo","params":["x",1],"id":"echo"}');
  pair.peer.write('{"method":"update","params":["m",{"n":2}],"id":null}');
  await waitFor('two notifications and the echo answer', () => seen.length === 2 && pair.messages().length === 1);
  t.deepEqual(seen, [
    { method: 'update', params: ['m', { n: 1 }] },
    { method: 'update', params: ['m', { n: 2 }] },
  ]);
  t.deepEqual(pair.messages(), [{ result: ['x', 1], error: null, id: 'echo' }]);
});

test('a request with an unusual id is answered with that id', async (t) => {
  const { pair } = await open();
  t.teardown(pair.cleanup);
  pair.peer.write('{"method":"echo","params":[],"id":[7,"x"]}');
  await waitFor('the echo answer', () => pair.messages().length === 1);
  t.deepEqual(pair.messages(), [{ result: [], error: null, id: [7, 'x'] }]);
});

test('an unknown request from the peer gets an "unknown method" error answer', async (t) => {
  const { pair } = await open();
  t.teardown(pair.cleanup);
  pair.peer.write('{"method":"frobnicate","params":[],"id":5}');
  await waitFor('the answer', () => pair.messages().length === 1);
  t.deepEqual(pair.messages(), [{ result: null, error: { error: 'unknown method' }, id: 5 }]);
});

test('a reply is seen by the awaiting caller before notifications sent after it', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const order: string[] = [];
  conn.notifications$.subscribe((n) => order.push(`notification ${String(n.params[0])}`));
  const done = conn.request('monitor', []).then(() => order.push('reply'));
  await waitFor('the request', () => pair.messages().length === 1);
  pair.peer.write('{"method":"update","params":[0],"id":null}{"result":{},"error":null,"id":1}{"method":"update","params":[1],"id":null}{"method":"update","params":[2],"id":null}');
  await done;
  await waitFor('all notifications', () => order.length === 4);
  t.deepEqual(order, ['notification 0', 'reply', 'notification 1', 'notification 2']);
});

test('notify sends a message with id null', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  conn.notify('monitor_cancel', ['m']);
  await waitFor('the notification', () => pair.messages().length === 1);
  t.deepEqual(pair.messages(), [{ method: 'monitor_cancel', params: ['m'], id: null }]);
});

test('activity fires for every chunk received, including part of a message', async (t) => {
  let hook = 0;
  const { conn, pair } = await open({ onActivity: () => hook++ });
  t.teardown(pair.cleanup);
  let observed = 0;
  conn.activity$.subscribe(() => observed++);
  pair.peer.write('{"method":"upd');
  await waitFor('activity for a partial message', () => observed >= 1);
  t.true(hook >= 1);
});

test('close() rejects pending requests with ConnectionClosedError, completes notifications and resolves closed with undefined', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  let completed = false;
  conn.notifications$.subscribe({ complete: () => (completed = true) });
  const pending = conn.request('transact', []);
  conn.close();
  await t.throwsAsync(pending, { instanceOf: ConnectionClosedError });
  t.is(await conn.closed, undefined);
  t.true(completed);
  t.false(conn.isOpen);
  await t.throwsAsync(conn.request('list_dbs', []), { instanceOf: ConnectionClosedError });
  t.notThrows(() => conn.notify('x', []));
  t.notThrows(() => conn.close());
  await waitFor('the peer to see the end', () => pair.peer.readableEnded || pair.peer.destroyed);
});

test('the peer closing the connection resolves closed with a ConnectionClosedError and rejects pending requests', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const pending = conn.request('transact', []);
  await waitFor('the request', () => pair.messages().length === 1);
  pair.peer.end();
  const err = await t.throwsAsync(pending, { instanceOf: ConnectionClosedError });
  const cause = await conn.closed;
  t.true(cause instanceof ConnectionClosedError);
  t.regex(cause?.message ?? '', /closed by the peer/);
  t.is(err?.cause, cause);
});

test('an answer sent just before the peer closes is still delivered', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const first = conn.request('a', []);
  await waitFor('the request', () => pair.messages().length === 1);
  pair.peer.end('{"result":1,"error":null,"id":1}{"method":"update","params":[],"id":null}');
  const seen: RpcNotification[] = [];
  conn.notifications$.subscribe((n) => seen.push(n));
  t.is(await first, 1);
  await conn.closed;
  t.is(seen.length, 1);
});

test('a malformed message closes the connection with a ProtocolError after delivering what came before', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  const seen: RpcNotification[] = [];
  conn.notifications$.subscribe((n) => seen.push(n));
  const pending = conn.request('transact', []);
  pair.peer.write('{"method":"update","params":[],"id":null}{"params":"oops","id":3}');
  const cause = await conn.closed;
  t.true(cause instanceof ProtocolError);
  t.regex(cause?.message ?? '', /"params" is not an array/);
  t.is(seen.length, 1);
  const err = await t.throwsAsync(pending, { instanceOf: ConnectionClosedError });
  t.is(err?.cause, cause);
});

test('bytes that are not JSON close the connection with a FramingError', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  pair.peer.write('HTTP/1.1 400 Bad Request\r\n');
  const cause = await conn.closed;
  t.true(cause instanceof FramingError);
});

test('a message over maxMessageBytes closes the connection with a FramingError naming the limit', async (t) => {
  const { conn, pair } = await open({ maxMessageBytes: 1000 });
  t.teardown(pair.cleanup);
  pair.peer.write(JSON.stringify({ method: 'update', params: ['x'.repeat(2000)], id: null }));
  const cause = await conn.closed;
  t.true(cause instanceof FramingError);
  t.regex(cause?.message ?? '', /1000 bytes/);
});

test('params that are not an array are refused before sending', async (t) => {
  const { conn, pair } = await open();
  t.teardown(pair.cleanup);
  await t.throwsAsync(conn.request('x', {} as unknown as unknown[]), { instanceOf: TypeError });
});
