import test from 'ava';
import fc from 'fast-check';
import { FramingError } from '../../../src/ovsdb/errors';
import { JsonStreamDecoder } from '../../../src/ovsdb/framing';

/** The values the sample stream carries, written as objects (the expected output). */
const SAMPLE_VALUES: unknown[] = [
  { method: 'echo', params: [], id: 'echo' },
  { id: 1, result: [{ rows: [{ name: 'br-int', 'external_ids': ['map', [['key', 'café €5 😀']]] }] }], error: null },
  [1, [2, [3, { a: '}]' }]], '[{', 'quote " and backslash \\', 'nl\nand tab\t'],
  { method: 'update3', params: [null, '00000000-0000-0000-0000-000000000000', { Interface: { u: { insert: { name: 'ü\u00e9\ud83d\ude00' } } } }], id: null },
  { s: '\\', t: '\\"', u: '"\\\\"', e: '' },
  [],
  {},
];

/** The same values as bytes, as a peer could send them: back to back, some separated by blanks. */
const SAMPLE_TEXT =
  '{"method":"echo","params":[],"id":"echo"}' +
  '{"id":1,"result":[{"rows":[{"name":"br-int","external_ids":["map",[["key","café €5 😀"]]]}]}],"error":null}\n' +
  '[1,[2,[3,{"a":"}]"}]],"[{","quote \\" and backslash \\\\","nl\\nand tab\\t"]' +
  ' \t\r\n{"method":"update3","params":[null,"00000000-0000-0000-0000-000000000000",{"Interface":{"u":{"insert":{"name":"\\u00fc\\u00e9\\ud83d\\ude00"}}}}],"id":null}' +
  '{"s":"\\\\","t":"\\\\\\"","u":"\\"\\\\\\\\\\"","e":""}' +
  '[]  {}\n';

const SAMPLE = Buffer.from(SAMPLE_TEXT, 'utf8');

function feedAll(decoder: JsonStreamDecoder, chunks: Buffer[]): unknown[] {
  return chunks.flatMap((c) => decoder.feed(c));
}

test('the sample stream in one chunk gives every value in order', (t) => {
  t.deepEqual(new JsonStreamDecoder().feed(SAMPLE), SAMPLE_VALUES);
});

test('every single split point gives the same values (including inside strings, escapes and UTF-8 sequences)', (t) => {
  for (let i = 0; i <= SAMPLE.length; i++) {
    const values = feedAll(new JsonStreamDecoder(), [SAMPLE.subarray(0, i), SAMPLE.subarray(i)]);
    t.deepEqual(values, SAMPLE_VALUES, `split at byte ${i}`);
  }
});

test('one byte at a time gives the same values', (t) => {
  const decoder = new JsonStreamDecoder();
  const chunks = Array.from({ length: SAMPLE.length }, (_, i) => SAMPLE.subarray(i, i + 1));
  t.deepEqual(feedAll(decoder, chunks), SAMPLE_VALUES);
  t.false(decoder.inMessage);
  t.is(decoder.bufferedBytes, 0);
  t.is(decoder.bytesFed, SAMPLE.length);
});

