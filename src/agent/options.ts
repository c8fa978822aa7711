/**
 * Command-line options of `ovs-hwol-agent` (DESIGN.md §3), parsed and validated.
 *
 * `parseAgentOptions` never exits or prints: it returns the options or throws `UsageError` with a
 * message naming the offending option and value; main.ts turns that into exit status 2.
 */
import path from 'node:path';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../log';
import { RemoteSyntaxError } from '../ovsdb/errors';
import { parseRemotes } from '../ovsdb/remote';
import { listProfiles } from '../native/profile';

export const DEFAULT_DB = 'unix:/var/run/openvswitch/db.sock';
export { DEFAULT_CTL_SOCKET } from '../control/defaults';
import { DEFAULT_CTL_SOCKET } from '../control/defaults';
/** Largest allowed --max-hw-ports: hw-port-ids must fit FLOW_ID_PORT_MASK (0x7FFF). */
export const MAX_HW_PORTS_LIMIT = 0x7fff;

/** A bad command line; the message says what was wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type BackendOption = { kind: 'soft'; profile: string } | { kind: 'dpdk' };
export type FlowSourceOption = { kind: 'api' } | { kind: 'vswitchd'; ctlPath: string };

export interface AgentOptions {
  db: string;
  ctlSocket: string;
  backend: BackendOption;
  dpdkArgs?: string;
  flowSource: FlowSourceOption;
  offloadTypes: string[];
  maxHwPorts: number;
  statsIntervalMs: number;
  /** Poll period of --flow-source vswitchd:, ms. */
  flowPollIntervalMs: number;
  logLevel: LogLevel;
  logFile?: string;
  metrics?: { host: string; port: number };
  /** TLS material for ssl: remotes (ovsdb-server's --private-key/--certificate/--ca-cert). */
  tls?: { privateKey: string; certificate: string; caCert: string };
  help: boolean;
  version: boolean;
}

export const AGENT_HELP = `usage: ovs-hwol-agent [OPTIONS]

Offloads Open vSwitch datapath megaflows into the NIC as rte_flow rules. Monitors the Interface
table of ovsdb-server and offloads the interfaces that have options:hw-port-id set, e.g.
  ovs-vsctl set interface dpdk0 options:hw-port-id=0

Options:
  --db REMOTE[,REMOTE...]   OVSDB remotes: unix:PATH, tcp:IP:PORT, ssl:IP:PORT; with several,
                            the agent fails over between them (default ${DEFAULT_DB})
  --private-key FILE        TLS private key for ssl: remotes
  --certificate FILE        TLS certificate for ssl: remotes
  --ca-cert FILE            CA certificate that the server's certificate must chain to
  --ctl-socket PATH         control socket for ovs-hwol-ctl, created with mode 0600
                            (default ${DEFAULT_CTL_SOCKET})
  --backend soft[:PROFILE] | dpdk
                            rte_flow backend: the software NIC model with a capability profile
                            (full, xl710, nocount, nomark, or a profile file FILE.json shaped
                            like schema/nic-profiles/*.json), or real DPDK (default soft:full)
  --dpdk-args "EAL ARGS"    EAL arguments for the dpdk backend
  --flow-source api | vswitchd:CTL_PATH
                            where megaflows come from: the control API (flow/put, flow/del), or a
                            running ovs-vswitchd's unixctl socket (the one ovs-appctl -t takes, e.g.
                            /var/run/openvswitch/ovs-vswitchd.PID.ctl): the agent then polls its
                            userspace datapath (dpctl/show, dpctl/dump-flows) and offloads the
                            megaflows OVS creates, changes and removes, with the datapath's own port
                            numbers; it reconnects and resynchronises when the daemon restarts,
                            and refuses flow/put, flow/del and flow/flush (default api)
  --flow-poll-interval MS   with --flow-source vswitchd:, how often the datapath is polled, in
                            milliseconds (default 500); a poll that takes longer (a daemon with
                            many megaflows) is followed by a pause as long as itself
  --offload-types LIST      comma-separated Interface types whose hw-port-id is honoured
                            (default dpdk)
  --max-hw-ports N          valid hw-port-ids are 0..N-1, N at most ${MAX_HW_PORTS_LIMIT} (default 64)
  --stats-interval MS       flow statistics poll period in milliseconds (default 1000)
  --log-level LEVEL         ${LOG_LEVELS.join(', ')} (default info)
  --log-file PATH           log to PATH instead of stderr
  --metrics HOST:PORT       serve Prometheus metrics over HTTP on HOST:PORT (default off)
  -h, --help                print this help and exit
  -V, --version             print the version and exit

The agent runs until SIGINT or SIGTERM. Inspect it with ovs-hwol-ctl (see ovs-hwol-ctl --help).
`;

