/**
 * fast-check generators of datapath flows in the canonical form the parser returns (values in
 * range, masks that the text can express), and a canonical serialisation for deep comparison.
 */
import fc from 'fast-check';
import type {
  Action, CtAction, CtNat, DpFlow, FlowStats, GeneveOption, Ipv6Addr, KeyAttr, MacAddr, Masked, MplsLse, Port, TnlIpHeader, TnlProtoHeader,
  TunnelKey, UserspaceCookie,
} from '../../src/flows/odp';

/** JSON with sorted keys; Uint8Array as hex, bigint as `123n`, undefined properties dropped. */
export function canon(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
    if (typeof v === 'bigint') return `${v.toString()}n`;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
    }
    return v;
  });
}

const u = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max });
const u8 = u(0xff);
const u16 = u(0xffff);
const u32 = fc.nat({ max: 0xffffffff }).map((v) => v >>> 0);
/** An Ethernet address (48-bit number): any, all ones or zero. */
const mac: fc.Arbitrary<MacAddr> = fc.oneof(fc.integer({ min: 0, max: 0xffffffffffff }), fc.constant(0xffffffffffff), fc.constant(0));
/** An IPv6 address (eight 16-bit words): any, all ones or zero. */
const ip6: fc.Arbitrary<Ipv6Addr> = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
  fc.constant([0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff]),
  fc.constant([0, 0, 0, 0, 0, 0, 0, 0]),
);
const big = (bits: bigint): fc.Arbitrary<bigint> => fc.oneof(fc.bigInt({ min: 0n, max: (1n << bits) - 1n }), fc.constant((1n << bits) - 1n), fc.constant(0n));

/** A masked field whose mask is the full one, zero, or anything. */
function masked(max: number): fc.Arbitrary<Masked<number>> {
  return fc.record({ value: u(max), mask: fc.oneof(fc.constant(max), fc.constant(0), u(max)) });
}
const maskedU32 = fc.record({ value: u32, mask: fc.oneof(fc.constant(0xffffffff), fc.constant(0), u32) });
const maskedMac: fc.Arbitrary<Masked<MacAddr>> = fc.record({ value: mac, mask: mac });
const maskedIp6: fc.Arbitrary<Masked<Ipv6Addr>> = fc.record({ value: ip6, mask: ip6 });
const maskedBig = (bits: bigint): fc.Arbitrary<Masked<bigint>> => fc.record({ value: big(bits), mask: big(bits) });
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/);
const KEYWORDS = new Set(['drop', 'pop_vlan', 'ct_clear', 'pop_eth', 'ct']);
const portName = name.filter((n) => !KEYWORDS.has(n));
const port: fc.Arbitrary<Port> = fc.oneof(u32, portName);
const frag = opt(fc.constantFrom('no' as const, 'first' as const, 'later' as const));

/** Flag fields whose text form is `a|b`, `0/0` or `+a-b`: the value only has bits the mask shows. */
function flagField(bits: number, exactMask: number): fc.Arbitrary<Masked<number>> {
  return fc.oneof(
    u(bits).map((value) => ({ value, mask: exactMask })),
    fc.constant({ value: 0, mask: 0 }),
    fc.tuple(u(bits), u(bits)).filter(([, m]) => m !== 0 && m !== bits).map(([v, m]) => ({ value: v & m, mask: m })),
  );
}

const tunnelKey: fc.Arbitrary<TunnelKey> = fc.record({
  tunId: opt(maskedBig(64n)),
  src: opt(maskedU32),
  dst: opt(maskedU32),
  ipv6Src: opt(maskedIp6),
  ipv6Dst: opt(maskedIp6),
  tos: opt(masked(0xff)),
  ttl: opt(masked(0xff)),
  tpSrc: opt(masked(0xffff)),
  tpDst: opt(masked(0xffff)),
  vxlanGbp: opt(fc.record({ id: opt(masked(0xffff)), flags: opt(masked(0xff)) })),
  geneve: opt(fc.array(fc.record({
    class: opt(masked(0xffff)),
    type: opt(masked(0xff)),
    len: opt(fc.record({ value: u(31).map((v) => v * 4), mask: fc.oneof(fc.constant(0xff), u8) })),
    data: opt(fc.stringMatching(/^0x[0-9a-f]{1,16}$/)),
  }).chain((o): fc.Arbitrary<GeneveOption> => (o.data === undefined ? fc.constant(o) : opt(fc.stringMatching(/^0x[0-9a-f]{1,16}$/)).map((dataMask) => ({ ...o, dataMask })))), { maxLength: 3 })),
  erspan: opt(fc.record({
    ver: opt(masked(0xff)),
    idx: opt(fc.record({ value: u32, mask: opt(u32) })),
    dir: opt(masked(0xff)),
    hwid: opt(masked(0xff)),
  })),
  gtpu: opt(fc.record({ flags: opt(masked(0xff)), msgtype: opt(masked(0xff)) })),
  flags: opt(flagField(0xf, 0xf)),
}).map((t) => ({ kind: 'tunnel' as const, ...t }));

