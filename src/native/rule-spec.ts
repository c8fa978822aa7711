/**
 * Flow rule specifications: plain, fully resolved objects that say exactly what rte_flow receives.
 *
 * A {@link RuleSpec} is what the offload engine builds from a megaflow and what every backend
 * (soft NIC, DPDK) takes. It mirrors DPDK 22.11's `rte_flow_create(port, attr, pattern, actions)`:
 *
 * - `attr`: `struct rte_flow_attr` plus the port the rule is created on.
 * - `pattern`: `struct rte_flow_item[]`, lowest layer first. Each item has an optional `spec` and
 *   `mask` object with one property per header field (camelCase names of the DPDK 22.11 fields,
 *   listed on each type below). As in rte_flow:
 *   - no `spec`: the item matches any header of its type (the header must be present);
 *   - a `spec` without `mask`: the item type's default mask applies (DPDK's `rte_flow_item_*_mask`,
 *     noted "default" below); fields left out of the default mask are not matched;
 *   - a `mask` without `spec` is an error;
 *   - a field left out of `spec` is 0, left out of `mask` is not matched; so a spec without a mask
 *     matches 0 in every default-mask field it leaves out (IPV4 `{ spec: { src } }` also requires
 *     dst 0.0.0.0): give a mask unless the default mask is what is meant;
 *   - `spec` bits outside the mask are ignored.
 *   An optional trailing `{ type: 'END' }` is accepted; nothing may follow it. Ranges (`last`) are
 *   not supported.
 * - `actions`: `struct rte_flow_action[]`, with an optional trailing END.
 *
 * Value conventions: integers are host numbers (they are written in network byte order for
 * the NIC); MAC addresses are strings `"00:11:22:33:44:55"`, IPv4 `"192.0.2.1"`, IPv6 any RFC 4291
 * text form (`"2001:db8::1"`, `"::ffff:192.0.2.1"`); a mask address uses the same forms
 * (`"255.255.255.0"`, `"ffff:ffff::"`). Addresses may also be given as a Uint8Array of 6, 4 or 16
 * bytes. One-bit flags take `0`/`1` or `false`/`true`.
 *
 * Rules for the original OVS offload (DESIGN.md §1) look like:
 * ```ts
 * const rule: RuleSpec = {
 *   attr: { port: 0, group: 0, priority: 0, ingress: true },
 *   pattern: [
 *     { type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } },
 *     { type: 'IPV4', spec: { src: '192.168.1.2', dst: '192.168.1.8', fragmentOffset: 0 },
 *       mask: { src: '255.255.255.255', dst: '255.255.255.255', fragmentOffset: 0x3fff } },
 *     { type: 'UDP', spec: { srcPort: 10025, dstPort: 10026 }, mask: { srcPort: 0xffff, dstPort: 0xffff } },
 *     { type: 'END' },
 *   ],
 *   actions: [{ type: 'COUNT' }, { type: 'MARK', id: 65539 }, { type: 'END' }],
 * };
 * ```
 */

/** A MAC address: `"00:11:22:33:44:55"` (also `-` separated) or 6 bytes. */
export type MacAddress = string | Uint8Array;
/** An IPv4 address: `"192.0.2.1"` or 4 bytes (network order). */
export type Ipv4Address = string | Uint8Array;
/** An IPv6 address: any RFC 4291 text form or 16 bytes. */
export type Ipv6Address = string | Uint8Array;
/** A one-bit flag. */
export type Bit = 0 | 1 | boolean;

/** `struct rte_flow_attr` and the port the rule is created on. */
export interface RuleAttributes {
  /** Port the rule is created on: the DPDK port id (`rte_flow_create(port_id, ...)`). */
  port: number;
  /** Flow group (0 is the root group; only group 0 sees packets without a JUMP). */
  group: number;
  /** Priority inside the group: 0 is the highest. */
  priority: number;
  /** Applies to incoming traffic. */
  ingress: boolean;
  /** Applies to outgoing traffic. Default false. */
  egress?: boolean;
  /** Applies at the embedded switch level (transfer). Default false. */
  transfer?: boolean;
}

/**
 * PORT: the input port index, for rules that remap traffic of a (virtual) port of the NIC
 * (DESIGN.md: a `hw-port-id` different from the DPDK port id). DPDK 22.11 has no PORT item any
 * more; the dpdk backend sends it as `RTE_FLOW_ITEM_TYPE_PORT_ID` with `id = index`.
 * Default mask: index.
 */
