/**
 * Writes {@link KeyAttr}s as OVS 3.1's odp_flow_format() does in verbose (`-m`) mode: every present
 * field, masks only where they are not exact, numbers in the radix OVS uses for that field.
 */
import { formatIpv4, formatIpv6, formatMac, isAllOnes } from './addr';
import { OdpFormatError } from './errors';
import { TCP_FLAG_NAMES, TUN_FLAG_NAMES, formatFlags, formatFlagsMasked } from './flags';
import { COMMON_METADATA } from './key-parse';
import type { GeneveOption, Ipv6Addr, KeyAttr, MacAddr, Masked, MplsLse, TunnelKey } from './model';
import { dec, hex04, hex0x, hexAlt, hexBig, hexU128 } from './numfmt';

const ALL64 = (1n << 64n) - 1n;
const ALL128 = (1n << 128n) - 1n;

/*
 * Field writers return `name=value[/mask]` preceded by the separator held in `sep`, which is ''
 * before the first field of an attribute and ',' after it. Callers set `sep = ''` when they open
 * an attribute. (Building with a leading comma and cutting it off would flatten the string.)
 */
let sep = '';

function put(text: string): string {
  const s = sep + text;
  sep = ',';
  return s;
}

/** `name=DEC[/0xMASK]` (format_u8u / format_be16). */
function fDec(name: string, m: Masked<number> | undefined, full: number): string {
  if (m === undefined) return '';
  return put(m.mask === full ? name + '=' + dec(m.value) : name + '=' + dec(m.value) + '/' + hexAlt(m.mask));
}

/** `name=%#x[/%#x]` (format_u8x / format_be16x). */
function fHex(name: string, m: Masked<number> | undefined, full: number): string {
  if (m === undefined) return '';
  return put(m.mask === full ? name + '=' + hexAlt(m.value) : name + '=' + hexAlt(m.value) + '/' + hexAlt(m.mask));
}

function fIp4(name: string, m: Masked<number> | undefined): string {
  if (m === undefined) return '';
  return put(m.mask === 0xffffffff ? name + '=' + formatIpv4(m.value) : name + '=' + formatIpv4(m.value) + '/' + formatIpv4(m.mask));
}

function fIp6(name: string, m: Masked<Ipv6Addr> | undefined): string {
  if (m === undefined) return '';
  return put(isAllOnes(m.mask) ? name + '=' + formatIpv6(m.value) : name + '=' + formatIpv6(m.value) + '/' + formatIpv6(m.mask));
}

function fMac(name: string, m: Masked<MacAddr> | undefined): string {
  if (m === undefined) return '';
  return put(isAllOnes(m.mask) ? name + '=' + formatMac(m.value) : name + '=' + formatMac(m.value) + '/' + formatMac(m.mask));
}

/** Opens a field list: the next field gets no separator. Returns ''. */
function open(): string {
  sep = '';
  return '';
}

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
    out += '{' + open() + fHex('class', o.class, 0xffff) + fHex('type', o.type, 0xff) + fDec('len', o.len, 0xff);
    if (o.data !== undefined) out += put(o.data + (o.dataMask !== undefined ? '/' + o.dataMask : ''));
    out += '}';
  }
  return out;
}

function fTunnel(k: TunnelKey): string {
  let s = open();
  if (k.tunId) s += put('tun_id=' + hexBig(k.tunId.value, false) + (k.tunId.mask === ALL64 ? '' : '/' + hexBig(k.tunId.mask, true)));
  s += fIp4('src', k.src) + fIp4('dst', k.dst) + fIp6('ipv6_src', k.ipv6Src) + fIp6('ipv6_dst', k.ipv6Dst);
  s += fHex('tos', k.tos, 0xff) + fDec('ttl', k.ttl, 0xff) + fDec('tp_src', k.tpSrc, 0xffff) + fDec('tp_dst', k.tpDst, 0xffff);
  if (k.vxlanGbp) {
    s += put('vxlan(gbp(') + open() + fDec('id', k.vxlanGbp.id, 0xffff) + fHex('flags', k.vxlanGbp.flags, 0xff) + '))';
    sep = ',';
  }
  if (k.geneve) {
    s += put('geneve(') + fGeneve(k.geneve) + ')';
    sep = ',';
  }
  if (k.erspan) {
    const e = k.erspan;
    s += put('erspan(') + open() + fDec('ver', e.ver, 0xff);
    if (e.idx) s += put('idx=' + hexAlt(e.idx.value) + (e.idx.mask !== undefined ? '/' + hexAlt(e.idx.mask) : ''));
    s += fDec('dir', e.dir, 0xff) + fHex('hwid', e.hwid, 0xff) + ')';
    sep = ',';
  }
  if (k.gtpu) {
    s += put('gtpu(') + open() + fHex('flags', k.gtpu.flags, 0xff) + fDec('msgtype', k.gtpu.msgtype, 0xff) + ')';
    sep = ',';
  }
  if (k.flags) {
    const m = k.flags.mask & 0xf;
    s += put('flags(' + (m === 0xf ? formatFlags(TUN_FLAG_NAMES, k.flags.value, '|') : formatFlagsMasked(TUN_FLAG_NAMES, k.flags.value, m, 0xf)) + ')');
  }
  return s;
}

function fFrag(f: string | undefined): string {
  return f === undefined ? '' : put('frag=' + f);
}

