import test from 'ava';
import { JSONRPCErrorCode } from 'json-rpc-2.0';
import { OVSDB_ERROR_CODE, OvsdbJsonRpcCodec, errorFromResponse } from '../../../src/ovsdb/codec';
import { OvsdbError, ProtocolError, UnknownDatabaseError, UnknownMethodError } from '../../../src/ovsdb/errors';

test('a request with an id becomes an engine request with the same id', (t) => {
  const decoded = new OvsdbJsonRpcCodec().decode({ method: 'echo', params: ['x'], id: 'echo' });
  t.deepEqual(decoded, { type: 'request', payload: { jsonrpc: '2.0', method: 'echo', params: ['x'], id: 'echo' } });
});

test('a notification (id null) becomes an engine notification without id', (t) => {
  const decoded = new OvsdbJsonRpcCodec().decode({ method: 'update3', params: [null, 'u', {}], id: null });
  t.deepEqual(decoded, {
    type: 'notification',
    payload: { jsonrpc: '2.0', method: 'update3', params: [null, 'u', {}] },
    notification: { method: 'update3', params: [null, 'u', {}] },
  });
});

test('a notification without the id member is accepted too', (t) => {
  t.is(new OvsdbJsonRpcCodec().decode({ method: 'locked', params: ['l'] }).type, 'notification');
});

test('a reply becomes an engine success response', (t) => {
  const decoded = new OvsdbJsonRpcCodec().decode({ result: ['Open_vSwitch'], error: null, id: 7 });
  t.deepEqual(decoded, { type: 'response', payload: { jsonrpc: '2.0', id: 7, result: ['Open_vSwitch'] } });
});

test('an error reply with an error object keeps it as data and maps back to a typed OvsdbError', (t) => {
  const error = { error: 'unknown database', details: 'db Foo', extra: 1 };
  const decoded = new OvsdbJsonRpcCodec().decode({ result: null, error, id: 3 });
  t.is(decoded.type, 'response');
  if (decoded.type !== 'response' || !decoded.payload.error) return t.fail('not an error response');
  t.is(decoded.payload.id, 3);
  t.is(decoded.payload.error.code, OVSDB_ERROR_CODE);
  t.is(decoded.payload.error.message, 'unknown database: db Foo');
  t.deepEqual(decoded.payload.error.data, error);
  const typed = errorFromResponse(decoded.payload.error);
  t.true(typed instanceof UnknownDatabaseError);
  t.is(typed.error, 'unknown database');
  t.is(typed.details, 'db Foo');
  t.deepEqual(typed.data, error);
});

test('an error reply whose error is a plain string maps to the typed error', (t) => {
  const decoded = new OvsdbJsonRpcCodec().decode({ result: null, error: 'unknown method', id: 4 });
  if (decoded.type !== 'response' || !decoded.payload.error) return t.fail('not an error response');
  const typed = errorFromResponse(decoded.payload.error);
  t.true(typed instanceof UnknownMethodError);
  t.is(typed.name, 'UnknownMethodError');
  t.is(typed.details, undefined);
  t.is(typed.message, 'unknown method');
});

for (const [name, message, reason] of [
  ['an array', [1, 2], /not a JSON object/],
  ['a number', 5, /not a JSON object/],
  ['null', null, /not a JSON object/],
  ['an unexpected member', { method: 'echo', params: [], id: 1, jsonrpc: '2.0' }, /unexpected member "jsonrpc"/],
  ['a non-string method', { method: 5, params: [], id: 1 }, /"method" is not a string/],
  ['non-array params', { method: 'echo', params: {}, id: 1 }, /"params" is not an array/],
  ['a request without params', { method: 'echo', id: 1 }, /request must have "params"/],
  ['a notification without method', { params: [], id: null }, /notification must have "method"/],
  ['an empty object', {}, /notification must have "method"/],
  ['a reply without id', { result: 1, error: null }, /reply must have a non-null "id"/],
  ['an error reply with null id', { result: null, error: 'x', id: null }, /error reply must have a non-null "id"/],
  ['a reply with both result and error', { result: 1, error: 'x', id: 1 }, /both/],
  ['a reply with a method', { method: 'echo', result: 1, error: null, id: 1 }, /reply must not have "method"/],
  ['a reply with params', { params: [], result: 1, error: null, id: 1 }, /reply must not have "params"/],
] as const) {
  test(`decoding ${name} is a ProtocolError`, (t) => {
    const err = t.throws(() => new OvsdbJsonRpcCodec().decode(message), { instanceOf: ProtocolError });
    t.regex(err?.message ?? '', reason);
  });
}

