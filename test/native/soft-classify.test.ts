/**
 * The soft NIC's packet path: parsing of real frame layouts, rule selection by priority then
 * insertion order, marks, fates and COUNT counters, and frames that must never match.
 */
import test from 'ava';
import { RteFlowError } from '../../src/native/errors';
import { packFrames } from '../../src/native/frames';
import { loadProfile } from '../../src/native/profile';
import type { Action, PatternItem, RuleSpec } from '../../src/native/rule-spec';
import { SoftNicBackend } from '../../src/native/soft-backend';
import { eth, icmp, icmp6, ipv4, ipv6, sctp, tcp, udp, udp4 } from './helpers/packets';

const attr = { port: 0, group: 0, priority: 0, ingress: true };
/** The source address only (IPV4's default mask also covers the destination). */
const SRC = { src: '255.255.255.255' };
const DPORT = { dstPort: 0xffff };

function rule(pattern: PatternItem[], actions: Action[] = [{ type: 'COUNT' }], priority = 0): RuleSpec {
  return { attr: { ...attr, priority }, pattern, actions };
}

/** Creates the rules (all must succeed) and returns their handles. */
function install(b: SoftNicBackend, rules: RuleSpec[]): number[] {
  return b.create(rules).map((r, i) => {
    if (!r.ok) throw new Error(`rule ${i}: ${r.error.message}`);
    return r.handle;
  });
}

/** The handle each frame hits (0 for a miss). */
function hits(b: SoftNicBackend, frames: Uint8Array[], portIndex?: number): number[] {
  return Array.from(b.classify(0, frames, { portIndex }).handles);
}

function withNic(fn: (b: SoftNicBackend) => void): void {
  const b = new SoftNicBackend('full');
  try {
    fn(b);
  } finally {
    b.close();
  }
}

const FIVE_TUPLE: PatternItem[] = [
  { type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } },
  { type: 'IPV4', spec: { src: '192.168.1.2', dst: '192.168.1.8', proto: 17 }, mask: { src: '255.255.255.255', dst: '255.255.255.255', proto: 0xff } },
  { type: 'UDP', spec: { srcPort: 10025, dstPort: 10026 } },
];

test('a 5-tuple rule: hit, mark, counters, reset', (t) => {
  withNic((b) => {
    const [h] = install(b, [rule(FIVE_TUPLE, [{ type: 'COUNT' }, { type: 'MARK', id: 65539 }])]);
    const hit = udp4('192.168.1.2', '192.168.1.8', 10025, 10026);
    const frames = [hit, udp4('192.168.1.2', '192.168.1.8', 10025, 10027), udp4('192.168.1.3', '192.168.1.8', 10025, 10026), hit];
    const res = b.classify(0, frames);
    t.is(res.hits, 2);
    t.deepEqual(res.verdict(0), { hit: true, malformed: false, handle: h, mark: 65539, fate: 'PASSTHRU' });
    t.deepEqual(res.verdict(1), { hit: false, malformed: false });
    t.deepEqual(Array.from(res.handles), [h, 0, 0, h]);
    t.deepEqual(b.query([h], { reset: true }), [{ ok: true, counters: { hits: 2, bytes: 2 * hit.length } }]);
    t.deepEqual(b.query([h]), [{ ok: true, counters: { hits: 0, bytes: 0 } }]);
    t.is(b.classify(1, frames).hits, 0, 'rules belong to their port');
  });
});

test('the lowest priority value wins, then the earliest rule', (t) => {
  withNic((b) => {
    const broad = rule([{ type: 'IPV4', spec: { dst: '10.0.0.0' }, mask: { dst: '255.0.0.0' } }], [{ type: 'MARK', id: 1 }], 1);
    const narrow = rule([{ type: 'IPV4', spec: { dst: '10.1.2.3' }, mask: { dst: '255.255.255.255' } }], [{ type: 'MARK', id: 2 }], 2);
    const udpPort = rule([{ type: 'IPV4' }, { type: 'UDP', spec: { dstPort: 53 }, mask: { dstPort: 0xffff } }], [{ type: 'MARK', id: 3 }], 1);
    const [hBroad, hNarrow, hUdp] = install(b, [broad, narrow, udpPort]);
    const f = udp4('1.1.1.1', '10.1.2.3', 1000, 53);
    // broad and udpPort have priority 1 (better than narrow's 2); broad was created first
    t.deepEqual(hits(b, [f]), [hBroad]);
    b.destroy([hBroad]);
    t.deepEqual(hits(b, [f]), [hUdp]);
    b.destroy([hUdp]);
    t.deepEqual(hits(b, [f]), [hNarrow]);
    const [hTop] = install(b, [rule([{ type: 'UDP' }], [{ type: 'MARK', id: 4 }], 0)]);
    t.deepEqual(hits(b, [f, udp4('1.1.1.1', '10.1.2.4', 1, 2)]), [hTop, hTop]);
    t.is(b.classify(0, [f]).marks[0], 4);
  });
});

