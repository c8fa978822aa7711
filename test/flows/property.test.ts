/**
 * Property-based tests: for generated flows, format then parse gives the same flow back, and
 * formatting is a fixed point (format(parse(format(x))) = format(x)).
 */
import test from 'ava';
import fc from 'fast-check';
import { formatActions, formatFlow, formatMatch, parseActions, parseFlow, parseMatch } from '../../src/flows/odp';
import { actionList, canon, flow, match } from './arbitraries';

test('parse(format(flow)) = flow for generated dump lines', (t) => {
  fc.assert(fc.property(flow, (f) => {
    const text = formatFlow(f);
    const back = parseFlow(text);
    if (canon(back) !== canon(f)) throw new Error(`not the same flow:\n${text}\n${canon(back)}\n${canon(f)}`);
    return formatFlow(back) === text;
  }), { numRuns: 800, seed: 42 });
  t.pass();
});

test('parse(format(match)) = match', (t) => {
  fc.assert(fc.property(match, (m) => canon(parseMatch(formatMatch(m))) === canon(m)), { numRuns: 500 });
  t.pass();
});

test('parse(format(actions)) = actions', (t) => {
  fc.assert(fc.property(actionList(3), (a) => canon(parseActions(formatActions(a))) === canon(a)), { numRuns: 1000 });
  t.pass();
});
