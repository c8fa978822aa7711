/**
 * The `tnl_push(tnl_port(P),header(...),out_port(P))` action: the prebuilt tunnel header OVS
 * pushes (Ethernet + IPv4/IPv6 + UDP/VXLAN, Geneve, GTP-U, or GRE/ERSPAN), read and written
 * as OVS 3.1's ovs_parse_tnl_push()/format_odp_tnl_push_header() do.
 */
import { formatIpv4, formatMac, ipv6Text, readIpv4, readIpv6, readMac } from './addr';
import { portText } from './ports';
import type { Port, TnlIpHeader, TnlProtoHeader, TnlPushAction, TnlPushHeader, TnlUdp } from './model';
import { dec, hex04, hex0x, hexAlt } from './numfmt';
import type { Reader } from './reader';

/** `0x` + hex digits (as a `0x%x` scanf reads). */
function readHex0x(r: Reader, what: string, bits: 8 | 16 | 32): number {
  if (!r.eatText('0x')) r.fail(`expected 0x... for ${what}`);
  return r.hexDigits(what, bits);
}

function field(r: Reader, name: string): void {
  r.expectText(name);
  r.expect(61);
}

function readUdp(r: Reader): TnlUdp {
  field(r, 'src');
  const src = r.uint(16, 'udp src');
  r.expect(44);
  field(r, 'dst');
  const dst = r.uint(16, 'udp dst');
  r.expect(44);
  field(r, 'csum');
  const csum = readHex0x(r, 'udp csum', 16);
  r.expectText('),');
  return { src, dst, csum };
}

function readIp(r: Reader, dlType: number): TnlIpHeader {
  if (dlType === 0x0800) {
    r.expectText('ipv4(src=');
    const src = readIpv4(r, 'header ipv4 src');
    r.expectText(',dst=');
    const dst = readIpv4(r, 'header ipv4 dst');
    r.expectText(',proto=');
    const proto = r.uint(8, 'header ipv4 proto');
    r.expectText(',tos=');
    const tos = r.uint(8, 'header ipv4 tos');
    r.expectText(',ttl=');
    const ttl = r.uint(8, 'header ipv4 ttl');
    r.expectText(',frag=');
    const frag = readHex0x(r, 'header ipv4 frag', 16);
    r.expectText('),');
    return { version: 4, src, dst, proto, tos, ttl, frag };
  }
  r.expectText('ipv6(src=');
  const src = readIpv6(r, 'header ipv6 src');
  r.expectText(',dst=');
  const dst = readIpv6(r, 'header ipv6 dst');
  r.expectText(',label=');
  const at = r.pos;
  const label = r.uint(32, 'header ipv6 label');
  if (label > 0xfffff) r.fail('header ipv6 label out of range', at);
  r.expectText(',proto=');
  const proto = r.uint(8, 'header ipv6 proto');
  r.expectText(',tclass=');
  const tclass = readHex0x(r, 'header ipv6 tclass', 8);
  r.expectText(',hlimit=');
  const hlimit = r.uint(8, 'header ipv6 hlimit');
  r.expectText('),');
  return { version: 6, src, dst, label, proto, tclass, hlimit };
}

function readTunnel(r: Reader): TnlProtoHeader {
  if (r.eatText('udp(')) {
    const udp = readUdp(r);
    if (r.eatText('vxlan(flags=')) {
      const flags = readHex0x(r, 'vxlan flags', 32);
      r.expectText(',vni=');
      const vni = readHex0x(r, 'vxlan vni', 32);
      r.expect(41);
      return { type: 'vxlan', udp, flags, vni };
    }
    if (r.eatText('geneve(')) {
      const oam = r.eatText('oam,');
      const crit = r.eatText('crit,');
      r.expectText('vni=');
      const vni = r.uint(32, 'geneve vni');
      let options: string | undefined;
      if (r.eatText(',options(')) {
        options = r.balanced(false, 'geneve options');
        r.expect(41);
      }
      r.expect(41);
      return options === undefined ? { type: 'geneve', udp, oam, crit, vni } : { type: 'geneve', udp, oam, crit, vni, options };
    }
    if (r.eatText('gtpu(flags=')) {
      const flags = r.uint(8, 'gtpu flags');
      r.expectText(',msgtype=');
      const msgtype = r.uint(8, 'gtpu msgtype');
      r.expectText(',teid=');
      const teid = readHex0x(r, 'gtpu teid', 32);
      r.expect(41);
      return { type: 'gtpu', udp, flags, msgtype, teid };
    }
    return r.fail('expected vxlan(, geneve( or gtpu( in tnl_push header');
  }
  if (r.eatText('gre((flags=')) {
    const flags = readHex0x(r, 'gre flags', 16);
    r.expectText(',proto=');
    const proto = readHex0x(r, 'gre proto', 16);
    r.expect(41);
    const g: TnlProtoHeader = { type: 'gre', flags, proto };
    if (r.eatText(',csum=')) g.csum = readHex0x(r, 'gre csum', 16);
    if (r.eatText(',key=')) g.key = readHex0x(r, 'gre key', 32);
    if (r.eatText(',seq=')) g.seq = readHex0x(r, 'gre seq', 32);
    r.expect(41);
    return g;
  }
  if (r.eatText('erspan(ver=1,sid=')) {
    const sid = readHex0x(r, 'erspan sid', 16);
    r.expectText(',idx=');
    const idx = readHex0x(r, 'erspan idx', 32);
    r.expect(41);
    return { type: 'erspan', ver: 1, sid, idx };
  }
  if (r.eatText('erspan(ver=2,sid=')) {
    const sid = readHex0x(r, 'erspan sid', 16);
    r.expectText(',dir=');
    const dir = r.uint(8, 'erspan dir');
    r.expectText(',hwid=');
    const hwid = readHex0x(r, 'erspan hwid', 8);
    r.expect(41);
    return { type: 'erspan', ver: 2, sid, dir, hwid };
  }
  return r.fail('expected the tunnel part of a tnl_push header (udp(, gre(( or erspan()');
}

