/**
 * What each soft NIC profile accepts and refuses, with the rte_flow error type, errno and the item
 * or action named, as a real PMD would answer.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { RteFlowErrorType } from '../../src/native/errors';
import { loadProfile, type NicProfile } from '../../src/native/profile';
import type { Action, PatternItem, RuleAttributes, RuleSpec } from '../../src/native/rule-spec';
import { SoftNicBackend } from '../../src/native/soft-backend';

const attr: RuleAttributes = { port: 0, group: 0, priority: 0, ingress: true };
const ETH_IPV4: PatternItem = { type: 'ETH', spec: { type: 0x0800 }, mask: { type: 0xffff } };
const IPV4: PatternItem = { type: 'IPV4', spec: { src: '10.0.0.1', dst: '10.0.0.2' } };
const UDP: PatternItem = { type: 'UDP', spec: { srcPort: 1, dstPort: 2 } };

function rule(pattern: PatternItem[], actions: Action[] = [{ type: 'DROP' }], a: Partial<RuleAttributes> = {}): RuleSpec {
  return { attr: { ...attr, ...a }, pattern, actions };
}

/** Validates and creates `r` on a fresh backend; both must agree. Returns the error, if any. */
function outcome(t: ExecutionContext, profile: string | NicProfile, r: RuleSpec) {
  const b = new SoftNicBackend(profile);
  try {
    const [v] = b.validate([r]);
    const [c] = b.create([r]);
    t.is(v.ok, c.ok, 'validate and create agree');
    if (!v.ok && !c.ok) t.deepEqual([c.error.type, c.error.errnoName, c.error.message], [v.error.type, v.error.errnoName, v.error.message]);
    return v.ok ? undefined : v.error;
  } finally {
    b.close();
  }
}

function refused(t: ExecutionContext, profile: string | NicProfile, r: RuleSpec, type: RteFlowErrorType, errno: string, message: RegExp, position?: number): void {
  const err = outcome(t, profile, r);
  if (!err) return t.fail('the rule was accepted');
  t.is(err.type, type);
  t.is(err.errnoName, errno);
  t.regex(err.message, message);
  t.is(err.position, position);
}

function accepted(t: ExecutionContext, profile: string | NicProfile, r: RuleSpec): void {
  const err = outcome(t, profile, r);
  t.is(err, undefined, err?.message);
}

test('full accepts the rules the offload engine builds, with every item and action', (t) => {
  accepted(t, 'full', rule([{ type: 'PORT', spec: { index: 3 } }, ETH_IPV4, IPV4, UDP, { type: 'END' }], [{ type: 'COUNT' }, { type: 'MARK', id: 0xffffffff }]));
  accepted(t, 'full', rule([{ type: 'ETH', spec: { type: 0x8100, hasVlan: 1 }, mask: { type: 0xffff, hasVlan: 1 } }, { type: 'VLAN', spec: { tci: 10, innerType: 0x86dd } }, { type: 'IPV6' }, { type: 'ICMP6' }]));
  accepted(t, 'full', rule([{ type: 'IPV4', spec: { proto: 1 }, mask: { proto: 0xff } }, { type: 'ICMP', spec: { type: 8 } }], [{ type: 'RSS', queues: [0, 1, 15] }]));
  accepted(t, 'full', rule([{ type: 'TCP', spec: { flags: 0x02 }, mask: { flags: 0x12 } }], [{ type: 'PORT_ID', id: 3 }]));
  accepted(t, 'full', rule([{ type: 'SCTP' }], [{ type: 'MARK', id: 1 }], { egress: true, ingress: false, priority: 15 }));
  accepted(t, 'full', rule([], [{ type: 'COUNT' }]));
});

