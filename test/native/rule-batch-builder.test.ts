import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { encodeRules, RuleBatchBuilder, type EncodedRules } from '../../src/native/rule-encoder';
import type { RuleSpec } from '../../src/native/rule-spec';

const attr = { port: 0, group: 0, priority: 0, ingress: true };

/** Rules of several sizes, well-formed and not (one fails after writing part of an item). */
const POOL: RuleSpec[] = [
  { attr, pattern: [{ type: 'IPV4', spec: { src: '10.0.0.1', ttl: 9 } }], actions: [{ type: 'COUNT' }, { type: 'DROP' }] },
  {
    attr: { ...attr, port: 1, priority: 3 },
    pattern: [
      { type: 'ETH', spec: { type: 0x0800, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } },
      { type: 'IPV4', spec: { src: '192.168.1.2', dst: '192.168.1.8' } },
      { type: 'UDP', spec: { srcPort: 10025, dstPort: 10026 } },
      { type: 'END' },
    ],
    actions: [{ type: 'COUNT' }, { type: 'MARK', id: 65539 }, { type: 'QUEUE', index: 0 }, { type: 'END' }],
  },
  { attr, pattern: [{ type: 'IPV6', spec: { src: '2001:db8::1', dst: '2001:db8::2' } }, { type: 'END' }], actions: [{ type: 'DROP' }, { type: 'END' }] },
  { attr, pattern: [{ type: 'IPV6', spec: { src: '2001:db8::1', dst: '2001:db8::zz' } }], actions: [] },
  { attr: { ...attr, port: -1 }, pattern: [], actions: [{ type: 'DROP' }] },
  { attr, pattern: [{ type: 'NOPE' }], actions: [] } as unknown as RuleSpec,
];

function same(t: ExecutionContext, got: EncodedRules, want: EncodedRules): void {
  t.deepEqual(Buffer.from(got.bytes), Buffer.from(want.bytes));
  t.is(got.count, want.count);
  t.is(got.total, want.total);
  for (let j = 0; j < want.count; j++) t.is(got.indexOf(j), want.indexOf(j));
  t.deepEqual([...got.failures.keys()], [...want.failures.keys()]);
  for (const [i, e] of want.failures) {
    const g = got.failures.get(i);
    t.deepEqual([g?.message, g?.type, g?.errno, g?.position], [e.message, e.type, e.errno, e.position]);
  }
}

test('a batch built rule by rule equals encodeRules of the same rules, batch after batch', (t) => {
  const builder = new RuleBatchBuilder();
  const batch = fc.array(fc.nat(POOL.length - 1), { maxLength: 300 });
  fc.assert(
    fc.property(fc.array(batch, { minLength: 1, maxLength: 4 }), (batches) => {
      for (const picks of batches) {
        builder.reset();
        const rules = picks.map((k) => POOL[k]);
        const errors = rules.map((r) => builder.add(r));
        const want = encodeRules(rules);
        t.is(builder.size, rules.length);
        same(t, builder.finish(), want);
        errors.forEach((e, i) => t.is(e?.message, want.failures.get(i)?.message));
      }
    }),
    { numRuns: 60 },
  );
});

test('an empty batch has no records', (t) => {
  const builder = new RuleBatchBuilder();
  builder.add(POOL[0]);
  builder.reset();
  const enc = builder.finish();
  t.is(enc.count, 0);
  t.is(enc.total, 0);
  t.is(enc.bytes.length, 0);
});

/** POOL[1] written through the raw API (beginRule, item, action, endRule), as rule-writer.ts does. */
function writeRaw(b: RuleBatchBuilder): void {
  b.beginRule(1, 0, 3, 1);
  let at = b.item(2, 4, true, true); // ETH: type 0x0800 under 0xffff, hasVlan 0 under 1
  let u8 = b.bytes;
  u8[at + 12] = 0x08;
  u8[at + 16 + 12] = 0xff;
  u8[at + 16 + 13] = 0xff;
  u8[at + 16 + 14] = 0x80;
  at = b.item(4, 5, true, false); // IPV4 src, dst
  u8 = b.bytes;
  u8.set([192, 168, 1, 2, 192, 168, 1, 8], at + 12);
  at = b.item(8, 2, true, false); // UDP 10025 -> 10026
  u8 = b.bytes;
  u8.set([10025 >> 8, 10025 & 255, 10026 >> 8, 10026 & 255], at);
  b.action1(2, 0);
  b.action1(1, 65539);
  b.action1(3, 0);
  b.endRule();
}

test('rules written through the raw API equal the encoder\'s records, mixed with add() and its failures', (t) => {
  const picks = [0, 1, 3, 1, 5, 2, 1];
  const builder = new RuleBatchBuilder();
  for (let round = 0; round < 3; round++) {
    builder.reset();
    for (const k of picks) {
      if (k === 1) writeRaw(builder);
      else builder.add(POOL[k]);
    }
    same(t, builder.finish(), encodeRules(picks.map((k) => POOL[k])));
  }
});

test('abortRule leaves the batch as it was: zeros after it, the next rule where the aborted one began', (t) => {
  const builder = new RuleBatchBuilder();
  builder.add(POOL[0]);
  builder.beginRule(0, 0, 0, 1);
  const at = builder.item(5, 11, true, true);
  builder.bytes.fill(0xee, at, at + 88);
  builder.abortRule();
  builder.abortRule(); // no record begun: nothing to do
  writeRaw(builder);
  same(t, builder.finish(), encodeRules([POOL[0], POOL[1]]));
  t.is(builder.size, 2);
});
