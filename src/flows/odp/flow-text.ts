/**
 * Whole datapath flows as text: one line of `ovs-appctl dpctl/dump-flows -m` (OVS 3.1) <->
 * {@link DpFlow}, plus the match and the action list on their own.
 *
 * Line layout (as dpctl's format_dpif_flow writes it):
 *   `[ufid:UUID, ]KEYS, packets:N, bytes:N, used:T[, flags:F][, offloaded:X][, dp:X], actions:ACTIONS[, dp-extra-info:X]`
 * The stats part may be left out when reading (a flow given by hand); then it is not written.
 * `packets:` and `bytes:` are OVS's uint64 counters: read exactly up to 2^64-1, as a number up to
 * Number.MAX_SAFE_INTEGER and as a bigint above it (see FlowStats); larger values are refused.
 *
 * Guarantees: for any line OVS prints, `formatFlow(parseFlow(line)) === line`; for any flow the
 * parser returns, `parseFlow(formatFlow(f))` equals `f`. Bad text throws {@link OdpParseError}.
 */
import { formatActions } from './action-format';
import { readActionList } from './action-parse';
import { OdpFormatError, OdpParseError } from './errors';
import { formatStatsTcpFlags, readStatsTcpFlags } from './flags';
import { formatKeys } from './key-format';
import { readKeyList } from './key-parse';
import type { Action, DpFlow, FlowStats, KeyAttr } from './model';
import { dec } from './numfmt';
import { atLiteral, doublesOf, eatLiteral, literal } from './literals';
import { HEX_VALUE, nameCode, Reader } from './reader';

/** Reads a UUID (8-4-4-4-12 hex digits), lowercased. */
function readUuid(r: Reader): string {
  const start = r.pos;
  const b = r.b;
  if (start + 36 > r.end || b[start + 8] !== 45 || b[start + 13] !== 45 || b[start + 18] !== 45 || b[start + 23] !== 45) {
    r.fail('expected a UUID (8-4-4-4-12 hex digits) after "ufid:"', start);
  }
  // Of digits, lowercase letters and uppercase letters, only uppercase letters lack bit 0x20;
  // HEX_VALUE is -1 (all bits set) for a non-digit, so `digits` goes negative at the first one.
  let allBits = 0xff;
  let digits = 0;
  for (let i = start; i < start + 36; i++) {
    if (i === start + 8 || i === start + 13 || i === start + 18 || i === start + 23) continue;
    const c = b[i];
    allBits &= c;
    digits |= HEX_VALUE[c];
  }
  if (digits < 0) r.fail('expected a UUID (8-4-4-4-12 hex digits) after "ufid:"', start);
  r.pos = start + 36;
  const text = r.s.slice(start, start + 36);
  return (allBits & 0x20) === 0 ? text.toLowerCase() : text;
}

/** 2^64-1, the largest value of OVS's uint64 flow counters. */
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * A `packets:` or `bytes:` counter (decimal, at most 2^64-1): a number up to
 * Number.MAX_SAFE_INTEGER, else a bigint.
 */
