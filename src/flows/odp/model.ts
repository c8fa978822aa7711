/**
 * The typed model of a datapath flow as `ovs-appctl dpctl/dump-flows -m` (OVS 3.1) prints it.
 *
 * Conventions used throughout:
 * - A {@link Masked} field holds the value and the mask as OVS has them; a field written without a
 *   mask is exact (the mask is all ones for the field's width). Value bits outside the mask are kept.
 * - A field that is `undefined` was not written, which OVS means as fully wildcarded. `-m` output
 *   writes every field, so for flows read from OVS every field of an attribute is present.
 * - Integers up to 32 bits are `number`s (unsigned); 64- and 128-bit values are `bigint`s.
 * - IPv4 addresses are unsigned 32-bit numbers (192.168.1.2 = 0xc0a80102); Ethernet addresses are
 *   unsigned 48-bit numbers (50:54:00:00:00:01 = 0x505400000001, exact in a double); IPv6
 *   addresses are arrays of eight 16-bit words (2001:db8::1 = [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]).
 *   All are in network order: the first byte or word is the most significant. addr.ts converts
 *   them to and from bytes (macToBytes, ipv6ToBytes, ...).
 * - A {@link Port} is what the text said: a number (odp port number) or a port name.
 * - Key attributes and actions keep the order in which they were written, which is OVS's order.
 */

/** A value with its mask. */
export interface Masked<T> {
  value: T;
  mask: T;
}

/** An odp port as written: its number, or its name (when OVS printed names). */
export type Port = number | string;

/** An Ethernet address as an unsigned 48-bit number (first byte most significant). */
export type MacAddr = number;
/** An IPv6 address as eight 16-bit words (first word most significant). */
export type Ipv6Addr = readonly number[];

/** The IP fragment type of the `frag=` field (an enumeration; its mask is always exact). */
export type FragType = 'no' | 'first' | 'later';

/** Single 32-bit attributes: `name(value[/mask])`, value and mask printed in hex (`%#x`). */
export interface U32Key {
  kind: 'skb_priority' | 'skb_mark' | 'recirc_id' | 'dp_hash' | 'ct_mark' | 'ct_state';
  value: number;
  mask: number;
}

/** `ct_zone(value[/mask])`, 16 bits. */
export interface CtZoneKey {
  kind: 'ct_zone';
  value: number;
  mask: number;
}

/** `ct_label(value[/mask])`, 128 bits. */
export interface CtLabelKey {
  kind: 'ct_label';
  value: bigint;
  mask: bigint;
}

/** `eth_type(0xNNNN[/0xMMMM])`. */
export interface EthTypeKey {
  kind: 'eth_type';
  value: number;
  mask: number;
}

/** `tcp_flags(...)`: 16 bits; printed as `syn|ack`, `+syn-ack` or `0/0` as OVS does. */
export interface TcpFlagsKey {
  kind: 'tcp_flags';
  value: number;
  mask: number;
}

/** `in_port(port)`; a partial mask (`in_port(5/0xff)`) only with a numeric port. */
export interface InPortKey {
  kind: 'in_port';
  port: Port;
  /** 0xffffffff when exact. */
  mask: number;
}

export interface CtTuple4Key {
  kind: 'ct_tuple4';
  src?: Masked<number>;
  dst?: Masked<number>;
  proto?: Masked<number>;
  tpSrc?: Masked<number>;
  tpDst?: Masked<number>;
}

/** `ct_tuple6(...)`; OVS prints the ports as `src_port=`/`dst_port=` and reads `tp_src=`/`tp_dst=`. */
export interface CtTuple6Key {
  kind: 'ct_tuple6';
  src?: Masked<Ipv6Addr>;
  dst?: Masked<Ipv6Addr>;
  proto?: Masked<number>;
  tpSrc?: Masked<number>;
  tpDst?: Masked<number>;
}

/** One Geneve option `{class=..,type=..,len=..,0xDATA[/0xMASK]}` of a `tunnel(geneve(...))`. */
export interface GeneveOption {
  class?: Masked<number>;
  type?: Masked<number>;
  /** Data length in bytes (a multiple of 4). */
  len?: Masked<number>;
  /** The option data as written (`0x...` hex, as OVS prints it). */
  data?: string;
  /** The data's mask as written, when it was (a partial mask). */
  dataMask?: string;
}

