import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { CONTROL_METHODS, hasParamsSchema, hasResultSchema, validateParams, validateRequest, validateResult } from '../../src/control/schema';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../src/control/defaults';
import { LOG_LEVELS } from '../../src/log';

const UFID = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';

test('the schema lists exactly the methods of DESIGN.md §3, each with params', (t) => {
  t.deepEqual([...CONTROL_METHODS].sort(), ['agent/show', 'flow/del', 'flow/dump', 'flow/flush', 'flow/get', 'flow/put', 'log/set', 'offload/stats', 'packet/inject', 'ports/show']);
  for (const m of CONTROL_METHODS) t.true(hasParamsSchema(m), m);
  for (const m of ['ports/show', 'flow/put', 'flow/del', 'packet/inject', 'log/set']) t.true(hasResultSchema(m), m);
  t.false(hasParamsSchema('no/such'));
});

test('log/set accepts exactly the levels of src/log.ts', (t) => {
  for (const level of LOG_LEVELS) t.true(validateParams('log/set', { level }).ok, level);
  const bad = validateParams('log/set', { level: 'verbose' });
  t.false(bad.ok);
  if (!bad.ok) t.deepEqual(bad.data, { field: 'level', keyword: 'enum', allowed: [...LOG_LEVELS] });
});

const VALID: Array<[string, unknown]> = [
  ['agent/show', {}],
  ['ports/show', {}],
  ['flow/put', { flows: [{ match: 'in_port(1),eth_type(0x0800)', actions: '2' }] }],
  ['flow/put', { flows: [{ ufid: UFID, match: 'in_port(p1)', actions: 'drop' }, `ufid:${UFID}, in_port(1), packets:0, bytes:0, used:never, actions:2`] }],
  ['flow/del', { ufids: [UFID, UFID.toUpperCase()] }],
  ['flow/get', { ufid: UFID }],
  ['flow/dump', {}],
  ['flow/dump', { type: 'non-offloaded' }],
  ['flow/flush', {}],
  ['offload/stats', {}],
  ['packet/inject', { port: 1, frames: ['00112233445566778899aabb0800'] }],
  ['packet/inject', { port: 'dpdk0', pcap: '/tmp/x.pcap' }],
  ['log/set', { level: 'debug' }],
];

test('valid params of every method pass', (t) => {
  for (const [method, params] of VALID) {
    const r = validateParams(method, params);
    t.true(r.ok, `${method} ${JSON.stringify(params)}: ${r.ok ? '' : r.message}`);
    t.true(validateRequest({ jsonrpc: '2.0', id: 1, method, params }).ok, method);
  }
});

const INVALID: Array<[string, unknown, string, RegExp]> = [
  ['flow/put', {}, 'flows', /flows is missing/],
  ['flow/put', { flows: 'x' }, 'flows', /flows must be an array/],
  ['flow/put', { flows: [''] }, 'flows[0]', /flows\[0\] must not be empty/],
  ['flow/put', { flows: [{ match: 'a', actions: 'b', extra: 1 }] }, 'flows[0].extra', /not a known field/],
  ['flow/put', { flows: [{ ufid: 'nope', match: 'a', actions: 'b' }] }, 'flows[0].ufid', /must be a ufid/],
  ['flow/del', { ufids: [] }, 'ufids', /must not be empty/],
  ['flow/del', { ufids: [UFID, 'ufid:x'] }, 'ufids[1]', /ufids\[1\] must be a ufid .* \(got "ufid:x"\)/],
  ['flow/get', {}, 'ufid', /ufid is missing/],
  ['flow/dump', { type: 'hw' }, 'type', /type must be one of all, offloaded, non-offloaded/],
  ['packet/inject', { port: 1 }, 'params', /params needs exactly one of frames .* or pcap/],
  ['packet/inject', { port: 1, frames: ['00'], pcap: '/x' }, 'params', /exactly one of/],
  ['packet/inject', { port: 1, frames: ['0g'] }, 'frames[0]', /frames\[0\] must be a frame as hex digits/],
  ['packet/inject', { port: 1, frames: ['abc'] }, 'frames[0]', /must be a frame as hex/],
  ['packet/inject', { port: -1, frames: ['00'] }, 'port', /port must be >= 0/],
  ['packet/inject', { port: 1.5, frames: ['00'] }, 'port', /port must be a string or an integer/],
  ['packet/inject', { frames: ['00'] }, 'port', /port is missing/],
  ['offload/stats', [], 'params', /params must be an object/],
];