export interface PortFields {
  index?: number;
}

/** ETH (`rte_flow_item_eth`). Default mask: dst, src. */
export interface EthFields {
  dst?: MacAddress;
  src?: MacAddress;
  /** EtherType, or the TPID when a VLAN item follows (`hdr.ether_type`). */
  type?: number;
  /** 1: the frame carries at least one VLAN tag; 0: it carries none (`has_vlan`). */
  hasVlan?: Bit;
}

/** VLAN (`rte_flow_item_vlan`): the outer 802.1Q/802.1ad tag. Default mask: tci 0x0fff (the VID). */
export interface VlanFields {
  /** Tag control information: PCP (3 bits), DEI (1), VID (12) (`hdr.vlan_tci`). */
  tci?: number;
  /** EtherType (or TPID) that follows the tag (`hdr.eth_proto`, formerly `inner_type`). */
  innerType?: number;
  /** 1: another VLAN tag follows this one (`has_more_vlan`). */
  hasMoreVlan?: Bit;
}

/** IPV4 (`rte_flow_item_ipv4`, the fields of `struct rte_ipv4_hdr`). Default mask: src, dst. */
export interface Ipv4Fields {
  /** Version (4 bits) and header length in 32-bit words (4 bits) (`version_ihl`). */
  versionIhl?: number;
  /** Type of service / DSCP+ECN (`type_of_service`). */
  tos?: number;
  totalLength?: number;
  packetId?: number;
  /** Flags (3 bits: reserved, DF, MF) and fragment offset (13 bits) (`fragment_offset`).
   *  Non-fragments only: spec 0, mask 0x3fff. */
  fragmentOffset?: number;
  /** Time to live (`time_to_live`). */
  ttl?: number;
  /** Protocol (`next_proto_id`). */
  proto?: number;
  checksum?: number;
  src?: Ipv4Address;
  dst?: Ipv4Address;
}

/**
 * IPV6 (`rte_flow_item_ipv6`: `struct rte_ipv6_hdr` plus extension header flags).
 * `tc` and `flowLabel` are the traffic class and flow label parts of `vtc_flow`.
 * Default mask: src, dst.
 */
export interface Ipv6Fields {
  /** Traffic class (bits 20..27 of `vtc_flow`). */
  tc?: number;
  /** Flow label (bits 0..19 of `vtc_flow`). */
  flowLabel?: number;
  payloadLen?: number;
  /** Next header (`proto`). The soft NIC matches the upper-layer protocol found after the
   *  extension headers it knows. */
  proto?: number;
  hopLimits?: number;
  src?: Ipv6Address;
  dst?: Ipv6Address;
  hasHopExt?: Bit;
  hasRouteExt?: Bit;
  /** 1: the packet has a Fragment header; 0 (under mask 1): it has none (non-fragments only). */
  hasFragExt?: Bit;
  hasAuthExt?: Bit;
  hasEspExt?: Bit;
  hasDestExt?: Bit;
  hasMobilExt?: Bit;
  hasHipExt?: Bit;
  hasShim6Ext?: Bit;
}

/** ICMP (`rte_flow_item_icmp`, `struct rte_icmp_hdr`). Default mask: type, code. */
export interface IcmpFields {
  type?: number;
  code?: number;
  checksum?: number;
  /** Identifier (`icmp_ident`). */
  ident?: number;
  /** Sequence number (`icmp_seq_nb`). */
  seq?: number;
}

/** ICMP6 (`rte_flow_item_icmp6`). Default mask: type, code. */
export interface Icmp6Fields {
  type?: number;
  code?: number;
  checksum?: number;
}

/** UDP (`rte_flow_item_udp`, `struct rte_udp_hdr`). Default mask: srcPort, dstPort. */
export interface UdpFields {
  srcPort?: number;
  dstPort?: number;
  /** `dgram_len`. */
  length?: number;
  /** `dgram_cksum`. */
  checksum?: number;
}

/** TCP (`rte_flow_item_tcp`, `struct rte_tcp_hdr`). Default mask: srcPort, dstPort. */
export interface TcpFields {
  srcPort?: number;
  dstPort?: number;
  /** `sent_seq`. */
  seq?: number;
  /** `recv_ack`. */
  ack?: number;
  /** Data offset (upper 4 bits) and reserved bits (`data_off`). */
  dataOff?: number;
  /** `tcp_flags`: CWR ECE URG ACK PSH RST SYN FIN, most significant first. */
  flags?: number;
  /** `rx_win`. */
  window?: number;
  /** `cksum`. */
  checksum?: number;
  /** `tcp_urp`. */
  urgent?: number;
}

