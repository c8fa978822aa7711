/**
 * The parser scans bytes that stand for the UTF-16 units of the text: text outside ASCII (port
 * names, garbage) must read exactly as it would character by character, errors must point at
 * UTF-16 offsets, and a unit whose low byte looks like syntax (U+0128 is 0x28, `(`) must not act
 * as syntax.
 */
import test from 'ava';
import fc from 'fast-check';
import { formatActions, formatFlow, OdpParseError, parseActions, parseFlow, parseMatch } from '../../src/flows/odp';

function errorOf(f: () => unknown): OdpParseError {
  try {
    f();
  } catch (err) {
    if (err instanceof OdpParseError) return err;
    throw err;
  }
  throw new Error('no error');
}

test('port names outside ASCII read and write back', (t) => {
  for (const name of ['pörtñ', 'aĨb', 'Ĩ', 'vm😀1', 'p\u00a0x', 'ĬĩĨ']) {
    const line = `ufid:1de117b4-df58-4ca7-a3da-f84eb3479ea0, in_port(${name}),eth_type(0x0800), packets:0, bytes:0, used:never, actions:${name},tnl_pop(${name})`;
    const f = parseFlow(line);
    t.deepEqual(f.match[0], { kind: 'in_port', port: name, mask: 0xffffffff }, name);
    t.deepEqual(f.actions, [{ kind: 'output', port: name }, { kind: 'tnl_pop', port: name }], name);
    t.is(formatFlow(f), line);
  }
});

test('a unit whose low byte is syntax is not syntax', (t) => {
  // U+0128 has low byte 0x28 "(", U+0129 0x29 ")", U+012C 0x2C ",", U+013D 0x3D "=".
  let e = errorOf(() => parseMatch('eth_type\u01280x0800)'));
  t.is(e.position, 8);
  t.regex(e.reason, /expected "\("/);
  e = errorOf(() => parseMatch('udp(src=1\u012Cdst=2)'));
  t.is(e.position, 9);
  e = errorOf(() => parseMatch('udp(src\u013D1)'));
  t.is(e.position, 4);
  t.deepEqual(parseActions('x\u0129y,2'), [{ kind: 'output', port: 'x\u0129y' }, { kind: 'output', port: 2 }]);
  t.is(formatActions(parseActions('x\u0129y,2')), 'x\u0129y,2');
});

test('errors point at UTF-16 offsets after text outside ASCII', (t) => {
  const text = 'in_port(ü😀),ipv4(src=1.2.3.400), actions:drop';
  const e = errorOf(() => parseFlow(text));
  t.is(e.position, text.indexOf('1.2.3.400'));
  t.is(e.token, '1.2.3.400');
  const e2 = errorOf(() => parseFlow('in_port(1), actions:set(ipv4(src=ü))'));
  t.is(e2.position, 33);
  t.is(e2.token, 'ü');
});

test('a text longer than the shared byte buffer reads, and short texts read right after it', (t) => {
  const ports = Array.from({ length: 20000 }, (_, i) => String(i + 1));
  const long = `in_port(1), actions:${ports.join(',')}`;
  t.true(long.length > 1 << 16);
  t.is(parseFlow(long).actions.length, 20000);
  t.deepEqual(parseFlow('in_port(2), actions:3').actions, [{ kind: 'output', port: 3 }]);
  const longName = 'p'.repeat(70000);
  t.deepEqual(parseFlow(`in_port(${longName}), actions:drop`).match, [{ kind: 'in_port', port: longName, mask: 0xffffffff }]);
});

test('text with any UTF-16 units: a flow that writes back, or a clear OdpParseError', (t) => {
  const unit = fc.oneof(
    fc.constantFrom(...'abcdefipstuvx0123456789:/,()=.+-| _'.split('')),
    fc.integer({ min: 0x80, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\u0128', '\u0129', '\u012c', '\u013d', '\u0130', '\u0178', 'ufid:', 'actions:', 'in_port(', 'eth(', 'ipv4(', 'set('),
  );
  let ok = 0;
  fc.assert(fc.property(fc.array(unit, { maxLength: 60 }).map((a) => a.join('')), (text) => {
    let flow;
    try {
      flow = parseFlow(text);
    } catch (err) {
      if (!(err instanceof OdpParseError)) throw err;
      if (err.position < 0 || err.position > text.length) throw new Error(`position ${err.position} outside the text`);
      if (err.token !== text.slice(err.position, err.position + err.token.length)) throw new Error(`token "${err.token}" is not at ${err.position}`);
      return;
    }
    const again = formatFlow(flow);
    if (formatFlow(parseFlow(again)) !== again) throw new Error(`does not write back: ${JSON.stringify(text)}`);
    ok++;
  }), { numRuns: 3000, seed: 3 });
  t.true(ok > 20, `accepted: ${ok}`);
});
