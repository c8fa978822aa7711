import test from 'ava';
import { RteFlowError, type RteFlowErrorType } from '../../src/native/errors';
import { encodeRules } from '../../src/native/rule-encoder';
import { ITEM_LAYOUTS, setBits } from '../../src/native/item-fields';
import type { RuleSpec } from '../../src/native/rule-spec';

const attr = { port: 0, group: 0, priority: 0, ingress: true };

function words(bytes: Uint8Array): number[] {
  return Array.from(new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}

test('a rule is encoded word by word as native/src/core/batch_reader.h says', (t) => {
  const rule: RuleSpec = {
    attr: { port: 3, group: 1, priority: 2, ingress: true, transfer: true },
    pattern: [{ type: 'UDP', spec: { srcPort: 0x1234, dstPort: 53 } }, { type: 'END' }],
    actions: [{ type: 'MARK', id: 7 }, { type: 'QUEUE', index: 2 }, { type: 'END' }],
  };
  const enc = encodeRules([rule]);
  t.is(enc.count, 1);
  t.is(enc.failures.size, 0);
  t.deepEqual(words(enc.bytes), [
    19, 3, 1, 2, 5, 1, 2, // length, port, group, priority, ingress|transfer, 1 item, 2 actions
    8, 1, 0x35003412, 0, 0, 0, // UDP, spec given: 12 34 00 35 00 00 00 00 (little-endian words); zero mask
    1, 1, 7, // MARK 7
    3, 1, 2, // QUEUE 2
  ]);
});

test('fields land at their bit positions, in network order', (t) => {
  const enc = encodeRules([
    {
      attr,
      pattern: [
        { type: 'ETH', spec: { dst: '01:02:03:04:05:06', type: 0x8100, hasVlan: 1 }, mask: { hasVlan: true } },
        { type: 'VLAN', spec: { tci: 0x0123, innerType: 0x86dd } },
        { type: 'IPV6', spec: { tc: 0xab, flowLabel: 0xcdef1, hasFragExt: 1, src: '::1' } },
      ],
      actions: [{ type: 'DROP' }],
    },
  ]);
  const b = Buffer.from(enc.bytes);
  const eth = b.subarray(9 * 4, 13 * 4); // after the 7 header words and the item's type and flags
  t.is(eth.toString('hex'), '010203040506' + '000000000000' + '8100' + '80' + '00');
  const ethMask = b.subarray(13 * 4, 17 * 4);
  t.is(ethMask.toString('hex'), '00'.repeat(14) + '8000');
  const vlan = b.subarray(19 * 4, 21 * 4);
  t.is(vlan.toString('hex'), '012386dd00000000');
  const ipv6 = b.subarray(25 * 4, 25 * 4 + 44);
  t.is(ipv6.subarray(0, 4).toString('hex'), '0abcdef1'); // version bits left 0, tc 0xab, flow label 0xcdef1
  t.is(ipv6.subarray(8, 24).toString('hex'), '00'.repeat(15) + '01');
  t.is(ipv6[40], 0x20); // has_frag_ext
});

test('a malformed rule fails alone and does not disturb its neighbours', (t) => {
  const good: RuleSpec = { attr, pattern: [{ type: 'IPV4', spec: { src: '10.0.0.1', ttl: 9 } }], actions: [{ type: 'COUNT' }, { type: 'DROP' }] };
  const alone = encodeRules([good, good]);
  // the bad rule fails after writing part of an item: the space it used must be clean again
  const bad = { attr, pattern: [{ type: 'IPV6', spec: { src: '2001:db8::1', dst: '2001:db8::zz' } }], actions: [] } as RuleSpec;
  const mixed = encodeRules([good, bad, good]);
  t.is(mixed.count, 2);
  t.is(mixed.total, 3);
  t.deepEqual([mixed.indexOf(0), mixed.indexOf(1)], [0, 2]);
  t.deepEqual(Buffer.from(mixed.bytes), Buffer.from(alone.bytes));
  const err = mixed.failures.get(1);
  t.true(err instanceof RteFlowError);
  t.is(err?.type, 'ITEM_SPEC');
  t.is(err?.errnoName, 'EINVAL');
  t.is(err?.position, 0);
  t.is(err?.message, 'IPV6 spec.dst: "2001:db8::zz" is not an IPv6 address');
});

const cases: Array<[string, unknown, RteFlowErrorType, string, RegExp, number | undefined]> = [
  ['not an object', 5, 'UNSPECIFIED', 'EINVAL', /a rule must be an object/, undefined],
  ['unknown rule property', { attr, pattern: [], actions: [], extra: 1 }, 'UNSPECIFIED', 'EINVAL', /rule has no property "extra"/, undefined],
  ['missing attr', { pattern: [], actions: [] }, 'ATTR', 'EINVAL', /attr must be an object/, undefined],
  ['bad group', { attr: { ...attr, group: -1 }, pattern: [], actions: [] }, 'ATTR_GROUP', 'EINVAL', /attr\.group: -1/, undefined],
  ['bad priority', { attr: { ...attr, priority: 2 ** 32 }, pattern: [], actions: [] }, 'ATTR_PRIORITY', 'EINVAL', /attr\.priority/, undefined],
  ['ingress not boolean', { attr: { ...attr, ingress: 1 }, pattern: [], actions: [] }, 'ATTR_INGRESS', 'EINVAL', /attr\.ingress: 1 is not a boolean/, undefined],
  ['unknown attr property', { attr: { ...attr, queue: 1 }, pattern: [], actions: [] }, 'ATTR', 'EINVAL', /^attr has no property "queue"$/, undefined],
  ['port not integer', { attr: { ...attr, port: '0' }, pattern: [], actions: [] }, 'UNSPECIFIED', 'EINVAL', /^attr\.port: "0" is not an integer in 0\.\.4294967295$/, undefined],
  ['egress not boolean', { attr: { ...attr, egress: 0 }, pattern: [], actions: [] }, 'ATTR_EGRESS', 'EINVAL', /^attr\.egress: 0 is not a boolean$/, undefined],
  ['pattern not array', { attr, pattern: {}, actions: [] }, 'ITEM_NUM', 'EINVAL', /pattern must be an array/, undefined],
  ['unknown item', { attr, pattern: [{ type: 'ETH' }, { type: 'GRE' }], actions: [] }, 'ITEM', 'ENOTSUP', /unknown item type "GRE"/, 1],
  ['item type not a string', { attr, pattern: [{ type: 2 }], actions: [] }, 'ITEM', 'ENOTSUP', /^pattern\[0\]: unknown item type 2$/, 0],
  ['item type END-like', { attr, pattern: [{ type: 'eth' }], actions: [] }, 'ITEM', 'ENOTSUP', /unknown item type "eth"/, 0],
  ['unknown item property', { attr, pattern: [{ type: 'ETH' }, { type: 'UDP', spec: {}, sport: 1 }], actions: [] }, 'ITEM', 'EINVAL', /^UDP item has no property "sport"$/, 1],
  ['item after END', { attr, pattern: [{ type: 'END' }, { type: 'ETH' }], actions: [] }, 'ITEM', 'EINVAL', /END but items follow/, 1],
  ['mask without spec', { attr, pattern: [{ type: 'UDP', mask: { srcPort: 1 } }], actions: [] }, 'ITEM_MASK', 'EINVAL', /UDP has a mask but no spec/, 0],
  ['range', { attr, pattern: [{ type: 'UDP', spec: {}, last: {} }], actions: [] }, 'ITEM_LAST', 'ENOTSUP', /ranges/, 0],
  ['unknown field', { attr, pattern: [{ type: 'TCP', spec: { sport: 1 } }], actions: [] }, 'ITEM_SPEC', 'EINVAL', /^TCP spec has no field "sport"$/, 0],
  ['unknown mask field', { attr, pattern: [{ type: 'IPV4', spec: { ttl: 1 }, mask: { ttl: 255, hops: 1 } }], actions: [] }, 'ITEM_MASK', 'EINVAL', /^IPV4 mask has no field "hops"$/, 0],
  ['spec not an object', { attr, pattern: [{ type: 'UDP', spec: [1] }], actions: [] }, 'ITEM_SPEC', 'EINVAL', /^UDP spec must be an object of fields, not an array$/, 0],
  ['mask not an object', { attr, pattern: [{ type: 'UDP', spec: {}, mask: 7 }], actions: [] }, 'ITEM_MASK', 'EINVAL', /^UDP mask must be an object of fields, not 7$/, 0],
  ['value too large', { attr, pattern: [{ type: 'IPV4', spec: { ttl: 256 } }], actions: [] }, 'ITEM_SPEC', 'EINVAL', /IPV4 spec\.ttl: 256 is not an integer in 0\.\.255/, 0],
  ['fraction', { attr, pattern: [{ type: 'UDP', spec: { srcPort: 1.5 } }], actions: [] }, 'ITEM_SPEC', 'EINVAL', /srcPort: 1\.5/, 0],
  ['bad mask value', { attr, pattern: [{ type: 'IPV6', spec: {}, mask: { flowLabel: 0x100000 } }], actions: [] }, 'ITEM_MASK', 'EINVAL', /IPV6 mask\.flowLabel/, 0],
  ['bad flag', { attr, pattern: [{ type: 'ETH', spec: { hasVlan: 2 } }], actions: [] }, 'ITEM_SPEC', 'EINVAL', /hasVlan: 2 is not 0, 1/, 0],
  ['bad MAC', { attr, pattern: [{ type: 'ETH', spec: { src: '00:11:22:33:44' } }], actions: [] }, 'ITEM_SPEC', 'EINVAL', /not a MAC address/, 0],
  ['short address bytes', { attr, pattern: [{ type: 'IPV4', spec: { src: new Uint8Array(3) } }], actions: [] }, 'ITEM_SPEC', 'EINVAL', /4 bytes/, 0],
  ['actions not array', { attr, pattern: [], actions: 'DROP' }, 'ACTION_NUM', 'EINVAL', /actions must be an array/, undefined],
  ['unknown action', { attr, pattern: [], actions: [{ type: 'JUMP' }] }, 'ACTION', 'ENOTSUP', /unknown action type "JUMP"/, 0],
  ['action type not a string', { attr, pattern: [], actions: [{ type: 4 }] }, 'ACTION', 'ENOTSUP', /^actions\[0\]: unknown action type 4$/, 0],
  ['action after END', { attr, pattern: [], actions: [{ type: 'END' }, { type: 'DROP' }] }, 'ACTION', 'EINVAL', /END but actions follow/, 1],
  ['MARK without id', { attr, pattern: [], actions: [{ type: 'DROP' }, { type: 'MARK' }] }, 'ACTION_CONF', 'EINVAL', /MARK\.id: undefined/, 1],
  ['QUEUE too large', { attr, pattern: [], actions: [{ type: 'QUEUE', index: 70000 }] }, 'ACTION_CONF', 'EINVAL', /QUEUE\.index: 70000/, 0],
  ['unknown action property', { attr, pattern: [], actions: [{ type: 'DROP', queue: 1 }] }, 'ACTION_CONF', 'EINVAL', /^DROP action has no property "queue"$/, 0],
  ['unknown MARK property', { attr, pattern: [], actions: [{ type: 'COUNT' }, { type: 'MARK', id: 1, index: 2 }] }, 'ACTION_CONF', 'EINVAL', /^MARK action has no property "index"$/, 1],
  ['RSS bad func', { attr, pattern: [], actions: [{ type: 'RSS', queues: [0], func: 'CRC' }] }, 'ACTION_CONF', 'EINVAL', /RSS\.func/, 0],
  ['RSS bad queue', { attr, pattern: [], actions: [{ type: 'RSS', queues: [0, -1] }] }, 'ACTION_CONF', 'EINVAL', /RSS\.queues\[1\]/, 0],
  ['RSS types too large', { attr, pattern: [], actions: [{ type: 'RSS', queues: [0], types: 2n ** 64n }] }, 'ACTION_CONF', 'EINVAL', /RSS\.types/, 0],
  ['PORT_ID original not boolean', { attr, pattern: [], actions: [{ type: 'PORT_ID', id: 1, original: 1 }] }, 'ACTION_CONF', 'EINVAL', /original/, 0],
];

for (const [title, rule, type, errno, message, position] of cases) {
  test(`encoding failure: ${title}`, (t) => {
    const enc = encodeRules([rule as RuleSpec]);
    t.is(enc.count, 0);
    const err = enc.failures.get(0);
    t.true(err instanceof RteFlowError);
    t.is(err?.type, type);
    t.is(err?.errnoName, errno);
    t.regex(err?.message ?? '', message);
    t.is(err?.position, position);
  });
}

test('RSS is encoded with its key and 64-bit types', (t) => {
  const key = Uint8Array.from({ length: 40 }, (_, i) => i);
  const enc = encodeRules([{ attr, pattern: [], actions: [{ type: 'RSS', func: 'TOEPLITZ', level: 1, types: 0x80000000_00000004n, key, queues: [3, 1] }] }]);
  const w = words(enc.bytes);
  t.deepEqual(w.slice(7, 15), [5, 6 + 10 + 2, 1, 1, 4, 0x80000000, 40, 2]);
  t.deepEqual(Buffer.from(enc.bytes.subarray(15 * 4, 25 * 4)), Buffer.from(key));
  t.deepEqual(w.slice(25), [3, 1]);
});

test('every field of every item is written where item-fields.ts puts it (spec and mask)', (t) => {
  // One rule per item type with each field set to all ones in the spec and in the mask: the
  // record's spec and mask bytes must then have exactly the field's bits set.
  for (const layout of Object.values(ITEM_LAYOUTS)) {
    for (const f of layout.fields) {
      const value = f.kind === 'mac' ? 'ff:ff:ff:ff:ff:ff' : f.kind === 'ipv4' ? '255.255.255.255' : f.kind === 'ipv6' ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : f.kind === 'bit' ? 1 : 2 ** f.bitWidth - 1;
      const fields = { [f.name]: value };
      const enc = encodeRules([{ attr, pattern: [{ type: layout.name, spec: fields, mask: fields }], actions: [{ type: 'DROP' }] }]);
      t.is(enc.failures.size, 0, `${layout.name}.${f.name}`);
      const expected = new Uint8Array(layout.size);
      setBits(expected, f.bitOffset, f.bitWidth);
      const words = (layout.size + 3) >> 2;
      const spec = enc.bytes.subarray(9 * 4, 9 * 4 + layout.size);
      const mask = enc.bytes.subarray((9 + words) * 4, (9 + words) * 4 + layout.size);
      t.deepEqual(Buffer.from(spec), Buffer.from(expected), `${layout.name} spec.${f.name}`);
      t.deepEqual(Buffer.from(mask), Buffer.from(expected), `${layout.name} mask.${f.name}`);
    }
  }
});

test('encodeRules refuses what is not an array', (t) => {
  t.throws(() => encodeRules('x' as never), { instanceOf: TypeError });
});
