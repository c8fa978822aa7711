import fs from 'node:fs';
import test from 'ava';
import { SchemaError, columnKind, defaultDatum, parseColumnType, parseSchema } from '../../../src/ovsdb/schema';
import { SchemaMismatchError, checkSchema } from '../../../src/ovsdb/schema-check';
import { TEST_SCHEMA } from './fakes';

const VSWITCH = '/usr/share/openvswitch/vswitch.ovsschema';

test('parses column types: scalar, optional, set, map', (t) => {
  t.deepEqual(parseColumnType('string'), { key: { type: 'string' }, min: 1, max: 1 });
  const opt = parseColumnType({ key: { type: 'integer', minInteger: 1 }, min: 0, max: 1 });
  t.deepEqual(opt, { key: { type: 'integer' }, min: 0, max: 1 });
  t.is(columnKind(opt), 'set');
  const map = parseColumnType({ key: 'string', value: 'string', min: 0, max: 'unlimited' });
  t.is(map.max, Infinity);
  t.is(columnKind(map), 'map');
  t.is(columnKind(parseColumnType('boolean')), 'scalar');
  t.deepEqual(parseColumnType({ key: { type: 'uuid', refTable: 'Port' }, min: 0, max: 'unlimited' }).key, { type: 'uuid', refTable: 'Port' });
});

test('default values as ovsdb-server assumes them for omitted update2 columns', (t) => {
  t.is(defaultDatum(parseColumnType('string')), '');
  t.is(defaultDatum(parseColumnType('integer')), 0);
  t.is(defaultDatum(parseColumnType('boolean')), false);
  t.deepEqual(defaultDatum(parseColumnType('uuid')), ['uuid', '00000000-0000-0000-0000-000000000000']);
  t.deepEqual(defaultDatum(parseColumnType({ key: 'integer', min: 0, max: 1 })), ['set', []]);
  t.deepEqual(defaultDatum(parseColumnType({ key: 'string', value: 'integer', min: 0, max: 'unlimited' })), ['map', []]);
  t.is(defaultDatum(parseColumnType({ key: 'integer', min: 1, max: 4 })), 0);
});

test('malformed schemas give a SchemaError naming the table and column', (t) => {
  t.throws(() => parseSchema(null), { instanceOf: SchemaError });
  t.throws(() => parseSchema({ name: 'X' }), { instanceOf: SchemaError, message: /missing "tables"/ });
  t.throws(() => parseSchema({ name: 'X', tables: { T: { columns: { c: { type: 'float' } } } } }), { instanceOf: SchemaError, message: /column T\.c: unknown atomic type "float"/ });
  t.throws(() => parseSchema({ name: 'X', tables: { T: { columns: { c: { type: { key: 'string', min: 2 } } } } } }), { instanceOf: SchemaError, message: /T\.c/ });
  t.throws(() => parseSchema({ name: 'X', tables: { T: {} } }), { instanceOf: SchemaError, message: /table T has no "columns"/ });
});

test('parses the installed vswitch schema, with the implicit columns', (t) => {
  if (!fs.existsSync(VSWITCH)) {
    t.log(`${VSWITCH} is not installed`);
    t.pass();
    return;
  }
  const schema = parseSchema(JSON.parse(fs.readFileSync(VSWITCH, 'utf8')));
  t.is(schema.name, 'Open_vSwitch');
  const iface = schema.tables.get('Interface')!;
  t.deepEqual(iface.columns.get('options'), { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: Infinity });
  t.deepEqual(iface.columns.get('ofport_request'), { key: { type: 'integer' }, min: 0, max: 1 });
  t.deepEqual(iface.columns.get('_uuid'), { key: { type: 'uuid' }, min: 1, max: 1 });
});

test('checkSchema names every missing table and column', (t) => {
  const schema = parseSchema(TEST_SCHEMA);
  t.notThrows(() => checkSchema(schema, 'Open_vSwitch', { Interface: ['name', 'options'] }));
  const err = t.throws(() => checkSchema(schema, 'Open_vSwitch', { Interface: ['name', 'hw_port'], Flow: ['x'] }), { instanceOf: SchemaMismatchError });
  t.deepEqual(err?.missing, ['Interface.hw_port', 'Flow']);
  t.is(err?.message, 'database Open_vSwitch has no column Interface.hw_port, table Flow');
  t.throws(() => checkSchema(schema, 'OVN_Northbound', { Interface: ['name'] }), { instanceOf: SchemaMismatchError, message: /asked for the schema of OVN_Northbound, the server answered with Open_vSwitch/ });
});
