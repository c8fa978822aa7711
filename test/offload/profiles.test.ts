/**
 * The engine on every soft NIC profile (DESIGN.md §1 trial and error): which flows are offloaded,
 * which variant succeeded, statistics from the NIC or from software, reasons for the rest.
 */
import test from 'ava';
import type { NicProfile } from '../../src/native/profile';
import { SoftNicBackend } from '../../src/native/soft-backend';
import type { VariantName } from '../../src/flows/translate';
import { OffloadEngine, type FlowState } from '../../src/offload';
import { assertNicMatchesTable, EXAMPLE_MATCH, portMap, udpFrame, udpMatch, udpMatchFrame } from './helpers';

const MARK_FLOW = { ufid: '00000000-0000-4000-8000-000000000001', match: udpMatch(1), actions: '2' };
const DROP_FLOW = { ufid: '00000000-0000-4000-8000-000000000002', match: udpMatch(2), actions: 'drop' };
const CT_FLOW = { ufid: '00000000-0000-4000-8000-000000000003', match: `ct_state(0x21/0x21),${EXAMPLE_MATCH}`, actions: '2' };
/** Matches the source MAC: refused by a flow-director NIC that cannot match MAC addresses. */
const MAC_FLOW = { ufid: '00000000-0000-4000-8000-000000000004', match: 'in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.9.9.9,dst=10.200.0.1,proto=17),udp(src=7,dst=53)', actions: '2' };

interface Expectation {
  mark: { state: FlowState; variant?: VariantName; source?: 'hw' | 'sw'; reason?: RegExp };
  drop: { state: FlowState; variant?: VariantName };
  mac: { state: FlowState; reason?: RegExp };
  /** Attempts per variant after the four flows: [tried, succeeded, failed]. */
  attempts: Record<string, [number, number, number]>;
}

const PROFILES: Record<string, Expectation> = {
  full: {
    mark: { state: 'offloaded', variant: 'count', source: 'hw' },
    drop: { state: 'offloaded', variant: 'count' },
    mac: { state: 'offloaded' },
    attempts: { count: [3, 3, 0], 'count+queue': [0, 0, 0], queue: [0, 0, 0], plain: [0, 0, 0] },
  },
  // No COUNT, MARK needs QUEUE: plain fails, queue works; drop: plain. MAC addresses refused.
  xl710: {
    mark: { state: 'offloaded', variant: 'queue', source: 'sw' },
    drop: { state: 'offloaded', variant: 'plain' },
    mac: { state: 'software', reason: /^refused by the NIC: .*ITEM/ },
    attempts: { count: [0, 0, 0], 'count+queue': [0, 0, 0], queue: [2, 1, 1], plain: [3, 1, 2] },
  },
  nocount: {
    mark: { state: 'offloaded', variant: 'plain', source: 'sw' },
    drop: { state: 'offloaded', variant: 'plain' },
    mac: { state: 'offloaded' },
    attempts: { count: [0, 0, 0], 'count+queue': [0, 0, 0], queue: [0, 0, 0], plain: [3, 3, 0] },
  },
  // MARK refused in every variant: the flow stays in software; DROP with COUNT works.
  nomark: {
    mark: { state: 'software', reason: /^refused by the NIC: .*MARK.*last variant queue/i },
    drop: { state: 'offloaded', variant: 'count' },
    mac: { state: 'software', reason: /^refused by the NIC/ },
    attempts: { count: [3, 1, 2], 'count+queue': [2, 0, 2], queue: [2, 0, 2], plain: [0, 0, 0] },
  },
};

