/**
 * Builds raw frames from header values, byte by byte, for the classifier tests. Written
 * independently of the native parser: lengths are filled in, checksums left at zero.
 */

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

export function mac(text: string): number[] {
  return text.split(':').map((h) => parseInt(h, 16));
}

export function ip4(text: string): number[] {
  return text.split('.').map((d) => Number(d));
}

/** Expands an IPv6 text address (with one optional "::"). */
export function ip6(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => u16(parseInt(g, 16)));
}

export interface VlanTag {
  tpid?: number;
  tci: number;
}

export interface EthOptions {
  dst?: string;
  src?: string;
  vlans?: VlanTag[];
  /** EtherType after the tags. */
  type: number;
}

export function eth(o: EthOptions, payload: number[] | Uint8Array = []): Uint8Array {
  const bytes = [...mac(o.dst ?? '02:00:00:00:00:02'), ...mac(o.src ?? '02:00:00:00:00:01')];
  for (const v of o.vlans ?? []) bytes.push(...u16(v.tpid ?? 0x8100), ...u16(v.tci));
  bytes.push(...u16(o.type), ...payload);
  return Uint8Array.from(bytes);
}

export interface Ipv4Options {
  src: string;
  dst: string;
  proto: number;
  tos?: number;
  ttl?: number;
  id?: number;
  /** Flags (DF 0x4000, MF 0x2000) and 13-bit offset, as the header's 16-bit field. */
  fragment?: number;
  /** Option bytes (a multiple of 4). */
  options?: number[];
  /** Overrides the computed total length. */
  totalLength?: number;
  /** Overrides the version/IHL byte. */
  versionIhl?: number;
}

export function ipv4(o: Ipv4Options, payload: number[] | Uint8Array = []): number[] {
  const options = o.options ?? [];
  const ihl = 5 + options.length / 4;
  const total = o.totalLength ?? ihl * 4 + payload.length;
  return [
    o.versionIhl ?? 0x40 | ihl,
    o.tos ?? 0,
    ...u16(total),
    ...u16(o.id ?? 0),
    ...u16(o.fragment ?? 0),
    o.ttl ?? 64,
    o.proto,
    0,
    0,
    ...ip4(o.src),
    ...ip4(o.dst),
    ...options,
    ...payload,
  ];
}

export interface Ipv6Extension {
  /** Its own type (0 hop-by-hop, 43 routing, 44 fragment, 60 destination options, 51 AH). */
  type: number;
  /** For a fragment header: offset (in 8-byte units) and the M flag. */
  fragmentOffset?: number;
  more?: boolean;
}

export interface Ipv6Options {
  src: string;
  dst: string;
  /** The upper-layer protocol. */
  proto: number;
  tc?: number;
  flowLabel?: number;
  hopLimit?: number;
  extensions?: Ipv6Extension[];
  payloadLength?: number;
}

export function ipv6(o: Ipv6Options, payload: number[] | Uint8Array = []): number[] {
  const ext = o.extensions ?? [];
  const body: number[] = [];
  for (let i = 0; i < ext.length; i++) {
    const next = i + 1 < ext.length ? ext[i + 1].type : o.proto;
    const e = ext[i];
    if (e.type === 44) body.push(next, 0, ...u16(((e.fragmentOffset ?? 0) << 3) | (e.more ? 1 : 0)), ...u32(0x1234));
    else if (e.type === 51) body.push(next, 1, 0, 0, ...u32(0), ...u32(0)); // AH: (1 + 2) * 4 = 12 bytes
    else body.push(next, 0, 0, 0, 0, 0, 0, 0); // 8 bytes
  }
  body.push(...payload);
  const first = ext.length > 0 ? ext[0].type : o.proto;
  const vtc = (6 << 28) | ((o.tc ?? 0) << 20) | (o.flowLabel ?? 0);
  return [...u32(vtc >>> 0), ...u16(o.payloadLength ?? body.length), first, o.hopLimit ?? 64, ...ip6(o.src), ...ip6(o.dst), ...body];
}

export function udp(src: number, dst: number, payload: number[] = []): number[] {
  return [...u16(src), ...u16(dst), ...u16(8 + payload.length), 0, 0, ...payload];
}

export function tcp(src: number, dst: number, o: { flags?: number; seq?: number; ack?: number; dataOff?: number } = {}): number[] {
  return [...u16(src), ...u16(dst), ...u32(o.seq ?? 1), ...u32(o.ack ?? 0), (o.dataOff ?? 5) << 4, o.flags ?? 0x02, ...u16(8192), 0, 0, 0, 0];
}

export function sctp(src: number, dst: number, tag = 0): number[] {
  return [...u16(src), ...u16(dst), ...u32(tag), 0, 0, 0, 0];
}

export function icmp(type: number, code: number, ident = 0, seq = 0): number[] {
  return [type, code, 0, 0, ...u16(ident), ...u16(seq)];
}

export function icmp6(type: number, code: number): number[] {
  return [type, code, 0, 0, 0, 0, 0, 0];
}

/** A ready UDP/IPv4 frame. */
export function udp4(src: string, dst: string, sport: number, dport: number, vlans?: VlanTag[]): Uint8Array {
  return eth({ type: 0x0800, vlans }, ipv4({ src, dst, proto: 17 }, udp(sport, dport)));
}