/** One attribute as OVS writes it, e.g. `ipv4(src=1.2.3.4,dst=5.6.7.8/255.255.255.0,proto=6,...)`. */
export function formatKeyAttr(k: KeyAttr): string {
  switch (k.kind) {
    case 'skb_priority': case 'skb_mark': case 'recirc_id': case 'dp_hash': case 'ct_mark': case 'ct_state':
      return k.kind + '(' + hexAlt(k.value) + (k.mask === 0xffffffff ? ')' : '/' + hexAlt(k.mask) + ')');
    case 'ct_zone':
      return 'ct_zone(' + hexAlt(k.value) + (k.mask === 0xffff ? ')' : '/' + hexAlt(k.mask) + ')');
    case 'ct_label':
      return 'ct_label(' + hexU128(k.value) + (k.mask === ALL128 ? ')' : '/' + hexU128(k.mask) + ')');
    case 'eth_type':
      return 'eth_type(' + hex04(k.value) + (k.mask === 0xffff ? ')' : '/' + hex04(k.mask) + ')');
    case 'tcp_flags':
      return 'tcp_flags(' + (k.mask === 0xffff ? formatFlags(TCP_FLAG_NAMES, k.value, '|') : formatFlagsMasked(TCP_FLAG_NAMES, k.value, k.mask & 0xfff, 0xfff)) + ')';
    case 'in_port': {
      const p = typeof k.port === 'number' ? dec(k.port) : k.port;
      return 'in_port(' + p + (k.mask === 0xffffffff ? ')' : '/' + hexAlt(k.mask) + ')');
    }
    case 'eth':
      return 'eth(' + (open() + fMac('src', k.src) + fMac('dst', k.dst)) + ')';
    case 'ipv4':
      return 'ipv4(' + (open() + fIp4('src', k.src) + fIp4('dst', k.dst) + fDec('proto', k.proto, 0xff) + fHex('tos', k.tos, 0xff) +
        fDec('ttl', k.ttl, 0xff) + fFrag(k.frag)) + ')';
    case 'ipv6':
      return 'ipv6(' + (open() + fIp6('src', k.src) + fIp6('dst', k.dst) + fHex('label', k.label, 0xfffff) + fDec('proto', k.proto, 0xff) +
        fHex('tclass', k.tclass, 0xff) + fDec('hlimit', k.hlimit, 0xff) + fFrag(k.frag)) + ')';
    case 'tcp': case 'udp': case 'sctp':
      return k.kind + '(' + (open() + fDec('src', k.src, 0xffff) + fDec('dst', k.dst, 0xffff)) + ')';
    case 'icmp': case 'icmpv6':
      return k.kind + '(' + (open() + fDec('type', k.type, 0xff) + fDec('code', k.code, 0xff)) + ')';
    case 'arp':
      return 'arp(' + (open() + fIp4('sip', k.sip) + fIp4('tip', k.tip) + fDec('op', k.op, 0xffff) + fMac('sha', k.sha) + fMac('tha', k.tha)) + ')';
    case 'nd':
      return 'nd(' + (open() + fIp6('target', k.target) + fMac('sll', k.sll) + fMac('tll', k.tll)) + ')';
    case 'nd_ext':
      return 'nd_ext(' + open() + put('nd_reserved=' + hex0x(k.ndReserved)) + fDec('nd_options_type', k.ndOptionsType, 0xff) + ')';
    case 'ct_tuple4':
      return 'ct_tuple4(' + (open() + fIp4('src', k.src) + fIp4('dst', k.dst) + fDec('proto', k.proto, 0xff) + fDec('tp_src', k.tpSrc, 0xffff) +
        fDec('tp_dst', k.tpDst, 0xffff)) + ')';
    case 'ct_tuple6':
      return 'ct_tuple6(' + (open() + fIp6('src', k.src) + fIp6('dst', k.dst) + fDec('proto', k.proto, 0xff) + fDec('src_port', k.tpSrc, 0xffff) +
        fDec('dst_port', k.tpDst, 0xffff)) + ')';
    case 'packet_type':
      return 'packet_type(' + (open() + fDec('ns', k.ns, 0xffff) + fHex('id', k.id, 0xffff)) + ')';
    case 'vlan': {
      let s = 'vlan(' + open();
      if (k.vid) s += put('vid=' + dec(k.vid.value) + (k.vid.mask === 0xfff ? '' : '/' + hex0x(k.vid.mask)));
      if (k.pcp) s += put('pcp=' + dec(k.pcp.value) + (k.pcp.mask === 7 ? '' : '/' + hex0x(k.pcp.mask)));
      if (k.cfi) s += put('cfi=' + dec(k.cfi.value) + (k.cfi.mask === 1 ? '' : '/' + hex0x(k.cfi.mask)));
      return s + ')';
    }
    case 'mpls':
      return 'mpls(' + fMpls(k.lses) + ')';
    case 'tunnel':
      return 'tunnel(' + fTunnel(k) + ')';
    case 'encap':
      return 'encap(' + formatKeys(k.keys) + ')';
    case 'opaque':
      return k.name + '(' + k.text + ')';
    default:
      throw new OdpFormatError(`unknown key attribute kind "${(k as { kind: unknown }).kind as string}"`);
  }
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
  for (; i < keys.length; i++) out += (i === 0 ? '' : ',') + formatKeyAttr(keys[i]);
  return out;
}
