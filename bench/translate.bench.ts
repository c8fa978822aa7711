/**
 * Translation throughput: megaflows -> base rte_flow rule specs (src/flows/translate), per second,
 * in-process. Three figures from one corpus of distinct megaflows made from the OVS 3.1 fixture
 * dumps: the offloadable flows alone (each copy with its own IPv4/IPv6 source, so no two are the
 * same), the same flows translated and rendered as testpmd text, and the whole fixture mix
 * (most of which is refused with a reason). And the put path's translate + encode into a native
 * batch in the COUNT variant: FlowPlan + writePlannedRule (the engine's), with the RuleSpec path
 * (translateFlow + withVariant + RuleBatchBuilder.add, the reference encoding) as its peer.
 *
 * Sizes: `translate.flows` flows per round (100000; quick 10000), `translate.rounds` rounds (7;
 * quick 3; the median is reported, the samples are logged).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDpctlShow, parseDump, portNumbers, resolvePortNames, type DpFlow } from '../src/flows/odp';
import { FlowPlan, renderTestpmd, translateFlow, VARIANT_COUNT, withVariant, writePlannedRule, type PortLookup } from '../src/flows/translate';
import { RuleBatchBuilder } from '../src/native/rule-encoder';
import { median, size, type Benchmark, type BenchOptions, type BenchResult } from './types';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures/ovs-3.1');

/** Every fixture flow with ports as numbers, and a port map where every datapath port has a hw-port-id. */
function corpus(): { flows: DpFlow[]; ports: PortLookup } {
  const hw = new Map<number, number>();
  const flows: DpFlow[] = [];
  for (const [dump, show] of [
    ['megaflows-dump-m.txt', 'megaflows-dpctl-show.txt'],
    ['megaflows-tunnel-dump-m.txt', 'megaflows-tunnel-dpctl-show.txt'],
  ]) {
    const s = parseDpctlShow(fs.readFileSync(path.join(FIXTURES, show), 'utf8'));
    s.ports.forEach((p, i) => hw.set(p.number, i));
    const numbers = portNumbers(s);
    for (const f of parseDump(fs.readFileSync(path.join(FIXTURES, dump), 'utf8')).flows) flows.push(resolvePortNames(f, numbers));
  }
  return { flows, ports: { hwPortIdOf: (odp) => hw.get(odp) } };
}

/** `n` distinct copies of `base`: copy i gets source address i in its IPv4 or IPv6 key. */
function distinct(base: DpFlow[], n: number): DpFlow[] {
  const out: DpFlow[] = [];
  for (let i = 0; i < n; i++) {
    const f = structuredClone(base[i % base.length]);
    const keys = f.match.flatMap((k) => (k.kind === 'encap' ? k.keys : [k]));
    for (const k of keys) {
      if (k.kind === 'ipv4') k.src = { value: (0x0a000000 + i) >>> 0, mask: 0xffffffff };
      else if (k.kind === 'ipv6') k.src = { value: [0x2001, 0, 0, 0, 0, 0, i >>> 16, i & 0xffff], mask: [0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff] };
    }
    out.push(f);
  }
  return out;
}

function rate(n: number, start: bigint): number {
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

function spread(samples: number[]): string {
  const lo = Math.min(...samples);
  const hi = Math.max(...samples);
  return `${samples.map((v) => v.toFixed(0)).join(', ')} (min..max ${(((hi - lo) / median(samples)) * 100).toFixed(1)}% of the median)`;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'translate',
    run(options: BenchOptions): Promise<BenchResult[]> {
      const n = size(options, 'translate.flows', 100_000, 10_000);
      const rounds = size(options, 'translate.rounds', 7, 3);
      const { flows: all, ports } = corpus();
      const offloadable = all.filter((f, i) => translateFlow(f, ports, { flowId: i }).ok);
      const flows = distinct(offloadable, n);
      const mix = Array.from({ length: n }, (_, i) => all[i % all.length]);
      const only: number[] = [];
      const withText: number[] = [];
      const mixed: number[] = [];
      const direct: number[] = [];
      const viaSpec: number[] = [];
      const builder = new RuleBatchBuilder();
      const plan = new FlowPlan();
      const opts = { flowId: 0 };
      let sink = 0;
      // Warm-up, so that the optimising compiler has seen the code.
      for (let i = 0; i < n; i++) {
        const r = translateFlow(flows[i], ports, { flowId: i & 0xffff });
        if (r.ok) sink += renderTestpmd(r.rule.attr.port, r.rule).length;
      }
      for (let round = 0; round < rounds; round++) {
        let t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) if (translateFlow(flows[i], ports, { flowId: i & 0xffff }).ok) sink++;
        only.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) {
          const r = translateFlow(flows[i], ports, { flowId: i & 0xffff });
          if (r.ok) sink += renderTestpmd(r.rule.attr.port, r.rule).length;
        }
        withText.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) if (!translateFlow(mix[i], ports, { flowId: i & 0xffff }).ok) sink++;
        mixed.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) {
          if ((i & 8191) === 0) builder.reset();
          opts.flowId = i & 0xffff;
          if (plan.plan(flows[i], ports, opts) && writePlannedRule(builder, plan, VARIANT_COUNT)) sink++;
        }
        direct.push(rate(n, t));
        t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) {
          if ((i & 8191) === 0) builder.reset();
          const r = translateFlow(flows[i], ports, { flowId: i & 0xffff });
          if (r.ok && builder.add(withVariant(r.rule, VARIANT_COUNT)) === undefined) sink++;
        }
        viaSpec.push(rate(n, t));
      }
      if (sink === 0) options.log('translate: nothing was translated');
      options.log(`translate: ${n} distinct flows (${offloadable.length} offloadable fixture shapes) x ${rounds} rounds`);
      options.log(`translate: samples translate ${spread(only)}`);
      options.log(`translate: samples translate+testpmd ${spread(withText)}`);
      options.log(`translate: samples fixture mix ${spread(mixed)}`);
      options.log(`translate: samples plan+writePlannedRule ${spread(direct)}; translateFlow+withVariant+add ${spread(viaSpec)}`);
      return Promise.resolve([
        { bench: 'translate', metric: 'translate (offloadable)', value: median(only), unit: 'flows/s' },
        { bench: 'translate', metric: 'translate+testpmd (offloadable)', value: median(withText), unit: 'flows/s' },
        { bench: 'translate', metric: 'translate (fixture mix, mostly refused)', value: median(mixed), unit: 'flows/s' },
        {
          bench: 'translate',
          metric: 'translate + encode into a native batch (offloadable, the put path)',
          value: median(direct),
          unit: 'flows/s',
          peer: 'translateFlow + withVariant + encoder (RuleSpec)',
          peerValue: median(viaSpec),
        },
      ]);
    },
  },
];
