import test from 'ava';
import fc from 'fast-check';
import { decodeInterfaceRow } from '../../src/ports/index.js';
import { readInterfaceRow, type InterfaceFields } from '../../src/ports/interface-row.js';

test('decodes name, type, options and ofport_request', (t) => {
  t.deepEqual(
    decodeInterfaceRow({ name: 'dpdk0', type: 'dpdk', options: ['map', [['hw-port-id', '0'], ['dpdk-devargs', '0000:01:00.0']]], ofport_request: 3, ofport: 1 }),
    { name: 'dpdk0', type: 'dpdk', options: { 'hw-port-id': '0', 'dpdk-devargs': '0000:01:00.0' }, status: {}, ofportRequest: 3 },
  );
});

test('empty optional columns and missing columns other than name take defaults', (t) => {
  t.deepEqual(decodeInterfaceRow({ name: 'br0', type: '', options: ['map', []], ofport_request: ['set', []], ofport: ['set', []] }), {
    name: 'br0',
    type: '',
    options: {},
    status: {},
    ofportRequest: undefined,
  });
  t.deepEqual(decodeInterfaceRow({ name: 'p1' }), { name: 'p1', type: '', options: {}, status: {}, ofportRequest: undefined });
  t.deepEqual(decodeInterfaceRow({ name: 'dpdk1', status: ['map', [['driver_name', 'net_ice'], ['port_no', '3']]] }), {
    name: 'dpdk1', type: '', options: {}, status: { driver_name: 'net_ice', port_no: '3' }, ofportRequest: undefined,
  });
});

const malformed: [string, Record<string, unknown>, RegExp, string | undefined][] = [
  ['missing name', { type: 'dpdk' }, /^column name: the column is missing$/, undefined],
  ['name not a string', { name: 5 }, /^column name: expected a string, got 5$/, undefined],
  ['name a set', { name: ['set', ['a', 'b']] }, /^column name: expected an OVSDB atom/, undefined],
  ['type not a string', { name: 'x', type: true }, /^column type: expected a string, got true$/, 'x'],
  ['options not a map', { name: 'x', options: ['set', []] }, /^column options: expected an OVSDB map/, 'x'],
  ['options with a non-string value', { name: 'x', options: ['map', [['hw-port-id', 1]]] }, /^column options: expected a string map/, 'x'],
  ['status not a map', { name: 'x', status: 'up' }, /^column status: expected an OVSDB map/, 'x'],
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

/** What readInterfaceRow must give: decodeInterfaceRow's result, reduced to the fields the port table reads. */
function expectedFields(row: Record<string, unknown>): InterfaceFields {
  const d = decodeInterfaceRow(row);
  if (d.error !== undefined) return { name: d.name, type: d.type, hwPortId: undefined, portNo: undefined, ofportRequest: undefined, error: d.error };
  return {
    name: d.name,
    type: d.type,
    hwPortId: Object.hasOwn(d.options, 'hw-port-id') ? d.options['hw-port-id'] : undefined,
    portNo: Object.hasOwn(d.status, 'port_no') ? d.status.port_no : undefined,
    ofportRequest: d.ofportRequest,
    error: undefined,
  };
}

function read(row: Record<string, unknown>): InterfaceFields {
  const out: InterfaceFields = { name: 'stale', type: 'stale', hwPortId: 'stale', portNo: 'stale', ofportRequest: -1, error: 'stale' };
  readInterfaceRow(row, out);
  return out;
}

test('readInterfaceRow reads well-formed rows (and every malformed example) exactly as decodeInterfaceRow', (t) => {
  const rows: Record<string, unknown>[] = [
    { name: 'dpdk0', type: 'dpdk', options: ['map', [['dpdk-devargs', 'x'], ['hw-port-id', '0']]], ofport_request: 3, ofport: ['set', []] },
    { name: 'p1' },
    { name: 'p1', options: ['map', [['hw-port-id', '1'], ['hw-port-id', '2']]] },
    { name: 'dpdk1', options: ['map', [['hw-port-id', '1']]], status: ['map', [['port_no', '4'], ['numa_id', '0']]] },
    { name: ['uuid', '00000000-0000-0000-0000-000000000001'], ofport_request: ['set', [4]] },
    ...malformed.map(([, row]) => row),
  ];
  for (const row of rows) t.deepEqual(read(row), expectedFields(row), JSON.stringify(row));
});

test('property: readInterfaceRow agrees with decodeInterfaceRow on arbitrary rows', (t) => {
  const atom = fc.oneof(fc.constantFrom('dpdk', '', 'hw-port-id', 'port_no', '7', 'x'), fc.integer({ min: -2, max: 70000 }), fc.double(), fc.boolean(), fc.constant(['uuid', '00000000-0000-0000-0000-000000000002']));
  const datum = fc.oneof(atom, fc.tuple(fc.constant('set'), fc.array(atom, { maxLength: 2 })), fc.tuple(fc.constant('map'), fc.array(fc.tuple(atom, atom), { maxLength: 3 })), fc.constant(null));
  const row = fc.record({ name: datum, type: datum, options: datum, status: datum, ofport_request: datum, ofport: datum }, { requiredKeys: [] });
  const same = (a: InterfaceFields, b: InterfaceFields): boolean =>
    a.name === b.name && a.type === b.type && a.hwPortId === b.hwPortId && a.portNo === b.portNo && a.ofportRequest === b.ofportRequest && a.error === b.error;
  fc.assert(fc.property(row, (r) => same(read(r), expectedFields(r))), { numRuns: 2000 });
  t.pass();
});
