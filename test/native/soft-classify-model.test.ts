/**
 * Property tests of the soft NIC's classifier against a reference model written here: random rules
 * over many masks and priorities, random packets, random deletions. The model never parses bytes:
 * it matches each rule's constraints against the values the packet was built from, by linear scan.
 * Plus fuzzing: random and mutated frames never crash the parser and never hit when malformed.
 */
import test from 'ava';
import fc from 'fast-check';
import type { PatternItem, RuleSpec } from '../../src/native/rule-spec';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { eth, ipv4, ipv6, tcp, udp } from './helpers/packets';

const V4 = ['10.0.0.1', '10.0.0.2', '10.0.1.1', '11.0.0.1'];
const V6 = ['2001:db8::1', '2001:db8::2', '2001:db8:0:1::1', '2001:db9::1'];
const PORTS = [0x1234, 0x1299, 0x5678, 0x56ff];

interface Packet {
  vid: number | undefined;
  l3: 'ipv4' | 'ipv6';
  src: number;
  dst: number;
  tos: number;
  l4: 'udp' | 'tcp' | 'none';
  sport: number;
  dport: number;
}

/** A field constraint: the packet's value under `mask` equals `value` under `mask` (on numbers). */
interface Constraint {
  mask: number;
  value: number;
}

interface RuleDesc {
  priority: number;
  hasVlan: 0 | 1 | undefined;
  vlan: boolean;
  vid: number | undefined;
  l3: 'ipv4' | 'ipv6' | undefined;
  src: [number, number] | undefined; // [value index, prefix level 1..2]
  dst: [number, number] | undefined;
  tos: number | undefined;
  l4: 'udp' | 'tcp' | undefined;
  sport: Constraint | undefined;
  dport: Constraint | undefined;
}

const arbPacket: fc.Arbitrary<Packet> = fc.record({
  vid: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  l3: fc.constantFrom('ipv4' as const, 'ipv6' as const),
  src: fc.integer({ min: 0, max: 3 }),
  dst: fc.integer({ min: 0, max: 3 }),
  tos: fc.constantFrom(0, 0x10),
  l4: fc.constantFrom('udp' as const, 'tcp' as const, 'none' as const),
  sport: fc.constantFrom(...PORTS),
  dport: fc.constantFrom(...PORTS),
});

const arbPortConstraint = fc.option(
  fc.record({ mask: fc.constantFrom(0xff00, 0xffff), value: fc.constantFrom(...PORTS) }),
  { nil: undefined },
);
const arbAddr = fc.option(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 2 })), { nil: undefined });

const arbRule: fc.Arbitrary<RuleDesc> = fc
  .record({
    priority: fc.integer({ min: 0, max: 3 }),
    hasVlan: fc.constantFrom(0 as const, 1 as const, undefined),
    vlan: fc.boolean(),
    vid: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    l3: fc.constantFrom('ipv4' as const, 'ipv6' as const, undefined),
    src: arbAddr,
    dst: arbAddr,
    tos: fc.option(fc.constantFrom(0, 0x10), { nil: undefined }),
    l4: fc.constantFrom('udp' as const, 'tcp' as const, undefined),
    sport: arbPortConstraint,
    dport: arbPortConstraint,
  })
  .map((r) => {
    // keep the rule well-formed: no has_vlan 0 with a VLAN item, L3 fields only with an L3 item, L4 only over L3
    const vlan = r.vlan && r.hasVlan !== 0;
    const l3 = r.l3;
    const l4 = l3 ? r.l4 : undefined;
    return {
      ...r,
      vlan,
      vid: vlan ? r.vid : undefined,
      src: l3 ? r.src : undefined,
      dst: l3 ? r.dst : undefined,
      tos: l3 ? r.tos : undefined,
      l4,
      sport: l4 ? r.sport : undefined,
      dport: l4 ? r.dport : undefined,
    };
  });

function v4Mask(level: number): string {
  return level === 1 ? '255.255.255.0' : '255.255.255.255';
}
function v6Mask(level: number): string {
  return level === 1 ? 'ffff:ffff:ffff:ffff::' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
}

/** The address a packet or rule uses, as a comparable string under the prefix level (0: none). */
function addrKey(l3: 'ipv4' | 'ipv6', index: number, level: number): string {
  if (l3 === 'ipv4') {
    const parts = V4[index].split('.');
    return level === 1 ? parts.slice(0, 3).join('.') : V4[index];
  }
  // V6 values differ within the first 64 bits only for index 2 and 3
  const full = V6[index];
  return level === 1 ? ['2001:db8::', '2001:db8::', '2001:db8:0:1::', '2001:db9::'][index] : full;
}

