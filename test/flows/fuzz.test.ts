/**
 * Fuzzing: random text and mutations of real dump lines. The parser must either return a flow
 * (which then formats and re-parses to the same flow) or throw an OdpParseError that names a
 * position inside the text and a reason; never another exception, never hang.
 */
import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { formatFlow, OdpParseError, parseFlow } from '../../src/flows/odp';

const DIR = path.resolve(__dirname, '../../../test/fixtures/ovs-3.1');
const LINES = ['megaflows-dump-m.txt', 'megaflows-tunnel-dump-m.txt']
  .flatMap((f) => fs.readFileSync(path.join(DIR, f), 'utf8').split('\n'))
  .filter((l) => l.startsWith('ufid:'));

const ALPHABET = 'abcdefipstuvx0123456789:/,()=.+-| _';

/** Parses; on failure checks the error is well-formed. Returns 'ok' or 'error'. */
function check(text: string): 'ok' | 'error' {
  let flow;
  try {
    flow = parseFlow(text);
  } catch (err) {
    if (!(err instanceof OdpParseError)) throw new Error(`not an OdpParseError for ${JSON.stringify(text)}: ${String(err)}`);
    if (!(err.position >= 0 && err.position <= text.length)) throw new Error(`position ${err.position} outside the text`);
    if (err.reason.length === 0 || !err.message.includes(`offset ${err.position}`)) throw new Error(`bad message: ${err.message}`);
    if (err.token !== text.slice(err.position, err.position + err.token.length)) throw new Error(`token "${err.token}" is not at ${err.position}`);
    return 'error';
  }
  const again = formatFlow(flow);
  if (formatFlow(parseFlow(again)) !== again) throw new Error(`accepted text does not round-trip: ${text}`);
  return 'ok';
}

const mutation = fc.record({
  line: fc.constantFrom(...LINES),
  edits: fc.array(fc.record({
    at: fc.nat(),
    op: fc.constantFrom('delete', 'insert', 'replace', 'truncate', 'duplicate'),
    ch: fc.constantFrom(...ALPHABET.split('')),
    len: fc.integer({ min: 1, max: 12 }),
  }), { minLength: 1, maxLength: 4 }),
}).map(({ line, edits }) => {
  let s = line;
  for (const e of edits) {
    const at = e.at % (s.length + 1);
    if (e.op === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
    else if (e.op === 'insert') s = s.slice(0, at) + e.ch + s.slice(at);
    else if (e.op === 'replace') s = s.slice(0, at) + e.ch + s.slice(at + 1);
    else if (e.op === 'truncate') s = s.slice(0, at);
    else s = s.slice(0, at) + s.slice(at, at + e.len) + s.slice(at);
  }
  return s;
});

test('mutated dump lines: a flow or a clear OdpParseError', (t) => {
  const seen = { ok: 0, error: 0 };
  fc.assert(fc.property(mutation, (text) => {
    seen[check(text)]++;
  }), { numRuns: 3000, seed: 7 });
  t.true(seen.error > 100, `errors: ${seen.error}`);
  t.true(seen.ok > 10, `accepted: ${seen.ok}`);
});

test('random text: never anything but OdpParseError', (t) => {
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(fc.constantFrom(...ALPHABET.split(''), 'ufid:', 'actions:', 'eth(', 'ipv4(', 'ct(', 'set(', 'encap(', 'tunnel(', '0x', ')'), { maxLength: 80 }).map((a) => a.join('')),
  );
  fc.assert(fc.property(text, (s) => {
    check(s);
  }), { numRuns: 3000, seed: 11 });
  t.pass();
});

test('deep nesting is refused with an error, not a stack overflow', (t) => {
  const deep = `in_port(1),${'encap('.repeat(5000)}${')'.repeat(5000)}, actions:drop`;
  const err = t.throws(() => parseFlow(deep), { instanceOf: OdpParseError });
  t.regex(err.message, /nesting too deep/);
  const deepActions = `in_port(1), actions:${'clone('.repeat(5000)}1${')'.repeat(5000)}`;
  t.throws(() => parseFlow(deepActions), { instanceOf: OdpParseError, message: /nesting too deep/ });
});
