import test from 'ava';
import fc from 'fast-check';
import { MAX_HW_PORTS_LIMIT, parseHwPortId } from '../../src/ports/index.js';

test('absent value: not offloaded', (t) => {
  t.deepEqual(parseHwPortId(undefined, 64), { status: 'absent' });
});

const enabled: [string, number][] = [
  ['0', 0],
  ['1', 1],
  ['63', 63], // N-1 with N = 64
  ['007', 7], // leading zeros, still base 10 (not octal)
  ['010', 10],
  ['+5', 5], // strtoll accepts one sign
  ['-0', 0], // and so reads "-0" as 0
  [' 5', 5], // leading white space (C isspace) is skipped
  ['\t\n\v\f\r 12', 12],
];
for (const [value, id] of enabled) {
  test(`${JSON.stringify(value)} is hw-port-id ${id}`, (t) => {
    t.deepEqual(parseHwPortId(value, 64), { status: 'enabled', id });
  });
}

const notInteger = ['abc', '1.5', '', ' ', '+', '-', '0x1', '1e3', '5 ', '5\n', '1,2', '+-1', '--1', '12abc', '\u0663', '\u00a05'];
for (const value of notInteger) {
  test(`${JSON.stringify(value)} is invalid: not a base-10 integer`, (t) => {
    t.deepEqual(parseHwPortId(value, 64), {
      status: 'invalid',
      value,
      reason: `hw-port-id ${JSON.stringify(value)} is not a base-10 integer`,
    });
  });
}

const outOfRange = ['-1', '64', '065', '2147483648', '4294967296', '99999999999999999999999'];
for (const value of outOfRange) {
  test(`${JSON.stringify(value)} is invalid: out of range 0..63`, (t) => {
    t.deepEqual(parseHwPortId(value, 64), {
      status: 'invalid',
      value,
      reason: `hw-port-id ${JSON.stringify(value)} is out of range 0..63`,
    });
  });
}

test('range boundary follows maxHwPorts: N-1 is valid, N is not (the original patch accepted N)', (t) => {
  for (const n of [1, 2, 64, 128, MAX_HW_PORTS_LIMIT]) {
    t.deepEqual(parseHwPortId(String(n - 1), n), { status: 'enabled', id: n - 1 }, `N=${n}`);
    t.is(parseHwPortId(String(n), n).status, 'invalid', `N=${n}`);
  }
});

/**
 * An independent oracle: C's strtoll(s, &tail, 10) in the C locale, followed by str_to_int's checks
 * (a digit was read, *tail == '\0', no ERANGE, fits an int), stepped through character by character.
 */
function ovsSmapGetInt(s: string): number | undefined {
  const isSpace = (c: string) => c === ' ' || (c >= '\t' && c <= '\r');
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') negative = s[i++] === '-';
  const start = i;
  let value = 0n;
  while (i < s.length && s[i] >= '0' && s[i] <= '9') value = value * 10n + BigInt(s.charCodeAt(i++) - 48);
  if (i === start || i !== s.length) return undefined;
  if (negative) value = -value;
  if (value < -2147483648n || value > 2147483647n) return undefined;
  return Number(value);
}

test('agrees with OVS smap_get_int on random strings (property)', (t) => {
  const chars = fc.constantFrom(' ', '\t', '\n', '+', '-', '0', '1', '2', '3', '6', '9', 'x', '.', 'a');
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 8 }).map((cs) => cs.join('')), fc.integer({ min: 1, max: MAX_HW_PORTS_LIMIT }), (value, n) => {
      const ovs = ovsSmapGetInt(value);
      const ours = parseHwPortId(value, n);
      if (ovs !== undefined && ovs >= 0 && ovs < n) return ours.status === 'enabled' && ours.id === ovs;
      return ours.status === 'invalid' && ours.value === value && ours.reason.includes(JSON.stringify(value));
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('every id in range round-trips through its decimal text (property)', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: MAX_HW_PORTS_LIMIT }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))), ([n, id]) => {
      const r = parseHwPortId(String(id), n);
      return r.status === 'enabled' && r.id === id;
    }),
  );
  t.pass();
});