test('attributes: port, direction, group, priority', (t) => {
  refused(t, 'full', rule([UDP], undefined, { port: 4 }), 'UNSPECIFIED', 'ENODEV', /port 4 does not exist \(the NIC has 4 ports\)/);
  refused(t, 'full', rule([UDP], undefined, { ingress: true, egress: true }), 'ATTR', 'EINVAL', /both ingress and egress/);
  refused(t, 'full', rule([UDP], undefined, { ingress: false }), 'ATTR', 'EINVAL', /must be ingress, egress or transfer/);
  refused(t, 'full', rule([UDP], undefined, { transfer: true }), 'ATTR_TRANSFER', 'ENOTSUP', /transfer/);
  refused(t, 'full', rule([UDP], undefined, { group: 1 }), 'ATTR_GROUP', 'ENOTSUP', /group 1 is not supported \(groups 0\.\.0\)/);
  refused(t, 'full', rule([UDP], undefined, { priority: 16 }), 'ATTR_PRIORITY', 'ENOTSUP', /priority 16 is not supported \(priorities 0\.\.15\)/);
  refused(t, 'xl710', rule([UDP], undefined, { priority: 1 }), 'ATTR_PRIORITY', 'ENOTSUP', /priorities 0\.\.0/);
  refused(t, 'xl710', rule([UDP], undefined, { egress: true, ingress: false }), 'ATTR_EGRESS', 'ENOTSUP', /egress/);
});

test('pattern stacking: lowest layer first, no gaps, one VLAN, no tunnels', (t) => {
  refused(t, 'full', rule([{ type: 'ETH' }, UDP]), 'ITEM', 'EINVAL', /UDP cannot follow ETH/, 1);
  refused(t, 'full', rule([IPV4, { type: 'ETH' }]), 'ITEM', 'EINVAL', /ETH cannot follow IPV4/, 1);
  refused(t, 'full', rule([UDP, { type: 'TCP' }]), 'ITEM', 'EINVAL', /TCP cannot follow UDP/, 1);
  refused(t, 'full', rule([{ type: 'ETH' }, { type: 'VLAN' }, { type: 'VLAN' }]), 'ITEM', 'ENOTSUP', /second VLAN item \(QinQ\)/, 2);
  refused(t, 'full', rule([IPV4, { type: 'IPV6' }]), 'ITEM', 'ENOTSUP', /IPV6 after IPV4 \(tunnels\)/, 1);
  refused(t, 'full', rule([{ type: 'IPV6' }, { type: 'ICMP' }]), 'ITEM', 'EINVAL', /ICMP must follow IPV4/, 1);
  refused(t, 'full', rule([IPV4, { type: 'ICMP6' }]), 'ITEM', 'EINVAL', /ICMP6 must follow IPV6/, 1);
  refused(t, 'full', rule([{ type: 'PORT' }, { type: 'ETH' }, { type: 'PORT' }]), 'ITEM', 'EINVAL', /more than one PORT/, 2);
  accepted(t, 'full', rule([{ type: 'ETH' }, { type: 'PORT' }, IPV4]));
});

test('pattern consistency: EtherType, TPID, has_vlan and IP protocol agree with the next item', (t) => {
  refused(t, 'full', rule([{ type: 'ETH', spec: { type: 0x86dd }, mask: { type: 0xffff } }, IPV4]), 'ITEM', 'EINVAL', /IPV4 follows an ETH item whose type 0x86dd is not 0x800/, 1);
  // the TPID written in host order (a defect of the original patch) is caught
  refused(t, 'full', rule([{ type: 'ETH', spec: { type: 0x0081 }, mask: { type: 0xffff } }, { type: 'VLAN' }]), 'ITEM', 'EINVAL', /type 0x81 is not a VLAN TPID/, 1);
  refused(t, 'full', rule([{ type: 'ETH', spec: { hasVlan: 0 }, mask: { hasVlan: 1 } }, { type: 'VLAN' }]), 'ITEM', 'EINVAL', /has_vlan 0/, 1);
  refused(t, 'full', rule([{ type: 'VLAN', spec: { innerType: 0x0800 }, mask: { innerType: 0xffff } }, { type: 'IPV6' }]), 'ITEM', 'EINVAL', /inner_type 0x800 is not 0x86dd/, 1);
  refused(t, 'full', rule([{ type: 'IPV4', spec: { proto: 6 }, mask: { proto: 0xff } }, UDP]), 'ITEM', 'EINVAL', /UDP follows an IPV4 item whose proto 6 is not 17/, 1);
  refused(t, 'full', rule([{ type: 'IPV6', spec: { proto: 17 }, mask: { proto: 0xff } }, { type: 'ICMP6' }]), 'ITEM', 'EINVAL', /proto 17 is not 58/, 1);
  accepted(t, 'full', rule([{ type: 'ETH', spec: { type: 0x88a8 }, mask: { type: 0xffff } }, { type: 'VLAN' }]));
  accepted(t, 'full', rule([{ type: 'IPV4', spec: { proto: 17 }, mask: { proto: 0xff } }, UDP]));
});

