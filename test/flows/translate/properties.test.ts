/**
 * Properties over generated megaflows: translation never throws; offloadable-shaped megaflows (IP
 * flows with masks anywhere, one output or none) always translate into rules that the native
 * encoder accepts in every trial variant and that render as testpmd text; a spec never has a bit
 * outside its mask, and no field is written under a zero mask.
 */
import test from 'ava';
import fc from 'fast-check';
import { formatIpv4, formatIpv6, formatMac, formatMatch } from '../../../src/flows/odp';
import {
  decodeMark, renderTestpmd, translateFlow, trialVariants, withVariant, type PortLookup,
} from '../../../src/flows/translate';
import { encodeRules } from '../../../src/native/rule-encoder';
import type { PatternItem } from '../../../src/native/rule-spec';
import { flow as anyFlow } from '../arbitraries';
import { flow, ports } from './helpers';

const PORTS: PortLookup = ports({ 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5 }, { p1: 1, p2: 2 });

test('any flow the ODP model can hold: translateFlow returns a result, never throws', (t) => {
  fc.assert(
    fc.property(anyFlow, fc.integer({ min: 0, max: 0xffff }), (f, flowId) => {
      const r = translateFlow(f, PORTS, { flowId });
      return r.ok ? r.rule.pattern.length > 0 : typeof r.reason === 'string' && r.reason.length > 0;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

const u = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max });
/** `v`, `v/m` with a random, zero or full mask. */
function masked(max: number, fmt: (v: number) => string = String): fc.Arbitrary<string> {
  return fc.tuple(u(max), fc.oneof(fc.constant(max), fc.constant(0), u(max))).map(([v, m]) => (m === max ? fmt(v) : `${fmt(v)}/${fmt(m)}`));
}
const hex = (v: number): string => `0x${v.toString(16)}`;
const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.oneof(fc.uint8Array({ minLength: n, maxLength: n }), fc.constant(new Uint8Array(n)), fc.constant(new Uint8Array(n).fill(255)));
const mac = fc.tuple(bytes(6), bytes(6)).map(([v, m]) => `${formatMac(v)}/${formatMac(m)}`);
const ip4 = fc.tuple(u(0xffffffff), u(0xffffffff)).map(([v, m]) => `${formatIpv4(v)}/${formatIpv4(m)}`);
const ip6 = fc.tuple(bytes(16), bytes(16)).map(([v, m]) => `${formatIpv6(v)}/${formatIpv6(m)}`);
const frag = fc.constantFrom('', ',frag=no');

const l4v4 = fc.oneof(
  fc.tuple(masked(0xffff), masked(0xffff)).map(([s, d]) => ({ proto: 17, text: `,udp(src=${s},dst=${d})` })),
  fc.tuple(masked(0xffff), masked(0xffff), fc.option(fc.tuple(u(0xff), u(0xff)))).map(([s, d, f]) => ({
    proto: 6,
    text: `,tcp(src=${s},dst=${d})` + (f === null ? '' : `,tcp_flags(${hex(f[0] & f[1])}/${hex(f[1])})`),
  })),
  fc.tuple(masked(0xffff), masked(0xffff)).map(([s, d]) => ({ proto: 132, text: `,sctp(src=${s},dst=${d})` })),
  fc.tuple(masked(0xff), masked(0xff)).map(([ty, c]) => ({ proto: 1, text: `,icmp(type=${ty},code=${c})` })),
  fc.constantFrom({ proto: 47, text: '' }, { proto: 0, text: '' }),
);
const l3v4 = fc.tuple(ip4, ip4, masked(0xff, hex), masked(0xff), fc.boolean(), frag, l4v4).map(([s, d, tos, ttl, exactProto, fr, l4]) =>
  `eth_type(0x0800),ipv4(src=${s},dst=${d},proto=${l4.proto}${exactProto ? '' : '/0'},tos=${tos},ttl=${ttl}${fr})${l4.text}`,
);
const l4v6 = fc.oneof(
  fc.tuple(masked(0xffff), masked(0xffff)).map(([s, d]) => ({ proto: 17, text: `,udp(src=${s},dst=${d})` })),
  fc.tuple(masked(0xff), masked(0xff)).map(([ty, c]) => ({ proto: 58, text: `,icmpv6(type=${ty},code=${c})` })),
  fc.constant({ proto: 6, text: '' }),
);
const l3v6 = fc.tuple(ip6, ip6, masked(0xff, hex), masked(0xff), frag, l4v6).map(([s, d, tc, hl, fr, l4]) =>
  `eth_type(0x86dd),ipv6(src=${s},dst=${d},label=0/0,proto=${l4.proto},tclass=${tc},hlimit=${hl}${fr})${l4.text}`,
);
const l3 = fc.oneof(l3v4, l3v6, fc.constant('eth_type(0x88cc)'));
const vlanWrapped = fc.tuple(masked(0xfff), masked(7), l3).map(([vid, pcp, inner]) => `eth_type(0x8100),vlan(vid=${vid},pcp=${pcp}),encap(${inner})`);
const offloadableMatch = fc.tuple(fc.integer({ min: 1, max: 6 }), mac, mac, fc.oneof(l3, vlanWrapped)).map(([inPort, src, dst, rest]) =>
  `skb_priority(0/0),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),recirc_id(0),dp_hash(0/0),in_port(${inPort}),packet_type(ns=0,id=0),eth(src=${src},dst=${dst}),${rest}`,
);
const offloadableActions = fc.oneof(fc.constant('drop'), fc.integer({ min: 1, max: 6 }).map(String), fc.integer({ min: 7, max: 0x7fff }).map(String));

/** A spec bit outside its mask, or a field under a zero mask: the rule would say more than the megaflow. */
function tidy(item: PatternItem): string | undefined {
  if (item.type === 'END' || item.spec === undefined) return undefined;
  const spec = item.spec as Record<string, unknown>;
  const mask = (item.mask ?? {}) as Record<string, unknown>;
  for (const [k, m] of Object.entries(mask)) {
    if (m === 0 || m === '0.0.0.0' || m === '::' || m === '00:00:00:00:00:00') return `${item.type}.${k} under a zero mask`;
    const v = spec[k];
    if (typeof m === 'number' && typeof v === 'number' && (v & ~m) !== 0) return `${item.type}.${k} spec ${v} outside mask ${m}`;
  }
  for (const k of Object.keys(spec)) if (!(k in mask)) return `${item.type}.${k} without a mask`;
  return undefined;
}

test('offloadable-shaped megaflows translate, encode in every variant, render, and say no more than the megaflow', (t) => {
  fc.assert(
    fc.property(offloadableMatch, offloadableActions, fc.integer({ min: 0, max: 0xffff }), (m, a, flowId) => {
      const f = flow(m, a);
      const r = translateFlow(f, PORTS, { flowId });
      if (!r.ok) throw new Error(`${formatMatch(f.match)} actions:${a}: ${r.reason}`);
      for (const it of r.rule.pattern) {
        const problem = tidy(it);
        if (problem !== undefined) throw new Error(`${m}: ${problem}`);
      }
      const variants = trialVariants(true, r.fate).concat(trialVariants(false, r.fate)).map((v) => withVariant(r.rule, v));
      const enc = encodeRules(variants);
      if (enc.failures.size !== 0) throw new Error(`${m}: encoder refused: ${[...enc.failures.values()].map((e) => e.message).join('; ')}`);
      for (const v of variants) if (!renderTestpmd(v.attr.port, v).startsWith(`flow create ${r.inPort.dpdkPortId} ingress pattern eth `)) return false;
      if (r.mark !== null) {
        const d = decodeMark(r.mark, new Map([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6]]));
        if (d.flowId !== flowId || d.outPort !== Number(a)) return false;
      }
      return r.rule.pattern[r.rule.pattern.length - 1].type === 'END';
    }),
    { numRuns: 1000 },
  );
  t.pass();
});
