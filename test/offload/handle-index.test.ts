/**
 * HandleIndex (records by native rule handle) and AttemptList (queued trial attempts): the engine's
 * bookkeeping structures, with native-style handles (generation << 22 | slot), handles whose slots
 * collide, and handles far beyond the slot array (another backend's).
 */
import test from 'ava';
import { VARIANT_COUNT, VARIANT_PLAIN, trialVariants } from '../../src/flows/translate';
import { AttemptList } from '../../src/offload/attempt-list';
import { FlowRecord } from '../../src/offload/flow-record';
import { HandleIndex } from '../../src/offload/handle-index';

function rec(handle: number): { handle: number } {
  return { handle };
}

const h = (gen: number, slot: number): number => ((gen << 22) | slot) >>> 0;

test('HandleIndex: finds each record by its handle; a stale handle of the same slot finds nothing', (t) => {
  const idx = new HandleIndex<{ handle: number }>();
  const a = rec(h(1, 0));
  const b = rec(h(1, 1));
  idx.set(a.handle, a);
  idx.set(b.handle, b);
  t.is(idx.get(a.handle), a);
  t.is(idx.get(b.handle), b);
  t.is(idx.get(h(2, 0)), undefined, 'same slot, other generation');
  t.is(idx.get(h(1, 7)), undefined);
  idx.delete(a.handle, a);
  t.is(idx.get(a.handle), undefined);
  t.is(idx.size, 1);
  // The slot reused by a new generation.
  const c = rec(h(2, 0));
  idx.set(c.handle, c);
  t.is(idx.get(c.handle), c);
  t.is(idx.get(a.handle), undefined);
  t.deepEqual([...idx.handles()].sort(), [b.handle, c.handle].sort());
});

test('HandleIndex: live handles that share a slot, and handles far beyond the array, go to the overflow map', (t) => {
  const idx = new HandleIndex<{ handle: number }>();
  const a = rec(h(1, 5));
  const b = rec(h(3, 5)); // a backend whose handles collide in the low bits
  const far = rec(0xfffff); // slot 1048575: far past the array
  const big = rec(0xffffffff);
  for (const r of [a, b, far, big]) idx.set(r.handle, r);
  t.is(idx.size, 4);
  for (const r of [a, b, far, big]) t.is(idx.get(r.handle), r);
  t.deepEqual([...idx.handles()].sort((x, y) => x - y), [a.handle, b.handle, far.handle, big.handle].sort((x, y) => x - y));
  idx.delete(a.handle, a);
  t.is(idx.get(a.handle), undefined);
  t.is(idx.get(b.handle), b, 'the other handle of the slot is still found');
  idx.delete(b.handle, b);
  idx.delete(far.handle, far);
  t.is(idx.size, 1);
  t.is(idx.get(far.handle), undefined);
  idx.clear();
  t.is(idx.size, 0);
  t.is(idx.get(big.handle), undefined);
  t.is(idx.handles().length, 0);
});

test('AttemptList: push, filter in order, clear; the arrays are reused', (t) => {
  const list = new AttemptList();
  const recs = Array.from({ length: 5 }, (_, i) => new FlowRecord(`u${i}`, 'm', 'a'));
  const marks = trialVariants(true, 'mark');
  for (let i = 0; i < 5; i++) list.push(recs[i], marks, i % 3);
  t.is(list.length, 5);
  list.filter((k) => k % 2 === 0);
  t.is(list.length, 3);
  t.deepEqual(list.recs.slice(0, 3), [recs[0], recs[2], recs[4]]);
  t.deepEqual(list.idx.slice(0, 3), [0, 2, 1]);
  t.is(list.recs[3], undefined, 'records past the end are let go');
  list.clear();
  t.is(list.length, 0);
  t.true(list.recs.every((r) => r === undefined));
  list.push(recs[1], [VARIANT_PLAIN, VARIANT_COUNT], 1);
  t.is(list.length, 1);
  t.is(list.recs[0], recs[1]);
  t.is(list.variants[0]?.[list.idx[0]], VARIANT_COUNT);
});

test('FlowRecord: the mark is kept as the flow_id and 16 low bits; flags are independent', (t) => {
  const r = new FlowRecord('u', 'm', 'a');
  t.is(r.mark, -1);
  r.flowId = 0xffff;
  r.mark = 0xffffffff;
  t.is(r.mark, 0xffffffff);
  r.flowId = 0x8001;
  r.mark = 0x8001 * 0x10000 + 0x8003;
  t.is(r.mark, 0x80018003);
  t.throws(() => (r.mark = 0x10000), { instanceOf: RangeError });
  r.mark = -1;
  t.is(r.mark, -1);
  r.counting = true;
  r.waiting = true;
  t.deepEqual([r.counting, r.named, r.waiting, r.deleted], [true, false, true, false]);
  r.counting = false;
  r.named = true;
  r.deleted = true;
  t.deepEqual([r.counting, r.named, r.waiting, r.deleted], [false, true, true, true]);
  t.is(r.packets, 0);
  r.writableStats.swPackets = 3;
  r.writableStats.hwBasePackets = 4;
  t.is(r.packets, 7);
});

test('FlowRecord.create: the same record as new FlowRecord (prototype, defaults, accessors)', (t) => {
  const a = FlowRecord.create('u1', 'in_port(1)', '2');
  const b = new FlowRecord('u1', 'in_port(1)', '2');
  t.true(a instanceof FlowRecord);
  t.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const k of Object.keys(b) as Array<keyof FlowRecord>) t.is(a[k], b[k], k);
  t.deepEqual([a.mark, a.counting, a.named, a.waiting, a.deleted, a.packets, a.bytes], [b.mark, b.counting, b.named, b.waiting, b.deleted, b.packets, b.bytes]);
  a.flowId = 3;
  a.mark = 3 * 0x10000 + 1;
  a.deleted = true;
  t.is(a.mark, 0x30001);
  t.true(a.deleted);
  t.is(a.stats.swPackets, 0);
});