function readCounter(r: Reader, what: string): number | bigint {
  const start = r.pos;
  const b = r.b;
  let p = start;
  let v = 0;
  for (; p < r.end; p++) {
    const c = b[p];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  if (p === start) r.fail(`expected a number for ${what}`);
  r.pos = p;
  // Rounding keeps order: a double below 2^53 means the digits' value is below 2^53 and exact.
  if (v <= Number.MAX_SAFE_INTEGER) return v;
  const big = BigInt(r.s.slice(start, p));
  if (big > UINT64_MAX) r.fail(`${what} is larger than 2^64-1 (18446744073709551615), the range of an OVS flow counter`, start);
  return big;
}

/** A counter as `%"PRIu64`; a bigint outside 0..2^64-1 cannot be one. */
function formatCounter(v: number | bigint, what: string): string {
  if (typeof v === 'number') return dec(v);
  if (v < 0n || v > UINT64_MAX) throw new OdpFormatError(`${what} ${v.toString()} is outside 0..2^64-1`);
  return v.toString();
}

/** `used:` value: `never` or `[-]S.mmms`, as milliseconds. */
function readUsed(r: Reader): number | null {
  if (eatLiteral(r, L_NEVER)) return null;
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

/** `.mmms` for 0..999 milliseconds: the end of a `used:` time. */
const USED_FRACTION: readonly string[] = Array.from({ length: 1000 }, (_, i) => '.' + String(i).padStart(3, '0') + 's');

function formatUsed(ms: number | null): string {
  if (ms === null) return 'never';
  const a = Math.abs(ms);
  const frac = a % 1000;
  const text = dec((a - frac) / 1000) + (USED_FRACTION[frac] ?? '.' + (frac < 10 ? '00' : frac < 100 ? '0' : '') + dec(frac) + 's');
  return ms < 0 ? '-' + text : text;
}

/** The stats of a flow that has seen no packet since it was installed, as dump-flows writes them. */
const NO_STATS = ', packets:0, bytes:0, used:never';

/** {@link NO_STATS}, `dp:ovs` and the `actions:` label. */
const IDLE_OVS_ACTIONS = NO_STATS + ', dp:ovs, actions:';

/** True when the stats are written as {@link NO_STATS}. */
function isIdle(st: FlowStats): boolean {
  return st.packets === 0 && st.bytes === 0 && st.usedMs === null && !st.tcpFlags;
}

/** `, packets:N, bytes:N, used:T[, flags:F]`. */
function formatStats(st: FlowStats): string {
  if (isIdle(st)) return NO_STATS;
  const s = ', packets:' + formatCounter(st.packets, 'packets') + ', bytes:' + formatCounter(st.bytes, 'bytes') + ', used:' + formatUsed(st.usedMs);
  return st.tcpFlags ? s + ', flags:' + formatStatsTcpFlags(st.tcpFlags) : s;
}

/** The text after `label:` up to `, ` or the end. */
function readValue(r: Reader): string {
  const start = r.pos;
  while (r.pos < r.end && r.b[r.pos] !== 44) r.pos++;
  return r.s.slice(start, r.pos);
}

/** Skips `,` and blanks between sections. */
function skipSeparators(r: Reader): void {
  while (r.pos < r.end) {
    const c = r.b[r.pos];
    if (c === 44 || c === 32 || c === 9 || c === 10 || c === 13) r.pos++;
    else break;
  }
}

/* Section label codes (see nameCode); `dp-extra-info` is longer than a code and is compared as text. */
const L_PACKETS = nameCode('packets');
const L_BYTES = nameCode('bytes');
const L_USED = nameCode('used');
const L_FLAGS = nameCode('flags');
const L_OFFLOADED = nameCode('offloaded');
const L_DP = nameCode('dp');
const L_ACTIONS = nameCode('actions');

const L_UFID = literal('ufid:');
const L_NEVER = literal('never');
const L_PACKETS_AT = literal(', packets:');
const L_BYTES_AT = literal(', bytes:');
const L_USED_AT = literal(', used:');
const L_FLAGS_AT = literal(', flags:');
const L_DP_OVS = literal(', dp:ovs,');
const L_ACTIONS_AT = literal(', actions:');
const DP_EXTRA_INFO_AT = Uint8Array.from(', dp-extra-info:', (c) => c.charCodeAt(0));
const DP_EXTRA_INFO_DOUBLES = doublesOf(DP_EXTRA_INFO_AT);

/** Reads one dump line (leading/trailing blanks allowed). */
export function parseFlow(line: string): DpFlow {
  return readFlow(line, true);
}

/**
 * {@link parseFlow}; `fast`: read the match with the fast paths of key-parse.ts and
 * key-fast-paths.ts and the sections in the order dpctl writes them (`, packets:N, bytes:N,
 * used:T[, flags:F], dp:ovs, actions:...[, dp-extra-info:...]`) as literal texts. At the first
 * difference from that order the sections are read one by one, label by label, so the result is
 * the same with or without (false only to test that).
 */
export function readFlow(line: string, fast: boolean): DpFlow {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) <= 32)) end--;
  const r = new Reader(line, 0, end);
  r.skipSpaces();
  let ufid: string | undefined;
  if (eatLiteral(r, L_UFID)) {
    ufid = readUuid(r);
    skipSeparators(r);
  }
  const match = readKeyList(r, false, fast);
  let actions: Action[] | undefined;
  let packets: number | bigint | undefined;
  let bytes: number | bigint | undefined;
  let used: number | null | undefined;
  let tcpFlags = 0;
  let offloaded: string | undefined;
  let dp: string | undefined;
  let dpExtraInfo: string | undefined;
  if (fast && eatLiteral(r, L_PACKETS_AT)) {
    packets = readCounter(r, 'packets');
    if (eatLiteral(r, L_BYTES_AT)) {
      bytes = readCounter(r, 'bytes');
      if (eatLiteral(r, L_USED_AT)) {
        used = readUsed(r);
        if (eatLiteral(r, L_FLAGS_AT)) tcpFlags = readStatsTcpFlags(r);
        if (atLiteral(r, L_DP_OVS)) {
          // `, dp:ovs` up to the `,`.
          r.pos += L_DP_OVS.len - 1;
          dp = 'ovs';
          if (eatLiteral(r, L_ACTIONS_AT)) {
            actions = readActionList(r, false);
            if (r.atBytes(DP_EXTRA_INFO_AT, DP_EXTRA_INFO_DOUBLES)) {
              dpExtraInfo = r.s.slice(r.pos + DP_EXTRA_INFO_AT.length, r.end);
              r.pos = r.end;
            }
          }
        }
      }
    }
  }
  for (;;) {
    skipSeparators(r);
    if (r.atEnd()) break;
    const at = r.pos;
    const label = r.code();
    if (!r.eat(58)) {
      const word = r.lastWord();
      r.fail(word === '' ? 'expected a key attribute or a "label:" section' : `expected ":" after "${word}"`, at);
    }
    switch (label) {
      case L_PACKETS: packets = readCounter(r, 'packets'); break;
      case L_BYTES: bytes = readCounter(r, 'bytes'); break;
      case L_USED: used = readUsed(r); break;
      case L_FLAGS: tcpFlags = readStatsTcpFlags(r); break;
      case L_OFFLOADED: offloaded = readValue(r); break;
      case L_DP: dp = readValue(r); break;
      case L_ACTIONS:
        if (actions) r.fail('"actions:" given twice', at);
        actions = readActionList(r, false);
        break;
      default:
        if (!r.isText(at, r.pos - 1, 'dp-extra-info')) r.fail(`unknown section "${r.s.slice(at, r.pos)}"`, at);
        dpExtraInfo = r.s.slice(r.pos, r.end);
        r.pos = r.end;
    }
  }
  if (!actions) return r.fail('expected "actions:"');
  let stats: FlowStats | undefined;
  if (packets !== undefined || bytes !== undefined || used !== undefined) {
    if (packets === undefined || bytes === undefined || used === undefined) return r.fail('the stats need all of packets:, bytes: and used:', 0);
    stats = { packets, bytes, usedMs: used, tcpFlags };
  } else if (tcpFlags !== 0) r.fail('"flags:" without packets:, bytes: and used:', 0);
  // Every parsed flow gets its properties in the same order. A line of the userspace datapath
  // (ufid, stats, dp and dp-extra-info, no offloaded) is built in one literal: adding properties
  // one by one to a smaller object costs property-array allocations.
  if (ufid !== undefined && stats !== undefined && offloaded === undefined && dp !== undefined && dpExtraInfo !== undefined) {
    return { match, actions, ufid, stats, dp, dpExtraInfo };
  }
  const flow: DpFlow = { match, actions };
  if (ufid !== undefined) flow.ufid = ufid;
  if (stats !== undefined) flow.stats = stats;
  if (offloaded !== undefined) flow.offloaded = offloaded;
  if (dp !== undefined) flow.dp = dp;
  if (dpExtraInfo !== undefined) flow.dpExtraInfo = dpExtraInfo;
  return flow;
}

