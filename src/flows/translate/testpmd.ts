/**
 * Rules as dpdk-testpmd text (DESIGN.md §3), so that an operator can replay them:
 *
 *     flow create 0 ingress pattern eth type is 0x0800 has_vlan is 0 / ipv4 src is 192.168.1.2 ...
 *       / udp src is 10025 dst is 10026 / end actions count / mark id 65539 / end
 *
 * Syntax and token names are those of DPDK 22.11's app/test-pmd/cmdline_flow.c:
 * - a field under a full mask is `NAME is VALUE`; under a partial mask `NAME spec VALUE NAME mask
 *   MASK`; under a zero (or absent) mask it is left out. An item with a spec and no mask writes
 *   `NAME spec VALUE` only, so testpmd applies the item's default mask, as the rule does. An item
 *   without spec is the bare item name (any header of that type).
 * - items: `port_id id` (the PORT item: DPDK 22.11 has no `port` item any more), `eth src dst type
 *   has_vlan`, `vlan tci inner_type has_more_vlan`, `ipv4 src dst tos ttl proto fragment_offset
 *   version_ihl packet_id`, `ipv6 src dst tc flow proto hop has_frag_ext`, `udp src dst`,
 *   `tcp src dst flags`, `sctp src dst tag cksum`, `icmp type code ident seq`, `icmp6 type code`.
 * - actions: `count [identifier N]`, `mark id N`, `queue index N`, `drop`,
 *   `rss [func F] [level N] queues Q... end`, `port_id id N [original 1]`.
 * - numbers: EtherTypes, TCI, TOS/TC, flow label, fragment_offset, version_ihl, TCP flags, checksums
 *   and every mask in hex; the rest in decimal. Addresses as given (text) or in their usual text form (bytes).
 *
 * Rule-spec fields testpmd 22.11 has no token for (IPV4 totalLength, UDP length, TCP seq, ...) and
 * malformed values make {@link renderTestpmd} throw a {@link TestpmdRenderError} naming them.
 */
import type { Action, PatternItem, RuleSpec } from '../../native/rule-spec';
import { parseIpv4, parseIpv6, parseMac } from '../../native/addresses';
import { formatIpv6, formatMac } from '../odp';
import { FULL_IPV4, FULL_IPV6, FULL_MAC } from './address-text';
import { TestpmdRenderError } from './errors';

type Format = 'mac' | 'ipv4' | 'ipv6' | 'hex' | 'dec' | 'bit';

interface FieldToken {
  /** Property name in the rule spec. */
  readonly key: string;
  /** testpmd's token. */
  readonly token: string;
  readonly format: Format;
  /** Width in bits (numbers). */
  readonly bits: number;
}

interface ItemTokens {
  readonly token: string;
  readonly fields: readonly FieldToken[];
  readonly keys: ReadonlySet<string>;
}

function item(token: string, rows: [key: string, token: string, format: Format, bits: number][]): ItemTokens {
  const fields = rows.map(([key, tok, format, bits]) => ({ key, token: tok, format, bits }));
  return { token, fields, keys: new Set(fields.map((f) => f.key)) };
}

const ITEMS: Readonly<Record<string, ItemTokens>> = {
  PORT: item('port_id', [['index', 'id', 'dec', 32]]),
  ETH: item('eth', [['src', 'src', 'mac', 48], ['dst', 'dst', 'mac', 48], ['type', 'type', 'hex', 16], ['hasVlan', 'has_vlan', 'bit', 1]]),
  VLAN: item('vlan', [['tci', 'tci', 'hex', 16], ['innerType', 'inner_type', 'hex', 16], ['hasMoreVlan', 'has_more_vlan', 'bit', 1]]),
  IPV4: item('ipv4', [
    ['src', 'src', 'ipv4', 32], ['dst', 'dst', 'ipv4', 32], ['tos', 'tos', 'hex', 8], ['ttl', 'ttl', 'dec', 8], ['proto', 'proto', 'dec', 8],
    ['fragmentOffset', 'fragment_offset', 'hex', 16], ['versionIhl', 'version_ihl', 'hex', 8], ['packetId', 'packet_id', 'dec', 16],
  ]),
  IPV6: item('ipv6', [
    ['src', 'src', 'ipv6', 128], ['dst', 'dst', 'ipv6', 128], ['tc', 'tc', 'hex', 8], ['flowLabel', 'flow', 'hex', 20],
    ['proto', 'proto', 'dec', 8], ['hopLimits', 'hop', 'dec', 8], ['hasFragExt', 'has_frag_ext', 'bit', 1],
  ]),
  UDP: item('udp', [['srcPort', 'src', 'dec', 16], ['dstPort', 'dst', 'dec', 16]]),
  TCP: item('tcp', [['srcPort', 'src', 'dec', 16], ['dstPort', 'dst', 'dec', 16], ['flags', 'flags', 'hex', 8]]),
  SCTP: item('sctp', [['srcPort', 'src', 'dec', 16], ['dstPort', 'dst', 'dec', 16], ['tag', 'tag', 'dec', 32], ['checksum', 'cksum', 'hex', 32]]),
  ICMP: item('icmp', [['type', 'type', 'dec', 8], ['code', 'code', 'dec', 8], ['ident', 'ident', 'dec', 16], ['seq', 'seq', 'dec', 16]]),
  ICMP6: item('icmp6', [['type', 'type', 'dec', 8], ['code', 'code', 'dec', 8]]),
};

