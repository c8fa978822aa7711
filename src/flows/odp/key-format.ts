/**
 * Writes {@link KeyAttr}s as OVS 3.1's odp_flow_format() does in verbose (`-m`) mode: every present
 * field, masks only where they are not exact, numbers in the radix OVS uses for that field.
 */
import { formatIpv4With, formatMacWith, ipv4FirstOctets, ipv6Text, isIpv6AllOnes, MAC_ALL_ONES, macFirstBytes } from './addr';
import { OdpFormatError } from './errors';
import { TCP_FLAG_NAMES, TUN_FLAG_NAMES, formatFlags, formatFlagsMasked } from './flags';
import { COMMON_METADATA } from './constant-blocks';
import type { GeneveOption, Ipv6Addr, KeyAttr, MacAddr, Masked, MplsLse, TunnelKey } from './model';
import { portText } from './ports';
import { dec, hex04, hex0x, hexAlt, hexBig, hexU128, slashHexAlt, table16 } from './numfmt';

const ALL64 = (1n << 64n) - 1n;
const ALL128 = (1n << 128n) - 1n;

/*
 * Field writers return `name=value[/mask]` preceded by `,` unless it is the first field of its
 * attribute: {@link open} starts an attribute's field list. Field names come with their `=` and
 * comma already joined ({@link FieldName}), so that a field costs as few concatenations as can be.
 */
let first = true;

/**
 * A piece of text as written first in its list and after another item: a field name with its
 * `=` (`src=` / `,src=`) or an attribute's opening (`ipv4(` / `,ipv4(`).
 */
interface Piece {
  first: string;
  next: string;
}

function piece(text: string): Piece {
  return { first: text, next: ',' + text };
}

type FieldName = Piece;

function fieldName(name: string): FieldName {
  return piece(name + '=');
}

/** `name=` with its separator. */
function label(f: FieldName): string {
  if (first) {
    first = false;
    return f.first;
  }
  return f.next;
}

/** A whole piece (`vxlan(gbp(`, a Geneve option's data) with its separator. */
function put(text: string): string {
  if (first) {
    first = false;
    return text;
  }
  return ',' + text;
}

/** `name=DEC[/0xMASK]` (format_u8u / format_be16). */
function fDec(f: FieldName, m: Masked<number> | undefined, full: number): string {
  if (m === undefined) return '';
  return m.mask === full ? label(f) + dec(m.value) : label(f) + dec(m.value) + slashHexAlt(m.mask);
}

/** `name=%#x[/%#x]` (format_u8x / format_be16x). */
function fHex(f: FieldName, m: Masked<number> | undefined, full: number): string {
  if (m === undefined) return '';
  return m.mask === full ? label(f) + hexAlt(m.value) : label(f) + hexAlt(m.value) + slashHexAlt(m.mask);
}

/** An address field's name (with `=`) and first octet or byte, as written first and after another field. */
interface AddrField {
  first: readonly string[];
  next: readonly string[];
}

const ipv4Field = (name: string): AddrField => ({ first: ipv4FirstOctets(name + '='), next: ipv4FirstOctets(',' + name + '=') });
const macField = (name: string): AddrField => ({ first: macFirstBytes(name + '='), next: macFirstBytes(',' + name + '=') });
const SLASH_IPV4 = ipv4FirstOctets('/');
const SLASH_MAC = macFirstBytes('/');

/** The tables of an address field with its separator (as {@link label}). */
function addrLabel(f: AddrField): readonly string[] {
  if (first) {
    first = false;
    return f.first;
  }
  return f.next;
}

function fIp4(f: AddrField, m: Masked<number> | undefined): string {
  if (m === undefined) return '';
  const text = formatIpv4With(addrLabel(f), m.value);
  const mask = m.mask;
  return mask === 0xffffffff ? text : text + (mask === 0 ? SLASH_IPV4_ZERO : formatIpv4With(SLASH_IPV4, mask));
}

/** The wildcard masks, the commonest masks of megaflows, written whole. */
const SLASH_IPV4_ZERO = '/0.0.0.0';
const SLASH_MAC_ZERO = '/00:00:00:00:00:00';

function fIp6(f: FieldName, m: Masked<Ipv6Addr> | undefined): string {
  if (m === undefined) return '';
  return isIpv6AllOnes(m.mask) ? label(f) + ipv6Text(m.value) : label(f) + ipv6Text(m.value) + '/' + ipv6Text(m.mask);
}

