/**
 * The command table of ovs-hwol-ctl: one entry per control API method, with its argument forms
 * (which --help prints), a parser from arguments to params, and a human formatter of the result.
 * A later method is added by adding an entry here.
 *
 * Parsers throw CliUsageError naming the problem; they check what the CLI can know (argument
 * counts, ufid and hex syntax, files to read) and leave the rest (flow text, log levels) to the agent.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FlowInput } from '../control/api-types';
import {
  formatAgentShow, formatFlowDel, formatFlowDump, formatFlowFlush, formatFlowGet, formatFlowPut, formatLogSet, formatOffloadStats, formatPacketInject, formatPortsShow,
} from './formatters';
import { CliUsageError } from './usage-error';

/** What parsers may touch besides their arguments (injectable for tests). */
export interface ParseContext {
  /** Directory that relative paths are resolved against. */
  cwd: string;
  /** Reads a text file; "-" is stdin. */
  readText(file: string): string;
  /** True when `file` is an existing regular file. */
  isFile(file: string): boolean;
}

export const defaultParseContext: ParseContext = {
  cwd: process.cwd(),
  readText: (file) => fs.readFileSync(file === '-' ? 0 : file, 'utf8'),
  isFile: (file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
};

export interface CommandSpec {
  method: string;
  /** Argument forms and what each does, for --help (one line each). */
  forms: ReadonlyArray<{ args: string; summary: string }>;
  /** Arguments -> params (undefined: send no params). @throws CliUsageError */
  parse(args: readonly string[], ctx: ParseContext): unknown;
  /** Result -> human text (no trailing newline). */
  format(result: unknown, params: unknown): string;
  /** The agent's error message said in the user's terms (e.g. a flow's file and line), if it can. */
  describeError?(message: string, data: unknown, params: unknown): string | undefined;
}

const UFID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FLOW_DUMP_TYPES = ['all', 'offloaded', 'non-offloaded'];

function noArgs(method: string, args: readonly string[]): undefined {
  if (args.length > 0) throw new CliUsageError(`${method} takes no arguments (got ${args.map((a) => JSON.stringify(a)).join(' ')})`);
  return undefined;
}

/** "ufid:UUID," or "UUID" -> "UUID"; anything else is a usage error. */
export function parseUfid(method: string, text: string): string {
  const ufid = text.replace(/^ufid:/, '').replace(/,$/, '');
  if (!UFID_RE.test(ufid)) throw new CliUsageError(`${method}: "${text}" is not a ufid (a UUID such as 1de117b4-df58-4ca7-a3da-f84eb3479ea0)`);
  return ufid;
}

/** True for a whole dpctl/dump-flows line (it names its actions). */
function isDumpLine(text: string): boolean {
  return /(^|[\s,])actions:/.test(text);
}

/** The flows of a --file: one per line, either a dump line or "MATCH ACTIONS"; blank lines, # comments and dump headers skipped. */
export function parseFlowFile(file: string, text: string): FlowInput[] {
  return readFlowFile(file, text).flows;
}

/** {@link parseFlowFile}, with the 1-based line number of each flow. */
function readFlowFile(file: string, text: string): { flows: FlowInput[]; lines: number[] } {
  const flows: FlowInput[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || /^flow-dump from /.test(line)) return;
    lines.push(i + 1);
    if (isDumpLine(line)) {
      flows.push(line);
      return;
    }
    const fields = line.split(/\s+/);
    if (fields.length !== 2) throw new CliUsageError(`${file}:${i + 1}: expected a dump line (with actions:...) or MATCH ACTIONS, got "${line.length > 60 ? `${line.slice(0, 57)}...` : line}"`);
    flows.push({ match: fields[0], actions: fields[1] });
  });
  if (flows.length === 0) throw new CliUsageError(`${file} holds no flows`);
  return { flows, lines };
}

/** Where the flows of a flow/put --file came from, by the params object sent (for describeError). */
const FLOW_FILES = new WeakMap<object, { file: string; lines: readonly number[] }>();

/** An agent error about `flows[i]` of a --file, said as `FILE:LINE`. */
function describeFlowPutError(message: string, data: unknown, params: unknown): string | undefined {
  const origin = typeof params === 'object' && params !== null ? FLOW_FILES.get(params) : undefined;
  const field = typeof data === 'object' && data !== null ? (data as { field?: unknown }).field : undefined;
  const m = typeof field === 'string' ? /^flows\[(\d+)\]$/.exec(field) : null;
  const line = m === null ? undefined : origin?.lines[Number(m[1])];
  if (origin === undefined || m === null || line === undefined) return undefined;
  return message.replace(`flows[${m[1]}]`, `${origin.file}:${line}`);
}