function toSpec(r: RuleDesc): RuleSpec {
  const pattern: PatternItem[] = [];
  if (r.hasVlan !== undefined) pattern.push({ type: 'ETH', spec: { hasVlan: r.hasVlan }, mask: { hasVlan: 1 } });
  else pattern.push({ type: 'ETH' });
  if (r.vlan) pattern.push(r.vid === undefined ? { type: 'VLAN' } : { type: 'VLAN', spec: { tci: r.vid }, mask: { tci: 0x0fff } });
  if (r.l3 === 'ipv4') {
    pattern.push({
      type: 'IPV4',
      spec: { src: r.src ? V4[r.src[0]] : undefined, dst: r.dst ? V4[r.dst[0]] : undefined, tos: r.tos },
      mask: { src: r.src ? v4Mask(r.src[1]) : undefined, dst: r.dst ? v4Mask(r.dst[1]) : undefined, tos: r.tos === undefined ? undefined : 0xff },
    });
  } else if (r.l3 === 'ipv6') {
    pattern.push({
      type: 'IPV6',
      spec: { src: r.src ? V6[r.src[0]] : undefined, dst: r.dst ? V6[r.dst[0]] : undefined, tc: r.tos },
      mask: { src: r.src ? v6Mask(r.src[1]) : undefined, dst: r.dst ? v6Mask(r.dst[1]) : undefined, tc: r.tos === undefined ? undefined : 0xff },
    });
  }
  if (r.l4) {
    pattern.push({
      type: r.l4 === 'udp' ? 'UDP' : 'TCP',
      spec: { srcPort: r.sport?.value, dstPort: r.dport?.value },
      mask: { srcPort: r.sport?.mask, dstPort: r.dport?.mask },
    });
  }
  return { attr: { port: 0, group: 0, priority: r.priority, ingress: true }, pattern, actions: [{ type: 'COUNT' }] };
}

function frameOf(p: Packet): Uint8Array {
  const l4 = p.l4 === 'udp' ? udp(p.sport, p.dport) : p.l4 === 'tcp' ? tcp(p.sport, p.dport) : [0, 0, 0x65, 0x58];
  const proto = p.l4 === 'udp' ? 17 : p.l4 === 'tcp' ? 6 : 47;
  const vlans = p.vid === undefined ? undefined : [{ tci: 0x2000 | p.vid }];
  if (p.l3 === 'ipv4') return eth({ type: 0x0800, vlans }, ipv4({ src: V4[p.src], dst: V4[p.dst], proto, tos: p.tos }, l4));
  return eth({ type: 0x86dd, vlans }, ipv6({ src: V6[p.src], dst: V6[p.dst], proto, tc: p.tos }, l4));
}

/** The reference: does rule r match packet p? */
function matches(r: RuleDesc, p: Packet): boolean {
  if (r.hasVlan !== undefined && (p.vid !== undefined ? 1 : 0) !== r.hasVlan) return false;
  if (r.vlan && p.vid === undefined) return false;
  if (r.vid !== undefined && p.vid !== r.vid) return false;
  if (r.l3 !== undefined) {
    if (p.l3 !== r.l3) return false;
    if (r.src && addrKey(p.l3, p.src, r.src[1]) !== addrKey(r.l3, r.src[0], r.src[1])) return false;
    if (r.dst && addrKey(p.l3, p.dst, r.dst[1]) !== addrKey(r.l3, r.dst[0], r.dst[1])) return false;
    if (r.tos !== undefined && p.tos !== r.tos) return false;
  }
  if (r.l4 !== undefined) {
    if (p.l4 !== r.l4) return false;
    if (r.sport && (p.sport & r.sport.mask) !== (r.sport.value & r.sport.mask)) return false;
    if (r.dport && (p.dport & r.dport.mask) !== (r.dport.value & r.dport.mask)) return false;
  }
  return true;
}

/** Rules with the same canonical form have the same match; equal priority too makes a duplicate. */
function canonical(r: RuleDesc): string {
  const addr = (a: [number, number] | undefined): string | undefined => (a && r.l3 ? `${addrKey(r.l3, a[0], a[1])}/${a[1]}` : undefined);
  const port = (c: Constraint | undefined): string | undefined => (c ? `${c.value & c.mask}/${c.mask}` : undefined);
  return JSON.stringify([r.priority, r.hasVlan, r.vlan, r.vid, r.l3, addr(r.src), addr(r.dst), r.tos, r.l4, port(r.sport), port(r.dport)]);
}

