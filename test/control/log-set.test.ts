import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { ControlError } from '../../src/control/errors';
import { logSetHandler } from '../../src/control/log-set';
import { createLogger, LOG_LEVELS, LogFileError } from '../../src/log';

/** A root logger like createLogger's, writing its lines into an array. */
function capturingLogger(): { logger: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ silent: true });
  logger.silent = false;
  logger.clear();
  logger.add(
    new winston.transports.Stream({
      stream: new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(chunk.toString().trim());
          cb();
        },
      }),
    }),
  );
  return { logger, lines };
}

test('log/set returns the previous level and changes what the root and its children log', (t) => {
  const { logger, lines } = capturingLogger();
  const child = logger.child({ component: 'ports' });
  const set = logSetHandler(logger);
  child.debug('hidden at info');
  t.deepEqual(set({ level: 'debug' }), { previous: 'info' });
  child.debug('shown at debug');
  t.deepEqual(set({ level: 'error' }), { previous: 'debug' });
  child.warn('hidden at error');
  t.is(logger.level, 'error');
  t.false(lines.some((l) => l.includes('hidden')));
  t.true(lines.some((l) => l.includes('[ports] shown at debug')));
  t.true(lines.some((l) => l.includes('log level changed from info to debug')));
});

test('an unknown level is -32602 naming the accepted levels, and the level is unchanged', (t) => {
  const { logger } = capturingLogger();
  const set = logSetHandler(logger);
  for (const params of [{ level: 'verbose' }, {}, { level: 3 }]) {
    const err = t.throws(() => set(params as { level: string }), { instanceOf: ControlError });
    t.is(err?.code, -32602);
    t.true(err?.message.includes(LOG_LEVELS.join(', ')), err?.message);
    t.deepEqual(err?.data, { field: 'level', keyword: 'enum', allowed: [...LOG_LEVELS] });
  }
  t.is(logger.level, 'info');
});

test('a log file that cannot be appended to is refused with the reason, and no directory is made', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwlog-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const missing = path.join(dir, 'no', 'such', 'agent.log');
  t.throws(() => createLogger({ file: missing }), { instanceOf: LogFileError, message: `cannot open log file ${missing}: directory ${path.dirname(missing)} does not exist` });
  t.false(fs.existsSync(path.join(dir, 'no')));
  t.throws(() => createLogger({ file: dir }), { instanceOf: LogFileError, message: `cannot open log file ${dir}: it is a directory` });
  // procfs: Node's recursive mkdir would never return there.
  t.throws(() => createLogger({ file: '/proc/ovs-hwol-nope/agent.log' }), { instanceOf: LogFileError, message: /directory \/proc\/ovs-hwol-nope does not exist/ });
  const file = path.join(dir, 'agent.log');
  const logger = createLogger({ file });
  t.true(fs.existsSync(file));
  logger.close();
});