function fMac(f: AddrField, m: Masked<MacAddr> | undefined): string {
  if (m === undefined) return '';
  const text = formatMacWith(addrLabel(f), m.value);
  const mask = m.mask;
  return mask === MAC_ALL_ONES ? text : text + (mask === 0 ? SLASH_MAC_ZERO : formatMacWith(SLASH_MAC, mask));
}

/** `vid=`, `pcp=`, `cfi=`: decimal, a partial mask as `0x%x`. */
function fVlan(f: FieldName, m: Masked<number> | undefined, full: number): string {
  if (m === undefined) return '';
  return m.mask === full ? label(f) + dec(m.value) : label(f) + dec(m.value) + '/' + hex0x(m.mask);
}

/** Opens a field list: the next field gets no separator. Returns ''. */
function open(): string {
  first = true;
  return '';
}

const SRC = fieldName('src');
const DST = fieldName('dst');
const SRC_IPV4 = ipv4Field('src');
const DST_IPV4 = ipv4Field('dst');
const SRC_MAC = macField('src');
const DST_MAC = macField('dst');
const PROTO = fieldName('proto');
const TOS = fieldName('tos');
const TTL = fieldName('ttl');
const LABEL = fieldName('label');
const TCLASS = fieldName('tclass');
const HLIMIT = fieldName('hlimit');
const TYPE = fieldName('type');
const CODE = fieldName('code');
const SIP = ipv4Field('sip');
const TIP = ipv4Field('tip');
const OP = fieldName('op');
const SHA = macField('sha');
const THA = macField('tha');
const TARGET = fieldName('target');
const SLL = macField('sll');
const TLL = macField('tll');
const ND_OPTIONS_TYPE = fieldName('nd_options_type');
const TP_SRC = fieldName('tp_src');
const TP_DST = fieldName('tp_dst');
const SRC_PORT = fieldName('src_port');
const DST_PORT = fieldName('dst_port');
const NS = fieldName('ns');
const ID = fieldName('id');
const VID = fieldName('vid');
const PCP = fieldName('pcp');
const CFI = fieldName('cfi');
const CLASS = fieldName('class');
const LEN = fieldName('len');
const IPV6_SRC = fieldName('ipv6_src');
const IPV6_DST = fieldName('ipv6_dst');
const FLAGS = fieldName('flags');
const VER = fieldName('ver');
const DIR = fieldName('dir');
const HWID = fieldName('hwid');
const MSGTYPE = fieldName('msgtype');

function fMpls(lses: MplsLse[]): string {
  let exact = true;
  for (const l of lses) {
    if (l.label.mask !== 0xfffff || l.tc.mask !== 7 || l.ttl.mask !== 0xff || l.bos.mask !== 1) exact = false;
  }
  let out = '';
  for (const l of lses) {
    if (out !== '') out += ',';
    out += exact
      ? 'label=' + dec(l.label.value) + ',tc=' + dec(l.tc.value) + ',ttl=' + dec(l.ttl.value) + ',bos=' + dec(l.bos.value)
      : 'label=' + dec(l.label.value) + '/' + hex0x(l.label.mask) + ',tc=' + dec(l.tc.value) + '/' + l.tc.mask.toString(16) +
        ',ttl=' + dec(l.ttl.value) + '/' + hex0x(l.ttl.mask) + ',bos=' + dec(l.bos.value) + '/' + l.bos.mask.toString(16);
  }
  return out;
}

function fGeneve(opts: GeneveOption[]): string {
  let out = '';
  for (const o of opts) {
    out += '{' + open() + fHex(CLASS, o.class, 0xffff) + fHex(TYPE, o.type, 0xff) + fDec(LEN, o.len, 0xff);
    if (o.data !== undefined) out += put(o.data + (o.dataMask !== undefined ? '/' + o.dataMask : ''));
    out += '}';
  }
  return out;
}

