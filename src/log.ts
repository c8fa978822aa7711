/**
 * Logging for the agent: winston, to stderr by default or to a file.
 *
 * Every component gets a child logger tagged with its name, so each line says where it comes from:
 * `2026-11-25T17:00:00.000Z info  [ports] HW OFFLOAD ready on device (dpdk0) : ...`.
 */
import fs from 'node:fs';
import path from 'node:path';
import winston from 'winston';

/** The log file cannot be opened for appending (see {@link createLogger}). */
export class LogFileError extends Error {
  override readonly name = 'LogFileError';
}

/**
 * Checks that `file` can be appended to, and says why not: its directory must exist (it is not
 * made: a typo should not create directories), and it must not be a directory itself.
 * @throws LogFileError `cannot open log file F: REASON`
 */
function checkLogFile(file: string): void {
  const abs = path.resolve(file);
  const fail = (why: string): never => {
    throw new LogFileError(`cannot open log file ${abs}: ${why}`);
  };
  const dir = path.dirname(abs);
  const d = fs.statSync(dir, { throwIfNoEntry: false });
  if (d === undefined) fail(`directory ${dir} does not exist`);
  else if (!d.isDirectory()) fail(`${dir} is not a directory`);
  if (fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() === true) fail('it is a directory');
  try {
    fs.closeSync(fs.openSync(abs, 'a'));
  } catch (err) {
    fail((err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
}

export type Logger = winston.Logger;

/** Levels in increasing verbosity, as accepted by `--log-level` and `log/set`. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Append to this file instead of writing to stderr. */
  file?: string;
  /** Write nowhere (tests and benchmarks that only want the API). */
  silent?: boolean;
}

const lineFormat = winston.format.printf((info) => {
  const component = typeof info.component === 'string' ? `[${info.component}] ` : '';
  return `${String(info.timestamp)} ${info.level.padEnd(5)} ${component}${String(info.message)}`;
});

/**
 * Creates the root logger. Components call `logger.child({ component: 'name' })`.
 * @throws LogFileError when `options.file` cannot be appended to
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  if (options.file) checkLogFile(options.file);
  const transport = options.file
    ? new winston.transports.File({ filename: options.file })
    : new winston.transports.Console({ stderrLevels: [...LOG_LEVELS] });
  return winston.createLogger({
    level: options.level ?? 'info',
    levels: { error: 0, warn: 1, info: 2, debug: 3 },
    format: winston.format.combine(winston.format.timestamp(), lineFormat),
    transports: [transport],
    silent: options.silent ?? false,
  });
}
