import test from 'ava';
import fc from 'fast-check';
import { adoptDatum, applyDatumDiff, canonicalDatum, jsonEqual } from '../../../src/ovsdb/cache-datum';
import { DatumError } from '../../../src/ovsdb/datum';
import { parseColumnType, type ColumnType } from '../../../src/ovsdb/schema';

const strMap = parseColumnType({ key: 'string', value: 'string', min: 0, max: 'unlimited' });
const intSet = parseColumnType({ key: 'integer', min: 0, max: 'unlimited' });
const optInt = parseColumnType({ key: 'integer', min: 0, max: 1 });
const str = parseColumnType('string');
const uuidSet = parseColumnType({ key: 'uuid', min: 0, max: 'unlimited' });

test('canonical form sorts, dedupes and unwraps one-element sets like ovsdb-server', (t) => {
  t.deepEqual(canonicalDatum(intSet, ['set', [3, 1, 2, 1]]), ['set', [1, 2, 3]]);
  t.is(canonicalDatum(intSet, ['set', [7]]), 7);
  t.is(canonicalDatum(intSet, 7), 7);
  t.deepEqual(canonicalDatum(intSet, ['set', []]), ['set', []]);
  t.deepEqual(canonicalDatum(strMap, ['map', [['b', '2'], ['a', '1']]]), ['map', [['a', '1'], ['b', '2']]]);
  t.deepEqual(canonicalDatum(uuidSet, ['set', [['uuid', 'BBBBBBBB-0000-0000-0000-000000000000'], ['uuid', 'aaaaaaaa-0000-0000-0000-000000000000']]]), [
    'set',
    [['uuid', 'aaaaaaaa-0000-0000-0000-000000000000'], ['uuid', 'bbbbbbbb-0000-0000-0000-000000000000']],
  ]);
  t.true(Object.isFrozen(canonicalDatum(strMap, ['map', [['a', '1']]])));
});

test('strings sort by code point (as ovsdb-server compares bytes), not by UTF-16 unit', (t) => {
  // U+FF5E (one UTF-16 unit 0xFF5E) sorts before U+1F600 (surrogates 0xD83D...), as in UTF-8 byte order.
  const set = parseColumnType({ key: 'string', min: 0, max: 'unlimited' });
  t.deepEqual(canonicalDatum(set, ['set', ['\u{1F600}', '\uFF5E']]), ['set', ['\uFF5E', '\u{1F600}']]);
});

test('values that do not fit the column type give a DatumError naming the problem', (t) => {
  t.throws(() => canonicalDatum(str, 5), { instanceOf: DatumError, message: /expected a string atom, got 5/ });
  t.throws(() => canonicalDatum(intSet, ['set', [1.5]]), { instanceOf: DatumError, message: /an integer atom, got 1.5/ });
  t.throws(() => canonicalDatum(strMap, ['set', []]), { instanceOf: DatumError, message: /expected a map/ });
  t.throws(() => canonicalDatum(strMap, ['map', [['a']]]), { instanceOf: DatumError, message: /malformed map pair/ });
  t.throws(() => canonicalDatum(optInt, ['set', [1, 2]]), { instanceOf: DatumError, message: /2 elements where the column takes 0..1/ });
  t.throws(() => canonicalDatum(str, ['set', []]), { instanceOf: DatumError, message: /0 elements where the column takes 1..1/ });
  t.throws(() => canonicalDatum(uuidSet, ['uuid', 'not-a-uuid']), { instanceOf: DatumError, message: /uuid atom/ });
});

test('set diff: the symmetric difference', (t) => {
  t.deepEqual(applyDatumDiff(intSet, ['set', [1, 2, 3]], ['set', [3, 4]]), ['set', [1, 2, 4]]);
  t.deepEqual(applyDatumDiff(intSet, 5, 5), ['set', []]);
  t.is(applyDatumDiff(intSet, ['set', []], 9), 9);
});

test('map diff: same pair removes, new key adds, other value replaces', (t) => {
  const old = ['map', [['a', '1'], ['b', '2'], ['c', '3']]];
  const diff = ['map', [['a', '1'], ['b', '20'], ['d', '4']]];
  t.deepEqual(applyDatumDiff(strMap, old, diff), ['map', [['b', '20'], ['c', '3'], ['d', '4']]]);
});

test('optional scalar diff: a non-empty value is replaced by the diff, an empty one takes it', (t) => {
  // As ovsdb-server sends them: {5} -> {} is the diff ["set", []]; {5} -> {6} is 6; {} -> {6} is 6.
  t.deepEqual(applyDatumDiff(optInt, 5, ['set', []]), ['set', []]);
  t.is(applyDatumDiff(optInt, 5, 6), 6);
  t.is(applyDatumDiff(optInt, ['set', []], 6), 6);
  t.is(applyDatumDiff(str, 'old', 'new'), 'new');
});

/** The diff ovsdb-server would send for a column going from `a` to `b` (reference model). */
function serverDiff(type: ColumnType, a: Map<string, string | undefined>, b: Map<string, string | undefined>): unknown {
  const isMap = type.value !== undefined;
  if (type.max === 1 && a.size > 0) return encode(isMap, b);
  const d = new Map<string, string | undefined>();
  for (const [k, v] of a) if (!b.has(k)) d.set(k, v);
  for (const [k, v] of b) if (!a.has(k) || a.get(k) !== v) d.set(k, v);
  return encode(isMap, d);
}