function fTunnel(k: TunnelKey): string {
  let s = open();
  if (k.tunId) s += put('tun_id=' + hexBig(k.tunId.value, false) + (k.tunId.mask === ALL64 ? '' : '/' + hexBig(k.tunId.mask, true)));
  s += fIp4(SRC_IPV4, k.src) + fIp4(DST_IPV4, k.dst) + fIp6(IPV6_SRC, k.ipv6Src) + fIp6(IPV6_DST, k.ipv6Dst);
  s += fHex(TOS, k.tos, 0xff) + fDec(TTL, k.ttl, 0xff) + fDec(TP_SRC, k.tpSrc, 0xffff) + fDec(TP_DST, k.tpDst, 0xffff);
  if (k.vxlanGbp) {
    s += put('vxlan(gbp(') + open() + fDec(ID, k.vxlanGbp.id, 0xffff) + fHex(FLAGS, k.vxlanGbp.flags, 0xff) + '))';
    first = false;
  }
  if (k.geneve) {
    s += put('geneve(') + fGeneve(k.geneve) + ')';
    first = false;
  }
  if (k.erspan) {
    const e = k.erspan;
    s += put('erspan(') + open() + fDec(VER, e.ver, 0xff);
    if (e.idx) s += put('idx=' + hexAlt(e.idx.value) + (e.idx.mask !== undefined ? '/' + hexAlt(e.idx.mask) : ''));
    s += fDec(DIR, e.dir, 0xff) + fHex(HWID, e.hwid, 0xff) + ')';
    first = false;
  }
  if (k.gtpu) {
    s += put('gtpu(') + open() + fHex(FLAGS, k.gtpu.flags, 0xff) + fDec(MSGTYPE, k.gtpu.msgtype, 0xff) + ')';
    first = false;
  }
  if (k.flags) {
    const m = k.flags.mask & 0xf;
    s += put('flags(' + (m === 0xf ? formatFlags(TUN_FLAG_NAMES, k.flags.value, '|') : formatFlagsMasked(TUN_FLAG_NAMES, k.flags.value, m, 0xf)) + ')');
  }
  return s;
}

const FRAG = fieldName('frag');
const ND_RESERVED = fieldName('nd_reserved');

/** `frag=` texts with the attribute's closing `)`, by fragment type, as first field and after another. */
const FRAG_CLOSE_FIRST = ['frag=no)', 'frag=first)', 'frag=later)'];
const FRAG_CLOSE_NEXT = FRAG_CLOSE_FIRST.map((t) => ',' + t);

/** The `frag=` field and the `)` that closes the attribute (the last field of ipv4 and ipv6). */
function fFragClose(f: string | undefined): string {
  if (f === undefined) return ')';
  const t = first ? FRAG_CLOSE_FIRST : FRAG_CLOSE_NEXT;
  first = false;
  if (f === 'no') return t[0];
  if (f === 'first') return t[1];
  if (f === 'later') return t[2];
  return label(FRAG) + f + ')';
}

/* Attribute openings (see Piece). */
const O_ETH = piece('eth(');
const O_IPV4 = piece('ipv4(');
const O_IPV6 = piece('ipv6(');
const O_TCP = piece('tcp(');
const O_UDP = piece('udp(');
const O_SCTP = piece('sctp(');
const O_ICMP = piece('icmp(');
const O_ICMPV6 = piece('icmpv6(');
const O_ARP = piece('arp(');
const O_ND = piece('nd(');
const O_ND_EXT = piece('nd_ext(');
const O_CT_TUPLE4 = piece('ct_tuple4(');
const O_CT_TUPLE6 = piece('ct_tuple6(');
const O_PACKET_TYPE = piece('packet_type(');
const O_VLAN = piece('vlan(');
const O_MPLS = piece('mpls(');
const O_TUNNEL = piece('tunnel(');
const O_ENCAP = piece('encap(');
const O_IN_PORT = piece('in_port(');
const O_TCP_FLAGS = piece('tcp_flags(');
const O_CT_ZONE = piece('ct_zone(');
const O_CT_LABEL = piece('ct_label(');
const O_SINGLE: Record<string, Piece> = {
  skb_priority: piece('skb_priority('), skb_mark: piece('skb_mark('), recirc_id: piece('recirc_id('), dp_hash: piece('dp_hash('),
  ct_mark: piece('ct_mark('), ct_state: piece('ct_state('),
};

/** `packet_type(ns=0,id=0)`: the packet type of every Ethernet megaflow, written whole. */
const ETHERNET_PACKET_TYPE = piece('packet_type(ns=0,id=0)');
/** `eth_type(0x....)` by value, filled on first use (the same few Ethertypes recur). */
const ETH_TYPE_TEXT = table16<Piece>();