/** `tunnel(...)`: tunnel metadata of packets received on a tunnel port. */
export interface TunnelKey {
  kind: 'tunnel';
  tunId?: Masked<bigint>;
  src?: Masked<number>;
  dst?: Masked<number>;
  ipv6Src?: Masked<Ipv6Addr>;
  ipv6Dst?: Masked<Ipv6Addr>;
  tos?: Masked<number>;
  ttl?: Masked<number>;
  tpSrc?: Masked<number>;
  tpDst?: Masked<number>;
  /** `vxlan(gbp(id=..,flags=..))`. */
  vxlanGbp?: { id?: Masked<number>; flags?: Masked<number> };
  /** `geneve(...)`: the options, possibly none (`geneve()`). */
  geneve?: GeneveOption[];
  /** `erspan(ver=..,idx=..)` or `erspan(ver=..,dir=..,hwid=..)`. */
  erspan?: {
    ver?: Masked<number>;
    /** OVS prints idx's mask whenever the key has a mask, even a full one: kept as written. */
    idx?: { value: number; mask?: number };
    dir?: Masked<number>;
    hwid?: Masked<number>;
  };
  /** `gtpu(flags=..,msgtype=..)`. */
  gtpu?: { flags?: Masked<number>; msgtype?: Masked<number> };
  /** `flags(...)`: bits oam=1, df=2, csum=4, key=8 (FLOW_TNL_F_*). */
  flags?: Masked<number>;
}

export interface PacketTypeKey {
  kind: 'packet_type';
  ns?: Masked<number>;
  id?: Masked<number>;
}

export interface EthKey {
  kind: 'eth';
  src?: Masked<MacAddr>;
  dst?: Masked<MacAddr>;
}

/** `vlan(vid=..,pcp=..[,cfi=0])`: the fields of the 802.1Q TCI. */
export interface VlanKey {
  kind: 'vlan';
  vid?: Masked<number>;
  pcp?: Masked<number>;
  /** Absent means the CFI/"tag present" bit is set and matched (OVS prints nothing then). */
  cfi?: Masked<number>;
}

/** One MPLS label stack entry. */
export interface MplsLse {
  label: Masked<number>;
  tc: Masked<number>;
  ttl: Masked<number>;
  bos: Masked<number>;
}

export interface MplsKey {
  kind: 'mpls';
  lses: MplsLse[];
}

export interface Ipv4Key {
  kind: 'ipv4';
  src?: Masked<number>;
  dst?: Masked<number>;
  proto?: Masked<number>;
  tos?: Masked<number>;
  ttl?: Masked<number>;
  frag?: FragType;
}

export interface Ipv6Key {
  kind: 'ipv6';
  src?: Masked<Ipv6Addr>;
  dst?: Masked<Ipv6Addr>;
  /** 20-bit flow label. */
  label?: Masked<number>;
  proto?: Masked<number>;
  tclass?: Masked<number>;
  hlimit?: Masked<number>;
  frag?: FragType;
}

/** `tcp(...)`, `udp(...)`, `sctp(...)`: the ports. */
export interface L4PortsKey {
  kind: 'tcp' | 'udp' | 'sctp';
  src?: Masked<number>;
  dst?: Masked<number>;
}

export interface IcmpKey {
  kind: 'icmp' | 'icmpv6';
  type?: Masked<number>;
  code?: Masked<number>;
}

export interface ArpKey {
  kind: 'arp';
  sip?: Masked<number>;
  tip?: Masked<number>;
  op?: Masked<number>;
  sha?: Masked<MacAddr>;
  tha?: Masked<MacAddr>;
}

export interface NdKey {
  kind: 'nd';
  target?: Masked<Ipv6Addr>;
  sll?: Masked<MacAddr>;
  tll?: Masked<MacAddr>;
}

export interface NdExtKey {
  kind: 'nd_ext';
  /** Always printed, exact. */
  ndReserved: number;
  ndOptionsType?: Masked<number>;
}

/** `encap(...)`: the attributes inside an 802.1Q (or QinQ) tag. */
export interface EncapKey {
  kind: 'encap';
  keys: KeyAttr[];
}