test('insertion order decides between rules of one priority in different masks', (t) => {
  withNic((b) => {
    const rules = [
      rule([{ type: 'IPV4', spec: { src: '10.0.0.1' }, mask: { src: '255.255.255.255' } }]),
      rule([{ type: 'IPV4', spec: { dst: '10.0.0.2' }, mask: { dst: '255.255.255.255' } }]),
      rule([{ type: 'IPV4' }, { type: 'UDP', spec: { srcPort: 7 }, mask: { srcPort: 0xffff } }]),
    ];
    // created in reverse order: the UDP rule is the oldest
    const [h2, h1, h0] = install(b, [rules[2], rules[1], rules[0]]);
    t.deepEqual(hits(b, [udp4('10.0.0.1', '10.0.0.2', 7, 9)]), [h2]);
    t.deepEqual(hits(b, [udp4('10.0.0.1', '10.0.0.2', 8, 9)]), [h1]);
    t.deepEqual(hits(b, [udp4('10.0.0.1', '10.0.0.3', 8, 9)]), [h0]);
  });
});

test('VLAN: has_vlan, TCI under the default mask, inner type, QinQ', (t) => {
  withNic((b) => {
    const [untaggedOnly, vid10, anyTag] = install(b, [
      rule([{ type: 'ETH', spec: { hasVlan: 0 }, mask: { hasVlan: 1 } }, { type: 'IPV4', spec: { src: '1.0.0.1' }, mask: SRC }]),
      rule([{ type: 'ETH' }, { type: 'VLAN', spec: { tci: 10, innerType: 0x0800 }, mask: { tci: 0x0fff, innerType: 0xffff } }, { type: 'IPV4', spec: { src: '1.0.0.2' }, mask: SRC }]),
      rule([{ type: 'ETH', spec: { type: 0x0800 }, mask: { type: 0xffff } }, { type: 'IPV4', spec: { src: '1.0.0.3' }, mask: SRC }]),
    ]);
    const [qinq] = install(b, [rule([{ type: 'VLAN', spec: { tci: 20, hasMoreVlan: 1 }, mask: { tci: 0x0fff, hasMoreVlan: 1 } }, { type: 'IPV4' }])]);
    const [eitherTag] = install(b, [rule([{ type: 'IPV4', spec: { src: '1.0.0.4' }, mask: SRC }])]);
    t.deepEqual(
      hits(b, [
        udp4('1.0.0.1', '9.9.9.9', 1, 2),
        udp4('1.0.0.1', '9.9.9.9', 1, 2, [{ tci: 5 }]),
        udp4('1.0.0.2', '9.9.9.9', 1, 2, [{ tci: 0xe00a }]), // PCP 7, DEI 0, VID 10
        udp4('1.0.0.2', '9.9.9.9', 1, 2, [{ tci: 11 }]),
        udp4('1.0.0.2', '9.9.9.9', 1, 2, [{ tpid: 0x88a8, tci: 10 }]),
        udp4('1.0.0.3', '9.9.9.9', 1, 2),
        udp4('1.0.0.3', '9.9.9.9', 1, 2, [{ tci: 3 }]), // ETH type is the TPID then
        udp4('1.0.0.9', '9.9.9.9', 1, 2, [{ tpid: 0x88a8, tci: 20 }, { tci: 30 }]),
        udp4('1.0.0.9', '9.9.9.9', 1, 2, [{ tci: 20 }]),
        udp4('1.0.0.4', '9.9.9.9', 1, 2),
        udp4('1.0.0.4', '9.9.9.9', 1, 2, [{ tci: 1 }]),
      ]),
      [untaggedOnly, 0, vid10, 0, vid10, anyTag, 0, qinq, 0, eitherTag, eitherTag],
    );
  });
});

