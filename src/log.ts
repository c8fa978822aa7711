/**
 * Logging for the agent: winston, to stderr by default or to a file.
 *
 * Every component gets a child logger tagged with its name, so each line says where it comes from:
 * `2026-11-25T17:00:00.000Z info  [ports] HW OFFLOAD ready on device (dpdk0) : ...`.
 */
import winston from 'winston';

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

/** Creates the root logger. Components call `logger.child({ component: 'name' })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
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