/** Any other attribute (`nsh(...)`, `keyNN(...)`), kept verbatim: `name(text)`. */
export interface OpaqueKey {
  kind: 'opaque';
  name: string;
  /** What was between the parentheses, verbatim. */
  text: string;
}

/** One attribute of a flow key (match). */
export type KeyAttr =
  | U32Key
  | CtZoneKey
  | CtLabelKey
  | EthTypeKey
  | TcpFlagsKey
  | InPortKey
  | CtTuple4Key
  | CtTuple6Key
  | TunnelKey
  | PacketTypeKey
  | EthKey
  | VlanKey
  | MplsKey
  | Ipv4Key
  | Ipv6Key
  | L4PortsKey
  | IcmpKey
  | ArpKey
  | NdKey
  | NdExtKey
  | EncapKey
  | OpaqueKey;

export type KeyKind = KeyAttr['kind'];

/* ------------------------------------------------------------------------------------------------ */
/* Actions                                                                                            */

export interface OutputAction {
  kind: 'output';
  port: Port;
}

/** An explicit `drop` inside a list; a list that is only `drop` is read as the empty list. */
export interface DropAction {
  kind: 'drop';
}

/**
 * `set(key(...))`. OVS emits a plain set when every field is present and exact, a masked set
 * otherwise; {@link isMaskedSet} tells which.
 */
export interface SetAction {
  kind: 'set';
  key: KeyAttr;
}

export interface PushVlanAction {
  kind: 'push_vlan';
  /** 0x8100 unless written (`tpid=0x88a8`). */
  tpid: number;
  vid: number;
  pcp: number;
  /** 1 unless written as `cfi=0`. */
  cfi: number;
}

export interface MplsLseFields {
  label: number;
  tc: number;
  ttl: number;
  bos: number;
  ethType: number;
}

export interface PushMplsAction extends MplsLseFields {
  kind: 'push_mpls' | 'add_mpls';
}

export interface PopMplsAction {
  kind: 'pop_mpls';
  ethType: number;
}

/** Actions without arguments. `pop_nsh` prints as `pop_nsh()`. */
export interface BareAction {
  kind: 'pop_vlan' | 'ct_clear' | 'pop_eth' | 'pop_nsh';
}

/** An IP address in a NAT range: IPv4 as a number, IPv6 as eight words (an array). */
export type IpAddr = number | Ipv6Addr;

export interface CtNat {
  /** `src` (SNAT), `dst` (DNAT) or neither (plain `nat`). */
  type?: 'src' | 'dst';
  addrMin?: IpAddr;
  addrMax?: IpAddr;
  protoMin?: number;
  protoMax?: number;
  persistent?: boolean;
  hash?: boolean;
  random?: boolean;
}

export interface CtAction {
  kind: 'ct';
  commit?: boolean;
  forceCommit?: boolean;
  /** Omitted when 0 (OVS does not print zone 0). */
  zone?: number;
  mark?: Masked<number>;
  label?: Masked<bigint>;
  helper?: string;
  timeout?: string;
  nat?: CtNat;
}

export interface RecircAction {
  kind: 'recirc';
  id: number;
}

export interface HashAction {
  kind: 'hash';
  alg: 'l4' | 'sym_l4';
  basis: number;
}

/** `meter(N)`, `trunc(N)`, `lb_output(N)`. */
export interface U32Action {
  kind: 'meter' | 'trunc' | 'lb_output';
  value: number;
}

export interface TnlPopAction {
  kind: 'tnl_pop';
  port: Port;
}

export interface CloneAction {
  kind: 'clone';
  actions: Action[];
}

export interface SampleAction {
  kind: 'sample';
  /** OVS's 32-bit probability (UINT32_MAX = always); printed as a percentage with one decimal. */
  probability: number;
  actions: Action[];
}

export interface CheckPktLenAction {
  kind: 'check_pkt_len';
  size: number;
  gt: Action[];
  le: Action[];
}

export interface PushEthAction {
  kind: 'push_eth';
  src: MacAddr;
  dst: MacAddr;
}