test('IPv4 options and fragments', (t) => {
  withNic((b) => {
    const [nonFragUdp, anyUdp, ipOnly] = install(b, [
      rule([{ type: 'IPV4', spec: { dst: '2.0.0.1', fragmentOffset: 0 }, mask: { dst: '255.255.255.255', fragmentOffset: 0x3fff } }, { type: 'UDP' }]),
      rule([{ type: 'IPV4', spec: { dst: '2.0.0.2' }, mask: { dst: '255.255.255.255' } }, { type: 'UDP', spec: { dstPort: 99 }, mask: { dstPort: 0xffff } }]),
      rule([{ type: 'IPV4', spec: { dst: '2.0.0.3', proto: 17 }, mask: { dst: '255.255.255.255', proto: 0xff } }]),
    ]);
    const f = (dst: string, fragment: number, options?: number[]): Uint8Array => eth({ type: 0x0800 }, ipv4({ src: '9.9.9.9', dst, proto: 17, fragment, options }, udp(1, 99)));
    t.deepEqual(
      hits(b, [
        f('2.0.0.1', 0),
        f('2.0.0.1', 0x4000), // DF only: still a non-fragment
        f('2.0.0.1', 0x2000), // first fragment (MF)
        f('2.0.0.1', 0x0010), // later fragment
        f('2.0.0.2', 0, [1, 1, 1, 0]), // IHL 6: ports still found
        f('2.0.0.2', 0x2000), // a first fragment carries the UDP header
        f('2.0.0.2', 0x0003), // a later fragment has no UDP header
        f('2.0.0.3', 0x0003), // but it matches IPv4-only rules
      ]),
      [nonFragUdp, nonFragUdp, 0, 0, anyUdp, anyUdp, 0, ipOnly],
    );
  });
});