/** SCTP (`rte_flow_item_sctp`, `struct rte_sctp_hdr`). Default mask: srcPort, dstPort. */
export interface SctpFields {
  srcPort?: number;
  dstPort?: number;
  /** Verification tag. */
  tag?: number;
  /** `cksum`. */
  checksum?: number;
}

interface Item<T extends string, F> {
  type: T;
  spec?: F;
  mask?: F;
}

export type PortItem = Item<'PORT', PortFields>;
export type EthItem = Item<'ETH', EthFields>;
export type VlanItem = Item<'VLAN', VlanFields>;
export type Ipv4Item = Item<'IPV4', Ipv4Fields>;
export type Ipv6Item = Item<'IPV6', Ipv6Fields>;
export type IcmpItem = Item<'ICMP', IcmpFields>;
export type Icmp6Item = Item<'ICMP6', Icmp6Fields>;
export type UdpItem = Item<'UDP', UdpFields>;
export type TcpItem = Item<'TCP', TcpFields>;
export type SctpItem = Item<'SCTP', SctpFields>;
/** Ends the pattern (optional as the last element). */
export interface EndItem {
  type: 'END';
}

/**
 * One pattern item. Items stack from the lowest layer up without gaps (ETH, then optionally VLAN,
 * then IPV4 or IPV6, then one of UDP/TCP/SCTP/ICMP/ICMP6); lower layers may be left out at the
 * bottom. PORT (a meta item) may sit anywhere.
 */
export type PatternItem =
  | PortItem
  | EthItem
  | VlanItem
  | Ipv4Item
  | Ipv6Item
  | IcmpItem
  | Icmp6Item
  | UdpItem
  | TcpItem
  | SctpItem
  | EndItem;

export type ItemName = Exclude<PatternItem['type'], 'END'>;

/** MARK (`rte_flow_action_mark`): tag matching packets with `id` (delivered in the mbuf). */
export interface MarkAction {
  type: 'MARK';
  id: number;
}

/** COUNT (`rte_flow_action_count`): count hits and bytes, read with query(). */
export interface CountAction {
  type: 'COUNT';
  /** Counter id (`id`), default 0. */
  id?: number;
}

/** QUEUE (`rte_flow_action_queue`): deliver to receive queue `index`. A fate action. */
export interface QueueAction {
  type: 'QUEUE';
  index: number;
}

/** DROP: drop matching packets. A fate action. */
export interface DropAction {
  type: 'DROP';
}

/** `enum rte_eth_hash_function`. */
export type RssHashFunction = 'DEFAULT' | 'TOEPLITZ' | 'SIMPLE_XOR' | 'SYMMETRIC_TOEPLITZ';

/** RSS (`rte_flow_action_rss`): spread matching packets over `queues`. A fate action. */
export interface RssAction {
  type: 'RSS';
  queues: readonly number[];
  /** Default 'DEFAULT'. */
  func?: RssHashFunction;
  /** Encapsulation level: 0 default, 1 outermost, 2+ inner. Default 0. */
  level?: number;
  /** `RTE_ETH_RSS_*` bits (64-bit: use a bigint above 2^53). Default 0 (the PMD's choice). */
  types?: number | bigint;
  /** Hash key; absent: the PMD's default key. */
  key?: Uint8Array;
}

/** PORT_ID (`rte_flow_action_port_id`): send matching packets to DPDK port `id`. A fate action. */
export interface PortIdAction {
  type: 'PORT_ID';
  id: number;
  /** Use the original DPDK port id if possible. Default false. */
  original?: boolean;
}

/** Ends the action list (optional as the last element). */
export interface EndAction {
  type: 'END';
}

export type Action = MarkAction | CountAction | QueueAction | DropAction | RssAction | PortIdAction | EndAction;

export type ActionName = Exclude<Action['type'], 'END'>;

/** A complete rule, as `rte_flow_create(attr.port, &attr, pattern, actions)` receives it. */
export interface RuleSpec {
  attr: RuleAttributes;
  pattern: readonly PatternItem[];
  actions: readonly Action[];
}