test('invalid params give a message and data naming the field', (t) => {
  for (const [method, params, field, message] of INVALID) {
    const r = validateParams(method, params);
    t.false(r.ok, `${method} ${JSON.stringify(params)}`);
    if (r.ok) continue;
    t.is(r.data.field, field, `${method} ${JSON.stringify(params)}: ${r.message}`);
    t.regex(r.message, message);
    t.false(validateRequest({ jsonrpc: '2.0', id: 1, method, params }).ok);
  }
});

test('the request schema rejects unknown methods and a wrong jsonrpc', (t) => {
  t.false(validateRequest({ jsonrpc: '2.0', id: 1, method: 'no/such' }).ok);
  t.false(validateRequest({ jsonrpc: '1.0', id: 1, method: 'agent/show' }).ok);
  t.true(validateRequest({ jsonrpc: '2.0', method: 'agent/show' }).ok);
});

test('result schemas: the shapes of DESIGN.md pass, broken ones name the field', (t) => {
  const ports = {
    ports: [{ name: 'dpdk0', type: 'dpdk', uuid: 'u', odpPort: 1, hwPortId: 0, state: 'ready' }, { name: 'x', type: '', uuid: 'v', odpPort: 2, hwPortId: null, state: 'invalid', reason: 'r' }],
    hwLocalPortMap: { '0': 1 },
  };
  t.true(validateResult('ports/show', ports).ok);
  const badState = validateResult('ports/show', { ...ports, ports: [{ ...ports.ports[0], state: 'up' }] });
  t.false(badState.ok);
  if (!badState.ok) t.is(badState.data.field, 'ports[0].state');
  const badMap = validateResult('ports/show', { ...ports, hwLocalPortMap: { x: 1 } });
  t.false(badMap.ok);
  t.true(validateResult('flow/put', { flows: [{ ufid: UFID, state: 'offloaded', flowId: 1, mark: 65536 }, { ufid: UFID, state: 'software', reason: 'ct_state' }] }).ok);
  t.false(validateResult('flow/put', { flows: [{ ufid: UFID, state: 'offloaded', flowId: 70000 }] }).ok);
  t.true(validateResult('flow/del', { flows: [{ ufid: UFID, deleted: false }] }).ok);
  t.true(validateResult('packet/inject', { packets: [{ hit: true, ufid: UFID, mark: 65539, outPort: 2 }, { hit: false }], hits: 1, misses: 1 }).ok);
  t.false(validateResult('packet/inject', { packets: [], hits: 0 }).ok);
  t.true(validateResult('log/set', { previous: 'info' }).ok);
  t.false(validateResult('flow/get', {}).ok);
  t.throws(() => validateResult('agent/nonexistent', {}), { message: /no \$defs\["agent\/nonexistent.result"\]/ });
});

test('a flow/put of 100k real dump lines fits the default message limit', (t) => {
  const fixtures = path.resolve(__dirname, '../../../test/fixtures/ovs-3.1');
  const candidates = ['megaflows-dump-m.txt', 'megaflows-tunnel-dump-m.txt'].map((f) => path.join(fixtures, f)).filter((f) => fs.existsSync(f));
  const lines = candidates.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')).filter((l) => l.startsWith('ufid:'));
  // Without the fixtures, a 1023-byte line (the longest of them) stands in.
  const longest = lines.reduce((a, b) => (a.length >= b.length ? a : b), 'x'.repeat(1023));
  const perFlow = Buffer.byteLength(JSON.stringify(longest)) + 1;
  const envelope = Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'flow/put', params: { flows: [] } }));
  t.true(envelope + 100_000 * perFlow < DEFAULT_MAX_REQUEST_BYTES, `${envelope + 100_000 * perFlow} bytes`);
});