interface ModelRule {
  desc: RuleDesc;
  handle: number;
  order: number;
}

function expectedHit(live: ModelRule[], p: Packet): number {
  let best: ModelRule | undefined;
  for (const m of live) {
    if (!matches(m.desc, p)) continue;
    if (!best || m.desc.priority < best.desc.priority || (m.desc.priority === best.desc.priority && m.order < best.order)) best = m;
  }
  return best ? best.handle : 0;
}

test('classification equals a linear-scan reference, across creates, deletes and re-creates', (t) => {
  fc.assert(
    fc.property(
      fc.array(arbRule, { minLength: 1, maxLength: 40 }),
      fc.array(arbRule, { maxLength: 10 }),
      fc.array(arbPacket, { minLength: 1, maxLength: 40 }),
      fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      (first, second, packets, kill) => {
        const b = new SoftNicBackend('full');
        try {
          const live: ModelRule[] = [];
          let order = 0;
          const createAll = (descs: RuleDesc[]): void => {
            const results = b.create(descs.map(toSpec));
            descs.forEach((desc, i) => {
              const r = results[i];
              const dup = live.some((m) => canonical(m.desc) === canonical(desc));
              if (dup) {
                if (r.ok || r.error.errnoName !== 'EEXIST') throw new Error(`expected EEXIST for ${canonical(desc)}`);
                return;
              }
              if (!r.ok) throw new Error(`rule refused: ${r.error.message}`);
              live.push({ desc, handle: r.handle, order: order++ });
            });
          };
          const frames = packets.map(frameOf);
          const check = (): boolean => {
            const got = Array.from(b.classify(0, frames).handles);
            const want = packets.map((p) => expectedHit(live, p));
            t.deepEqual(got, want);
            return got.every((h, i) => h === want[i]);
          };
          createAll(first);
          // classify before the changes below too: nothing cached may survive a rule change
          if (!check()) return false;
          b.query(live.map((m) => m.handle), { reset: true });
          const victims = live.filter((_, i) => kill[i]);
          b.destroy(victims.map((m) => m.handle));
          for (const v of victims) live.splice(live.indexOf(v), 1);
          createAll(second);
          if (b.ruleCount(0) !== live.length) throw new Error(`ruleCount ${b.ruleCount(0)} != ${live.length}`);
          if (!check()) return false;
          const want = packets.map((p) => expectedHit(live, p));
          // counters: each rule counted exactly the frames that hit it
          const counted = b.query(live.map((m) => m.handle));
          live.forEach((m, i) => {
            const c = counted[i];
            const n = want.filter((h) => h === m.handle).length;
            const bytes = frames.filter((_, k) => want[k] === m.handle).reduce((s, f) => s + f.length, 0);
            t.deepEqual(c, { ok: true, counters: { hits: n, bytes } });
          });
          return true;
        } finally {
          b.close();
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('random bytes and mutated frames never crash the parser; malformed frames never hit', (t) => {
  const b = new SoftNicBackend('full');
  try {
    b.create([{ attr: { port: 0, group: 0, priority: 0, ingress: true }, pattern: [], actions: [{ type: 'COUNT' }] }]);
    const seeds = [frameOf({ vid: 1, l3: 'ipv4', src: 0, dst: 1, tos: 0, l4: 'tcp', sport: 1, dport: 2 }), frameOf({ vid: undefined, l3: 'ipv6', src: 0, dst: 1, tos: 0, l4: 'udp', sport: 1, dport: 2 })];
    const arbFrame = fc.oneof(
      fc.uint8Array({ maxLength: 128 }),
      fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([seed, flips, cut]) => {
        const f = Uint8Array.from(seed);
        for (const [at, v] of flips) f[at % f.length] = v;
        return f.subarray(0, cut % (f.length + 1));
      }),
    );
    fc.assert(
      fc.property(fc.array(arbFrame, { minLength: 1, maxLength: 64 }), (frames) => {
        const res = b.classify(0, frames);
        for (let i = 0; i < frames.length; i++) {
          const v = res.verdict(i);
          if (v.malformed === v.hit) return false; // a frame either hits the match-all rule or is malformed
          if (frames[i].length < 14 && !v.malformed) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
    t.pass();
  } finally {
    b.close();
  }
});
