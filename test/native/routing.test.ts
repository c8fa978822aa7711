/**
 * The packet path's per-port batching in native code (routeFrames), against a reference written
 * from its contract: destination per frame from the MARK (FLOW_ID_ODP_PORT_BIT 0x8000: the low
 * 15 bits are the odp port; else a hw-port-id looked up in the table), DROP, miss, other hits;
 * groups in order of first appearance, frames of a group in arrival order.
 */
import test from 'ava';
import fc from 'fast-check';
import { ClassifyResult, VerdictFlag } from '../../src/native/frames';
import { defaultAddon } from '../../src/native/loader';
import { Dest, hwToOdpTable, routeClassified, unmappedHwPortId } from '../../src/native/routing';

function referenceDest(flags: number, mark: number, table: Int32Array): number {
  if ((flags & VerdictFlag.HIT) === 0) return Dest.MISS;
  if (flags & VerdictFlag.MARKED) {
    const port = mark & 0x7fff;
    if (mark & 0x8000) return port;
    const odp = port < table.length ? table[port] : -1;
    return odp >= 0 ? odp : Dest.UNMAPPED_BASE - port;
  }
  return flags & VerdictFlag.DROP ? Dest.DROP : Dest.NONE;
}

function result(flags: number[], marks: number[]): ClassifyResult {
  const n = flags.length;
  return new ClassifyResult(new Uint32Array(n), Uint32Array.from(marks), new Uint32Array(n), Uint8Array.from(flags), 0);
}

test('routeFrames: destinations, groups and stable per-destination batches equal the reference', (t) => {
  const route = defaultAddon().routeFrames;
  const frame = fc.record({
    flags: fc.constantFrom(0, VerdictFlag.MALFORMED, VerdictFlag.HIT, VerdictFlag.HIT | VerdictFlag.DROP, VerdictFlag.HIT | VerdictFlag.MARKED, VerdictFlag.HIT | VerdictFlag.MARKED | VerdictFlag.QUEUE | VerdictFlag.COUNTED),
    mark: fc.oneof(fc.nat(0xffffffff), fc.tuple(fc.nat(0xffff), fc.nat(4), fc.boolean()).map(([id, p, odp]) => id * 0x10000 + (odp ? 0x8000 : 0) + p)),
  });
  const table = fc.array(fc.integer({ min: -1, max: 9 }), { maxLength: 6 }).map((a) => Int32Array.from(a));
  fc.assert(
    fc.property(fc.array(frame, { maxLength: 200 }), table, (frames, tab) => {
      const res = result(frames.map((f) => f.flags), frames.map((f) => f.mark));
      const routes = routeClassified(route, res, tab);
      const want = frames.map((f) => referenceDest(f.flags, f.mark, tab));
      t.deepEqual([...routes.dest], want);
      const firstSeen: number[] = [];
      for (const d of want) if (!firstSeen.includes(d)) firstSeen.push(d);
      const batches = routes.batches();
      t.deepEqual(batches.map((b) => b.dest), firstSeen);
      for (const b of batches) {
        t.deepEqual([...b.frames], want.flatMap((d, i) => (d === b.dest ? [i] : [])));
      }
      t.is(routes.groupCount, firstSeen.length);
    }),
    { numRuns: 150 },
  );
});

test('routeFrames checks its arguments', (t) => {
  const route = defaultAddon().routeFrames;
  const n = 4;
  const ok = [new Uint32Array(n), new Uint8Array(n), new Int32Array(1), new Int32Array(n), new Uint32Array(n), new Int32Array(2 * n)] as const;
  t.is(route(...ok), 1);
  t.throws(() => route(ok[0], ok[1], new Uint32Array(1) as never, ok[3], ok[4], ok[5]), { instanceOf: TypeError, message: /hwToOdp/ });
  t.throws(() => route(ok[0], ok[1], ok[2], ok[3], ok[4], new Int32Array(2 * n - 1)), { instanceOf: RangeError, message: /groupsOut/ });
  t.throws(() => route(new Uint32Array(n - 1), ok[1], ok[2], ok[3], ok[4], ok[5]), { instanceOf: RangeError });
  t.is(route(new Uint32Array(0), new Uint8Array(0), ok[2], new Int32Array(0), new Uint32Array(0), new Int32Array(0)), 0);
});

test('hwToOdpTable maps hw-port-ids to odp ports and leaves out what is not one', (t) => {
  t.deepEqual([...hwToOdpTable({ 0: 1, 2: 7 })], [1, -1, 7]);
  t.deepEqual([...hwToOdpTable({ x: 1, '-1': 2, 1.5: 3, '01': 4, 40000: 5 })], []);
  t.is(unmappedHwPortId(Dest.UNMAPPED_BASE - 3), 3);
  t.is(unmappedHwPortId(Dest.DROP), undefined);
});
