/**
 * Reads datapath actions (`actions:...`) into typed {@link Action}s.
 *
 * Accepts what OVS 3.1 prints. Known actions whose arguments are wrong are errors; an unknown
 * `name(...)` is kept verbatim as an `opaque` action so that a flow always round-trips; a bare
 * token that is not a keyword is an output port name.
 */
import { parseIpv6Bytes, readIpv4, readMac } from './addr';
import type { Action, CtAction, CtNat, IpAddr, Port, UserspaceAction, UserspaceCookie } from './model';
import { isSectionLabel, readKeyAttr } from './key-parse';
import { hexDigit, nameCode, type Reader, type UintBits } from './reader';
import { readParenPort, readTnlPushArgs } from './tnl-push';

const UINT32_MAX = 0xffffffff;
const ALL128 = (1n << 128n) - 1n;

function isDelim(c: number): boolean {
  return c === 44 || c === 41 || c === 32 || c === 9 || c === 10 || c === 13 || c === -1;
}

/** A port written bare (output) or as `name=`: a number, or a name up to the next delimiter. */
function readBarePort(r: Reader, what: string): Port {
  const c = r.peek();
  if (c >= 48 && c <= 57) return r.uint(32, what);
  const start = r.pos;
  while (r.pos < r.end && !isDelim(r.b[r.pos])) r.pos++;
  if (r.pos === start) r.fail(`expected a port for ${what}`);
  return r.s.slice(start, r.pos);
}

/** `%x` as scanf reads it: optional `0x`, then hex digits. */
function readHexAny(r: Reader, what: string): number {
  if (r.peek() === 48 && (r.b[r.pos + 1] | 32) === 120) r.pos += 2;
  return r.hexDigits(what, 32);
}

/** `%x` for 64 bits. */
function readHexBig(r: Reader, what: string): bigint {
  if (r.peek() === 48 && (r.b[r.pos + 1] | 32) === 120) r.pos += 2;
  const start = r.pos;
  while (r.pos < r.end && hexDigit(r.b[r.pos]) >= 0) r.pos++;
  if (r.pos === start) r.fail(`expected hex digits for ${what}`);
  const v = BigInt('0x' + r.s.slice(start, r.pos));
  if (v >> 64n !== 0n) r.fail(`${what} does not fit in 64 bits`, start);
  return v;
}

function readU128(r: Reader, what: string): bigint {
  return r.bigUint(128, what);
}

/** Reads `name=` and checks it is `expected`. */
function named(r: Reader, expected: string): void {
  const at = r.pos;
  const f = r.word();
  if (f !== expected || !r.eat(61)) r.fail(`expected "${expected}="`, at);
}

/** `expected=N`: the field name, then an unsigned integer of `bits` bits (`what` names it in errors). */
function namedUint(r: Reader, expected: string, bits: UintBits, what: string): number {
  named(r, expected);
  return r.uint(bits, what);
}

function readPushVlan(r: Reader): Action {
  let tpid = 0x8100;
  let vid: number | undefined;
  let pcp: number | undefined;
  let cfi = 1;
  do {
    const at = r.pos;
    const f = r.fieldName();
    switch (f) {
      case 'tpid': tpid = r.uint(16, 'push_vlan tpid'); break;
      case 'vid': vid = r.uint(16, 'push_vlan vid'); if (vid > 0xfff) r.fail('push_vlan vid out of range (max 4095)', at); break;
      case 'pcp': pcp = r.uint(8, 'push_vlan pcp'); if (pcp > 7) r.fail('push_vlan pcp out of range (max 7)', at); break;
      case 'cfi': cfi = r.uint(8, 'push_vlan cfi') ? 1 : 0; break;
      default: r.fail(`unknown field "${f}" in push_vlan(...)`, at);
    }
  } while (r.eat(44));
  if (vid === undefined || pcp === undefined) r.fail('push_vlan(...) needs vid= and pcp=');
  r.expect(41);
  return { kind: 'push_vlan', tpid, vid, pcp, cfi };
}

