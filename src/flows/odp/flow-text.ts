/**
 * Whole datapath flows as text: one line of `ovs-appctl dpctl/dump-flows -m` (OVS 3.1) <->
 * {@link DpFlow}, plus the match and the action list on their own.
 *
 * Line layout (as dpctl's format_dpif_flow writes it):
 *   `[ufid:UUID, ]KEYS, packets:N, bytes:N, used:T[, flags:F][, offloaded:X][, dp:X], actions:ACTIONS[, dp-extra-info:X]`
 * The stats part may be left out when reading (a flow given by hand); then it is not written.
 *
 * Guarantees: for any line OVS prints, `formatFlow(parseFlow(line)) === line`; for any flow the
 * parser returns, `parseFlow(formatFlow(f))` equals `f`. Bad text throws {@link OdpParseError}.
 */
import { formatActions } from './action-format';
import { readActionList } from './action-parse';
import { OdpParseError } from './errors';
import { formatStatsTcpFlags, readStatsTcpFlags } from './flags';
import { formatKeys } from './key-format';
import { readKeyList } from './key-parse';
import type { Action, DpFlow, FlowStats, KeyAttr } from './model';
import { dec } from './numfmt';
import { hexDigit, Reader } from './reader';

function readUuid(r: Reader): string {
  const start = r.pos;
  let upper = false;
  if (start + 36 > r.end) r.fail('expected a UUID (8-4-4-4-12 hex digits) after "ufid:"', start);
  for (let i = 0; i < 36; i++) {
    const c = r.s.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) r.fail('expected a UUID (8-4-4-4-12 hex digits) after "ufid:"', start);
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) {
      if (hexDigit(c) < 0) r.fail('expected a UUID (8-4-4-4-12 hex digits) after "ufid:"', start);
      upper = true;
    }
  }
  r.pos = start + 36;
  const text = r.s.slice(start, start + 36);
  return upper ? text.toLowerCase() : text;
}

/** `used:` value: `never` or `[-]S.mmms`, as milliseconds. */
function readUsed(r: Reader): number | null {
  if (r.eatText('never')) return null;
  const neg = r.eat(45);
  const secs = r.decimal('used seconds');
  let ms = 0;
  if (r.eat(46)) {
    const start = r.pos;
    const frac = r.decimal('used fraction');
    const digits = r.pos - start;
    ms = digits === 3 ? frac : Math.round(frac * Math.pow(10, 3 - digits));
  }
  r.expect(115 /* s */);
  const v = secs * 1000 + ms;
  return neg ? -v : v;
}

function formatUsed(ms: number | null): string {
  if (ms === null) return 'never';
  const a = Math.abs(ms);
  const frac = a % 1000;
  return (ms < 0 ? '-' : '') + dec((a - frac) / 1000) + '.' + (frac < 10 ? '00' : frac < 100 ? '0' : '') + dec(frac) + 's';
}

/** The text after `label:` up to `, ` or the end. */
function readValue(r: Reader): string {
  const start = r.pos;
  while (r.pos < r.end && r.s.charCodeAt(r.pos) !== 44) r.pos++;
  return r.s.slice(start, r.pos);
}

/** Skips `,` and blanks between sections. */
function skipSeparators(r: Reader): void {
  while (r.pos < r.end) {
    const c = r.s.charCodeAt(r.pos);
    if (c === 44 || c === 32 || c === 9 || c === 10 || c === 13) r.pos++;
    else break;
  }
}