/** The text of `k`, preceded by `,` when `next`. */
function keyText(k: KeyAttr, next: boolean): string {
  switch (k.kind) {
    case 'in_port': {
      const p = portText(k.port, 'in_port', 'in_port');
      return (next ? O_IN_PORT.next : O_IN_PORT.first) + p + (k.mask === 0xffffffff ? ')' : slashHexAlt(k.mask) + ')');
    }
    case 'eth_type': {
      if (k.mask === 0xffff && k.value >>> 0 === k.value && k.value <= 0xffff) {
        const t = (ETH_TYPE_TEXT[k.value] ??= piece('eth_type(' + hex04(k.value) + ')'));
        return next ? t.next : t.first;
      }
      return (next ? ',eth_type(' : 'eth_type(') + hex04(k.value) + (k.mask === 0xffff ? ')' : '/' + hex04(k.mask) + ')');
    }
    case 'tcp_flags':
      return (next ? O_TCP_FLAGS.next : O_TCP_FLAGS.first) +
        (k.mask === 0xffff ? formatFlags(TCP_FLAG_NAMES, k.value, '|') : formatFlagsMasked(TCP_FLAG_NAMES, k.value, k.mask & 0xfff, 0xfff)) + ')';
    case 'eth':
      open();
      return (next ? O_ETH.next : O_ETH.first) + (fMac(SRC_MAC, k.src) + fMac(DST_MAC, k.dst)) + ')';
    case 'ipv4':
      open();
      return (next ? O_IPV4.next : O_IPV4.first) + fIp4(SRC_IPV4, k.src) + fIp4(DST_IPV4, k.dst) + fDec(PROTO, k.proto, 0xff) +
        fHex(TOS, k.tos, 0xff) + fDec(TTL, k.ttl, 0xff) + fFragClose(k.frag);
    case 'ipv6':
      open();
      return (next ? O_IPV6.next : O_IPV6.first) + fIp6(SRC, k.src) + fIp6(DST, k.dst) + fHex(LABEL, k.label, 0xfffff) +
        fDec(PROTO, k.proto, 0xff) + fHex(TCLASS, k.tclass, 0xff) + fDec(HLIMIT, k.hlimit, 0xff) + fFragClose(k.frag);
    case 'tcp': case 'udp': case 'sctp': {
      const o = k.kind === 'udp' ? O_UDP : k.kind === 'tcp' ? O_TCP : O_SCTP;
      open();
      return (next ? o.next : o.first) + (fDec(SRC, k.src, 0xffff) + fDec(DST, k.dst, 0xffff)) + ')';
    }
    case 'icmp': case 'icmpv6': {
      const o = k.kind === 'icmp' ? O_ICMP : O_ICMPV6;
      open();
      return (next ? o.next : o.first) + (fDec(TYPE, k.type, 0xff) + fDec(CODE, k.code, 0xff)) + ')';
    }
    case 'arp':
      open();
      return (next ? O_ARP.next : O_ARP.first) + (fIp4(SIP, k.sip) + fIp4(TIP, k.tip) + fDec(OP, k.op, 0xffff) + fMac(SHA, k.sha) +
        fMac(THA, k.tha)) + ')';
    case 'nd':
      open();
      return (next ? O_ND.next : O_ND.first) + (fIp6(TARGET, k.target) + fMac(SLL, k.sll) + fMac(TLL, k.tll)) + ')';
    case 'nd_ext':
      open();
      return (next ? O_ND_EXT.next : O_ND_EXT.first) + (label(ND_RESERVED) + hex0x(k.ndReserved) +
        fDec(ND_OPTIONS_TYPE, k.ndOptionsType, 0xff)) + ')';
    case 'ct_tuple4':
      open();
      return (next ? O_CT_TUPLE4.next : O_CT_TUPLE4.first) + (fIp4(SRC_IPV4, k.src) + fIp4(DST_IPV4, k.dst) + fDec(PROTO, k.proto, 0xff) +
        fDec(TP_SRC, k.tpSrc, 0xffff) + fDec(TP_DST, k.tpDst, 0xffff)) + ')';
    case 'ct_tuple6':
      open();
      return (next ? O_CT_TUPLE6.next : O_CT_TUPLE6.first) + (fIp6(SRC, k.src) + fIp6(DST, k.dst) + fDec(PROTO, k.proto, 0xff) +
        fDec(SRC_PORT, k.tpSrc, 0xffff) + fDec(DST_PORT, k.tpDst, 0xffff)) + ')';
    case 'packet_type': {
      const ns = k.ns;
      const id = k.id;
      if (ns && id && ns.value === 0 && ns.mask === 0xffff && id.value === 0 && id.mask === 0xffff) {
        return next ? ETHERNET_PACKET_TYPE.next : ETHERNET_PACKET_TYPE.first;
      }
      open();
      return (next ? O_PACKET_TYPE.next : O_PACKET_TYPE.first) + (fDec(NS, ns, 0xffff) + fHex(ID, id, 0xffff)) + ')';
    }
    case 'vlan':
      open();
      return (next ? O_VLAN.next : O_VLAN.first) + (fVlan(VID, k.vid, 0xfff) + fVlan(PCP, k.pcp, 7) + fVlan(CFI, k.cfi, 1)) + ')';
    case 'skb_priority': case 'skb_mark': case 'recirc_id': case 'dp_hash': case 'ct_mark': case 'ct_state': {
      const o = O_SINGLE[k.kind];
      return (next ? o.next : o.first) + hexAlt(k.value) + (k.mask === 0xffffffff ? ')' : slashHexAlt(k.mask) + ')');
    }
    case 'ct_zone':
      return (next ? O_CT_ZONE.next : O_CT_ZONE.first) + hexAlt(k.value) + (k.mask === 0xffff ? ')' : slashHexAlt(k.mask) + ')');
    case 'ct_label':
      return (next ? O_CT_LABEL.next : O_CT_LABEL.first) + hexU128(k.value) + (k.mask === ALL128 ? ')' : '/' + hexU128(k.mask) + ')');
    case 'mpls':
      return (next ? O_MPLS.next : O_MPLS.first) + fMpls(k.lses) + ')';
    case 'tunnel':
      return (next ? O_TUNNEL.next : O_TUNNEL.first) + fTunnel(k) + ')';
    case 'encap':
      return (next ? O_ENCAP.next : O_ENCAP.first) + formatKeys(k.keys) + ')';
    case 'opaque':
      return (next ? ',' + k.name : k.name) + '(' + k.text + ')';
    default:
      throw new OdpFormatError(`unknown key attribute kind "${(k as { kind: unknown }).kind as string}"`);
  }
}

