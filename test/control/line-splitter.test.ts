import test from 'ava';
import { LineSplitter } from '../../src/control/line-splitter';

const SAMPLE = '{"a":"héllo wörld ✓ 𝄞"}\n\n{"b":[1,2,3]}\r\n   \n{"c":"\\u00e9\\n"}\n';
const EXPECTED = ['{"a":"héllo wörld ✓ 𝄞"}', '{"b":[1,2,3]}', '{"c":"\\u00e9\\n"}'];

test('every split point of a stream (multi-byte characters, CRLF, blank lines) gives the same lines', (t) => {
  const bytes = Buffer.from(SAMPLE);
  for (let i = 0; i <= bytes.length; i++) {
    for (const j of [i, Math.min(bytes.length, i + 1), Math.min(bytes.length, i + 5)]) {
      const s = new LineSplitter(1024);
      const out = [...s.push(bytes.subarray(0, i)).lines, ...s.push(bytes.subarray(i, j)).lines, ...s.push(bytes.subarray(j)).lines];
      t.deepEqual(out, EXPECTED, `split at ${i}/${j}`);
    }
  }
});

test('byte by byte gives the same lines', (t) => {
  const bytes = Buffer.from(SAMPLE);
  const s = new LineSplitter(1024);
  const out: string[] = [];
  for (const b of bytes) out.push(...s.push(Buffer.from([b])).lines);
  t.deepEqual(out, EXPECTED);
});

test('a line of exactly the limit passes; one byte more overflows, and the splitter then ignores input', (t) => {
  const s = new LineSplitter(10);
  t.deepEqual(s.push(Buffer.from('0123456789\n')), { lines: ['0123456789'], overflow: false });
  const r = s.push(Buffer.from('ok\n0123456789A\nlater\n'));
  t.deepEqual(r, { lines: ['ok'], overflow: true });
  t.true(s.hasOverflowed);
  t.deepEqual(s.push(Buffer.from('more\n')), { lines: [], overflow: true });
});

test('an over-long line is reported before its newline arrives', (t) => {
  const s = new LineSplitter(10);
  t.deepEqual(s.push(Buffer.from('012345')), { lines: [], overflow: false });
  t.deepEqual(s.push(Buffer.from('6789')), { lines: [], overflow: false });
  t.deepEqual(s.push(Buffer.from('A')), { lines: [], overflow: true });
});

test('the limit counts bytes, not characters', (t) => {
  const s = new LineSplitter(4);
  t.deepEqual(s.push(Buffer.from('éé\n')), { lines: ['éé'], overflow: false });
  t.deepEqual(s.push(Buffer.from('ééé\n')).overflow, true);
});

test('a bad limit is refused', (t) => {
  t.throws(() => new LineSplitter(0), { instanceOf: RangeError });
  t.throws(() => new LineSplitter(1.5), { instanceOf: RangeError });
});