function parseInteger(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option}: "${text}" is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${option}: ${value} is out of range ${min}..${max}`);
  return value;
}

/**
 * `dpdk`, `soft` (the full profile), `soft:NAME` (a shipped profile) or `soft:FILE` (a profile
 * document: a path with a `/` or ending in `.json`, made absolute here so logs name it fully).
 */
function parseBackend(text: string): BackendOption {
  if (text === 'dpdk') return { kind: 'dpdk' };
  if (text === 'soft') return { kind: 'soft', profile: 'full' };
  const profile = text.startsWith('soft:') ? text.slice('soft:'.length) : undefined;
  if (profile === undefined || profile === '') throw new UsageError(`--backend: "${text}" is neither soft[:PROFILE | :FILE.json] nor dpdk`);
  if (profile.includes('/') || profile.endsWith('.json')) return { kind: 'soft', profile: path.resolve(profile) };
  if (!/^[\w-]+$/.test(profile)) throw new UsageError(`--backend: "${profile}" is neither a profile name nor a profile file (a path with / or ending in .json)`);
  const shipped = listProfiles();
  if (!shipped.includes(profile)) throw new UsageError(`--backend: no soft NIC profile "${profile}" (profiles: ${shipped.join(', ')}; or soft:FILE.json)`);
  return { kind: 'soft', profile };
}

function parseFlowSource(text: string): FlowSourceOption {
  if (text === 'api') return { kind: 'api' };
  if (text.startsWith('vswitchd:') && text.length > 'vswitchd:'.length) return { kind: 'vswitchd', ctlPath: text.slice('vswitchd:'.length) };
  throw new UsageError(`--flow-source: "${text}" is neither api nor vswitchd:CTL_PATH`);
}

function parseHostPort(option: string, text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(text);
  if (!m) throw new UsageError(`${option}: "${text}" is not HOST:PORT`);
  return { host: (m[1]).replace(/^\[|\]$/g, ''), port: parseInteger(option, m[2], 0, 65535) };
}

/** Parses the agent's argv (without node and script). Accepts `--opt value` and `--opt=value`. */
export function parseAgentOptions(argv: readonly string[]): AgentOptions {
  const opts: AgentOptions = {
    db: DEFAULT_DB,
    ctlSocket: DEFAULT_CTL_SOCKET,
    backend: { kind: 'soft', profile: 'full' },
    flowSource: { kind: 'api' },
    offloadTypes: ['dpdk'],
    maxHwPorts: 64,
    statsIntervalMs: 1000,
    flowPollIntervalMs: 500,
    logLevel: 'info',
    help: false,
    version: false,
  };
  const tls: Partial<NonNullable<AgentOptions['tls']>> = {};
  let pollIntervalGiven = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      i++;
      return next;
    };
    switch (arg) {
      case '-h':
      case '--help': opts.help = true; break;
      case '-V':
      case '--version': opts.version = true; break;
      case '--db': {
        const db = value();
        if (db.trim() === '') throw new UsageError('--db: empty remote list');
        try {
          parseRemotes(db);
        } catch (err) {
          if (err instanceof RemoteSyntaxError) throw new UsageError(`--db: ${err.message}`);
          throw err;
        }
        opts.db = db;
        break;
      }
      case '--ctl-socket': opts.ctlSocket = value(); break;
      case '--backend': opts.backend = parseBackend(value()); break;
      case '--dpdk-args': opts.dpdkArgs = value(); break;
      case '--flow-source': opts.flowSource = parseFlowSource(value()); break;
      case '--offload-types': {
        const text = value();
        const types = text.split(',').map((t) => t.trim());
        if (types.every((t) => t === '')) throw new UsageError('--offload-types: empty list');
        if (types.includes('')) throw new UsageError(`--offload-types: "${text}" has an empty type (types are separated by single commas)`);
        opts.offloadTypes = types;
        break;
      }
      case '--max-hw-ports': opts.maxHwPorts = parseInteger(arg, value(), 1, MAX_HW_PORTS_LIMIT); break;
      case '--stats-interval': opts.statsIntervalMs = parseInteger(arg, value(), 10, 3_600_000); break;
      case '--flow-poll-interval': opts.flowPollIntervalMs = parseInteger(arg, value(), 10, 3_600_000); pollIntervalGiven = true; break;
      case '--log-level': {
        const level = value();
        if (!isLogLevel(level)) throw new UsageError(`--log-level: "${level}" is not one of ${LOG_LEVELS.join(', ')}`);
        opts.logLevel = level;
        break;
      }
      case '--log-file': opts.logFile = value(); break;
      case '--metrics': opts.metrics = parseHostPort(arg, value()); break;
      case '--private-key': tls.privateKey = value(); break;
      case '--certificate': tls.certificate = value(); break;
      case '--ca-cert': tls.caCert = value(); break;
      default:
        throw new UsageError(`unknown option "${argv[i]}" (see ovs-hwol-agent --help)`);
    }
  }
  const given = Object.keys(tls);
  if (given.length > 0) {
    if (given.length < 3) throw new UsageError('--private-key, --certificate and --ca-cert go together');
    opts.tls = tls as NonNullable<AgentOptions['tls']>;
  } else if (/(^|,)\s*ssl:/.test(opts.db)) {
    throw new UsageError('ssl: remotes need --private-key, --certificate and --ca-cert');
  }
  if (opts.backend.kind !== 'dpdk' && opts.dpdkArgs !== undefined) throw new UsageError('--dpdk-args only applies to --backend dpdk');
  if (pollIntervalGiven && opts.flowSource.kind !== 'vswitchd') throw new UsageError('--flow-poll-interval only applies to --flow-source vswitchd:CTL_PATH');
  return opts;
}