/** `vlan(vid=..,pcp=..,cfi=..)`, each field exact, masked or left out. */
const vlanKey: fc.Arbitrary<KeyAttr> = fc.record({ vid: opt(masked(0xfff)), pcp: opt(masked(7)), cfi: opt(masked(1)) }).map((f) => ({ kind: 'vlan' as const, ...f }));

const mplsLse: fc.Arbitrary<MplsLse> = fc.record({ label: masked(0xfffff), tc: masked(7), ttl: masked(0xff), bos: masked(1) });

/** One key attribute (not encap). */
export const keyAttr: fc.Arbitrary<KeyAttr> = fc.oneof(
  fc.record({ kind: fc.constantFrom('skb_priority' as const, 'skb_mark' as const, 'recirc_id' as const, 'dp_hash' as const, 'ct_mark' as const), value: u32, mask: fc.oneof(fc.constant(0xffffffff), u32) }),
  fc.record({ kind: fc.constant('ct_state' as const), value: u8, mask: fc.oneof(fc.constant(0xffffffff), u8) }),
  fc.record({ kind: fc.constant('ct_zone' as const), value: u16, mask: fc.oneof(fc.constant(0xffff), u16) }),
  fc.record({ kind: fc.constant('ct_label' as const), value: big(128n), mask: big(128n) }),
  fc.record({ kind: fc.constant('eth_type' as const), value: u16, mask: fc.oneof(fc.constant(0xffff), u16) }),
  fc.oneof(
    u(0xfff).map((value) => ({ value, mask: 0xffff })),
    fc.constant({ value: 0, mask: 0 }),
    fc.tuple(u(0xfff), u(0xfff)).filter(([, m]) => m !== 0 && m !== 0xfff).map(([v, m]) => ({ value: v & m, mask: m })),
  ).map((f) => ({ kind: 'tcp_flags' as const, ...f })),
  fc.oneof(
    fc.record({ port: u32, mask: fc.oneof(fc.constant(0xffffffff), u32) }),
    fc.record({ port: portName, mask: fc.constant(0xffffffff) }),
  ).map((p) => ({ kind: 'in_port' as const, ...p })),
  fc.record({ src: opt(maskedU32), dst: opt(maskedU32), proto: opt(masked(0xff)), tpSrc: opt(masked(0xffff)), tpDst: opt(masked(0xffff)) }).map((f) => ({ kind: 'ct_tuple4' as const, ...f })),
  fc.record({ src: opt(maskedIp6), dst: opt(maskedIp6), proto: opt(masked(0xff)), tpSrc: opt(masked(0xffff)), tpDst: opt(masked(0xffff)) }).map((f) => ({ kind: 'ct_tuple6' as const, ...f })),
  tunnelKey,
  fc.record({ ns: opt(masked(0xffff)), id: opt(masked(0xffff)) }).map((f) => ({ kind: 'packet_type' as const, ...f })),
  fc.record({ src: opt(maskedMac), dst: opt(maskedMac) }).map((f) => ({ kind: 'eth' as const, ...f })),
  vlanKey,
  fc.array(mplsLse, { minLength: 1, maxLength: 3 }).map((lses) => ({ kind: 'mpls' as const, lses })),
  fc.record({ src: opt(maskedU32), dst: opt(maskedU32), proto: opt(masked(0xff)), tos: opt(masked(0xff)), ttl: opt(masked(0xff)), frag }).map((f) => ({ kind: 'ipv4' as const, ...f })),
  fc.record({ src: opt(maskedIp6), dst: opt(maskedIp6), label: opt(masked(0xfffff)), proto: opt(masked(0xff)), tclass: opt(masked(0xff)), hlimit: opt(masked(0xff)), frag }).map((f) => ({ kind: 'ipv6' as const, ...f })),
  fc.record({ kind: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const), src: opt(masked(0xffff)), dst: opt(masked(0xffff)) }),
  fc.record({ kind: fc.constantFrom('icmp' as const, 'icmpv6' as const), type: opt(masked(0xff)), code: opt(masked(0xff)) }),
  fc.record({ sip: opt(maskedU32), tip: opt(maskedU32), op: opt(masked(0xffff)), sha: opt(maskedMac), tha: opt(maskedMac) }).map((f) => ({ kind: 'arp' as const, ...f })),
  fc.record({ target: opt(maskedIp6), sll: opt(maskedMac), tll: opt(maskedMac) }).map((f) => ({ kind: 'nd' as const, ...f })),
  fc.record({ ndReserved: u32, ndOptionsType: opt(masked(0xff)) }).map((f) => ({ kind: 'nd_ext' as const, ...f })),
  fc.record({ name: fc.oneof(fc.constant('nsh'), u(99).map((n) => `key${n}`)), text: fc.stringMatching(/^[a-z0-9=,.]{0,20}$/) }).map((f) => ({ kind: 'opaque' as const, ...f })),
);