test('actions: fate, duplicates, ranges', (t) => {
  refused(t, 'full', rule([UDP], []), 'ACTION_NUM', 'EINVAL', /at least one action/);
  refused(t, 'full', rule([UDP], [{ type: 'QUEUE', index: 1 }, { type: 'DROP' }]), 'ACTION', 'EINVAL', /more than one fate action \(QUEUE and DROP\)/, 1);
  refused(t, 'full', rule([UDP], [{ type: 'MARK', id: 1 }, { type: 'MARK', id: 2 }]), 'ACTION', 'EINVAL', /MARK appears twice/, 1);
  refused(t, 'full', rule([UDP], [{ type: 'COUNT' }, { type: 'COUNT' }]), 'ACTION', 'EINVAL', /COUNT appears twice/, 1);
  refused(t, 'full', rule([UDP], [{ type: 'QUEUE', index: 16 }]), 'ACTION_CONF', 'EINVAL', /QUEUE index 16 is beyond the port's 16 queues/, 0);
  refused(t, 'full', rule([UDP], [{ type: 'RSS', queues: [] }]), 'ACTION_CONF', 'EINVAL', /at least one queue/, 0);
  refused(t, 'full', rule([UDP], [{ type: 'RSS', queues: [1, 99] }]), 'ACTION_CONF', 'EINVAL', /RSS queue 99/, 0);
  refused(t, 'full', rule([UDP], [{ type: 'RSS', queues: [1], key: new Uint8Array(12) }]), 'ACTION_CONF', 'EINVAL', /RSS key must be 40 bytes, not 12/, 0);
  refused(t, 'full', rule([UDP], [{ type: 'RSS', queues: [1], level: 2 }]), 'ACTION_CONF', 'ENOTSUP', /RSS level 2/, 0);
  refused(t, 'full', rule([UDP], [{ type: 'PORT_ID', id: 9 }]), 'ACTION_CONF', 'EINVAL', /PORT_ID 9 does not exist/, 0);
  accepted(t, 'full', rule([UDP], [{ type: 'RSS', queues: [1], key: new Uint8Array(40), func: 'SYMMETRIC_TOEPLITZ', types: 2n ** 63n }]));
});

test('xl710: exact 5-tuples, no MAC addresses, MARK needs QUEUE, no COUNT, no ICMP, no PORT', (t) => {
  const tuple = rule([{ type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } }, { type: 'IPV4', spec: { src: '1.1.1.1', dst: '2.2.2.2', proto: 17, fragmentOffset: 0 }, mask: { src: '255.255.255.255', dst: '255.255.255.255', proto: 0xff, fragmentOffset: 0x3fff } }, UDP], [{ type: 'MARK', id: 5 }, { type: 'QUEUE', index: 0 }]);
  accepted(t, 'xl710', tuple);
  refused(t, 'xl710', { ...tuple, actions: [{ type: 'MARK', id: 5 }] }, 'ACTION', 'EINVAL', /MARK needs a QUEUE/, 0);
  accepted(t, 'xl710', { ...tuple, actions: [{ type: 'MARK', id: 5 }, { type: 'RSS', queues: [0, 1] }] });
  refused(t, 'xl710', { ...tuple, actions: [{ type: 'COUNT' }, { type: 'MARK', id: 5 }, { type: 'QUEUE', index: 0 }] }, 'ACTION', 'ENOTSUP', /action COUNT is not supported/, 0);
  refused(t, 'xl710', rule([{ type: 'ETH', spec: { src: '00:00:00:00:00:01' } }]), 'ITEM_MASK', 'ENOTSUP', /field ETH dst cannot be matched/, 0);
  refused(t, 'xl710', rule([{ type: 'IPV4', spec: { src: '1.1.1.0' }, mask: { src: '255.255.255.0' } }]), 'ITEM_MASK', 'EINVAL', /mask of IPV4 src must be all ones or all zeros/, 0);
  refused(t, 'xl710', rule([{ type: 'UDP', spec: { srcPort: 0x100 }, mask: { srcPort: 0xff00 } }]), 'ITEM_MASK', 'EINVAL', /mask of UDP srcPort/, 0);
  refused(t, 'xl710', rule([{ type: 'IPV4', spec: { packetId: 1 }, mask: { packetId: 0xffff } }]), 'ITEM_MASK', 'ENOTSUP', /field IPV4 packetId cannot be matched/, 0);
  refused(t, 'xl710', rule([IPV4, { type: 'ICMP' }]), 'ITEM', 'ENOTSUP', /pattern item ICMP is not supported/, 1);
  refused(t, 'xl710', rule([{ type: 'PORT', spec: { index: 1 } }, IPV4]), 'ITEM', 'ENOTSUP', /pattern item PORT is not supported/, 0);
});

