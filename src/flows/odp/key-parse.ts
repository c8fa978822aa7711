/**
 * Reads flow keys (the match) from ODP text into {@link KeyAttr}s: the attribute list
 * ({@link readKeyList}) and the dispatch from an attribute's name to its reader.
 *
 * The attributes are read by key-parse-attrs.ts (which states what is accepted) and
 * key-parse-tunnel.ts. With `blocks` (the default) the constant blocks of constant-blocks.ts, the
 * common attributes known by their first four bytes ({@link readCommonKey}) and the fast paths of
 * key-fast-paths.ts are tried first; they change only the speed, never a result or an error.
 */
import type { KeyAttr } from './model';
import { constantBlockAt } from './constant-blocks';
import { fastEth, fastIpv4, fastIpv6, fastPorts } from './key-fast-paths';
import {
  readArp, readCtTuple4, readCtTuple6, readEth, readFlagKey, readIcmp, readInPort, readIpv4Key, readIpv6Key, readMpls, readNd, readNdExt,
  readNumberKey, readPacketType, readPorts, readU32Key, readVlan,
} from './key-parse-attrs';
import { readMaskedBig } from './key-parse-fields';
import { readTunnel } from './key-parse-tunnel';
import { atLiteral, literal } from './literals';
import { nameCode, type Reader } from './reader';

/* Attribute name codes. */
const A_SKB_MARK = nameCode('skb_mark');
const A_RECIRC_ID = nameCode('recirc_id');
const A_DP_HASH = nameCode('dp_hash');
const A_CT_MARK = nameCode('ct_mark');
const A_CT_STATE = nameCode('ct_state');
const A_CT_ZONE = nameCode('ct_zone');
const A_CT_LABEL = nameCode('ct_label');
const A_ETH_TYPE = nameCode('eth_type');
const A_TCP_FLAGS = nameCode('tcp_flags');
const A_IN_PORT = nameCode('in_port');
const A_ETH = nameCode('eth');
const A_IPV4 = nameCode('ipv4');
const A_IPV6 = nameCode('ipv6');
const A_TCP = nameCode('tcp');
const A_UDP = nameCode('udp');
const A_SCTP = nameCode('sctp');
const A_ICMP = nameCode('icmp');
const A_ICMPV6 = nameCode('icmpv6');
const A_ARP = nameCode('arp');
const A_ND = nameCode('nd');
const A_ND_EXT = nameCode('nd_ext');
const A_CT_TUPLE4 = nameCode('ct_tuple4');
const A_CT_TUPLE6 = nameCode('ct_tuple6');
const A_VLAN = nameCode('vlan');
const A_MPLS = nameCode('mpls');
const A_TUNNEL = nameCode('tunnel');
const A_ENCAP = nameCode('encap');
const A_NSH = nameCode('nsh');

function readEncap(r: Reader, blocks: boolean): KeyAttr {
  const keys = readKeyList(r, true, blocks);
  r.expect(41);
  return { kind: 'encap', keys };
}

/**
 * Reads the attribute whose name (code `code`, see nameCode) and `(` were read. The cases come
 * in the order of how often they appear in megaflows: a switch tests them one after the other.
 */