/** Attributes inside `encap(...)`, nested up to `depth` more levels (QinQ nests two). */
function encapKeys(depth: number): fc.Arbitrary<KeyAttr[]> {
  if (depth === 0) return fc.array(keyAttr, { maxLength: 4 });
  return fc.array(fc.oneof({ weight: 4, arbitrary: keyAttr }, { weight: 1, arbitrary: encapKeys(depth - 1).map((keys): KeyAttr => ({ kind: 'encap', keys })) }), { maxLength: 4 });
}

/** The attributes of a QinQ match below the outer tag: `eth_type(0x8100),vlan(..),encap(eth_type(..),...)`. */
const qinqInner: fc.Arbitrary<KeyAttr[]> = fc.tuple(vlanKey, fc.array(keyAttr, { maxLength: 3 })).map(([vlan, rest]) => [
  { kind: 'eth_type', value: 0x8100, mask: 0xffff }, vlan, { kind: 'encap', keys: rest },
]);

/**
 * A match: attributes, with encap nested up to two levels (a QinQ megaflow has
 * `vlan(...),encap(eth_type(0x8100),vlan(...),encap(...))`), some of them in exactly that shape.
 */
export const match: fc.Arbitrary<KeyAttr[]> = fc.array(
  fc.oneof(
    { weight: 16, arbitrary: keyAttr },
    { weight: 2, arbitrary: encapKeys(1).map((keys): KeyAttr => ({ kind: 'encap', keys })) },
    { weight: 1, arbitrary: qinqInner.map((keys): KeyAttr => ({ kind: 'encap', keys })) },
  ),
  { minLength: 1, maxLength: 12 },
);

const ipAddr = fc.oneof(u32 as fc.Arbitrary<number | Ipv6Addr>, ip6);
const natArb: fc.Arbitrary<CtNat> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('src' as const, 'dst' as const).map((type) => ({ type })),
  fc.record({
    type: fc.constantFrom('src' as const, 'dst' as const),
    v6: fc.boolean(),
    a: u32, b: opt(u32), a6: ip6, b6: opt(ip6),
    protoMin: opt(u(0xffff).filter((p) => p > 0)), protoMax: opt(u(0xffff).filter((p) => p > 0)),
    persistent: opt(fc.constant(true)), hashOrRandom: fc.constantFrom(undefined, 'hash', 'random'),
  }).map((n) => {
    const out: CtNat = { type: n.type };
    out.addrMin = n.v6 ? n.a6 : n.a;
    const max = n.v6 ? n.b6 : n.b;
    if (max !== undefined && canon(max) !== canon(out.addrMin)) out.addrMax = max;
    if (n.protoMin !== undefined) {
      out.protoMin = n.protoMin;
      if (n.protoMax !== undefined && n.protoMax !== n.protoMin) out.protoMax = n.protoMax;
    }
    if (n.persistent) out.persistent = true;
    if (n.hashOrRandom === 'hash') out.hash = true;
    if (n.hashOrRandom === 'random') out.random = true;
    return out;
  }),
);
void ipAddr;