const HEX_DIGITS: Readonly<Record<number, number>> = { 1: 1, 8: 2, 16: 4, 20: 5, 32: 8 };

function hex(v: number, bits: number): string {
  const s = v.toString(16);
  const digits = HEX_DIGITS[bits] ?? 1;
  return '0x' + (s.length >= digits ? s : '0'.repeat(digits - s.length) + s);
}

const FULL: Readonly<Record<number, number>> = { 1: 1, 8: 0xff, 16: 0xffff, 20: 0xfffff, 32: 0xffffffff };

function fullOf(bits: number): number {
  return FULL[bits];
}

/** 0: zero mask, 1: partial, 2: full. */
function bytesKind(b: Uint8Array): 0 | 1 | 2 {
  let ones = 0;
  let zeros = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0xff) ones++;
    else if (b[i] === 0) zeros++;
  }
  return ones === b.length ? 2 : zeros === b.length ? 0 : 1;
}

const ADDRESS_BYTES: Readonly<Record<string, number>> = { mac: 6, ipv4: 4, ipv6: 16 };
const FULL_TEXT: Readonly<Record<string, string>> = { mac: FULL_MAC, ipv4: FULL_IPV4, ipv6: FULL_IPV6 };
const ZERO_TEXT: Readonly<Record<string, string>> = { mac: '00:00:00:00:00:00', ipv4: '0.0.0.0', ipv6: '::' };

function addressBytes(v: string, format: Format): Uint8Array | undefined {
  return format === 'mac' ? parseMac(v) : format === 'ipv4' ? parseIpv4(v) : parseIpv6(v);
}

/** Where a pattern item sits, for errors (built only when one is thrown). */
interface Where {
  readonly list: 'pattern' | 'actions' | 'attr';
  readonly pos: number;
  readonly type: string;
}

function fail(at: Where, problem: string): never {
  throw new TestpmdRenderError(at.list === 'attr' ? 'attr' : `${at.list}[${at.pos}] ${at.type}`, problem);
}

function badValue(at: Where, f: FieldToken, which: 'spec' | 'mask', v: unknown): never {
  const shown = v instanceof Uint8Array ? `Uint8Array(${v.length})` : typeof v === 'string' ? JSON.stringify(v) : String(v);
  const what = f.format === 'bit' ? 'flag (0/1)' : f.format === 'hex' || f.format === 'dec' ? `${f.bits}-bit unsigned integer` : `${f.format} address`;
  return fail(at, `${which} ${f.key} ${shown} is not a ${what}`);
}

/** Whether a mask value is zero (0), partial (1) or full (2) for its field. */
function maskKind(at: Where, f: FieldToken, m: unknown): 0 | 1 | 2 {
  switch (f.format) {
    case 'bit':
      if (m === 1 || m === true) return 2;
      if (m === 0 || m === false) return 0;
      return badValue(at, f, 'mask', m);
    case 'hex': case 'dec': {
      const full = fullOf(f.bits);
      if (typeof m !== 'number' || !Number.isInteger(m) || m < 0 || m > full) return badValue(at, f, 'mask', m);
      return m === 0 ? 0 : m === full ? 2 : 1;
    }
    default: {
      if (typeof m === 'string') {
        if (m === FULL_TEXT[f.format]) return 2;
        if (m === ZERO_TEXT[f.format]) return 0;
        const b = addressBytes(m, f.format);
        return b === undefined ? badValue(at, f, 'mask', m) : bytesKind(b);
      }
      if (m instanceof Uint8Array && m.length === ADDRESS_BYTES[f.format]) return bytesKind(m);
      return badValue(at, f, 'mask', m);
    }
  }
}

/** A spec or mask value as testpmd reads it; an absent spec value is 0. */
function valueText(at: Where, f: FieldToken, v: unknown, which: 'spec' | 'mask'): string {
  switch (f.format) {
    case 'bit':
      if (v === 1 || v === true) return '1';
      if (v === 0 || v === false || v === undefined) return '0';
      return badValue(at, f, which, v);
    case 'hex': case 'dec': {
      const n = v === undefined ? 0 : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > fullOf(f.bits)) return badValue(at, f, which, v);
      return which === 'mask' || f.format === 'hex' ? hex(n, f.bits) : String(n);
    }
    default: {
      if (v === undefined) return ZERO_TEXT[f.format];
      if (typeof v === 'string') return v;
      if (v instanceof Uint8Array && v.length === ADDRESS_BYTES[f.format]) {
        return f.format === 'mac' ? formatMac(v) : f.format === 'ipv6' ? formatIpv6(v) : `${v[0]}.${v[1]}.${v[2]}.${v[3]}`;
      }
      return badValue(at, f, which, v);
    }
  }
}