/** One dump line as OVS writes it. */
export function formatFlow(f: DpFlow): string {
  let s = f.ufid !== undefined ? 'ufid:' + f.ufid + ', ' + formatKeys(f.match) : formatKeys(f.match);
  const st = f.stats;
  if (st && f.offloaded === undefined && f.dp === 'ovs' && isIdle(st)) {
    // The commonest case of a userspace dump, written whole.
    s += IDLE_OVS_ACTIONS + formatActions(f.actions);
  } else {
    if (st) s += formatStats(st);
    if (f.offloaded !== undefined) s += ', offloaded:' + f.offloaded;
    if (f.dp !== undefined) s += f.dp === 'ovs' ? ', dp:ovs' : ', dp:' + f.dp;
    s += ', actions:' + formatActions(f.actions);
  }
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

/**
 * The action lists of most megaflows, `N` (one output to a decimal port number without a leading
 * zero, or `0`) and `drop`, read without a Reader; undefined for any other text.
 */
function simpleActions(text: string): Action[] | undefined {
  const n = text.length;
  if (n === 4 && text === 'drop') return [];
  if (n === 0 || n > 10) return undefined;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (d === 0 && i === 0 && n > 1)) return undefined;
    v = v * 10 + d;
  }
  return v <= 0xffffffff ? [{ kind: 'output', port: v }] : undefined;
}

/** Reads an action list on its own (`set(...),2` or `drop`); a leading `actions:` is allowed. */
export function parseActions(text: string): Action[] {
  return readActionsText(text, true);
}

/**
 * {@link parseActions}; `fast`: take the commonest lists (see simpleActions) without a Reader, with
 * the same result (false only to test that).
 */
export function readActionsText(text: string, fast: boolean): Action[] {
  const simple = fast ? simpleActions(text) : undefined;
  if (simple !== undefined) return simple;
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