for (const [profile, want] of Object.entries(PROFILES)) {
  test(`profile ${profile}: states, variants, statistics and reasons`, (t) => {
    const nic = new SoftNicBackend(profile);
    const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });
    engine.put([MARK_FLOW]);
    engine.put([DROP_FLOW, CT_FLOW, MAC_FLOW]);
    const mark = engine.get(MARK_FLOW.ufid);
    t.is(mark.state, want.mark.state, mark.reason);
    if (want.mark.variant) t.is(mark.variant, want.mark.variant);
    if (want.mark.reason) t.regex(mark.reason ?? '', want.mark.reason);
    const drop = engine.get(DROP_FLOW.ufid);
    t.is(drop.state, want.drop.state, drop.reason);
    t.is(drop.variant, want.drop.variant);
    t.is(engine.get(CT_FLOW.ufid).reason, 'ct_state');
    const mac = engine.get(MAC_FLOW.ufid);
    t.is(mac.state, want.mac.state, mac.reason);
    if (want.mac.reason) t.regex(mac.reason ?? '', want.mac.reason);
    const stats = engine.stats();
    const attempts = Object.fromEntries(Object.entries(stats.attempts).map(([k, c]) => [k, [c.tried, c.succeeded, c.failed]]));
    t.deepEqual(attempts, want.attempts);
    assertNicMatchesTable(t, engine, nic);

    // Packets: hits on the mark flow are counted by the NIC (COUNT) or in software.
    const hit = udpMatchFrame(1, 40);
    const miss = udpFrame({ src: '172.16.0.1', dst: '172.16.0.2', sport: 1, dport: 2 });
    const inj = engine.inject(1, [hit, miss, hit]);
    if (want.mark.state === 'offloaded') {
      t.deepEqual(inj.packets.map((p) => p.hit), [true, false, true]);
      t.is(inj.packets[0].ufid, MARK_FLOW.ufid);
      t.is(inj.packets[0].outPort, 2);
      const before = engine.get(MARK_FLOW.ufid).stats;
      // Software counters are counted as the packets pass; hardware counters at the next sweep.
      t.is(before.packets, want.mark.source === 'sw' ? 2 : 0);
      engine.sweep();
      const after = engine.get(MARK_FLOW.ufid).stats;
      t.is(after.source, want.mark.source ?? 'hw');
      t.is(after.packets, 2);
      t.is(after.bytes, 2 * hit.length);
      t.not(after.used, 'never');
      t.is(after[want.mark.source === 'hw' ? 'hw' : 'sw'].packets, 2);
    } else {
      t.deepEqual(inj.packets.map((p) => p.hit), [false, false, false]);
      t.is(inj.misses, 3);
    }
    nic.close();
  });
}

test('the variant that worked is learned per device and tried first', (t) => {
  const nic = new SoftNicBackend('xl710');
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });
  engine.put([{ match: udpMatch(1), actions: '2' }]);
  t.deepEqual(engine.stats().learnedVariants, { 0: 'queue' });
  engine.put([{ match: udpMatch(2), actions: '2' }, { match: udpMatch(3), actions: '2' }]);
  const a = engine.stats().attempts;
  t.deepEqual([a.plain.tried, a.queue.tried, a.queue.succeeded], [1, 3, 3], 'plain failed once, then queue was tried first');
  nic.close();
});

/**
 * A NIC that counts but takes MARK only with a fate action (QUEUE or RSS), like several PMDs whose
 * mark is set by the Rx queue logic: the full profile with markNeedsQueue. On it, the first
 * variant (COUNT, no QUEUE) is refused and the second (COUNT + QUEUE 0) is the one that works.
 */
const COUNT_QUEUE_NIC: NicProfile = {
  name: 'countqueue',
  description: 'test profile: every item and field, COUNT, but MARK only with QUEUE or RSS',
  ports: 4,
  queues: 16,
  maxRules: 65536,
  maxMark: 0xffffffff,
  priorities: 16,
  groups: 1,
  egress: false,
  transfer: false,
  maskPolicy: 'any',
  markNeedsQueue: true,
  items: { PORT: '*', ETH: '*', VLAN: '*', IPV4: '*', IPV6: '*', ICMP: '*', ICMP6: '*', UDP: '*', TCP: '*', SCTP: '*' },
  actions: ['MARK', 'COUNT', 'QUEUE', 'DROP', 'RSS'],
};

/** offload/stats attempts as variant -> [tried, succeeded, failed]. */
function attemptTable(engine: OffloadEngine): Record<string, [number, number, number]> {
  return Object.fromEntries(Object.entries(engine.stats().attempts).map(([k, c]) => [k, [c.tried, c.succeeded, c.failed]]));
}