/** Reads a port inside `tnl_port(...)`/`out_port(...)`: a number or a name up to `)`. */
export function readParenPort(r: Reader, what: string): Port {
  const c = r.peek();
  if (c >= 48 && c <= 57) return r.uint(32, what);
  const start = r.pos;
  while (r.pos < r.end && r.b[r.pos] !== 41 && r.b[r.pos] !== 44) r.pos++;
  if (r.pos === start) r.fail(`expected a port for ${what}`);
  return r.s.slice(start, r.pos);
}

/** Reads the arguments of `tnl_push(` (already consumed) through the closing `)`. */
export function readTnlPushArgs(r: Reader): TnlPushAction {
  r.expectText('tnl_port(');
  const tnlPort = readParenPort(r, 'tnl_port');
  r.expectText('),header(size=');
  const size = r.uint(32, 'header size');
  r.expectText(',type=');
  const type = r.uint(32, 'header type');
  r.expectText(',eth(dst=');
  const ethDst = readMac(r, 'header eth dst');
  r.expectText(',src=');
  const ethSrc = readMac(r, 'header eth src');
  r.expectText(',dl_type=');
  const dlType = readHex0x(r, 'header eth dl_type', 16);
  r.expectText('),');
  const ip = readIp(r, dlType);
  const tunnel = readTunnel(r);
  r.expectText('),out_port(');
  const outPort = readParenPort(r, 'out_port');
  r.expectText('))');
  const header: TnlPushHeader = { size, type, ethDst, ethSrc, dlType, ip, tunnel };
  return { kind: 'tnl_push', tnlPort, header, outPort };
}

function fUdp(u: TnlUdp): string {
  return 'udp(src=' + dec(u.src) + ',dst=' + dec(u.dst) + ',csum=' + hex0x(u.csum) + '),';
}

/** `tnl_push(...)` as OVS prints it. */
export function formatTnlPush(a: TnlPushAction): string {
  const h = a.header;
  let s = 'tnl_push(tnl_port(' + portText(a.tnlPort, 'tnl_port', 'paren') + '),header(size=' + dec(h.size) + ',type=' + dec(h.type) +
    ',eth(dst=' + formatMac(h.ethDst) + ',src=' + formatMac(h.ethSrc) + ',dl_type=' + hex04(h.dlType) + '),';
  const ip = h.ip;
  if (ip.version === 4) {
    s += 'ipv4(src=' + formatIpv4(ip.src) + ',dst=' + formatIpv4(ip.dst) + ',proto=' + dec(ip.proto) + ',tos=' + hexAlt(ip.tos) +
      ',ttl=' + dec(ip.ttl) + ',frag=' + hex0x(ip.frag) + '),';
  } else {
    s += 'ipv6(src=' + ipv6Text(ip.src) + ',dst=' + ipv6Text(ip.dst) + ',label=' + dec(ip.label) + ',proto=' + dec(ip.proto) +
      ',tclass=' + hex0x(ip.tclass) + ',hlimit=' + dec(ip.hlimit) + '),';
  }
  const t = h.tunnel;
  switch (t.type) {
    case 'vxlan':
      s += fUdp(t.udp) + 'vxlan(flags=' + hex0x(t.flags) + ',vni=' + hex0x(t.vni) + ')';
      break;
    case 'geneve':
      s += fUdp(t.udp) + 'geneve(' + (t.oam ? 'oam,' : '') + (t.crit ? 'crit,' : '') + 'vni=' + hex0x(t.vni) +
        (t.options !== undefined ? ',options(' + t.options + ')' : '') + ')';
      break;
    case 'gtpu':
      s += fUdp(t.udp) + 'gtpu(flags=' + hex0x(t.flags) + ',msgtype=' + dec(t.msgtype) + ',teid=' + hex0x(t.teid) + ')';
      break;
    case 'gre':
      s += 'gre((flags=' + hex0x(t.flags) + ',proto=' + hex0x(t.proto) + ')' + (t.csum !== undefined ? ',csum=' + hex0x(t.csum) : '') +
        (t.key !== undefined ? ',key=' + hex0x(t.key) : '') + (t.seq !== undefined ? ',seq=' + hex0x(t.seq) : '') + ')';
      break;
    case 'erspan':
      s += t.ver === 1
        ? 'erspan(ver=1,sid=' + hex0x(t.sid) + ',idx=' + hex0x(t.idx) + ')'
        : 'erspan(ver=2,sid=' + hex0x(t.sid) + ',dir=' + dec(t.dir) + ',hwid=' + hex0x(t.hwid) + ')';
      break;
  }
  return s + '),out_port(' + portText(a.outPort, 'out_port', 'paren') + '))';
}