test('IPv6: addresses, traffic class, flow label, extension headers, fragments', (t) => {
  withNic((b) => {
    const [tcRule, hbhUdp, noFrag, flowRule] = install(b, [
      rule([{ type: 'IPV6', spec: { dst: '2001:db8::1', tc: 0x2e }, mask: { dst: 'ffff:ffff::', tc: 0xff } }]),
      rule([{ type: 'IPV6', spec: { src: '2001:db8::a', proto: 17, hasHopExt: 1 }, mask: { src: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', proto: 0xff, hasHopExt: 1 } }, { type: 'UDP', spec: { dstPort: 4789 }, mask: { dstPort: 0xffff } }]),
      rule([{ type: 'IPV6', spec: { src: '2001:db8::b', hasFragExt: 0 }, mask: { src: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', hasFragExt: 1 } }]),
      rule([{ type: 'IPV6', spec: { flowLabel: 0xabcde }, mask: { flowLabel: 0xfffff } }]),
    ]);
    const v6 = (o: Parameters<typeof ipv6>[0], l4: number[]): Uint8Array => eth({ type: 0x86dd }, ipv6(o, l4));
    t.deepEqual(
      hits(b, [
        v6({ src: '::1', dst: '2001:db8:5::9', proto: 58, tc: 0x2e }, icmp6(128, 0)),
        v6({ src: '::1', dst: '2001:db8:5::9', proto: 58, tc: 0x2f }, icmp6(128, 0)),
        v6({ src: '2001:db8::a', dst: '::2', proto: 17, extensions: [{ type: 0 }, { type: 60 }] }, udp(1, 4789)),
        v6({ src: '2001:db8::a', dst: '::2', proto: 17 }, udp(1, 4789)), // no hop-by-hop header
        v6({ src: '2001:db8::b', dst: '::2', proto: 6 }, tcp(1, 2)),
        v6({ src: '2001:db8::b', dst: '::2', proto: 6, extensions: [{ type: 44, more: true }] }, tcp(1, 2)),
        v6({ src: '::3', dst: '::2', proto: 59, flowLabel: 0xabcde }, []),
      ]),
      [tcRule, 0, hbhUdp, 0, noFrag, 0, flowRule],
    );
  });
});

test('IPv6 fragments: only the first carries the L4 header; AH is walked over', (t) => {
  withNic((b) => {
    const [tcpRule] = install(b, [rule([{ type: 'IPV6' }, { type: 'TCP', spec: { dstPort: 80 }, mask: { dstPort: 0xffff } }])]);
    const v6 = (ext: Parameters<typeof ipv6>[0]['extensions']): Uint8Array => eth({ type: 0x86dd }, ipv6({ src: '::1', dst: '::2', proto: 6, extensions: ext }, tcp(5, 80)));
    t.deepEqual(hits(b, [v6([{ type: 44, fragmentOffset: 0, more: true }]), v6([{ type: 44, fragmentOffset: 100 }]), v6([{ type: 51 }, { type: 43 }])]), [tcpRule, 0, tcpRule]);
  });
});

test('TCP, SCTP, ICMP and ICMPv6 fields', (t) => {
  withNic((b) => {
    const [syn, sctpRule, echo, ns] = install(b, [
      rule([{ type: 'TCP', spec: { dstPort: 443, flags: 0x02 }, mask: { dstPort: 0xffff, flags: 0x12 } }]),
      rule([{ type: 'SCTP', spec: { srcPort: 36412, tag: 0xdeadbeef }, mask: { srcPort: 0xffff, tag: 0xffffffff } }]),
      rule([{ type: 'ICMP', spec: { type: 8, code: 0, ident: 77 }, mask: { type: 0xff, code: 0xff, ident: 0xffff } }]),
      rule([{ type: 'ICMP6', spec: { type: 135 }, mask: { type: 0xff } }]),
    ]);
    const v4 = (proto: number, l4: number[]): Uint8Array => eth({ type: 0x0800 }, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto }, l4));
    t.deepEqual(
      hits(b, [
        v4(6, tcp(1, 443, { flags: 0x02 })),
        v4(6, tcp(1, 443, { flags: 0x12 })), // SYN+ACK
        v4(6, tcp(1, 443, { flags: 0x0a, dataOff: 8 }).concat(new Array<number>(12).fill(1))), // PSH+SYN, with options
        v4(132, sctp(36412, 1, 0xdeadbeef)),
        v4(132, sctp(36412, 1, 0xdeadbeee)),
        v4(1, icmp(8, 0, 77, 1)),
        v4(1, icmp(0, 0, 77, 1)),
        eth({ type: 0x86dd }, ipv6({ src: '::1', dst: '::2', proto: 58 }, icmp6(135, 0))),
        v4(58, icmp6(135, 0)), // ICMPv6 over IPv4 is not ICMP6
      ]),
      [syn, 0, syn, sctpRule, 0, echo, 0, ns, 0],
    );
  });
});

test('the PORT item matches the input port index the frame arrived with', (t) => {
  withNic((b) => {
    const [p5] = install(b, [rule([{ type: 'PORT', spec: { index: 5 } }, { type: 'ETH' }])]);
    const f = udp4('1.1.1.1', '2.2.2.2', 1, 2);
    t.deepEqual(hits(b, [f]), [0], 'default index: the port itself (0)');
    t.deepEqual(hits(b, [f], 5), [p5]);
    t.deepEqual(hits(b, [f], 6), [0]);
  });
});

test('fates: DROP, QUEUE, RSS, PORT_ID, none', (t) => {
  withNic((b) => {
    install(b, [
      rule([{ type: 'UDP', spec: { dstPort: 1 }, mask: DPORT }], [{ type: 'DROP' }]),
      rule([{ type: 'UDP', spec: { dstPort: 2 }, mask: DPORT }], [{ type: 'MARK', id: 9 }, { type: 'QUEUE', index: 3 }]),
      rule([{ type: 'UDP', spec: { dstPort: 3 }, mask: DPORT }], [{ type: 'RSS', queues: [5, 6] }]),
      rule([{ type: 'UDP', spec: { dstPort: 4 }, mask: DPORT }], [{ type: 'PORT_ID', id: 2 }]),
      rule([{ type: 'UDP', spec: { dstPort: 5 }, mask: DPORT }], [{ type: 'COUNT' }]),
    ]);
    const res = b.classify(0, [1, 2, 3, 4, 5].map((p) => udp4('1.1.1.1', '2.2.2.2', 9, p)));
    const v = res.verdicts().map(({ fate, mark, queue, portId }) => ({ fate, mark, queue, portId }));
    t.deepEqual(v, [
      { fate: 'DROP', mark: undefined, queue: undefined, portId: undefined },
      { fate: 'QUEUE', mark: 9, queue: 3, portId: undefined },
      { fate: 'RSS', mark: undefined, queue: 5, portId: undefined },
      { fate: 'PORT_ID', mark: undefined, queue: undefined, portId: 2 },
      { fate: 'PASSTHRU', mark: undefined, queue: undefined, portId: undefined },
    ]);
  });
});

test('short and malformed frames match nothing, not even a match-all rule', (t) => {
  withNic((b) => {
    const [all] = install(b, [rule([])]);
    const good = udp4('1.1.1.1', '2.2.2.2', 1, 2);
    const v4 = (o: Partial<Parameters<typeof ipv4>[0]>, l4: number[] = udp(1, 2)): Uint8Array => eth({ type: 0x0800 }, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 17, ...o }, l4));
    const malformed: Array<[string, Uint8Array]> = [
      ['empty', new Uint8Array(0)],
      ['13 bytes', good.subarray(0, 13)],
      ['a VLAN tag cut short', eth({ type: 0x8100 }, [0])],
      ['IPv4 cut in its header', good.subarray(0, 14 + 19)],
      ['IPv4 version 5', v4({ versionIhl: 0x55 })],
      ['IPv4 IHL 4', v4({ versionIhl: 0x44 })],
      ['IPv4 total length beyond the frame', v4({ totalLength: 100 })],
      ['IPv4 total length below the header', v4({ totalLength: 12 })],
      ['UDP cut short', v4({}, udp(1, 2).slice(0, 6))],
      ['TCP data offset 4', v4({ proto: 6 }, tcp(1, 2, { dataOff: 4 }))],
      ['TCP options beyond the packet', v4({ proto: 6 }, tcp(1, 2, { dataOff: 15 }))],
      ['ICMP of 4 bytes', v4({ proto: 1 }, [8, 0, 0, 0])],
      ['IPv6 cut in its header', eth({ type: 0x86dd }, ipv6({ src: '::1', dst: '::2', proto: 17 }, udp(1, 2)).slice(0, 30))],
      ['IPv6 payload length beyond the frame', eth({ type: 0x86dd }, ipv6({ src: '::1', dst: '::2', proto: 17, payloadLength: 500 }, udp(1, 2)))],
      ['IPv6 extension header beyond the payload', eth({ type: 0x86dd }, ipv6({ src: '::1', dst: '::2', proto: 59, extensions: [{ type: 0 }], payloadLength: 4 }, []))],
      ['IPv6 version 4', eth({ type: 0x86dd }, [0x40, ...ipv6({ src: '::1', dst: '::2', proto: 59 }).slice(1)])],
    ];
    const res = b.classify(0, malformed.map(([, f]) => f));
    malformed.forEach(([name], i) => t.deepEqual(res.verdict(i), { hit: false, malformed: true }, name));
    // well-formed frames of any kind hit the match-all rule, padded or not
    const fine = [good, eth({ type: 0x0806 }, new Array<number>(28).fill(0)), Uint8Array.from([...good, 0, 0, 0, 0, 0, 0]), v4({ proto: 47 }, [0, 0, 0x65, 0x58]), eth({ type: 0x86dd }, ipv6({ src: '::1', dst: '::2', proto: 59 }))];
    t.deepEqual(hits(b, fine), fine.map(() => all));
  });
});

test('only group 0 sees packets; flush empties the port', (t) => {
  const p = structuredClone(loadProfile('full'));
  p.groups = 2;
  const b = new SoftNicBackend(p);
  try {
    const [inGroup1] = b.create([{ attr: { ...attr, group: 1 }, pattern: [], actions: [{ type: 'COUNT' }] }]);
    t.true(inGroup1.ok);
    const f = udp4('1.1.1.1', '2.2.2.2', 1, 2);
    t.deepEqual(hits(b, [f]), [0]);
    const [h] = install(b, [rule([])]);
    t.deepEqual(hits(b, [f]), [h]);
    t.is(b.flush(0), 2);
    t.deepEqual(hits(b, [f]), [0]);
  } finally {
    b.close();
  }
});

test('classify arguments are checked', (t) => {
  withNic((b) => {
    const err = t.throws(() => b.classify(9, []), { instanceOf: RteFlowError });
    t.is(err?.errnoName, 'ENODEV');
    t.throws(() => b.classify(0, 'frames' as never), { instanceOf: TypeError });
    t.throws(() => b.classify(0, [new Uint8Array(20), 'x'] as never), { instanceOf: TypeError, message: /frames\[1\]/ });
    const batch = packFrames([new Uint8Array(20), new Uint8Array(20)]);
    t.throws(() => b.classify(0, { data: batch.data.subarray(0, 30), offsets: batch.offsets }), { instanceOf: RangeError, message: /beyond the end of data/ });
    t.throws(() => b.classify(0, { data: batch.data, offsets: Uint32Array.from([0, 30, 20]) }), { instanceOf: RangeError, message: /must not decrease/ });
    t.throws(() => b.classify(0, { data: batch.data, offsets: new Uint32Array(0) }), { instanceOf: RangeError });
    t.throws(() => b.classify(0, { data: [1, 2] as never, offsets: batch.offsets }), { instanceOf: TypeError, message: /data must be a Uint8Array/ });
    t.is(b.classify(0, []).count, 0);
  });
});
