/**
 * The writer refuses ports that the text could not carry back (a negative or fractional number, a
 * name with a delimiter or one read as a number) instead of writing `undefined` or text that reads
 * as something else.
 */
import test from 'ava';
import { formatActions, formatMatch, OdpFormatError, parseActions, parseMatch, type Action, type KeyAttr } from '../../src/flows/odp';

const out = (port: number | string): Action[] => [{ kind: 'output', port }];
const inPort = (port: number | string): KeyAttr[] => [{ kind: 'in_port', port, mask: 0xffffffff }];

test('bad output and in_port values are refused with the value named', (t) => {
  for (const [port, message] of [
    [-1, 'output port -1 is not a port number (0..4294967295)'],
    [1.5, 'output port 1.5 is not a port number (0..4294967295)'],
    [2 ** 32, 'output port 4294967296 is not a port number (0..4294967295)'],
    ['a,b', 'output port "a,b" is not a port name that ODP text can carry there'],
    ['p 1', 'output port "p 1" is not a port name that ODP text can carry there'],
    ['7up', 'output port "7up" is not a port name that ODP text can carry there'],
    ['', 'output port "" is not a port name that ODP text can carry there'],
  ] as const) {
    t.throws(() => formatActions(out(port)), { instanceOf: OdpFormatError, message }, String(port));
  }
  t.throws(() => formatMatch(inPort('x)')), { instanceOf: OdpFormatError, message: 'in_port "x)" is not a port name that ODP text can carry there' });
  t.throws(() => formatMatch(inPort(-3)), { instanceOf: OdpFormatError, message: 'in_port -3 is not a port number (0..4294967295)' });
});

test('valid ports are written and read back as they were', (t) => {
  for (const port of [0, 4294967295, 'p1', 'br-int', 'vhost_user.0', 'x\u0129y']) {
    t.deepEqual(parseActions(formatActions(out(port))), out(port), String(port));
    t.deepEqual(parseMatch(formatMatch(inPort(port))), inPort(port), String(port));
  }
});