function readMplsLse(r: Reader, kind: 'push_mpls' | 'add_mpls'): Action {
  named(r, 'label');
  const at = r.pos;
  const label = r.uint(32, 'mpls label');
  if (label > 0xfffff) r.fail('mpls label out of range', at);
  r.expect(44);
  const tc = namedUint(r, 'tc', 8, 'mpls tc');
  r.expect(44);
  const ttl = namedUint(r, 'ttl', 8, 'mpls ttl');
  r.expect(44);
  const bos = namedUint(r, 'bos', 8, 'mpls bos');
  r.expect(44);
  const ethType = namedUint(r, 'eth_type', 16, 'mpls eth_type');
  r.expect(41);
  if (tc > 7 || bos > 1) r.fail('mpls tc or bos out of range', at);
  return { kind, label, tc, ttl, bos, ethType };
}

function readNatAddr(r: Reader): IpAddr {
  const c = r.peek();
  const bracket = c === 91;
  if (bracket) r.pos++;
  const start = r.pos;
  // IPv4 when the leading run of digits and dots has a dot (an IPv6 address has a ':' first).
  let p = start;
  let dot = false;
  while (p < r.end) {
    const ch = r.b[p];
    if (ch === 46) dot = true;
    else if (ch < 48 || ch > 57) break;
    p++;
  }
  if (!bracket && dot) return readIpv4(r, 'nat address');
  let e = start;
  while (e < r.end) {
    const ch = r.b[e];
    if (hexDigit(ch) >= 0 || ch === 58 || ch === 46) e++;
    else break;
  }
  // An unbracketed IPv6 address followed by :port is ambiguous; OVS reads it all as the address.
  const a = parseIpv6Bytes(r.b, start, e);
  if (!a) r.fail('expected an IP address in nat(...)', start);
  r.pos = e;
  if (bracket) r.expect(93);
  return a;
}

function sameAddr(a: IpAddr, b: IpAddr): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

function readNat(r: Reader): CtNat {
  const nat: CtNat = {};
  if (!r.eat(40)) return nat;
  while (!r.eat(41)) {
    const at = r.pos;
    const w = r.word();
    if (w === 'src' || w === 'dst') {
      if (nat.type !== undefined) r.fail('nat(...) takes only one of src and dst', at);
      nat.type = w;
      if (r.eat(61)) {
        nat.addrMin = readNatAddr(r);
        if (r.eat(45)) {
          const max = readNatAddr(r);
          if (!sameAddr(max, nat.addrMin)) nat.addrMax = max;
        }
        if (r.eat(58)) {
          nat.protoMin = r.decimal('nat port');
          if (nat.protoMin > 0xffff) r.fail('nat port out of range', at);
          if (r.eat(45)) {
            const max = r.decimal('nat port');
            if (max > 0xffff) r.fail('nat port out of range', at);
            if (max !== nat.protoMin && max !== 0) nat.protoMax = max;
          }
          if (nat.protoMin === 0) {
            delete nat.protoMin;
            delete nat.protoMax;
          }
        }
      }
    } else if (w === 'persistent') nat.persistent = true;
    else if (w === 'hash') nat.hash = true;
    else if (w === 'random') nat.random = true;
    else r.fail(`unknown nat option "${w}"`, at);
    if (!r.eat(44) && r.peek() !== 41) r.fail('expected "," or ")" in nat(...)');
  }
  if (nat.hash && nat.random) r.fail('nat(...) takes only one of hash and random');
  // OVS keeps the options only with a type, and the flags only with an address.
  if (nat.type === undefined) return {};
  if (nat.addrMin === undefined) return { type: nat.type };
  return nat;
}