const ctArb: fc.Arbitrary<CtAction> = fc.record({
  commitKind: fc.constantFrom(undefined, 'commit', 'force'),
  zone: opt(u(0xffff).filter((z) => z > 0)),
  mark: opt(fc.record({ value: u32, mask: u32.filter((m) => m !== 0) })),
  label: opt(fc.record({ value: big(128n), mask: big(128n).filter((m) => m !== 0n) })),
  helper: opt(fc.stringMatching(/^[a-z0-9_]{1,15}$/)),
  timeout: opt(fc.stringMatching(/^[a-z0-9_]{1,31}$/)),
  nat: opt(natArb),
}).map(({ commitKind, ...rest }) => {
  const ct: CtAction = { kind: 'ct', ...rest };
  if (commitKind === 'commit') ct.commit = true;
  if (commitKind === 'force') ct.forceCommit = true;
  return ct;
});

const udpHdr = fc.record({ src: u16, dst: u16, csum: u16 });
const tnlIp: fc.Arbitrary<TnlIpHeader> = fc.oneof(
  fc.record({ version: fc.constant(4 as const), src: u32, dst: u32, proto: u8, tos: u8, ttl: u8, frag: u16 }),
  fc.record({ version: fc.constant(6 as const), src: ip6, dst: ip6, label: u(0xfffff), proto: u8, tclass: u8, hlimit: u8 }),
);
const tnlProto: fc.Arbitrary<TnlProtoHeader> = fc.oneof(
  fc.record({ type: fc.constant('vxlan' as const), udp: udpHdr, flags: u32, vni: u32 }),
  fc.record({ type: fc.constant('geneve' as const), udp: udpHdr, oam: fc.boolean(), crit: fc.boolean(), vni: u32, options: opt(fc.constant('{class=0x102,type=0x80,len=4,0xa}')) }),
  fc.record({ type: fc.constant('gtpu' as const), udp: udpHdr, flags: u8, msgtype: u8, teid: u32 }),
  fc.record({ type: fc.constant('gre' as const), flags: u16, proto: u16, csum: opt(u16), key: opt(u32), seq: opt(u32) }),
  fc.record({ type: fc.constant('erspan' as const), ver: fc.constant(1 as const), sid: u16, idx: u32 }),
  fc.record({ type: fc.constant('erspan' as const), ver: fc.constant(2 as const), sid: u16, dir: u8, hwid: u8 }),
);

const cookie: fc.Arbitrary<UserspaceCookie> = fc.oneof(
  fc.record({ type: fc.constant('sFlow' as const), vid: u16, pcp: u8, output: u32 }),
  fc.record({ type: fc.constant('slow_path' as const), reasons: fc.stringMatching(/^[a-z0-9,]{0,12}$/) }),
  fc.record({ type: fc.constant('flow_sample' as const), probability: u16, collectorSetId: u32, obsDomainId: u32, obsPointId: u32, outputPort: port, direction: opt(fc.constantFrom('ingress' as const, 'egress' as const)) }),
  fc.record({ type: fc.constant('ipfix' as const), outputPort: port }),
  fc.record({ type: fc.constant('controller' as const), reason: u16, dontSend: u(1), continuation: u(1), recircId: u32, ruleCookie: big(64n), controllerId: u16, maxLen: u16 }),
  fc.stringMatching(/^([0-9a-f]{2}){0,8}$/).map((hex) => ({ type: 'userdata' as const, hex })),
);

const UINT32_MAX = 0xffffffff;

