/**
 * fast-check generators of megaflow text whose shape mark mode can offload (in_port 1..6, MACs,
 * IPv4 or IPv6 with masks anywhere, an optional L4 header, optionally inside a VLAN), as
 * `dpctl/dump-flows` prints them. Values and masks are random, zero or full.
 */
import fc from 'fast-check';

const u = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max });
function masked(max: number): fc.Arbitrary<string> {
  return fc.tuple(u(max), fc.oneof(fc.constant(max), fc.constant(0), u(max))).map(([v, m]) => (m === max ? String(v) : `${v}/${m}`));
}
const hexByte = (n: number): string => n.toString(16).padStart(2, '0');
const macText = fc.array(u(255), { minLength: 6, maxLength: 6 }).map((b) => b.map(hexByte).join(':'));
const macMask = fc.oneof(fc.constant('ff:ff:ff:ff:ff:ff'), fc.constant('00:00:00:00:00:00'), macText);
const ip4 = fc.tuple(u(0xffffffff), fc.oneof(fc.constant(0xffffffff), fc.constant(0), u(0xffffffff)))
  .map(([v, m]) => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`);
const ip6Word = fc.oneof(fc.constant(0), fc.constant(0xffff), u(0xffff)).map((w) => w.toString(16));
const ip6 = fc.tuple(fc.array(ip6Word, { minLength: 8, maxLength: 8 }), fc.array(ip6Word, { minLength: 8, maxLength: 8 })).map(([v, m]) => `${v.join(':')}/${m.join(':')}`);
const frag = fc.constantFrom('', ',frag=no');
const l4v4 = fc.oneof(
  fc.tuple(masked(0xffff), masked(0xffff)).map(([s, d]) => `,udp(src=${s},dst=${d})`),
  fc.tuple(masked(0xffff), masked(0xffff), fc.option(fc.tuple(u(0xff), u(0xff)))).map(([s, d, f]) =>
    `,tcp(src=${s},dst=${d})` + (f === null ? '' : `,tcp_flags(0x${(f[0] & f[1]).toString(16)}/0x${f[1].toString(16)})`)),
  fc.tuple(masked(0xffff), masked(0xffff)).map(([s, d]) => `,sctp(src=${s},dst=${d})`),
  fc.tuple(masked(0xff), masked(0xff)).map(([ty, c]) => `,icmp(type=${ty},code=${c})`),
  fc.constant(''),
);
const l3 = fc.oneof(
  fc.tuple(ip4, ip4, masked(0xff), masked(0xff), fc.constantFrom(6, 17, 132, 1, 47), fc.boolean(), frag, l4v4).map(([s, d, tos, ttl, proto, exact, fr, l4]) =>
    `eth_type(0x0800),ipv4(src=${s},dst=${d},proto=${proto}${exact ? '' : '/0xf0'},tos=${tos},ttl=${ttl}${fr})${l4}`),
  fc.tuple(ip6, ip6, masked(0xff), masked(0xff), fc.constantFrom(17, 58, 6), frag, fc.constantFrom('', ',udp(src=1,dst=2/0xff)', ',icmpv6(type=128,code=0)')).map(
    ([s, d, tc, hl, proto, fr, l4]) => `eth_type(0x86dd),ipv6(src=${s},dst=${d},label=0/0,proto=${proto},tclass=${tc},hlimit=${hl}${fr})${l4}`,
  ),
  fc.constant('eth_type(0x88cc)'),
);
const vlanWrapped = fc.tuple(masked(0xfff), masked(7), l3).map(([vid, pcp, inner]) => `eth_type(0x8100),vlan(vid=${vid},pcp=${pcp}),encap(${inner})`);
/** The match text of an offloadable-shaped megaflow. */
export const offloadableMatch: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1, max: 6 }), macText, macMask, macText, macMask, fc.oneof(l3, vlanWrapped)).map(
  ([inPort, s, sm, d, dm, rest]) => `recirc_id(0),in_port(${inPort}),eth(src=${s}/${sm},dst=${d}/${dm}),${rest}`,
);

/** Actions of such a flow: drop, or one output (some ports without a hw-port-id in the tests' maps). */
export const offloadableActions: fc.Arbitrary<string> = fc.oneof(fc.constant('drop'), fc.integer({ min: 1, max: 0x7fff }).map(String));
