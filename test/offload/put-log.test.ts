/**
 * The engine's log lines for put, del and flush: a summary at info (counts, the commonest software
 * reasons), each flow's outcome at debug.
 */
import test from 'ava';
import { Writable } from 'node:stream';
import winston from 'winston';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { OffloadEngine } from '../../src/offload';
import { EXAMPLE_MATCH, portMap } from './helpers';

const UFID_A = '1de117b4-df58-4ca7-a3da-f84eb3479ea0';
const UFID_B = '2de117b4-df58-4ca7-a3da-f84eb3479ea0';

test('put, del and flush explain themselves in the log: a summary with the commonest reasons, each flow at debug', (t) => {
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const entry = JSON.parse(chunk.toString()) as { level: string; message: string };
      lines.push(`${entry.level}: ${entry.message}`);
      done();
    },
  });
  const logger = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: capture })] });
  const nic = new SoftNicBackend('full');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }), logger });
  engine.put([
    { ufid: UFID_A, match: EXAMPLE_MATCH, actions: '2' },
    { ufid: UFID_B, match: `ct_state(0x21/0x21),${EXAMPLE_MATCH}`, actions: '2' },
    { match: EXAMPLE_MATCH.replace('in_port(1)', 'in_port(7)'), actions: '2' },
    { match: `recirc_id(0x1),${EXAMPLE_MATCH}`, actions: '2' },
    { match: `ct_mark(0x1),${EXAMPLE_MATCH}`, actions: '2' },
    { match: `ct_state(0x22/0x22),${EXAMPLE_MATCH}`, actions: '2' },
  ]);
  t.is(lines[0], 'info: put 6 flows: 1 offloaded, 5 in software (2: ct_state; 1: in_port 7 has no hw-port-id; 1: recirc_id != 0; 1 other reasons)');
  t.is(lines[1], `debug: ufid:${UFID_A} offloaded (flow_id 0, mark 0x1)`);
  t.is(lines[2], `debug: ufid:${UFID_B} software: ct_state`);
  t.is(lines.length, 7);
  engine.del([UFID_A, UFID_B, '3de117b4-df58-4ca7-a3da-f84eb3479ea0']);
  t.is(lines[7], 'info: del 3 ufids: 2 deleted (1 rules destroyed), 1 not found');
  engine.flush();
  t.is(lines[8], 'info: flush: 4 flows removed (0 rules destroyed)');
});