/**
 * {@link formatKeyAttr} for the key of a `set(...)` action. The commonest cases are a copy of
 * keyText's: a set key has any subset of its fields, so its objects come in many shapes; read
 * apart from a match's attributes (which have all their fields), the property reads of each stay
 * fast (V8 makes a property read that has seen many shapes a slow lookup).
 */
export function setKeyText(k: KeyAttr): string {
  switch (k.kind) {
    case 'eth':
      open();
      return O_ETH.first + fMac(SRC_MAC, k.src) + fMac(DST_MAC, k.dst) + ')';
    case 'ipv4':
      open();
      return O_IPV4.first + fIp4(SRC_IPV4, k.src) + fIp4(DST_IPV4, k.dst) + fDec(PROTO, k.proto, 0xff) + fHex(TOS, k.tos, 0xff) +
        fDec(TTL, k.ttl, 0xff) + fFragClose(k.frag);
    case 'ipv6':
      open();
      return O_IPV6.first + fIp6(SRC, k.src) + fIp6(DST, k.dst) + fHex(LABEL, k.label, 0xfffff) + fDec(PROTO, k.proto, 0xff) +
        fHex(TCLASS, k.tclass, 0xff) + fDec(HLIMIT, k.hlimit, 0xff) + fFragClose(k.frag);
    case 'tcp': case 'udp': {
      const o = k.kind === 'udp' ? O_UDP : O_TCP;
      open();
      return o.first + fDec(SRC, k.src, 0xffff) + fDec(DST, k.dst, 0xffff) + ')';
    }
    default:
      return keyText(k, false);
  }
}

/** One attribute as OVS writes it, e.g. `ipv4(src=1.2.3.4,dst=5.6.7.8/255.255.255.0,proto=6,...)`. */
export function formatKeyAttr(k: KeyAttr): string {
  return keyText(k, false);
}

const COMMON_KINDS = ['skb_priority', 'skb_mark', 'ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'recirc_id', 'dp_hash'] as const;

/** True when keys[0..7] are the wildcarded metadata of {@link COMMON_METADATA}. */
function startsWithCommonMetadata(keys: readonly KeyAttr[]): boolean {
  if (keys.length < 8) return false;
  for (let i = 0; i < 8; i++) {
    const k = keys[i];
    if (k.kind !== COMMON_KINDS[i]) return false;
    if (k.kind === 'ct_label') {
      if (k.value !== 0n || k.mask !== 0n) return false;
    } else if ((k as { value: number }).value !== 0 || (k as { mask: number }).mask !== (k.kind === 'recirc_id' ? 0xffffffff : 0)) return false;
  }
  return true;
}

/** A whole match: the attributes joined by `,`. */
export function formatKeys(keys: readonly KeyAttr[]): string {
  let out = '';
  let i = 0;
  if (startsWithCommonMetadata(keys)) {
    out = COMMON_METADATA;
    i = 8;
  }
  for (; i < keys.length; i++) out += keyText(keys[i], i !== 0);
  return out;
}