function checkKeys(at: Where, obj: object, def: ItemTokens, which: 'spec' | 'mask'): void {
  for (const k in obj) {
    if (!def.keys.has(k) && (obj as Record<string, unknown>)[k] !== undefined) {
      fail(at, `${which} field ${k} has no testpmd token in DPDK 22.11's ${def.token} item`);
    }
  }
}

function renderItem(it: PatternItem, pos: number): string {
  const type = String((it as { type: unknown }).type);
  const def = ITEMS[type] as ItemTokens | undefined;
  const at: Where = { list: 'pattern', pos, type };
  if (def === undefined) return fail(at, 'unknown item type');
  const { spec, mask } = it as { spec?: Record<string, unknown> | null; mask?: Record<string, unknown> | null };
  if (spec === undefined || spec === null) {
    if (mask !== undefined && mask !== null) fail(at, 'a mask without a spec');
    return def.token;
  }
  checkKeys(at, spec, def, 'spec');
  if (mask !== undefined && mask !== null) checkKeys(at, mask, def, 'mask');
  let s = def.token;
  for (const f of def.fields) {
    const sv = spec[f.key];
    if (mask === undefined || mask === null) {
      if (sv !== undefined) s += ' ' + f.token + ' spec ' + valueText(at, f, sv, 'spec');
      continue;
    }
    const mv = mask[f.key];
    if (mv === undefined) continue;
    const kind = maskKind(at, f, mv);
    if (kind === 2) s += ' ' + f.token + ' is ' + valueText(at, f, sv, 'spec');
    else if (kind === 1) s += ' ' + f.token + ' spec ' + valueText(at, f, sv, 'spec') + ' ' + f.token + ' mask ' + valueText(at, f, mv, 'mask');
  }
  return s;
}

function uint(at: Where, name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) return fail(at, `${name} ${String(v)} is not an integer in 0..${max}`);
  return v;
}

function renderAction(a: Action, pos: number): string {
  const at: Where = { list: 'actions', pos, type: String((a as { type: unknown }).type) };
  switch (a.type) {
    case 'MARK': return 'mark id ' + uint(at, 'id', a.id, 0xffffffff);
    case 'COUNT': return a.id === undefined || a.id === 0 ? 'count' : 'count identifier ' + uint(at, 'id', a.id, 0xffffffff);
    case 'QUEUE': return 'queue index ' + uint(at, 'index', a.index, 0xffff);
    case 'DROP': return 'drop';
    case 'PORT_ID': return 'port_id id ' + uint(at, 'id', a.id, 0xffffffff) + (a.original === true ? ' original 1' : '');
    case 'RSS': {
      if (a.types !== undefined && a.types !== 0 && a.types !== 0n) fail(at, 'RSS types have no numeric form in testpmd (it takes type names)');
      if (a.key !== undefined) fail(at, 'an RSS key is not rendered');
      if (!Array.isArray(a.queues)) fail(at, 'queues is not a list');
      let s = 'rss';
      if (a.func !== undefined && a.func !== 'DEFAULT') s += ' func ' + a.func.toLowerCase();
      if (a.level !== undefined && a.level !== 0) s += ' level ' + uint(at, 'level', a.level, 0xffffffff);
      s += ' queues';
      for (const q of a.queues) s += ' ' + uint(at, 'queue', q, 0xffff);
      return s + ' end';
    }
    default: return fail(at, 'unknown action type');
  }
}

/**
 * The rule as a testpmd `flow create` command on port `portId` (the number testpmd knows the port
 * by; normally `rule.attr.port`). `group N` and `priority N` are written when not 0; then
 * `ingress` / `egress` / `transfer` as set.
 * @throws TestpmdRenderError naming the item or action (and its position) that cannot be written
 */
export function renderTestpmd(portId: number, rule: RuleSpec): string {
  const attr = rule.attr;
  const at: Where = { list: 'attr', pos: 0, type: '' };
  let s = 'flow create ' + uint(at, 'port id', portId, 0xffff);
  if (attr.group !== 0) s += ' group ' + uint(at, 'group', attr.group, 0xffffffff);
  if (attr.priority !== 0) s += ' priority ' + uint(at, 'priority', attr.priority, 0xffffffff);
  if (attr.ingress) s += ' ingress';
  if (attr.egress === true) s += ' egress';
  if (attr.transfer === true) s += ' transfer';
  s += ' pattern';
  const pattern = rule.pattern;
  for (let i = 0; i < pattern.length; i++) {
    const it = pattern[i];
    if (it.type === 'END') {
      if (i !== pattern.length - 1) fail({ list: 'pattern', pos: i, type: 'END' }, 'items follow END');
      break;
    }
    s += ' ' + renderItem(it, i) + ' /';
  }
  s += ' end actions';
  const actions = rule.actions;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a.type === 'END') {
      if (i !== actions.length - 1) fail({ list: 'actions', pos: i, type: 'END' }, 'actions follow END');
      break;
    }
    s += ' ' + renderAction(a, i) + ' /';
  }
  return s + ' end';
}
