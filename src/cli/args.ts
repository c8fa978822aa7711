/**
 * ovs-hwol-ctl's own options. `ovs-hwol-ctl [--ctl-socket PATH] [--json] [--timeout SECONDS] METHOD [ARGS...]`.
 *
 * The options may also come after METHOD (`ports/show --json`); `--` ends option parsing, so an
 * argument that starts with "-" can still reach the command. Options unknown to the CLI before
 * METHOD are usage errors; after METHOD they go to the command (flow/put --file).
 */
import { CTL_SOCKET_ENV, DEFAULT_CTL_SOCKET } from '../control/defaults';
import { CliUsageError } from './usage-error';

export type CliInvocation =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'call';
      socketPath: string;
      json: boolean;
      /** 0: wait for ever. */
      timeoutMs: number;
      method: string;
      args: string[];
    };

/** The socket to use when --ctl-socket is not given: $OVS_HWOL_CTL_SOCKET, else the default. */
export function defaultSocketPath(env: NodeJS.ProcessEnv): string {
  const fromEnv = env[CTL_SOCKET_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CTL_SOCKET;
}

function parseTimeout(text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new CliUsageError(`--timeout: "${text}" is not a number of seconds`);
  return Math.round(Number(text) * 1000);
}

/** Parses argv (without node and script). @throws CliUsageError */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): CliInvocation {
  let socketPath = defaultSocketPath(env);
  let json = false;
  let timeoutMs = 0;
  let help = false;
  let version = false;
  let method: string | undefined;
  const args: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (optionsEnded) {
      if (method === undefined) method = token;
      else args.push(token);
      continue;
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    const value = (): string => {
      if (eq > 0) return token.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined) throw new CliUsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '--':
        optionsEnded = true;
        continue;
      case '-h':
      case '--help':
        help = true;
        continue;
      case '-V':
      case '--version':
        version = true;
        continue;
      case '--json':
        json = true;
        continue;
      case '--ctl-socket': {
        socketPath = value();
        if (socketPath === '') throw new CliUsageError('--ctl-socket: empty path');
        continue;
      }
      case '--timeout':
        timeoutMs = parseTimeout(value());
        continue;
      default:
    }
    if (method === undefined) {
      if (token.startsWith('-') && token !== '-') throw new CliUsageError(`unknown option ${token}`);
      method = token;
    } else args.push(token);
  }
  if (help) return { kind: 'help' };
  if (version) return { kind: 'version' };
  if (method === undefined) throw new CliUsageError('missing METHOD (ovs-hwol-ctl --help lists them)');
  return { kind: 'call', socketPath, json, timeoutMs, method, args };
}
