import test from 'ava';
import fc from 'fast-check';
import { ChunkedList } from '../../src/ports/chunked-list.js';

const cmp = (a: number, b: number) => a - b;

type Op = { kind: 'insert' | 'remove'; value: number } | { kind: 'replace'; value: number; next: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), value: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant('remove' as const), value: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant('replace' as const), value: fc.integer({ min: 0, max: 2000 }), next: fc.integer({ min: 0, max: 2000 }) }),
);

test('edits agree with a sorted-array model, and earlier versions never change (property)', (t) => {
  fc.assert(
    fc.property(fc.array(fc.array(op, { maxLength: 300 }), { maxLength: 8 }), (batches) => {
      let list = ChunkedList.empty<number>();
      let model: number[] = [];
      const versions: [ChunkedList<number>, number[]][] = [];
      for (const batch of batches) {
        const editor = list.edit(cmp);
        const set = new Set(model);
        for (const o of batch) {
          if (o.kind === 'insert' && !set.has(o.value)) {
            editor.insert(o.value);
            set.add(o.value);
          } else if (o.kind === 'remove') {
            if (editor.remove(o.value) !== set.delete(o.value)) return false;
          } else if (o.kind === 'replace' && set.has(o.value) && (o.next === o.value || !set.has(o.next))) {
            editor.replace(o.value, o.next);
            set.delete(o.value);
            set.add(o.next);
          }
        }
        list = editor.finish();
        model = [...set].sort(cmp);
        versions.push([list, model]);
        if (list.size !== model.length) return false;
      }
      for (const [version, expected] of versions) {
        const actual = version.toArray();
        if (actual.length !== expected.length || actual.some((v, i) => v !== expected[i])) return false;
        if (expected.length > 0) {
          const probe = expected[expected.length >> 1];
          if (version.find((x) => x - probe) !== probe) return false;
        }
        if (version.find((x) => x - 5000) !== undefined) return false;
      }
      return true;
    }),
    { numRuns: 150 },
  );
  t.pass();
});

test('fromSorted builds the same list; an editor with no edits returns the same version', (t) => {
  const items = Array.from({ length: 1000 }, (_, i) => i * 2);
  const list = ChunkedList.fromSorted(items);
  t.deepEqual(list.toArray(), items);
  t.is(list.find((x) => x - 998), 998);
  t.is(list.find((x) => x - 999), undefined);
  t.is(list.edit(cmp).finish(), list);
});

test('an edit copies only the chunks it touches', (t) => {
  const list = ChunkedList.fromSorted(Array.from({ length: 10000 }, (_, i) => i));
  const editor = list.edit(cmp);
  editor.replace(5000, 5000);
  const next = editor.finish();
  const shared = next.chunks.filter((chunk, i) => chunk === list.chunks[i]).length;
  t.is(shared, list.chunks.length - 1);
});

test('an editor cannot be used after finish()', (t) => {
  const editor = ChunkedList.empty<number>().edit(cmp);
  editor.finish();
  t.throws(() => editor.insert(1), { message: /after finish/ });
});

test('chunks split when they grow and merge when they shrink', (t) => {
  let list = ChunkedList.empty<number>();
  const grow = list.edit(cmp);
  for (let i = 0; i < 2000; i++) grow.insert(i);
  list = grow.finish();
  t.true(list.chunks.every((chunk) => chunk.length > 0 && chunk.length <= 128));
  const grown = list.chunks.length;
  t.true(grown >= 2000 / 128, `${grown} chunks`);
  const shrink = list.edit(cmp);
  for (let i = 0; i < 2000; i++) if (i % 50 !== 0) shrink.remove(i);
  const small = shrink.finish();
  t.deepEqual(small.toArray(), Array.from({ length: 40 }, (_, i) => i * 50));
  t.true(small.chunks.length < grown / 4, `${small.chunks.length} chunks after removing 98% of ${grown}`);
  t.is(list.size, 2000); // the grown version is untouched
});