/** Actions, nested up to `depth` levels. */
function actionArb(depth: number): fc.Arbitrary<Action> {
  const list = depth > 0 ? actionList(depth - 1) : fc.constant([] as Action[]);
  const leaf: Array<fc.Arbitrary<Action>> = [
    port.map((p): Action => ({ kind: 'output', port: p })),
    keyAttr.map((key): Action => ({ kind: 'set', key })),
    fc.record({ tpid: fc.oneof(fc.constant(0x8100), u16), vid: u(0xfff), pcp: u(7), cfi: u(1) }).map((v): Action => ({ kind: 'push_vlan', ...v })),
    fc.record({ kind: fc.constantFrom('push_mpls' as const, 'add_mpls' as const), label: u(0xfffff), tc: u(7), ttl: u8, bos: u(1), ethType: u16 }),
    u16.map((ethType): Action => ({ kind: 'pop_mpls', ethType })),
    fc.constantFrom('pop_vlan' as const, 'ct_clear' as const, 'pop_eth' as const, 'pop_nsh' as const).map((kind): Action => ({ kind })),
    ctArb,
    u32.map((id): Action => ({ kind: 'recirc', id })),
    fc.record({ alg: fc.constantFrom('l4' as const, 'sym_l4' as const), basis: u32 }).map((h): Action => ({ kind: 'hash', ...h })),
    fc.record({ kind: fc.constantFrom('meter' as const, 'trunc' as const, 'lb_output' as const), value: u32 }),
    port.map((p): Action => ({ kind: 'tnl_pop', port: p })),
    fc.record({ tnlPort: port, outPort: port, size: u32, type: u32, ethDst: mac, ethSrc: mac, dlType: u16, ip: tnlIp, tunnel: tnlProto })
      .map(({ tnlPort, outPort, ...header }): Action => ({ kind: 'tnl_push', tnlPort, outPort, header: { ...header, dlType: header.ip.version === 4 ? 0x0800 : header.dlType === 0x0800 ? 0x86dd : header.dlType } })),
    fc.record({ src: mac, dst: mac }).map((e): Action => ({ kind: 'push_eth', ...e })),
    fc.record({ pid: u32, cookie: opt(cookie), actions: opt(fc.constant(true)), tunnelOutPort: opt(port) }).map((x): Action => ({ kind: 'userspace', ...x })),
    fc.tuple(fc.stringMatching(/^x[a-z0-9_]{0,8}$/), fc.stringMatching(/^[a-z0-9 =]{0,12}$/)).map(([n, t]): Action => ({ kind: 'opaque', text: `${n}(${t})` })),
  ];
  const nested: Array<fc.Arbitrary<Action>> = depth > 0 ? [
    list.map((actions): Action => ({ kind: 'clone', actions })),
    fc.tuple(u(1000), list).map(([tenths, actions]): Action => {
      const p = Math.floor(UINT32_MAX * (tenths / 10 / 100) + 0.5);
      return { kind: 'sample', probability: Math.min(UINT32_MAX, Math.max(0, p)), actions };
    }),
    fc.record({ size: u16, gt: list, le: list }).map((c): Action => ({ kind: 'check_pkt_len', ...c })),
  ] : [];
  return fc.oneof(...leaf, ...nested);
}

/** An action list as the parser returns it (never a lone `drop`; `drop` only among others). */
export function actionList(depth = 1): fc.Arbitrary<Action[]> {
  return fc.array(fc.oneof({ weight: 12, arbitrary: actionArb(depth) }, { weight: 1, arbitrary: fc.constant<Action>({ kind: 'drop' }) }), { maxLength: 5 })
    .filter((l) => !(l.length === 1 && l[0].kind === 'drop'));
}

/**
 * An OVS flow counter (uint64) in the form the parser returns: a number up to
 * Number.MAX_SAFE_INTEGER, a bigint above it (often: the edges 2^53 and 2^64-1 among them).
 */
const counter: fc.Arbitrary<number | bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.maxSafeNat() },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, 0) },
  { weight: 2, arbitrary: fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: (1n << 64n) - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(BigInt(Number.MAX_SAFE_INTEGER) + 1n, (1n << 64n) - 1n) },
);

const stats: fc.Arbitrary<FlowStats> = fc.record({
  packets: counter,
  bytes: counter,
  usedMs: fc.oneof(fc.constant(null), fc.integer({ min: -100000, max: 10_000_000 })),
  tcpFlags: u(0xfff),
});

/** A whole dump line's flow. */
export const flow: fc.Arbitrary<DpFlow> = fc.record({
  ufid: opt(fc.uuid({ version: [1, 2, 3, 4, 5] })),
  match,
  stats: opt(stats),
  offloaded: opt(fc.constantFrom('yes', 'partial')),
  dp: opt(fc.constantFrom('ovs', 'tc', 'dpdk')),
  actions: actionList(2),
  dpExtraInfo: opt(fc.stringMatching(/^[a-z_]+\([0-9,]*\)$/)),
}).map((f) => {
  const out: DpFlow = { match: f.match, actions: f.actions };
  if (f.ufid !== undefined) out.ufid = f.ufid;
  if (f.stats !== undefined) out.stats = f.stats;
  if (f.offloaded !== undefined) out.offloaded = f.offloaded;
  if (f.dp !== undefined) out.dp = f.dp;
  if (f.dpExtraInfo !== undefined) out.dpExtraInfo = f.dpExtraInfo;
  return out;
});