test('nocount marks but cannot count; nomark counts but cannot mark', (t) => {
  accepted(t, 'nocount', rule([IPV4], [{ type: 'MARK', id: 1 }]));
  refused(t, 'nocount', rule([IPV4], [{ type: 'COUNT' }, { type: 'MARK', id: 1 }]), 'ACTION', 'ENOTSUP', /action COUNT is not supported/, 0);
  accepted(t, 'nomark', rule([IPV4], [{ type: 'COUNT' }, { type: 'QUEUE', index: 0 }]));
  refused(t, 'nomark', rule([IPV4], [{ type: 'COUNT' }, { type: 'MARK', id: 1 }]), 'ACTION', 'ENOTSUP', /action MARK is not supported/, 1);
});

test('the trial-and-error variants of DESIGN.md §1 succeed where each NIC allows', (t) => {
  const pattern: PatternItem[] = [{ type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } }, IPV4, UDP];
  const variants: Record<string, Action[]> = {
    'COUNT, no QUEUE': [{ type: 'COUNT' }, { type: 'MARK', id: 65539 }],
    'COUNT + QUEUE 0': [{ type: 'COUNT' }, { type: 'MARK', id: 65539 }, { type: 'QUEUE', index: 0 }],
    'no COUNT + QUEUE 0': [{ type: 'MARK', id: 65539 }, { type: 'QUEUE', index: 0 }],
    'no COUNT, no QUEUE': [{ type: 'MARK', id: 65539 }],
  };
  const expected: Record<string, string[]> = {
    full: ['COUNT, no QUEUE', 'COUNT + QUEUE 0', 'no COUNT + QUEUE 0', 'no COUNT, no QUEUE'],
    xl710: ['no COUNT + QUEUE 0'],
    nocount: ['no COUNT + QUEUE 0', 'no COUNT, no QUEUE'],
    nomark: [],
  };
  for (const [profile, ok] of Object.entries(expected)) {
    const p = structuredClone(loadProfile(profile));
    p.items.ETH = '*'; // xl710 cannot match MAC addresses; this pattern does not use them
    const b = new SoftNicBackend(p);
    try {
      const names = Object.keys(variants);
      const results = b.validate(names.map((n) => rule(pattern, variants[n])));
      t.deepEqual(names.filter((_, i) => results[i].ok), ok, profile);
    } finally {
      b.close();
    }
  }
});

