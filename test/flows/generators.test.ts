/**
 * The generators of arbitraries.ts reach the forms the property tests are meant to cover: flow
 * counters above 2^53 (up to 2^64-1, as bigints) and encap nested two levels (QinQ).
 */
import test from 'ava';
import fc from 'fast-check';
import type { KeyAttr } from '../../src/flows/odp';
import { flow, match } from './arbitraries';

test('generated flows include counters above 2^53, up to 2^64-1, as bigints only there', (t) => {
  const counters = fc.sample(flow, { numRuns: 500, seed: 7 }).flatMap((f) => (f.stats ? [f.stats.packets, f.stats.bytes] : []));
  const big = counters.filter((c): c is bigint => typeof c === 'bigint');
  t.true(big.length > counters.length / 10, `${big.length} of ${counters.length} counters are bigints`);
  t.true(big.every((c) => c > BigInt(Number.MAX_SAFE_INTEGER) && c < 2n ** 64n), 'a bigint counter outside (2^53-1, 2^64)');
  t.true(big.includes(2n ** 64n - 1n));
  t.true(counters.every((c) => typeof c === 'bigint' || Number.isSafeInteger(c)));
});

/** How deep encap(...) nests in `keys`. */
function encapDepth(keys: readonly KeyAttr[]): number {
  return Math.max(0, ...keys.map((k) => (k.kind === 'encap' ? 1 + encapDepth(k.keys) : 0)));
}

test('generated matches nest encap two levels, some in the QinQ shape', (t) => {
  const matches = fc.sample(match, { numRuns: 1000, seed: 7 });
  const depths = matches.map(encapDepth);
  t.true(depths.filter((d) => d === 2).length >= 20, `${depths.filter((d) => d === 2).length} matches with encap in encap`);
  t.true(depths.every((d) => d <= 2));
  const qinq = matches.filter((m) => m.some((k) => k.kind === 'encap' && k.keys.length === 3 &&
    k.keys[0].kind === 'eth_type' && k.keys[0].value === 0x8100 && k.keys[1].kind === 'vlan' && k.keys[2].kind === 'encap'));
  t.true(qinq.length >= 20, `${qinq.length} matches with eth_type(0x8100),vlan(..),encap(..) in encap`);
});