function parseFlowPut(args: readonly string[], ctx: ParseContext): { flows: FlowInput[] } {
  const fileArg = args[0]?.startsWith('--file=') ? args[0].slice('--file='.length) : args[0] === '--file' ? args[1] : undefined;
  if (fileArg !== undefined || args[0] === '--file') {
    const used = args[0] === '--file' ? 2 : 1;
    if (fileArg === undefined || fileArg === '') throw new CliUsageError('flow/put: --file needs a FILE');
    if (args.length > used) throw new CliUsageError('flow/put: --file FILE takes no other arguments');
    let text: string;
    try {
      text = ctx.readText(fileArg === '-' ? '-' : path.resolve(ctx.cwd, fileArg));
    } catch (err) {
      throw new CliUsageError(`flow/put: cannot read ${fileArg}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const file = fileArg === '-' ? 'stdin' : fileArg;
    const { flows, lines } = readFlowFile(file, text);
    const params = { flows };
    FLOW_FILES.set(params, { file, lines });
    return params;
  }
  if (args.some((a) => a.startsWith('-') && a.length > 1)) throw new CliUsageError(`flow/put: unknown option ${args.find((a) => a.startsWith('-'))}`);
  if (args.length === 1) {
    if (!isDumpLine(args[0])) throw new CliUsageError('flow/put: a single argument must be a whole dump line (..., actions:...); otherwise give MATCH ACTIONS');
    return { flows: [args[0].trim()] };
  }
  if (args.length === 2) return { flows: [{ match: args[0], actions: args[1] }] };
  throw new CliUsageError(`flow/put takes LINE, MATCH ACTIONS or --file FILE (got ${args.length} arguments)`);
}

function parseFlowDump(args: readonly string[]): { type?: string } | undefined {
  if (args.length === 0) return undefined;
  const m = args.length === 1 ? /^type=(.*)$/.exec(args[0]) : null;
  if (!m || !FLOW_DUMP_TYPES.includes(m[1])) throw new CliUsageError(`flow/dump takes at most one argument, type=${FLOW_DUMP_TYPES.join('|')} (got ${args.map((a) => JSON.stringify(a)).join(' ')})`);
  return { type: m[1] };
}

/**
 * Takes `--pcap-out DIR` (or `--pcap-out=DIR`) out of packet/inject's arguments: DIR resolved
 * against the working directory (the agent may run elsewhere).
 */
function takePcapOut(args: readonly string[], ctx: ParseContext): { rest: string[]; pcapOut?: string } {
  const rest: string[] = [];
  let pcapOut: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let dir: string | undefined;
    if (a === '--pcap-out') {
      dir = args[++i];
      if (dir === undefined || dir === '') throw new CliUsageError('packet/inject: --pcap-out needs a DIR');
    } else if (a.startsWith('--pcap-out=')) {
      dir = a.slice('--pcap-out='.length);
      if (dir === '') throw new CliUsageError('packet/inject: --pcap-out needs a DIR');
    } else if (a.startsWith('--')) {
      throw new CliUsageError(`packet/inject: unknown option ${a}`);
    } else {
      rest.push(a);
      continue;
    }
    if (pcapOut !== undefined) throw new CliUsageError('packet/inject: --pcap-out given twice');
    pcapOut = path.resolve(ctx.cwd, dir);
  }
  return pcapOut === undefined ? { rest } : { rest, pcapOut };
}

function parsePacketInject(args: readonly string[], ctx: ParseContext): { port: string | number; frames?: string[]; pcap?: string; pcapOut?: string } {
  const { rest, pcapOut } = takePcapOut(args, ctx);
  const params = parseInjectInput(rest, ctx);
  return pcapOut === undefined ? params : { ...params, pcapOut };
}

function parseInjectInput(args: readonly string[], ctx: ParseContext): { port: string | number; frames?: string[]; pcap?: string } {
  if (args.length < 2) throw new CliUsageError('packet/inject needs PORT and then FILE.pcap or HEX frames');
  const portText = args[0];
  let port: string | number = portText;
  if (/^\d+$/.test(portText)) {
    port = Number(portText);
    if (port > 0xffffffff) throw new CliUsageError(`packet/inject: port ${portText} is out of range`);
  }
  const rest = args.slice(1);
  if (rest.length === 1 && (/\.pcap(ng)?$/i.test(rest[0]) || rest[0].includes('/'))) {
    const file = path.resolve(ctx.cwd, rest[0]);
    if (!ctx.isFile(file)) throw new CliUsageError(`packet/inject: ${rest[0]} is not a readable file`);
    return { port, pcap: file };
  }
  const file = rest.find((text) => /\.pcap(ng)?$/i.test(text) || text.includes('/'));
  if (file !== undefined && rest.length > 1) throw new CliUsageError(`packet/inject: give one pcap file or hex frames, not both ("${file}" is a file)`);
  const frames = rest.map((text) => {
    const hex = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
    if (!/^([0-9a-f]{2})+$/i.test(hex)) throw new CliUsageError(`packet/inject: "${text.length > 40 ? `${text.slice(0, 37)}...` : text}" is neither a pcap file nor a frame in hex (an even number of hex digits)`);
    return hex.toLowerCase();
  });
  return { port, frames };
}

/** Every method of the control API, in the order of DESIGN.md's table. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    method: 'agent/show',
    forms: [{ args: '', summary: 'version, backend, OVSDB session (remote, state, leader, txn id) and uptime of the agent' }],
    parse: (args) => noArgs('agent/show', args),
    format: formatAgentShow,
  },
  {
    method: 'ports/show',
    forms: [{ args: '', summary: 'interfaces with odp port, hw-port-id, state and reason, and hw_local_port_map' }],
    parse: (args) => noArgs('ports/show', args),
    format: formatPortsShow,
  },
  {
    method: 'flow/put',
    forms: [
      { args: 'LINE', summary: 'offload a megaflow given as one whole line of dpctl/dump-flows -m' },
      { args: 'MATCH ACTIONS', summary: 'offload a megaflow given as its match and actions (ports by number or name)' },
      { args: '--file FILE', summary: 'offload the megaflows of FILE, one per line (a dump line or MATCH ACTIONS); - is stdin' },
    ],
    parse: parseFlowPut,
    format: formatFlowPut,
    describeError: describeFlowPutError,
  },
  {
    method: 'flow/del',
    forms: [{ args: 'UFID...', summary: 'delete flows by ufid (UUID, with or without "ufid:")' }],
    parse: (args) => {
      if (args.length === 0) throw new CliUsageError('flow/del needs at least one UFID');
      return { ufids: args.map((a) => parseUfid('flow/del', a)) };
    },
    format: formatFlowDel,
  },
  {
    method: 'flow/get',
    forms: [{ args: 'UFID', summary: 'one flow: match, actions, state, reason, flow id, mark, rule (testpmd text), stats' }],
    parse: (args) => {
      if (args.length !== 1) throw new CliUsageError(`flow/get takes exactly one UFID (got ${args.length} arguments)`);
      return { ufid: parseUfid('flow/get', args[0]) };
    },
    format: formatFlowGet,
  },
  {
    method: 'flow/dump',
    forms: [{ args: '[type=all|offloaded|non-offloaded]', summary: 'every flow, one line each in dump-flows style, with offloaded:yes|no, dp:hw|ovs' }],
    parse: parseFlowDump,
    format: formatFlowDump,
  },
  {
    method: 'flow/flush',
    forms: [{ args: '', summary: 'delete every flow; prints how many were removed' }],
    parse: (args) => noArgs('flow/flush', args),
    format: formatFlowFlush,
  },
  {
    method: 'offload/stats',
    forms: [{ args: '', summary: 'flow counts by state, trial variants, learned variant per device, flow_id pool, latency' }],
    parse: (args) => noArgs('offload/stats', args),
    format: formatOffloadStats,
  },
  {
    method: 'packet/inject',
    forms: [
      { args: 'PORT FILE.pcap', summary: 'send the frames of a pcap file into PORT (a name or an odp number) of the soft NIC' },
      { args: 'PORT HEX...', summary: 'send frames given in hex into PORT; prints hit or miss, mark and output port per frame' },
      { args: 'PORT (FILE.pcap | HEX...) --pcap-out DIR', summary: 'also write what each output port received to DIR/port-N.pcap and the misses to DIR/miss.pcap' },
    ],
    parse: parsePacketInject,
    format: formatPacketInject,
  },
  {
    method: 'log/set',
    forms: [{ args: 'LEVEL', summary: 'set the agent log level (error, warn, info, debug); prints the previous one' }],
    parse: (args) => {
      if (args.length !== 1) throw new CliUsageError(`log/set takes exactly one LEVEL (got ${args.length} arguments)`);
      return { level: args[0] };
    },
    format: formatLogSet,
  },
];

/** The entry of `method`, or undefined. */
export function findCommand(method: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.method === method);
}
