/**
 * The `log/set` method: change the agent's log level at run time.
 *
 * Give it the root logger: winston child loggers (`logger.child(...)`) inherit the root's level,
 * so every component follows; a child passed here would change only itself.
 */
import { ControlError, ErrorCode } from './errors';
import { isLogLevel, LOG_LEVELS, type Logger } from '../log';

export interface LogSetParams {
  level: string;
}

export interface LogSetResult {
  /** The level before the change. */
  previous: string;
}

/**
 * Returns the handler of `log/set`: params `{level}` (one of LOG_LEVELS), result `{previous}`.
 * An unknown level is a ControlError -32602 naming the accepted levels (the server's schema check
 * says the same first; the handler checks again so it is safe on its own).
 */
export function logSetHandler(logger: Logger): (params: LogSetParams) => LogSetResult {
  return (params) => {
    const level = (params as Partial<LogSetParams> | undefined)?.level;
    if (!isLogLevel(level)) {
      throw new ControlError(ErrorCode.InvalidParams, `invalid params: level must be one of ${LOG_LEVELS.join(', ')}${level === undefined ? '' : ` (got ${JSON.stringify(level)})`}`, {
        field: 'level',
        keyword: 'enum',
        allowed: [...LOG_LEVELS],
      });
    }
    const previous = logger.level;
    logger.level = level;
    if (previous !== level) logger.info(`log level changed from ${previous} to ${level}`);
    return { previous };
  };
}
