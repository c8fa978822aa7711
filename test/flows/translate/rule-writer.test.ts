/**
 * writePlannedRule (the put path's encoder, straight from a FlowPlan) against the reference path:
 * translateFlow -> withVariant -> RuleBatchBuilder.add. For every fixture megaflow, for generated
 * flows of any shape and for offloadable-shaped ones, in every trial variant and with and without
 * a PORT item (a DPDK port id that differs from the hw-port-id): the plan says what translateFlow
 * says (ok, reason, mark, ports), and the encoded bytes are identical.
 */
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { parseDump, type Action, type KeyAttr } from '../../../src/flows/odp';
import {
  FlowPlan, translateFlow, trialVariants, VARIANTS, withVariant, writePlannedRule, type ActionVariant, type PortLookup, type TranslateOptions,
} from '../../../src/flows/translate';
import { RuleBatchBuilder } from '../../../src/native/rule-encoder';
import { flow as anyFlow } from '../arbitraries';
import { flow, ports } from './helpers';
import { offloadableMatch as offloadable } from './offloadable-arbitraries';

const DIR = path.resolve(__dirname, '../../../../test/fixtures/ovs-3.1');

const PORTS: PortLookup = ports({ 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 100: 7 }, { p1: 1, p2: 2, p3: 3, br0: 100 });
const ALL_VARIANTS: readonly ActionVariant[] = Object.values(VARIANTS);

