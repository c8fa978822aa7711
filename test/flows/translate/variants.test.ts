/**
 * Trial variants (DESIGN.md §1): if the device may count, 1) COUNT 2) COUNT + QUEUE 0 3) QUEUE 0;
 * otherwise 1) nothing 2) QUEUE 0. DROP takes COUNT variants only. Actions are
 * `[COUNT] MARK id [QUEUE index 0] END`.
 */
import test from 'ava';
import {
  preferVariant, TranslateUsageError, trialVariants, VARIANT_COUNT, VARIANT_COUNT_QUEUE, VARIANT_PLAIN, VARIANT_QUEUE, VARIANTS, withVariant,
} from '../../../src/flows/translate';
import type { RuleSpec } from '../../../src/native/rule-spec';
import { flow, offload } from './helpers';

test('the order of the variants to try', (t) => {
  t.deepEqual(trialVariants(true, 'mark').map((v) => v.name), ['count', 'count+queue', 'queue']);
  t.deepEqual(trialVariants(false, 'mark').map((v) => v.name), ['plain', 'queue']);
  t.deepEqual(trialVariants(true, 'drop').map((v) => v.name), ['count', 'plain']);
  t.deepEqual(trialVariants(false, 'drop').map((v) => v.name), ['plain']);
  t.true(Object.isFrozen(trialVariants(true, 'mark')));
});

test('each variant\'s flags, and the table by name', (t) => {
  t.deepEqual({ ...VARIANT_COUNT }, { name: 'count', count: true, queue: false });
  t.deepEqual({ ...VARIANT_COUNT_QUEUE }, { name: 'count+queue', count: true, queue: true });
  t.deepEqual({ ...VARIANT_QUEUE }, { name: 'queue', count: false, queue: true });
  t.deepEqual({ ...VARIANT_PLAIN }, { name: 'plain', count: false, queue: false });
  for (const v of [VARIANT_COUNT, VARIANT_COUNT_QUEUE, VARIANT_QUEUE, VARIANT_PLAIN]) t.is(VARIANTS[v.name], v);
});

test('withVariant builds [COUNT] MARK [QUEUE 0] END and shares attr and pattern', (t) => {
  const base = offload(t, flow('in_port(1),eth_type(0x0800)', '2'), { flowId: 1 }).rule;
  const mark = { type: 'MARK', id: 0x10001 };
  const expected: Record<string, RuleSpec['actions']> = {
    count: [{ type: 'COUNT' }, mark as RuleSpec['actions'][number], { type: 'END' }],
    'count+queue': [{ type: 'COUNT' }, mark as RuleSpec['actions'][number], { type: 'QUEUE', index: 0 }, { type: 'END' }],
    queue: [mark as RuleSpec['actions'][number], { type: 'QUEUE', index: 0 }, { type: 'END' }],
    plain: [mark as RuleSpec['actions'][number], { type: 'END' }],
  };
  for (const v of [VARIANT_COUNT, VARIANT_COUNT_QUEUE, VARIANT_QUEUE, VARIANT_PLAIN]) {
    const r = withVariant(base, v);
    t.deepEqual(r.actions, expected[v.name], v.name);
    t.is(r.attr, base.attr);
    t.is(r.pattern, base.pattern);
  }
  // The base rule is left as it was.
  t.deepEqual(base.actions, [mark as RuleSpec['actions'][number], { type: 'END' }]);
});

test('withVariant on a DROP rule: [COUNT] DROP END; QUEUE is refused', (t) => {
  const base = offload(t, flow('in_port(1),eth_type(0x0800)', 'drop'), { flowId: 1 }).rule;
  t.deepEqual(withVariant(base, VARIANT_COUNT).actions, [{ type: 'COUNT' }, { type: 'DROP' }, { type: 'END' }]);
  t.deepEqual(withVariant(base, VARIANT_PLAIN).actions, [{ type: 'DROP' }, { type: 'END' }]);
  t.throws(() => withVariant(base, VARIANT_QUEUE), { instanceOf: TranslateUsageError });
  t.throws(() => withVariant(base, VARIANT_COUNT_QUEUE), { instanceOf: TranslateUsageError });
});

test('withVariant refuses a rule that is not a base rule', (t) => {
  const base = offload(t, flow('in_port(1),eth_type(0x0800)', '2'), { flowId: 1 }).rule;
  const counted = withVariant(base, VARIANT_COUNT);
  t.throws(() => withVariant(counted, VARIANT_PLAIN), { instanceOf: TranslateUsageError });
  t.throws(() => withVariant({ ...base, actions: [] }, VARIANT_PLAIN), { instanceOf: TranslateUsageError });
  t.throws(() => withVariant({ ...base, actions: [{ type: 'QUEUE', index: 0 }] }, VARIANT_PLAIN), { instanceOf: TranslateUsageError });
});

test('preferVariant moves the variant that worked last to the front', (t) => {
  const all = trialVariants(true, 'mark');
  t.deepEqual(preferVariant(all, 'queue').map((v) => v.name), ['queue', 'count', 'count+queue']);
  t.deepEqual(preferVariant(all, 'count+queue').map((v) => v.name), ['count+queue', 'count', 'queue']);
  t.is(preferVariant(all, 'count'), all);
  t.is(preferVariant(all, undefined), all);
  t.is(preferVariant(all, 'plain'), all);
  t.deepEqual(all.map((v) => v.name), ['count', 'count+queue', 'queue']);
});
