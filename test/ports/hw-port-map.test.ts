import test from 'ava';
import fc from 'fast-check';
import { HwPortMap } from '../../src/ports/hw-port-map.js';

/** The map as a plain record, built with forEach (so forEach's order is checked too). */
function entries(map: HwPortMap): [number, number][] {
  const out: [number, number][] = [];
  map.forEach((id, odp) => out.push([id, odp]));
  return out;
}

test('fromArray keeps the non-negative entries; get, size and forEach in id order', (t) => {
  const dense = new Float64Array(600).fill(-1);
  dense[0] = 5;
  dense[255] = 1;
  dense[256] = 2;
  dense[599] = 65535;
  const map = HwPortMap.fromArray(dense);
  t.is(map.size, 4);
  t.deepEqual(entries(map), [[0, 5], [255, 1], [256, 2], [599, 65535]]);
  t.is(map.get(256), 2);
  t.is(map.get(1), undefined);
  t.is(map.get(600), undefined);
  t.is(map.get(-1), undefined);
  t.is(map.get(1 << 20), undefined);
  t.is(HwPortMap.fromArray(new Float64Array(10).fill(-1)).size, 0);
});

test('with: adds, moves and removes entries; returns the same version when nothing differs', (t) => {
  const ports = new Float64Array(0x7fff).fill(-1);
  const empty = HwPortMap.empty();
  ports[3] = 1;
  ports[0x7ffe] = 9;
  const v1 = empty.with([3, 0x7ffe], ports);
  t.deepEqual(entries(v1), [[3, 1], [0x7ffe, 9]]);
  t.is(v1.with([3], ports), v1);
  ports[3] = -1;
  ports[4] = 1;
  const v2 = v1.with([3, 4], ports);
  t.deepEqual(entries(v2), [[4, 1], [0x7ffe, 9]]);
  t.is(v2.size, 2);
  t.deepEqual(entries(v1), [[3, 1], [0x7ffe, 9]], 'the earlier version is unchanged');
  t.deepEqual(entries(empty), []);
});

test('property: versions agree with a model and never change afterwards', (t) => {
  const edit = fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -1, max: 70 })), { maxLength: 40 });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
      const ports = new Float64Array(2001).fill(-1);
      let map = HwPortMap.empty();
      const versions: [HwPortMap, string][] = [];
      for (const batch of edits) {
        for (const [id, odp] of batch) ports[id] = odp;
        map = map.with(batch.map(([id]) => id), ports);
        const model: [number, number][] = [];
        ports.forEach((odp, id) => {
          if (odp >= 0) model.push([id, odp]);
        });
        if (JSON.stringify(entries(map)) !== JSON.stringify(model) || map.size !== model.length) return false;
        if (model.some(([id, odp]) => map.get(id) !== odp)) return false;
        versions.push([map, JSON.stringify(model)]);
      }
      return versions.every(([v, text]) => JSON.stringify(entries(v)) === text) && JSON.stringify(entries(HwPortMap.fromArray(ports))) === JSON.stringify(entries(map));
    }),
    { numRuns: 300 },
  );
  t.pass();
});