function readKeyArgs(r: Reader, code: number, start: number, blocks: boolean): KeyAttr {
  switch (code) {
    case A_IN_PORT: return readInPort(r);
    case A_ETH: return (blocks ? fastEth(r) : undefined) ?? readEth(r);
    case A_ETH_TYPE: return readNumberKey(r, 'eth_type');
    case A_IPV4: return (blocks ? fastIpv4(r) : undefined) ?? readIpv4Key(r);
    case A_UDP: return (blocks ? fastPorts(r, 'udp') : undefined) ?? readPorts(r, 'udp');
    case A_TCP: return (blocks ? fastPorts(r, 'tcp') : undefined) ?? readPorts(r, 'tcp');
    case A_IPV6: return readIpv6Key(r);
    case A_TCP_FLAGS: return readFlagKey(r, 'tcp_flags');
    case A_RECIRC_ID: return readU32Key(r, 'recirc_id');
    case A_CT_STATE: return readFlagKey(r, 'ct_state');
    case A_CT_ZONE: return readNumberKey(r, 'ct_zone');
    case A_CT_MARK: return readU32Key(r, 'ct_mark');
    case A_CT_LABEL: {
      const m = readMaskedBig(r, 128, 'ct_label');
      r.expect(41);
      return { kind: 'ct_label', value: m.value, mask: m.mask };
    }
    case A_SKB_MARK: return readU32Key(r, 'skb_mark');
    case A_DP_HASH: return readU32Key(r, 'dp_hash');
    case A_TUNNEL: return readTunnel(r);
    case A_VLAN: return readVlan(r);
    case A_ENCAP: return readEncap(r, blocks);
    case A_ICMP: return readIcmp(r, 'icmp');
    case A_ICMPV6: return readIcmp(r, 'icmpv6');
    case A_ARP: return readArp(r);
    case A_ND: return readNd(r);
    case A_ND_EXT: return readNdExt(r);
    case A_SCTP: return readPorts(r, 'sctp');
    case A_MPLS: return readMpls(r);
    case A_CT_TUPLE4: return readCtTuple4(r);
    case A_CT_TUPLE6: return readCtTuple6(r);
  }
  // Names longer than a code.
  const nameEnd = r.pos - 1;
  if (r.isText(start, nameEnd, 'packet_type')) return readPacketType(r);
  if (r.isText(start, nameEnd, 'skb_priority')) return readU32Key(r, 'skb_priority');
  const name = r.s.slice(start, nameEnd);
  if (code === A_NSH || /^key\d+$/.test(name)) {
    const k: KeyAttr = { kind: 'opaque', name, text: r.balanced(false, name) };
    r.expect(41);
    return k;
  }
  return r.fail(`unknown key attribute "${name}"`, start);
}

/** Reads one attribute `name(...)` at the cursor (`blocks`: see {@link readKeyList}). */
export function readKeyAttr(r: Reader, blocks = true): KeyAttr {
  const start = r.pos;
  const code = r.code();
  if (r.pos === start) r.fail('expected a key attribute');
  if (!r.eat(40)) r.fail(`expected "(" after "${r.lastWord()}"`);
  r.enter();
  const k = readKeyArgs(r, code, start, blocks);
  r.leave();
  return k;
}

/**
 * Reads attributes separated by `,` (and optional spaces) until `)` (when `inParens`), the end of
 * the text, or a `word:` section label (`packets:`, `actions:`, ...), which is left unread.
 * `blocks`: take the constant blocks of constant-blocks.ts whole and use the fast paths (false
 * only to test that this changes nothing).
 */
export function readKeyList(r: Reader, inParens: boolean, blocks = true): KeyAttr[] {
  const keys: KeyAttr[] = [];
  for (;;) {
    const before = r.pos;
    // Between attributes -m writes one `,`: a common attribute after it is read at once.
    if (blocks && r.b[before] === 44 && before + 1 < r.end) {
      r.pos = before + 1;
      if (readCommonKey(r, keys)) continue;
      r.pos = before;
    }
    const blank = r.skipSeparators();
    if (r.pos >= r.end || r.peek() === 41) {
      if (!inParens || r.peek() === 41) return keys;
      r.fail('expected ")" to close encap(...)');
    }
    // A common `name(` is an attribute, never a section label.
    if (blocks && readCommonKey(r, keys)) continue;
    if (!inParens && (blank || keys.length === 0 || mayBeLabel(r.peek())) && isSectionLabel(r)) {
      r.pos = before;
      return keys;
    }
    const block = blocks ? constantBlockAt(r, keys.length === 0) : undefined;
    if (block !== undefined) {
      block.push(keys);
      r.pos += block.bytes.length;
    } else keys.push(readKeyAttr(r, blocks));
  }
}

/** The first four bytes of a text as a little-endian word. */
function word4(text: string): number {
  return text.charCodeAt(0) | (text.charCodeAt(1) << 8) | (text.charCodeAt(2) << 16) | (text.charCodeAt(3) << 24);
}

