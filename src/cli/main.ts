/**
 * ovs-hwol-ctl: the command-line client of the agent's control socket.
 *
 * `run(argv)` is what bin/ovs-hwol-ctl calls; it sets process.exitCode (never calls process.exit,
 * so a large output is fully written): 0 success, 1 the agent answered with an error
 * ("ovs-hwol-ctl: METHOD: message" on stderr), 2 usage error, no agent, no answer in time, or a
 * broken connection. `main(argv, io)` does the work with injectable streams and returns the status.
 */
import { ControlClient } from '../control/client';
import { ControlConnectError, ControlError, ControlTimeoutError } from '../control/errors';
import { parseCommandLine } from './args';
import { defaultParseContext, findCommand, type ParseContext } from './commands';
import { helpText } from './help';
import { CliUsageError } from './usage-error';
import { packageVersion } from './version';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  parse: ParseContext;
}

export const EXIT_OK = 0;
export const EXIT_AGENT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Runs one ovs-hwol-ctl invocation and resolves with its exit status. Never rejects. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string, status: number): number => {
    io.stderr.write(`ovs-hwol-ctl: ${message}\n`);
    return status;
  };
  let params: unknown;
  let invocation;
  try {
    invocation = parseCommandLine(argv, io.env);
    if (invocation.kind === 'help') {
      io.stdout.write(helpText());
      return EXIT_OK;
    }
    if (invocation.kind === 'version') {
      io.stdout.write(`ovs-hwol-ctl ${packageVersion()}\n`);
      return EXIT_OK;
    }
    const command = findCommand(invocation.method);
    if (!command) throw new CliUsageError(`unknown method ${invocation.method} (ovs-hwol-ctl --help lists them)`);
    params = command.parse(invocation.args, io.parse);
  } catch (err) {
    if (err instanceof CliUsageError) return fail(`${err.message}`, EXIT_USAGE);
    return fail(`internal error: ${(err as Error).message}`, EXIT_USAGE);
  }
  const { method, socketPath, json, timeoutMs } = invocation;
  let client: ControlClient | undefined;
  try {
    client = await ControlClient.connect(socketPath);
    const result = await client.call(method, params, { timeoutMs });
    const command = findCommand(method);
    const text = json || !command ? JSON.stringify(result) : command.format(result, params);
    io.stdout.write(text === '' ? '' : `${text}\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ControlConnectError || err instanceof ControlTimeoutError) return fail(err.message, EXIT_USAGE);
    if (err instanceof ControlError) {
      const said = findCommand(method)?.describeError?.(err.message, err.data, params) ?? err.message;
      return fail(`${method}: ${said}`, EXIT_AGENT_ERROR);
    }
    return fail(`${method}: ${(err as Error).message}`, EXIT_USAGE);
  } finally {
    await client?.close();
  }
}

/** Entry point of bin/ovs-hwol-ctl: runs main() on the real process and sets process.exitCode. */
export function run(argv: string[]): void {
  // A reader that goes away early (`ovs-hwol-ctl flow/dump | head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
    process.stderr.write(`ovs-hwol-ctl: cannot write the output: ${err.message}\n`);
    process.exit(EXIT_USAGE);
  });
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, parse: defaultParseContext };
  void main(argv, io).then((status) => {
    process.exitCode = status;
  });
}