test('a NIC that counts but needs QUEUE with MARK: count is refused, count+queue is learned per device, statistics come from the NIC', (t) => {
  const nic = new SoftNicBackend(COUNT_QUEUE_NIC);
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });

  // Device 0, nothing learned yet: count (refused), then count+queue.
  const first = { ufid: '00000000-0000-4000-8000-000000000011', match: udpMatch(1), actions: '2' };
  t.is(engine.put([first])[0].state, 'offloaded');
  const f = engine.get(first.ufid);
  t.is(f.variant, 'count+queue');
  t.is(f.device, 0);
  t.is(f.mark, (f.flowId ?? -1) * 65536 + 1);
  t.true(f.rule?.endsWith(` / end actions count / mark id ${f.mark ?? -1} / queue index 0 / end`), f.rule);
  t.deepEqual(attemptTable(engine), { count: [1, 0, 1], 'count+queue': [1, 1, 0], queue: [0, 0, 0], plain: [0, 0, 0] });
  t.deepEqual(engine.stats().learnedVariants, { 0: 'count+queue' });

  // Device 0 again: count+queue first, count not tried.
  engine.put([{ match: udpMatch(2), actions: '2' }]);
  t.deepEqual(attemptTable(engine), { count: [1, 0, 1], 'count+queue': [2, 2, 0], queue: [0, 0, 0], plain: [0, 0, 0] });

  // Device 1 has learned nothing: count, then count+queue, again.
  const other = { ufid: '00000000-0000-4000-8000-000000000012', match: udpMatch(3, 2), actions: '1' };
  engine.put([other]);
  t.is(engine.get(other.ufid).variant, 'count+queue');
  t.deepEqual(attemptTable(engine), { count: [2, 0, 2], 'count+queue': [3, 3, 0], queue: [0, 0, 0], plain: [0, 0, 0] });
  t.deepEqual(engine.stats().learnedVariants, { 0: 'count+queue', 1: 'count+queue' });

  // A batch on both learned devices: one count+queue attempt per flow, nothing refused.
  engine.put([{ match: udpMatch(4), actions: '2' }, { match: udpMatch(5, 2), actions: '1' }, { match: udpMatch(6), actions: '2' }]);
  t.deepEqual(attemptTable(engine), { count: [2, 0, 2], 'count+queue': [6, 6, 0], queue: [0, 0, 0], plain: [0, 0, 0] });
  t.deepEqual(engine.stats().flows, { total: 6, offloaded: 6, software: 0, pending: 0 });
  t.true(engine.dump('offloaded').every((v) => v.variant === 'count+queue'));
  assertNicMatchesTable(t, engine, nic);

  // The rules count: hits show up at the next sweep, from the NIC's counters, not from software.
  const hit = udpMatchFrame(1, 60);
  const inj = engine.inject(1, [hit, udpMatchFrame(3), hit]);
  t.deepEqual(inj.packets, [
    { hit: true, ufid: first.ufid, mark: f.mark, outPort: 2 },
    { hit: false },
    { hit: true, ufid: first.ufid, mark: f.mark, outPort: 2 },
  ]);
  const onOther = engine.inject(2, [udpMatchFrame(3)]);
  t.deepEqual(onOther.packets.map((p) => [p.hit, p.ufid, p.outPort]), [[true, other.ufid, 1]]);
  t.is(engine.get(first.ufid).stats.packets, 0, 'not counted in software');
  t.true(engine.sweep() >= 6, 'every count+queue rule is queried');
  const stats = engine.get(first.ufid).stats;
  t.is(stats.source, 'hw');
  t.deepEqual([stats.packets, stats.bytes], [2, 2 * hit.length]);
  t.deepEqual(stats.hw, { packets: 2, bytes: 2 * hit.length });
  t.deepEqual(stats.sw, { packets: 0, bytes: 0 });
  t.is(engine.get(other.ufid).stats.hw.packets, 1);
});

test('MARK and DROP rules learn their variants apart: a DROP that worked with count does not make MARK rules try count again', (t) => {
  const nic = new SoftNicBackend(COUNT_QUEUE_NIC);
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });
  engine.put([{ match: udpMatch(1), actions: '2' }]);
  t.deepEqual(attemptTable(engine), { count: [1, 0, 1], 'count+queue': [1, 1, 0], queue: [0, 0, 0], plain: [0, 0, 0] });
  // A DROP takes COUNT without QUEUE on this NIC (no MARK): count works at once.
  engine.put([{ match: udpMatch(2), actions: 'drop' }]);
  t.deepEqual(attemptTable(engine), { count: [2, 1, 1], 'count+queue': [1, 1, 0], queue: [0, 0, 0], plain: [0, 0, 0] });
  // The next MARK rule still starts with count+queue, the next DROP with count.
  engine.put([{ match: udpMatch(3), actions: '2' }, { match: udpMatch(4), actions: 'drop' }]);
  t.deepEqual(attemptTable(engine), { count: [3, 2, 1], 'count+queue': [2, 2, 0], queue: [0, 0, 0], plain: [0, 0, 0] });
  // offload/stats reports what the device's MARK rules learned.
  t.deepEqual(engine.stats().learnedVariants, { 0: 'count+queue' });
  assertNicMatchesTable(t, engine, nic);
});

test('a device where only DROP rules worked reports their variant', (t) => {
  const nic = new SoftNicBackend('nomark');
  t.teardown(() => nic.close());
  const engine = new OffloadEngine({ backend: nic, ports: portMap({ 1: 0, 2: 1 }) });
  engine.put([{ match: udpMatch(1), actions: 'drop' }]);
  t.deepEqual(engine.stats().learnedVariants, { 0: 'count' });
});
