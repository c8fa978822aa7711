/**
 * `ovs-hwol-agent` entry point: parse options, start the agent, stop it on SIGINT/SIGTERM.
 *
 * Exit status: 0 after a clean stop (or --help/--version), 1 when the agent cannot start (e.g.
 * another agent holds the control socket), 2 for a usage error.
 */
import { packageVersion } from '../cli/version';
import { createLogger, LogFileError, type Logger } from '../log';
import { Agent } from './agent';
import { AGENT_HELP, parseAgentOptions, UsageError, type AgentOptions } from './options';

export function run(argv: string[]): void {
  let options: AgentOptions;
  try {
    options = parseAgentOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ovs-hwol-agent: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(AGENT_HELP);
    return;
  }
  if (options.version) {
    process.stdout.write(`ovs-hwol-agent ${packageVersion()}\n`);
    return;
  }
  let logger: Logger;
  try {
    logger = createLogger({ level: options.logLevel, file: options.logFile });
  } catch (err) {
    if (!(err instanceof LogFileError)) throw err;
    process.stderr.write(`ovs-hwol-agent: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const agent = new Agent(options, logger);
  const shutdown = (signal: string): void => {
    logger.info(`received ${signal}, stopping`);
    agent.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`error while stopping: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  agent.start().catch((err: unknown) => {
    logger.error(`cannot start: ${err instanceof Error ? err.message : String(err)}`);
    // Let winston flush before exiting.
    logger.on('finish', () => process.exit(1));
    logger.end();
  });
}