function readCtArgs(r: Reader): CtAction {
  const ct: CtAction = { kind: 'ct' };
  while (!r.eat(41)) {
    const at = r.pos;
    const w = r.word();
    switch (w) {
      case 'commit': ct.commit = true; break;
      case 'force_commit': ct.forceCommit = true; break;
      case 'zone': {
        r.expect(61);
        const z = r.decimal('ct zone');
        if (z > 0xffff) r.fail('ct zone out of range', at);
        if (z !== 0) ct.zone = z;
        else delete ct.zone;
        break;
      }
      case 'mark': {
        r.expect(61);
        const value = readHexAny(r, 'ct mark');
        const mask = r.eat(47) ? readHexAny(r, 'ct mark mask') : UINT32_MAX;
        if (mask !== 0) ct.mark = { value, mask };
        else delete ct.mark;
        break;
      }
      case 'label': {
        r.expect(61);
        const value = readU128(r, 'ct label');
        const mask = r.eat(47) ? readU128(r, 'ct label mask') : ALL128;
        if (mask !== 0n) ct.label = { value, mask };
        else delete ct.label;
        break;
      }
      case 'helper': case 'timeout': {
        r.expect(61);
        const start = r.pos;
        while (r.pos < r.end && !isDelim(r.b[r.pos])) r.pos++;
        const len = r.pos - start;
        if (len === 0 || len > (w === 'helper' ? 15 : 31)) r.fail(`ct ${w} must be 1 to ${w === 'helper' ? 15 : 31} characters`, start);
        ct[w] = r.s.slice(start, r.pos);
        break;
      }
      case 'nat': ct.nat = readNat(r); break;
      default: r.fail(`unknown ct option "${w}"`, at);
    }
    if (!r.eat(44) && r.peek() !== 41) r.fail('expected "," or ")" in ct(...)');
  }
  if (ct.commit && ct.forceCommit) r.fail('ct(...) takes only one of commit and force_commit');
  return ct;
}

function readUserspace(r: Reader): UserspaceAction {
  named(r, 'pid');
  const u: UserspaceAction = { kind: 'userspace', pid: r.uint(32, 'userspace pid') };
  let cookie: UserspaceCookie | undefined;
  if (r.eatText(',sFlow(')) {
    const vid = namedUint(r, 'vid', 16, 'sFlow vid');
    r.expect(44);
    const pcp = namedUint(r, 'pcp', 8, 'sFlow pcp');
    r.expect(44);
    const output = namedUint(r, 'output', 32, 'sFlow output');
    r.expect(41);
    cookie = { type: 'sFlow', vid, pcp, output };
  } else if (r.eatText(',slow_path(')) {
    const reasons = r.balanced(false, 'slow_path');
    r.expect(41);
    cookie = { type: 'slow_path', reasons };
  } else if (r.eatText(',flow_sample(')) {
    const probability = namedUint(r, 'probability', 16, 'flow_sample probability');
    r.expectText(',collector_set_id=');
    const collectorSetId = r.uint(32, 'collector_set_id');
    r.expectText(',obs_domain_id=');
    const obsDomainId = r.uint(32, 'obs_domain_id');
    r.expectText(',obs_point_id=');
    const obsPointId = r.uint(32, 'obs_point_id');
    r.expectText(',output_port=');
    const outputPort = readBarePort(r, 'flow_sample output_port');
    const c: UserspaceCookie = { type: 'flow_sample', probability, collectorSetId, obsDomainId, obsPointId, outputPort };
    if (r.eatText(',ingress')) c.direction = 'ingress';
    else if (r.eatText(',egress')) c.direction = 'egress';
    r.expect(41);
    cookie = c;
  } else if (r.eatText(',ipfix(')) {
    named(r, 'output_port');
    const outputPort = readBarePort(r, 'ipfix output_port');
    r.expect(41);
    cookie = { type: 'ipfix', outputPort };
  } else if (r.eatText(',controller(')) {
    named(r, 'reason');
    const reason = r.decimal('controller reason');
    r.expectText(',dont_send=');
    const dontSend = r.decimal('controller dont_send');
    r.expectText(',continuation=');
    const continuation = r.decimal('controller continuation');
    r.expectText(',recirc_id=');
    const recircId = r.decimal('controller recirc_id');
    r.expectText(',rule_cookie=');
    const ruleCookie = readHexBig(r, 'controller rule_cookie');
    r.expectText(',controller_id=');
    const controllerId = r.decimal('controller controller_id');
    r.expectText(',max_len=');
    const maxLen = r.decimal('controller max_len');
    r.expect(41);
    if (reason > 0xffff || controllerId > 0xffff || maxLen > 0xffff || dontSend > 1 || continuation > 1 || recircId > UINT32_MAX) {
      r.fail('controller(...) value out of range');
    }
    cookie = { type: 'controller', reason, dontSend, continuation, recircId, ruleCookie, controllerId, maxLen };
  } else if (r.eatText(',userdata(')) {
    const start = r.pos;
    while (r.pos < r.end && hexDigit(r.b[r.pos]) >= 0) r.pos++;
    if ((r.pos - start) % 2 !== 0) r.fail('userdata(...) needs an even number of hex digits', start);
    cookie = { type: 'userdata', hex: r.s.slice(start, r.pos).toLowerCase() };
    r.expect(41);
  }
  if (cookie) u.cookie = cookie;
  if (r.eatText(',actions')) u.actions = true;
  if (r.eatText(',tunnel_out_port=')) u.tunnelOutPort = readBarePort(r, 'tunnel_out_port');
  r.expect(41);
  return u;
}

