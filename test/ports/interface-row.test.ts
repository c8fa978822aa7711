import test from 'ava';
import { decodeInterfaceRow } from '../../src/ports/index.js';

test('decodes name, type, options and ofport_request', (t) => {
  t.deepEqual(
    decodeInterfaceRow({ name: 'dpdk0', type: 'dpdk', options: ['map', [['hw-port-id', '0'], ['dpdk-devargs', '0000:01:00.0']]], ofport_request: 3, ofport: 1 }),
    { name: 'dpdk0', type: 'dpdk', options: { 'hw-port-id': '0', 'dpdk-devargs': '0000:01:00.0' }, ofportRequest: 3 },
  );
});

test('empty optional columns and missing columns other than name take defaults', (t) => {
  t.deepEqual(decodeInterfaceRow({ name: 'br0', type: '', options: ['map', []], ofport_request: ['set', []], ofport: ['set', []] }), {
    name: 'br0',
    type: '',
    options: {},
    ofportRequest: undefined,
  });
  t.deepEqual(decodeInterfaceRow({ name: 'p1' }), { name: 'p1', type: '', options: {}, ofportRequest: undefined });
});

const malformed: [string, Record<string, unknown>, RegExp, string | undefined][] = [
  ['missing name', { type: 'dpdk' }, /^column name: the column is missing$/, undefined],
  ['name not a string', { name: 5 }, /^column name: expected a string, got 5$/, undefined],
  ['name a set', { name: ['set', ['a', 'b']] }, /^column name: expected an OVSDB atom/, undefined],
  ['type not a string', { name: 'x', type: true }, /^column type: expected a string, got true$/, 'x'],
  ['options not a map', { name: 'x', options: ['set', []] }, /^column options: expected an OVSDB map/, 'x'],
  ['options with a non-string value', { name: 'x', options: ['map', [['hw-port-id', 1]]] }, /^column options: expected a string map/, 'x'],
  ['ofport_request not an integer', { name: 'x', ofport_request: 'one' }, /^column ofport_request: expected an integer, got "one"$/, 'x'],
  ['ofport_request with two values', { name: 'x', ofport_request: ['set', [1, 2]] }, /^column ofport_request: expected at most one value/, 'x'],
  ['ofport a fraction', { name: 'x', ofport: 1.5 }, /^column ofport: expected an integer, got 1.5$/, 'x'],
];
for (const [title, row, message, name] of malformed) {
  test(`malformed row (${title}) gives an error naming the column`, (t) => {
    const decoded = decodeInterfaceRow(row);
    t.regex(decoded.error ?? '', message);
    t.is(decoded.name, name);
  });
}
