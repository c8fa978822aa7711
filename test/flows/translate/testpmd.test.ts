/**
 * testpmd rendering (DESIGN.md §3) in DPDK 22.11's `flow create` syntax: `is` under a full mask,
 * `NAME spec V NAME mask M` under a partial one, nothing under a zero mask; a spec without mask
 * keeps testpmd's default mask. Expected texts are written by hand from cmdline_flow.c's tokens.
 */
import test from 'ava';
import { renderTestpmd, TestpmdRenderError } from '../../../src/flows/translate';
import type { PatternItem, RuleSpec } from '../../../src/native/rule-spec';

const ATTR = { port: 0, group: 0, priority: 0, ingress: true };

function rule(pattern: PatternItem[], actions: RuleSpec['actions'] = [{ type: 'DROP' }]): RuleSpec {
  return { attr: ATTR, pattern, actions };
}

function text(pattern: PatternItem[], actions?: RuleSpec['actions']): string {
  return renderTestpmd(0, rule(pattern, actions));
}

test('full, partial and zero masks of each kind of field', (t) => {
  t.is(
    text([{ type: 'ETH', spec: { src: '50:54:00:00:00:01', dst: '01:00:00:00:00:00', type: 0x0800, hasVlan: 0 }, mask: { src: 'ff:ff:ff:ff:ff:ff', dst: '01:00:00:00:00:00', type: 0, hasVlan: 1 } }]),
    'flow create 0 ingress pattern eth src is 50:54:00:00:00:01 dst spec 01:00:00:00:00:00 dst mask 01:00:00:00:00:00 has_vlan is 0 / end actions drop / end',
  );
  t.is(
    text([{ type: 'IPV4', spec: { src: '10.0.0.0', dst: '10.1.2.3', tos: 0xb8, ttl: 64, proto: 6, fragmentOffset: 0 }, mask: { src: '255.0.0.0', dst: '0.0.0.0', tos: 0xfc, ttl: 0xff, proto: 0, fragmentOffset: 0x3fff } }]),
    'flow create 0 ingress pattern ipv4 src spec 10.0.0.0 src mask 255.0.0.0 tos spec 0xb8 tos mask 0xfc ttl is 64 fragment_offset spec 0x0000 fragment_offset mask 0x3fff / end actions drop / end',
  );
  t.is(
    text([{ type: 'IPV6', spec: { src: '2001:db8::', dst: '::1', tc: 0x20, flowLabel: 0x12345, proto: 17, hopLimits: 64, hasFragExt: 0 }, mask: { src: 'ffff:ffff::', dst: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', tc: 0xff, flowLabel: 0xfffff, proto: 0xff, hopLimits: 0xf0, hasFragExt: 1 } }]),
    'flow create 0 ingress pattern ipv6 src spec 2001:db8:: src mask ffff:ffff:: dst is ::1 tc is 0x20 flow is 0x12345 proto is 17 hop spec 64 hop mask 0xf0 has_frag_ext is 0 / end actions drop / end',
  );
  t.is(
    text([{ type: 'VLAN', spec: { tci: 0x6064, innerType: 0x0800, hasMoreVlan: 0 }, mask: { tci: 0xefff, innerType: 0xffff, hasMoreVlan: 1 } }]),
    'flow create 0 ingress pattern vlan tci spec 0x6064 tci mask 0xefff inner_type is 0x0800 has_more_vlan is 0 / end actions drop / end',
  );
  t.is(
    text([
      { type: 'UDP', spec: { srcPort: 53, dstPort: 0x1200 }, mask: { srcPort: 0xffff, dstPort: 0xff00 } },
      { type: 'TCP', spec: { srcPort: 1, dstPort: 2, flags: 0x02 }, mask: { srcPort: 0, dstPort: 0xffff, flags: 0x12 } },
      { type: 'SCTP', spec: { srcPort: 5000, tag: 7 }, mask: { srcPort: 0xffff, tag: 0xffffffff } },
      { type: 'ICMP', spec: { type: 8, code: 0 }, mask: { type: 0xf8, code: 0xff } },
      { type: 'ICMP6', spec: { type: 128 }, mask: { type: 0xff } },
      { type: 'PORT', spec: { index: 3 }, mask: { index: 0xffffffff } },
    ]),
    'flow create 0 ingress pattern udp src is 53 dst spec 4608 dst mask 0xff00 / tcp dst is 2 flags spec 0x02 flags mask 0x12 / sctp src is 5000 tag is 7 / icmp type spec 8 type mask 0xf8 code is 0 / icmp6 type is 128 / port_id id is 3 / end actions drop / end',
  );
});

test('addresses and masks given as bytes', (t) => {
  t.is(
    text([{ type: 'ETH', spec: { src: new Uint8Array([0x50, 0x54, 0, 0, 0, 1]) }, mask: { src: new Uint8Array(6).fill(0xff) } },
      { type: 'IPV4', spec: { dst: new Uint8Array([10, 0, 0, 0]) }, mask: { dst: new Uint8Array([255, 0, 0, 0]) } },
      { type: 'IPV6', spec: { dst: new Uint8Array(16) }, mask: { dst: new Uint8Array(16) } }]),
    'flow create 0 ingress pattern eth src is 50:54:00:00:00:01 / ipv4 dst spec 10.0.0.0 dst mask 255.0.0.0 / ipv6 / end actions drop / end',
  );
});

test('an item without spec is its bare name; a spec without mask keeps testpmd\'s default mask', (t) => {
  t.is(text([{ type: 'ETH' }, { type: 'IPV4' }, { type: 'UDP' }]), 'flow create 0 ingress pattern eth / ipv4 / udp / end actions drop / end');
  t.is(text([{ type: 'IPV4', spec: { src: '10.0.0.1', tos: 4 } }]), 'flow create 0 ingress pattern ipv4 src spec 10.0.0.1 tos spec 0x04 / end actions drop / end');
  t.is(text([]), 'flow create 0 ingress pattern end actions drop / end');
  t.is(text([{ type: 'ETH', spec: {}, mask: {} }, { type: 'END' }]), 'flow create 0 ingress pattern eth / end actions drop / end');
});

test('a field under a mask but absent from the spec is matched as 0', (t) => {
  t.is(text([{ type: 'IPV4', spec: {}, mask: { fragmentOffset: 0x3fff, src: '255.255.255.255' } }]), 'flow create 0 ingress pattern ipv4 src is 0.0.0.0 fragment_offset spec 0x0000 fragment_offset mask 0x3fff / end actions drop / end');
});

test('actions, attributes and the port number', (t) => {
  const r: RuleSpec = {
    attr: { port: 3, group: 2, priority: 1, ingress: true, egress: false, transfer: true },
    pattern: [{ type: 'ETH' }, { type: 'END' }],
    actions: [
      { type: 'COUNT' }, { type: 'COUNT', id: 4 }, { type: 'MARK', id: 0xffffffff }, { type: 'QUEUE', index: 0 },
      { type: 'RSS', queues: [0, 1, 3], func: 'TOEPLITZ', level: 1 }, { type: 'RSS', queues: [2] }, { type: 'PORT_ID', id: 1, original: true }, { type: 'DROP' }, { type: 'END' },
    ],
  };
  t.is(
    renderTestpmd(7, r),
    'flow create 7 group 2 priority 1 ingress transfer pattern eth / end actions count / count identifier 4 / mark id 4294967295 / queue index 0 / rss func toeplitz level 1 queues 0 1 3 end / rss queues 2 end / port_id id 1 original 1 / drop / end',
  );
});

test('what testpmd cannot express, or a malformed rule, is a TestpmdRenderError naming the place', (t) => {
  const cases: [RuleSpec, RegExp][] = [
    [rule([{ type: 'IPV4', spec: { totalLength: 60 }, mask: { totalLength: 0xffff } }]), /^pattern\[0\] IPV4: spec field totalLength has no testpmd token/],
    [rule([{ type: 'UDP', spec: { srcPort: 1 }, mask: { srcPort: 0x10000 } }]), /^pattern\[0\] UDP: mask srcPort 65536 is not a 16-bit unsigned integer/],
    [rule([{ type: 'UDP', spec: { srcPort: -1 }, mask: { srcPort: 0xffff } }]), /^pattern\[0\] UDP: spec srcPort -1/],
    [rule([{ type: 'ETH', spec: { src: 'nope' }, mask: { src: 'also nope' } }]), /^pattern\[0\] ETH: mask src "also nope" is not a mac address/],
    [rule([{ type: 'ETH', mask: { hasVlan: 1 } }]), /^pattern\[0\] ETH: a mask without a spec/],
    [rule([{ type: 'ETH', spec: { hasVlan: 0 }, mask: { hasVlan: 2 as 1 } }]), /has_vlan|hasVlan/],
    [rule([{ type: 'GRE' } as unknown as PatternItem]), /^pattern\[0\] GRE: unknown item type/],
    [rule([{ type: 'END' }, { type: 'ETH' }]), /^pattern\[0\] END: items follow END/],
    [rule([], [{ type: 'JUMP' } as unknown as RuleSpec['actions'][number]]), /^actions\[0\] JUMP: unknown action type/],
    [rule([], [{ type: 'RSS', queues: [0], types: 4 }]), /^actions\[0\] RSS: RSS types/],
    [rule([], [{ type: 'MARK', id: -5 }]), /^actions\[0\] MARK: id -5/],
    [{ ...rule([]), attr: { ...ATTR, group: -1 } }, /^attr: group -1/],
  ];
  for (const [r, message] of cases) {
    const e = t.throws(() => renderTestpmd(0, r), { instanceOf: TestpmdRenderError });
    t.regex(e.message, message);
  }
  t.throws(() => renderTestpmd(70000, rule([])), { instanceOf: TestpmdRenderError, message: /port id 70000/ });
});