function readSample(r: Reader): Action {
  r.expectText('sample=');
  const start = r.pos;
  while (r.pos < r.end && ((r.peek() >= 48 && r.peek() <= 57) || r.peek() === 46)) r.pos++;
  const pct = Number(r.s.slice(start, r.pos));
  if (r.pos === start || !Number.isFinite(pct) || pct < 0 || pct > 100) r.fail('expected a percentage from 0 to 100 in sample(...)', start);
  r.expectText('%,actions(');
  const p = Math.floor(UINT32_MAX * (pct / 100) + 0.5);
  const actions = readActionList(r, true);
  r.expectText('))');
  return { kind: 'sample', probability: p <= 0 ? 0 : p >= UINT32_MAX ? UINT32_MAX : p, actions };
}

function readCheckPktLen(r: Reader): Action {
  const size = namedUint(r, 'size', 16, 'check_pkt_len size');
  r.expectText(',gt(');
  const gt = readActionList(r, true);
  r.expectText('),le(');
  const le = readActionList(r, true);
  r.expectText('))');
  return { kind: 'check_pkt_len', size, gt, le };
}

function readU32Arg(r: Reader, what: string): number {
  const v = r.uint(32, what);
  r.expect(41);
  return v;
}

/* Action name codes (see nameCode); `check_pkt_len` is longer than a code and is compared as text. */
const A_SET = nameCode('set');
const A_PUSH_VLAN = nameCode('push_vlan');
const A_PUSH_MPLS = nameCode('push_mpls');
const A_ADD_MPLS = nameCode('add_mpls');
const A_POP_MPLS = nameCode('pop_mpls');
const A_CT = nameCode('ct');
const A_RECIRC = nameCode('recirc');
const A_METER = nameCode('meter');
const A_TRUNC = nameCode('trunc');
const A_LB_OUTPUT = nameCode('lb_output');
const A_HASH = nameCode('hash');
const A_TNL_POP = nameCode('tnl_pop');
const A_TNL_PUSH = nameCode('tnl_push');
const A_USERSPACE = nameCode('userspace');
const A_CLONE = nameCode('clone');
const A_SAMPLE = nameCode('sample');
const A_PUSH_ETH = nameCode('push_eth');
const A_POP_NSH = nameCode('pop_nsh');
const A_DROP = nameCode('drop');
const A_POP_VLAN = nameCode('pop_vlan');
const A_CT_CLEAR = nameCode('ct_clear');
const A_POP_ETH = nameCode('pop_eth');