function encode(isMap: boolean, m: Map<string, string | undefined>): unknown {
  return isMap ? ['map', [...m].map(([k, v]) => [k, v])] : ['set', [...m.keys()]];
}

const keys = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'hw-port-id', 'é', '\u{1F600}');
const values = fc.constantFrom('0', '1', '2', 'x');
const mapArb = fc.dictionary(keys, values).map((o) => new Map<string, string | undefined>(Object.entries(o)));
const setArb = fc.uniqueArray(keys).map((ks) => new Map<string, string | undefined>(ks.map((k) => [k, undefined])));

test('property: applying the server diff of (a -> b) to a gives b, for maps', (t) => {
  fc.assert(
    fc.property(mapArb, mapArb, (a, b) => {
      const got = applyDatumDiff(strMap, canonicalDatum(strMap, encode(true, a)), serverDiff(strMap, a, b));
      return jsonEqual(got, canonicalDatum(strMap, encode(true, b)));
    }),
  );
  t.pass();
});

test('property: applying the server diff of (a -> b) to a gives b, for sets and optional values', (t) => {
  const strSet = parseColumnType({ key: 'string', min: 0, max: 'unlimited' });
  const optStr = parseColumnType({ key: 'string', min: 0, max: 1 });
  fc.assert(
    fc.property(setArb, setArb, (a, b) => {
      const got = applyDatumDiff(strSet, canonicalDatum(strSet, encode(false, a)), serverDiff(strSet, a, b));
      return jsonEqual(got, canonicalDatum(strSet, encode(false, b)));
    }),
  );
  const small = setArb.map((m) => new Map([...m].slice(0, 1)));
  fc.assert(
    fc.property(small, small, (a, b) => {
      const got = applyDatumDiff(optStr, canonicalDatum(optStr, encode(false, a)), serverDiff(optStr, a, b));
      return jsonEqual(got, canonicalDatum(optStr, encode(false, b)));
    }),
  );
  t.pass();
});

test('jsonEqual compares structure', (t) => {
  t.true(jsonEqual(['map', [['a', '1']]], ['map', [['a', '1']]]));
  t.false(jsonEqual(['map', [['a', '1']]], ['map', [['a', '2']]]));
  t.false(jsonEqual(['set', [1]], 1));
});

test('adoptDatum keeps a canonical datum as it is, frozen in place', (t) => {
  const map = ['map', [['a', '1'], ['hw-port-id', '0']]];
  t.is(adoptDatum(strMap, map), map);
  t.true(Object.isFrozen(map) && Object.isFrozen(map[1]) && Object.isFrozen((map[1] as unknown[])[0]));
  const uuids = ['set', [['uuid', 'aaaaaaaa-0000-0000-0000-000000000000'], ['uuid', 'bbbbbbbb-0000-0000-0000-000000000000']]];
  t.is(adoptDatum(uuidSet, uuids), uuids);
  t.is(adoptDatum(str, 'x'), 'x');
  t.is(adoptDatum(optInt, 5), 5);
  const empty = ['set', []];
  t.is(adoptDatum(optInt, empty), empty);
});

test('adoptDatum rebuilds a valid datum that is not canonical, like canonicalDatum', (t) => {
  const cases: [ColumnType, unknown][] = [
    [strMap, ['map', [['b', '2'], ['a', '1']]]],
    [strMap, ['map', [['a', '1'], ['a', '1']]]],
    [intSet, ['set', [7]]],
    [intSet, ['set', [3, 1, 2]]],
    [uuidSet, ['uuid', 'AAAAAAAA-0000-0000-0000-000000000000']],
  ];
  for (const [type, datum] of cases) {
    const before = JSON.stringify(datum);
    const adopted = adoptDatum(type, datum);
    t.not(adopted, datum);
    t.deepEqual(adopted, canonicalDatum(type, datum));
    t.is(JSON.stringify(datum), before, 'the input is left as it was');
  }
});

test('adoptDatum refuses what canonicalDatum refuses, with the same error', (t) => {
  const bad: [ColumnType, unknown][] = [
    [str, 5],
    [intSet, ['set', [1.5]]],
    [strMap, ['set', []]],
    [strMap, ['map', [['a']]]],
    [optInt, ['set', [1, 2]]],
    [str, ['set', []]],
    [uuidSet, ['uuid', 'not-a-uuid']],
  ];
  for (const [type, datum] of bad) {
    const expected = t.throws(() => canonicalDatum(type, datum), { instanceOf: DatumError });
    t.throws(() => adoptDatum(type, datum), { instanceOf: DatumError, message: expected?.message });
  }
});

test('property: adoptDatum gives the canonical form of any map or set, canonical or not', (t) => {
  const strSet = parseColumnType({ key: 'string', min: 0, max: 'unlimited' });
  const pairs = fc.array(fc.tuple(keys, values), { maxLength: 5 });
  fc.assert(
    fc.property(pairs, (list) => {
      const datum = ['map', list.map(([k, v]) => [k, v])];
      return jsonEqual(adoptDatum(strMap, structuredClone(datum)), canonicalDatum(strMap, datum));
    }),
  );
  fc.assert(
    fc.property(fc.array(keys, { maxLength: 5 }), fc.boolean(), (list, bare) => {
      const datum = bare && list.length === 1 ? list[0] : ['set', list];
      return jsonEqual(adoptDatum(strSet, structuredClone(datum)), canonicalDatum(strSet, datum));
    }),
  );
  t.pass();
});
