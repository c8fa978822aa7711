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