interface Flow {
  readonly match: readonly KeyAttr[];
  readonly actions: readonly Action[];
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/**
 * Compares both paths for one flow; returns a description of the first difference, or undefined.
 * Also returns whether the flow translated (so that a test can check it exercised rules at all).
 */
function compare(f: Flow, p: PortLookup, opts: TranslateOptions): { diff: string | undefined; ok: boolean } {
  const ref = translateFlow(f, p, opts);
  const plan = new FlowPlan();
  const ok = plan.plan(f, p, opts);
  if (ok !== ref.ok) return { diff: `plan ok ${ok}, translateFlow ok ${ref.ok}`, ok };
  if (!ref.ok) {
    if (plan.reason !== ref.reason || plan.portDependent !== ref.portDependent) {
      return { diff: `reason "${plan.reason}" (${plan.portDependent}) vs "${ref.reason}" (${ref.portDependent})`, ok };
    }
    return { diff: undefined, ok };
  }
  if (plan.fate !== ref.fate || (ref.mark ?? -1) !== plan.mark || plan.dpdkPortId !== ref.rule.attr.port || plan.inHw !== ref.inPort.hwPortId) {
    return { diff: `plan ${plan.fate}/${plan.mark}/${plan.dpdkPortId} vs ${ref.fate}/${String(ref.mark)}/${ref.rule.attr.port}`, ok };
  }
  for (const v of ALL_VARIANTS) {
    if (v.queue && ref.fate === 'drop') continue;
    const a = new RuleBatchBuilder();
    const b = new RuleBatchBuilder();
    const refErr = a.add(withVariant(ref.rule, v));
    if (refErr !== undefined) return { diff: `the reference encoder refused variant ${v.name}: ${refErr.message}`, ok };
    // Two rules in a row: the second starts where the first ended (the builder's bookkeeping).
    for (let k = 0; k < 2; k++) {
      if (!writePlannedRule(b, plan, v)) return { diff: `writePlannedRule declined variant ${v.name}`, ok };
    }
    a.add(withVariant(ref.rule, v));
    const ea = a.finish();
    const eb = b.finish();
    if (eb.count !== 2 || eb.total !== 2) return { diff: `count ${eb.count}/${eb.total}`, ok };
    if (hex(ea.bytes) !== hex(eb.bytes)) return { diff: `variant ${v.name}: bytes\n  ${hex(eb.bytes)}\nvs\n  ${hex(ea.bytes)}`, ok };
  }
  return { diff: undefined, ok };
}

function fixtureFlows(file: string): Flow[] {
  const { flows, errors } = parseDump(fs.readFileSync(path.join(DIR, file), 'utf8'));
  if (errors.length > 0) throw new Error(`${file}: ${errors.length} lines do not parse`);
  return flows;
}

function checkAll(t: ExecutionContext, flows: readonly Flow[], p: PortLookup, opts: TranslateOptions): number {
  let translated = 0;
  for (const f of flows) {
    const { diff, ok } = compare(f, p, opts);
    if (diff !== undefined) t.fail(diff);
    if (ok) translated++;
  }
  return translated;
}

test('every fixture megaflow: the same outcome and the same bytes as the RuleSpec path', (t) => {
  const main = fixtureFlows('megaflows-dump-m-nonames.txt');
  const named = fixtureFlows('megaflows-dump-m.txt');
  const tunnel = fixtureFlows('megaflows-tunnel-dump-m.txt');
  t.is(main.length + tunnel.length, 58);
  let translated = 0;
  for (const flowId of [0, 7, 0x8001, 0xffff]) {
    translated += checkAll(t, main, PORTS, { flowId });
    translated += checkAll(t, named, PORTS, { flowId });
    translated += checkAll(t, tunnel, PORTS, { flowId });
    // A virtual port of the NIC: a PORT item in front.
    translated += checkAll(t, main, PORTS, { flowId, dpdkPortIdOf: (odp) => (odp === 1 ? 9 : undefined) });
  }
  t.true(translated > 40, `${translated} translated fixture cases`);
});

test('generated flows of any shape: the same outcome, and the same bytes when they translate', (t) => {
  fc.assert(
    fc.property(anyFlow, fc.integer({ min: 0, max: 0xffff }), fc.boolean(), (f, flowId, virt) => {
      const opts: TranslateOptions = { flowId, dpdkPortIdOf: virt ? () => 42 : undefined };
      const { diff } = compare(f, PORTS, opts);
      if (diff !== undefined) throw new Error(diff);
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('generated offloadable-shaped flows: the same bytes in every variant', (t) => {
  let translated = 0;
  fc.assert(
    fc.property(offloadable, fc.oneof(fc.constant('drop'), fc.integer({ min: 1, max: 0x7fff }).map(String)), fc.integer({ min: 0, max: 0xffff }), fc.boolean(), (m, a, flowId, virt) => {
      const { diff, ok } = compare(flow(m, a), PORTS, { flowId, dpdkPortIdOf: virt ? () => 3 : undefined });
      if (diff !== undefined) throw new Error(`${m} actions:${a}: ${diff}`);
      if (ok) translated++;
    }),
    { numRuns: 3000 },
  );
  t.true(translated > 1500, `${translated} of 3000 translated`);
});

test('a value the RuleSpec encoder refuses is not written: the batch is left as it was', (t) => {
  const f = flow('in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1,tos=4)', '2');
  // A model value outside what the parser gives (a mask wider than the 8-bit field).
  const ipv4 = f.match.find((k) => k.kind === 'ipv4');
  if (ipv4 === undefined || ipv4.kind !== 'ipv4' || ipv4.tos === undefined) return t.fail('no ipv4 tos');
  ipv4.tos = { value: 4, mask: 0x1ff };
  const plan = new FlowPlan();
  t.true(plan.plan(f, PORTS, { flowId: 1 }));
  const before = new RuleBatchBuilder();
  t.false(writePlannedRule(before, plan, VARIANTS.count));
  t.is(before.finish().count, 0);
  t.is(before.finish().bytes.length, 0);
  // And the reference encoder does refuse it, naming the field.
  const ref = translateFlow(f, PORTS, { flowId: 1 });
  if (!ref.ok) return t.fail(ref.reason);
  const err = new RuleBatchBuilder().add(withVariant(ref.rule, VARIANTS.count));
  t.regex(err?.message ?? '', /tos/);
  // A good rule after a declined one encodes as if the declined one never was.
  const good = flow('in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1)', '2');
  t.true(plan.plan(good, PORTS, { flowId: 1 }));
  t.true(writePlannedRule(before, plan, VARIANTS.count));
  const refGood = translateFlow(good, PORTS, { flowId: 1 });
  if (!refGood.ok) return t.fail(refGood.reason);
  const a = new RuleBatchBuilder();
  a.add(withVariant(refGood.rule, VARIANTS.count));
  t.is(hex(before.finish().bytes), hex(a.finish().bytes));
});

test('trial variants of a drop never ask for QUEUE; writePlannedRule declines QUEUE with DROP', (t) => {
  const plan = new FlowPlan();
  t.true(plan.plan(flow('in_port(1),eth_type(0x0800)', 'drop'), PORTS, { flowId: 0 }));
  t.false(trialVariants(true, 'drop').some((v) => v.queue));
  const b = new RuleBatchBuilder();
  t.false(writePlannedRule(b, plan, VARIANTS.queue));
  t.is(b.finish().count, 0);
});