/** Reads the arguments of the action whose name (code `code`, text from `start`) and `(` were read. */
function readActionArgs(r: Reader, code: number, start: number): Action {
  switch (code) {
    case A_SET: {
      const key = readKeyAttr(r);
      r.expect(41);
      return { kind: 'set', key };
    }
    case A_PUSH_VLAN: return readPushVlan(r);
    case A_PUSH_MPLS: return readMplsLse(r, 'push_mpls');
    case A_ADD_MPLS: return readMplsLse(r, 'add_mpls');
    case A_POP_MPLS: {
      const ethType = namedUint(r, 'eth_type', 16, 'pop_mpls eth_type');
      r.expect(41);
      return { kind: 'pop_mpls', ethType };
    }
    case A_CT: return readCtArgs(r);
    case A_RECIRC: return { kind: 'recirc', id: readU32Arg(r, 'recirc id') };
    case A_METER: return { kind: 'meter', value: readU32Arg(r, 'meter') };
    case A_TRUNC: return { kind: 'trunc', value: readU32Arg(r, 'trunc') };
    case A_LB_OUTPUT: return { kind: 'lb_output', value: readU32Arg(r, 'lb_output') };
    case A_HASH: {
      const at = r.pos;
      const alg = r.word();
      if (alg !== 'l4' && alg !== 'sym_l4') r.fail('expected l4( or sym_l4( in hash(...)', at);
      r.expect(40);
      const basis = r.uint(32, 'hash basis');
      r.expectText('))');
      return { kind: 'hash', alg, basis };
    }
    case A_TNL_POP: {
      const port = readParenPort(r, 'tnl_pop');
      r.expect(41);
      return { kind: 'tnl_pop', port };
    }
    case A_TNL_PUSH: return readTnlPushArgs(r);
    case A_USERSPACE: return readUserspace(r);
    case A_CLONE: {
      const actions = readActionList(r, true);
      r.expect(41);
      return { kind: 'clone', actions };
    }
    case A_SAMPLE: return readSample(r);
    case A_PUSH_ETH: {
      named(r, 'src');
      const src = readMac(r, 'push_eth src');
      r.expectText(',dst=');
      const dst = readMac(r, 'push_eth dst');
      if (r.eatText(',type=')) r.uint(16, 'push_eth type');
      r.expect(41);
      return { kind: 'push_eth', src, dst };
    }
    case A_POP_NSH:
      r.expect(41);
      return { kind: 'pop_nsh' };
    default: {
      const name = r.s.slice(start, r.pos - 1);
      if (name === 'check_pkt_len') return readCheckPktLen(r);
      r.pos = start;
      return { kind: 'opaque', text: r.balanced(true, name) };
    }
  }
}

/** Reads one action at the cursor. */
export function readAction(r: Reader): Action {
  const c = r.peek();
  if (c >= 48 && c <= 57) return { kind: 'output', port: r.uint(32, 'output port') };
  const start = r.pos;
  const code = r.code();
  if (r.eat(40)) {
    if (r.pos - 1 === start) return r.fail('expected an action', start);
    r.enter();
    const a = readActionArgs(r, code, start);
    r.leave();
    return a;
  }
  if (isDelim(r.peek())) {
    switch (code) {
      case A_DROP: return { kind: 'drop' };
      case A_POP_VLAN: return { kind: 'pop_vlan' };
      case A_CT_CLEAR: return { kind: 'ct_clear' };
      case A_POP_ETH: return { kind: 'pop_eth' };
      case A_CT: return { kind: 'ct' };
    }
    if (r.pos === start) return r.fail('expected an action', start);
    return { kind: 'output', port: r.lastWord() };
  }
  r.pos = start;
  return { kind: 'output', port: readBarePort(r, 'output port') };
}

/**
 * Reads actions separated by `,` until `)` (when `inParens`; the `)` is left unread), the end, or
 * a `word:` section label (left unread). A list that is only `drop` is the empty list.
 */
export function readActionList(r: Reader, inParens: boolean): Action[] {
  const actions: Action[] = [];
  for (;;) {
    const before = r.pos;
    const blank = r.skipSeparators();
    if (r.pos >= r.end || r.peek() === 41) {
      if (inParens && r.pos >= r.end) r.fail('expected ")" to close the action list');
      if (!inParens && r.peek() === 41) r.fail('unexpected ")"');
      break;
    }
    if (!inParens && (blank || r.peek() === 100 /* d */) && isSectionLabel(r)) {
      r.pos = before;
      break;
    }
    actions.push(readAction(r));
    const c = r.peek();
    if (!isDelim(c)) r.fail('expected "," between actions');
  }
  if (actions.length === 1 && actions[0].kind === 'drop') return [];
  return actions;
}