const W_ETH = word4('eth(');
const W_IN_P = word4('in_port(');
const W_IPV4 = word4('ipv4(');
const W_UDP = word4('udp(');
const W_TCP = word4('tcp(');
const W_IPV6 = word4('ipv6(');
const W_TCP_ = word4('tcp_flags(');
const W_ARP = word4('arp(');
const W_ICMP = word4('icmp(');
const W_VLAN = word4('vlan(');
const W_ENCA = word4('encap(');
const W_SKB_ = word4('skb_priority(');
const W_PACK = word4('packet_type(');
const W_ETH_ = word4('eth_type(');
const L_IN_PORT = literal('in_port(');
const L_IPV4 = literal('ipv4(');
const L_IPV6 = literal('ipv6(');
const L_TCP_FLAGS = literal('tcp_flags(');
const L_ICMP = literal('icmp(');
const L_ICMPV6 = literal('icmpv6(');
const L_VLAN = literal('vlan(');
const L_ENCAP = literal('encap(');

/**
 * Reads the attribute at the cursor when it is a common one, known by its first four bytes and
 * read from its `name(` with the same readers as by name (so which ones are known here changes
 * only the speed); also takes the constant blocks. Returns false, the cursor unmoved, for others.
 */
function readCommonKey(r: Reader, keys: KeyAttr[]): boolean {
  const p = r.pos;
  if (p + 4 > r.end) return false;
  let k: KeyAttr;
  switch (r.v.getInt32(p, true)) {
    case W_ETH:
      r.pos = p + 4;
      r.enter();
      k = fastEth(r) ?? readEth(r);
      break;
    case W_IN_P:
      if (!atLiteral(r, L_IN_PORT)) return false;
      r.pos = p + L_IN_PORT.len;
      r.enter();
      k = readInPort(r);
      break;
    case W_IPV4:
      if (!atLiteral(r, L_IPV4)) return false;
      r.pos = p + L_IPV4.len;
      r.enter();
      k = fastIpv4(r) ?? readIpv4Key(r);
      break;
    case W_UDP:
      r.pos = p + 4;
      r.enter();
      k = fastPorts(r, 'udp') ?? readPorts(r, 'udp');
      break;
    case W_TCP:
      r.pos = p + 4;
      r.enter();
      k = fastPorts(r, 'tcp') ?? readPorts(r, 'tcp');
      break;
    case W_IPV6:
      if (!atLiteral(r, L_IPV6)) return false;
      r.pos = p + L_IPV6.len;
      r.enter();
      k = fastIpv6(r) ?? readIpv6Key(r);
      break;
    case W_TCP_:
      if (!atLiteral(r, L_TCP_FLAGS)) return false;
      r.pos = p + L_TCP_FLAGS.len;
      r.enter();
      k = readFlagKey(r, 'tcp_flags');
      break;
    case W_ARP:
      r.pos = p + 4;
      r.enter();
      k = readArp(r);
      break;
    case W_ICMP:
      if (atLiteral(r, L_ICMP)) {
        r.pos = p + L_ICMP.len;
        r.enter();
        k = readIcmp(r, 'icmp');
      } else if (atLiteral(r, L_ICMPV6)) {
        r.pos = p + L_ICMPV6.len;
        r.enter();
        k = readIcmp(r, 'icmpv6');
      } else return false;
      break;
    case W_VLAN:
      if (!atLiteral(r, L_VLAN)) return false;
      r.pos = p + L_VLAN.len;
      r.enter();
      k = readVlan(r);
      break;
    case W_ENCA:
      if (!atLiteral(r, L_ENCAP)) return false;
      r.pos = p + L_ENCAP.len;
      r.enter();
      k = readEncap(r, true);
      break;
    case W_SKB_: case W_PACK: case W_ETH_: {
      const block = constantBlockAt(r, keys.length === 0);
      if (block !== undefined) {
        block.push(keys);
        r.pos += block.bytes.length;
        return true;
      }
      return false;
    }
    default:
      return false;
  }
  r.leave();
  keys.push(k);
  return true;
}

/** First letters of the dump-line labels (actions, bytes, dp, flags, offloaded, packets, used). */
function mayBeLabel(c: number): boolean {
  return c === 97 || c === 98 || c === 100 || c === 102 || c === 111 || c === 112 || c === 117;
}

/** True when the cursor is at `word:` (a dump-line section such as `packets:`). */
export function isSectionLabel(r: Reader): boolean {
  let p = r.pos;
  while (p < r.end) {
    const c = r.b[p];
    if ((c >= 97 && c <= 122) || c === 95 || c === 45 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) p++;
    else return c === 58 && p > r.pos;
  }
  return false;
}