test('mask policy prefix: leading ones then zeros, per field', (t) => {
  const p = structuredClone(loadProfile('full'));
  p.maskPolicy = 'prefix';
  accepted(t, p, rule([{ type: 'IPV4', spec: { src: '10.1.0.0' }, mask: { src: '255.255.0.0', dst: '255.255.255.254' } }]));
  accepted(t, p, rule([{ type: 'IPV6', spec: { dst: '2001:db8::' }, mask: { dst: 'ffff:ffff:ff80::' } }]));
  accepted(t, p, rule([{ type: 'UDP', spec: { srcPort: 0x1200 }, mask: { srcPort: 0xff00 } }]));
  refused(t, p, rule([{ type: 'IPV4', spec: { src: '10.0.1.0' }, mask: { src: '255.0.255.0' } }]), 'ITEM_MASK', 'EINVAL', /mask of IPV4 src must be a prefix/, 0);
  refused(t, p, rule([{ type: 'UDP', spec: { srcPort: 1 }, mask: { srcPort: 0x00ff } }]), 'ITEM_MASK', 'EINVAL', /UDP srcPort must be a prefix/, 0);
  refused(t, p, rule([{ type: 'IPV6', spec: { tc: 1 }, mask: { tc: 0x0f } }]), 'ITEM_MASK', 'EINVAL', /IPV6 tc/, 0);
  // bit-packed fields take any mask
  accepted(t, p, rule([{ type: 'IPV4', spec: { fragmentOffset: 0 }, mask: { fragmentOffset: 0x3fff } }]));
  accepted(t, p, rule([{ type: 'VLAN', spec: { tci: 5 } }]));
});

test('the largest mark id and the rule table size are enforced', (t) => {
  const p = structuredClone(loadProfile('full'));
  p.maxMark = 0xffffff;
  p.maxRules = 3;
  p.ports = 2;
  accepted(t, p, rule([UDP], [{ type: 'MARK', id: 0xffffff }]));
  refused(t, p, rule([UDP], [{ type: 'MARK', id: 0x1000000 }]), 'ACTION_CONF', 'EINVAL', /MARK id 16777216 is beyond the largest mark id 16777215/, 0);
  const b = new SoftNicBackend(p);
  try {
    const rules = [1, 2, 3, 4].map((n) => rule([{ type: 'UDP', spec: { srcPort: n } }]));
    const created = b.create(rules);
    t.deepEqual(created.map((c) => c.ok), [true, true, true, false]);
    const last = created[3];
    if (!last.ok) {
      t.is(last.error.errnoName, 'ENOSPC');
      t.regex(last.error.message, /rule table of port 0 is full \(3 rules\)/);
    }
    t.true(b.validate([rules[3]])[0].ok, 'validate does not count installed rules');
    t.true(b.create([{ ...rules[3], attr: { ...attr, port: 1 } }])[0].ok, 'the table is per port');
    if (created[0].ok) b.destroy([created[0].handle]);
    t.true(b.create([rules[3]])[0].ok, 'room again after a destroy');
    t.is(b.ruleCount(0), 3);
    t.is(b.ruleCount(1), 1);
  } finally {
    b.close();
  }
});

test('the same match at the same priority is EEXIST; at another priority it is a new rule', (t) => {
  const b = new SoftNicBackend('full');
  try {
    const r = rule([ETH_IPV4, IPV4, UDP], [{ type: 'MARK', id: 1 }]);
    const first = b.create([r]);
    // different actions and spec bits outside the mask do not make a different match
    const same = rule([ETH_IPV4, { type: 'IPV4', spec: { src: '10.0.0.1', dst: '10.0.0.2', ttl: 3 } }, UDP], [{ type: 'DROP' }]);
    const [dup] = b.create([same]);
    t.false(dup.ok);
    if (!dup.ok && first[0].ok) {
      t.is(dup.error.errnoName, 'EEXIST');
      t.is(dup.error.message, `a rule with the same pattern and priority exists on port 0 (handle ${first[0].handle})`);
    }
    t.true(b.create([{ ...r, attr: { ...attr, priority: 1 } }])[0].ok);
    t.true(b.create([{ ...r, attr: { ...attr, port: 1 } }])[0].ok);
    t.is(b.ruleCount(0), 2);
  } finally {
    b.close();
  }
});