test('random splits into many chunks give the same values', (t) => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: SAMPLE.length - 1 }), { maxLength: 40 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), SAMPLE.length];
      const chunks = points.slice(1).map((end, i) => SAMPLE.subarray(points[i], end));
      t.deepEqual(feedAll(new JsonStreamDecoder(), chunks), SAMPLE_VALUES);
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('arbitrary JSON objects survive any framing', (t) => {
  fc.assert(
    fc.property(fc.array(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 7 }), (objects, step) => {
      const bytes = Buffer.from(objects.map((o) => JSON.stringify(o)).join(''), 'utf8');
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += step) chunks.push(bytes.subarray(i, i + step));
      // Compare as JSON text: -0 and 0 are the same on the wire.
      t.is(JSON.stringify(feedAll(new JsonStreamDecoder(), chunks)), JSON.stringify(objects));
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('a partial value is held until its end arrives', (t) => {
  const decoder = new JsonStreamDecoder();
  t.deepEqual(decoder.feed(Buffer.from('{"a":[1,2')), []);
  t.true(decoder.inMessage);
  t.is(decoder.bufferedBytes, 9);
  t.deepEqual(decoder.feed(Buffer.from(']}{"b"')), [{ a: [1, 2] }]);
  t.deepEqual(decoder.feed(Buffer.from(':true}')), [{ b: true }]);
  t.false(decoder.inMessage);
});

test('whitespace alone and empty chunks give nothing', (t) => {
  const decoder = new JsonStreamDecoder();
  t.deepEqual(decoder.feed(Buffer.from(' \n\t\r ')), []);
  t.deepEqual(decoder.feed(Buffer.alloc(0)), []);
  t.false(decoder.inMessage);
});

test('a value at exactly the limit is accepted; one byte more is a FramingError naming the limit', (t) => {
  const exact = Buffer.from(JSON.stringify({ k: 'x'.repeat(92) }));
  t.is(exact.length, 100);
  t.deepEqual(new JsonStreamDecoder({ maxMessageBytes: 100 }).feed(exact), [{ k: 'x'.repeat(92) }]);
  const over = Buffer.from(JSON.stringify({ k: 'x'.repeat(93) }));
  const err = t.throws(() => new JsonStreamDecoder({ maxMessageBytes: 100 }).feed(over), { instanceOf: FramingError });
  t.regex(err?.message ?? '', /limit of 100 bytes/);
});

test('an unfinished value over the limit fails before its end arrives', (t) => {
  const decoder = new JsonStreamDecoder({ maxMessageBytes: 50 });
  t.deepEqual(decoder.feed(Buffer.from('{"k":"' + 'x'.repeat(30))), []);
  const err = t.throws(() => decoder.feed(Buffer.from('x'.repeat(30))), { instanceOf: FramingError });
  t.regex(err?.message ?? '', /limit of 50 bytes/);
  t.is(err?.position, 0);
});

test('the limit applies to each value, not to the stream', (t) => {
  const decoder = new JsonStreamDecoder({ maxMessageBytes: 20 });
  const one = '{"k":"0123456789"}';
  t.deepEqual(decoder.feed(Buffer.from(one.repeat(10))).length, 10);
});

test('nesting deeper than maxDepth is a FramingError', (t) => {
  t.deepEqual(new JsonStreamDecoder({ maxDepth: 3 }).feed(Buffer.from('[[[]]]')), [[[[]]]]);
  const err = t.throws(() => new JsonStreamDecoder({ maxDepth: 3 }).feed(Buffer.from('[[[[]]]]')), { instanceOf: FramingError });
  t.regex(err?.message ?? '', /deeper than 3/);
  t.is(err?.position, 3);
});

test('garbage between values is a FramingError with its stream position', (t) => {
  const decoder = new JsonStreamDecoder();
  t.deepEqual(decoder.feed(Buffer.from('{"a":1}')), [{ a: 1 }]);
  const err = t.throws(() => decoder.feed(Buffer.from('  xyz')), { instanceOf: FramingError });
  t.is(err?.position, 9);
  t.regex(err?.message ?? '', /found 'x'/);
});

test('a top-level scalar is refused, as OVS refuses it', (t) => {
  for (const text of ['1', '"s"', 'true', 'null']) {
    t.throws(() => new JsonStreamDecoder().feed(Buffer.from(text)), { instanceOf: FramingError }, text);
  }
});

test('invalid JSON inside a value is a FramingError with the position of the problem', (t) => {
  const err = t.throws(() => new JsonStreamDecoder().feed(Buffer.from('{"ok":1}{"a":}')), { instanceOf: FramingError });
  t.regex(err?.message ?? '', /invalid JSON/);
  t.true((err?.position ?? -1) >= 8 && (err?.position ?? -1) <= 13, `position ${err?.position}`);
  t.throws(() => new JsonStreamDecoder().feed(Buffer.from('{]')), { instanceOf: FramingError });
  t.throws(() => new JsonStreamDecoder().feed(Buffer.from('[1 2]')), { instanceOf: FramingError });
});

test('after a FramingError every later feed throws the same error', (t) => {
  const decoder = new JsonStreamDecoder();
  const first = t.throws(() => decoder.feed(Buffer.from('}')), { instanceOf: FramingError });
  const second = t.throws(() => decoder.feed(Buffer.from('{"a":1}')), { instanceOf: FramingError });
  t.is(second, first);
});

test('bad limits are refused', (t) => {
  t.throws(() => new JsonStreamDecoder({ maxMessageBytes: 0 }), { instanceOf: RangeError });
  t.throws(() => new JsonStreamDecoder({ maxDepth: 1.5 }), { instanceOf: RangeError });
});