/** Reads one dump line (leading/trailing blanks allowed). */
export function parseFlow(line: string): DpFlow {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) <= 32)) end--;
  const r = new Reader(line, 0, end);
  r.skipSpaces();
  const flow: DpFlow = { match: [], actions: [] };
  if (r.eatText('ufid:')) {
    flow.ufid = readUuid(r);
    skipSeparators(r);
  }
  flow.match = readKeyList(r, false);
  let packets: number | undefined;
  let bytes: number | undefined;
  let used: number | null | undefined;
  let tcpFlags = 0;
  let sawActions = false;
  for (;;) {
    skipSeparators(r);
    if (r.atEnd()) break;
    const at = r.pos;
    const label = r.word();
    if (!r.eat(58)) r.fail(label === '' ? 'expected a key attribute or a "label:" section' : `expected ":" after "${label}"`, at);
    switch (label) {
      case 'packets': packets = r.decimal('packets'); break;
      case 'bytes': bytes = r.decimal('bytes'); break;
      case 'used': used = readUsed(r); break;
      case 'flags': tcpFlags = readStatsTcpFlags(r); break;
      case 'offloaded': flow.offloaded = readValue(r); break;
      case 'dp': flow.dp = readValue(r); break;
      case 'actions':
        if (sawActions) r.fail('"actions:" given twice', at);
        flow.actions = readActionList(r, false);
        sawActions = true;
        break;
      case 'dp-extra-info':
        flow.dpExtraInfo = r.s.slice(r.pos, r.end);
        r.pos = r.end;
        break;
      default: r.fail(`unknown section "${label}:"`, at);
    }
  }
  if (!sawActions) r.fail('expected "actions:"');
  if (packets !== undefined || bytes !== undefined || used !== undefined) {
    if (packets === undefined || bytes === undefined || used === undefined) return r.fail('the stats need all of packets:, bytes: and used:', 0);
    const stats: FlowStats = { packets, bytes, usedMs: used, tcpFlags };
    flow.stats = stats;
  } else if (tcpFlags !== 0) r.fail('"flags:" without packets:, bytes: and used:', 0);
  return sortFlowFields(flow);
}

/** Gives every parsed flow the same property order (cheap, and keeps object shapes uniform). */
function sortFlowFields(f: DpFlow): DpFlow {
  const out: DpFlow = { match: f.match, actions: f.actions };
  if (f.ufid !== undefined) out.ufid = f.ufid;
  if (f.stats !== undefined) out.stats = f.stats;
  if (f.offloaded !== undefined) out.offloaded = f.offloaded;
  if (f.dp !== undefined) out.dp = f.dp;
  if (f.dpExtraInfo !== undefined) out.dpExtraInfo = f.dpExtraInfo;
  return out;
}

/** One dump line as OVS writes it. */
export function formatFlow(f: DpFlow): string {
  let s = f.ufid !== undefined ? 'ufid:' + f.ufid + ', ' + formatKeys(f.match) : formatKeys(f.match);
  const st = f.stats;
  if (st) {
    s += ', packets:' + dec(st.packets) + ', bytes:' + dec(st.bytes) + ', used:' + formatUsed(st.usedMs);
    if (st.tcpFlags) s += ', flags:' + formatStatsTcpFlags(st.tcpFlags);
  }
  if (f.offloaded !== undefined) s += ', offloaded:' + f.offloaded;
  if (f.dp !== undefined) s += ', dp:' + f.dp;
  s += ', actions:' + formatActions(f.actions);
  if (f.dpExtraInfo !== undefined) s += ', dp-extra-info:' + f.dpExtraInfo;
  return s;
}

/** Reads a match on its own (`in_port(1),eth(...),...`). */
export function parseMatch(text: string): KeyAttr[] {
  const r = new Reader(text);
  const keys = readKeyList(r, false);
  skipSeparators(r);
  if (!r.atEnd()) r.fail('unexpected text after the match');
  return keys;
}

/** Writes a match (`in_port(1),eth(...),...`). */
export function formatMatch(keys: readonly KeyAttr[]): string {
  return formatKeys(keys);
}

/** Reads an action list on its own (`set(...),2` or `drop`); a leading `actions:` is allowed. */
export function parseActions(text: string): Action[] {
  const r = new Reader(text);
  r.skipSpaces();
  r.eatText('actions:');
  const actions = readActionList(r, false);
  skipSeparators(r);
  if (!r.atEnd()) r.fail('unexpected text after the actions');
  return actions;
}

/** One line of a dump that could not be read, with its 1-based line number. */
export interface DumpLineError {
  line: number;
  text: string;
  error: OdpParseError;
}

/**
 * Reads the output of `dpctl/dump-flows -m`: one flow per line; blank lines and the
 * `flow-dump from ...` headers are skipped. Lines that fail are returned in `errors`, not thrown.
 */
export function parseDump(text: string): { flows: DpFlow[]; errors: DumpLineError[] } {
  const flows: DpFlow[] = [];
  const errors: DumpLineError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('flow-dump from')) continue;
    try {
      flows.push(parseFlow(line));
    } catch (err) {
      if (err instanceof OdpParseError) errors.push({ line: i + 1, text: line, error: err });
      else throw err;
    }
  }
  return { flows, errors };
}