test('encoding a request and a notification gives OVSDB wire messages', (t) => {
  const codec = new OvsdbJsonRpcCodec();
  t.deepEqual(codec.encode({ jsonrpc: '2.0', method: 'list_dbs', params: [], id: 1 }), { method: 'list_dbs', params: [], id: 1 });
  t.deepEqual(codec.encode({ jsonrpc: '2.0', method: 'monitor_cancel', params: ['m'] }), { method: 'monitor_cancel', params: ['m'], id: null });
  t.deepEqual(codec.encode({ jsonrpc: '2.0', method: 'x', id: 2 }), { method: 'x', params: [], id: 2 });
});

test('encoding responses gives result/error pairs with the other member null', (t) => {
  const codec = new OvsdbJsonRpcCodec();
  t.deepEqual(codec.encode({ jsonrpc: '2.0', id: 'echo', result: ['a'] }), { result: ['a'], error: null, id: 'echo' });
  t.deepEqual(codec.encode({ jsonrpc: '2.0', id: 9, error: { code: JSONRPCErrorCode.MethodNotFound, message: 'Method not found' } }), {
    result: null,
    error: { error: 'unknown method' },
    id: 9,
  });
  t.deepEqual(codec.encode({ jsonrpc: '2.0', id: 9, error: { code: JSONRPCErrorCode.InvalidParams, message: 'bad' } }), {
    result: null,
    error: { error: 'syntax error', details: 'bad' },
    id: 9,
  });
  t.deepEqual(codec.encode({ jsonrpc: '2.0', id: 9, error: { code: 0, message: 'boom' } }), {
    result: null,
    error: { error: 'internal error', details: 'boom' },
    id: 9,
  });
  t.deepEqual(codec.encode({ jsonrpc: '2.0', id: 9, error: { code: OVSDB_ERROR_CODE, message: 'x', data: { error: 'not supported' } } }), {
    result: null,
    error: { error: 'not supported' },
    id: 9,
  });
});

test('request ids that json-rpc-2.0 cannot carry are replaced and restored in the answer', (t) => {
  const codec = new OvsdbJsonRpcCodec();
  for (const id of [[1, 'a'], { n: 1 }, true, '\u0000ovsdb-id:0']) {
    const decoded = codec.decode({ method: 'echo', params: [], id });
    if (decoded.type !== 'request') return t.fail('not a request');
    const engineId = decoded.payload.id;
    t.true(typeof engineId === 'string' && engineId !== JSON.stringify(id));
    t.deepEqual(codec.encode({ jsonrpc: '2.0', id: engineId ?? null, result: [] }), { result: [], error: null, id });
  }
});

test('OvsdbError.fromWire handles known, unknown and odd error values', (t) => {
  const unknown = OvsdbError.fromWire({ error: 'something new', details: 'd' });
  t.is(unknown.constructor, OvsdbError);
  t.is(unknown.message, 'something new: d');
  const odd = OvsdbError.fromWire(42);
  t.is(odd.error, '42');
  const structured = OvsdbError.fromWire({ error: 'syntax error', details: { a: 1 } });
  t.is(structured.name, 'OvsdbSyntaxError');
  t.is(structured.details, '{"a":1}');
});