/** The cookie of a `userspace(...)` action. */
export type UserspaceCookie =
  | { type: 'sFlow'; vid: number; pcp: number; output: number }
  | { type: 'slow_path'; reasons: string }
  | {
      type: 'flow_sample';
      probability: number;
      collectorSetId: number;
      obsDomainId: number;
      obsPointId: number;
      outputPort: Port;
      direction?: 'ingress' | 'egress';
    }
  | { type: 'ipfix'; outputPort: Port }
  | {
      type: 'controller';
      reason: number;
      dontSend: number;
      continuation: number;
      recircId: number;
      ruleCookie: bigint;
      controllerId: number;
      maxLen: number;
    }
  /** Hex bytes, as printed (`userdata(0102...)`). */
  | { type: 'userdata'; hex: string };

export interface UserspaceAction {
  kind: 'userspace';
  pid: number;
  cookie?: UserspaceCookie;
  actions?: boolean;
  tunnelOutPort?: Port;
}

/** The outer IP header of a `tnl_push` header. */
export type TnlIpHeader =
  | { version: 4; src: number; dst: number; proto: number; tos: number; ttl: number; frag: number }
  | { version: 6; src: Ipv6Addr; dst: Ipv6Addr; label: number; proto: number; tclass: number; hlimit: number };

/** The tunnel protocol part of a `tnl_push` header. */
export type TnlProtoHeader =
  | { type: 'vxlan'; udp: TnlUdp; flags: number; vni: number }
  | { type: 'geneve'; udp: TnlUdp; oam: boolean; crit: boolean; vni: number; /** verbatim */ options?: string }
  | { type: 'gtpu'; udp: TnlUdp; flags: number; msgtype: number; teid: number }
  | { type: 'gre'; flags: number; proto: number; csum?: number; key?: number; seq?: number }
  | { type: 'erspan'; ver: 1; sid: number; idx: number }
  | { type: 'erspan'; ver: 2; sid: number; dir: number; hwid: number };

export interface TnlUdp {
  src: number;
  dst: number;
  csum: number;
}

export interface TnlPushHeader {
  size: number;
  /** OVS_VPORT_TYPE_*: 3 gre, 4 vxlan, 5 geneve, ... */
  type: number;
  ethDst: MacAddr;
  ethSrc: MacAddr;
  dlType: number;
  ip: TnlIpHeader;
  tunnel: TnlProtoHeader;
}

export interface TnlPushAction {
  kind: 'tnl_push';
  tnlPort: Port;
  header: TnlPushHeader;
  outPort: Port;
}

/** Anything else (`push_nsh(...)`, `set(nsh(...))` forms OVS cannot re-read, `actionNN(..)`), verbatim. */
export interface OpaqueAction {
  kind: 'opaque';
  text: string;
}

export type Action =
  | OutputAction
  | DropAction
  | SetAction
  | PushVlanAction
  | PushMplsAction
  | PopMplsAction
  | BareAction
  | CtAction
  | RecircAction
  | HashAction
  | U32Action
  | TnlPopAction
  | CloneAction
  | SampleAction
  | CheckPktLenAction
  | PushEthAction
  | UserspaceAction
  | TnlPushAction
  | OpaqueAction;

export type ActionKind = Action['kind'];

/* ------------------------------------------------------------------------------------------------ */
/* Whole flows                                                                                        */

/**
 * A flow's statistics. `packets` and `bytes` are OVS's uint64 counters (a byte counter passes 2^53
 * after about 8 days at 100 Gb/s): a number while at most Number.MAX_SAFE_INTEGER, a bigint above
 * it, up to 2^64-1. The parser returns exactly that form; the formatter also takes a bigint for a
 * small value.
 */
export interface FlowStats {
  packets: number | bigint;
  bytes: number | bigint;
  /** Milliseconds since last use (`used:1.712s` = 1712), or null for `used:never`. */
  usedMs: number | null;
  /** TCP flags seen (`flags:S.`); 0 when none (then not printed). */
  tcpFlags: number;
}

/** One datapath flow, as one line of `dpctl/dump-flows -m`. */
export interface DpFlow {
  /** Lowercase UUID text, without `ufid:`. */
  ufid?: string;
  match: KeyAttr[];
  stats?: FlowStats;
  /** `offloaded:yes` / `offloaded:partial`. */
  offloaded?: string;
  /** `dp:ovs`, `dp:tc`, ... */
  dp?: string;
  actions: Action[];
  /** Everything after `dp-extra-info:`, verbatim. */
  dpExtraInfo?: string;
}
