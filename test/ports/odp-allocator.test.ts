import test from 'ava';
import { MAX_ODP_PORT, OdpPortAllocator } from '../../src/ports/index.js';

test('numbers start at 1 (0 is the datapath port) and go up from the lowest free', (t) => {
  const a = new OdpPortAllocator();
  t.true(a.isUsed(0));
  t.deepEqual([a.allocate(), a.allocate(), a.allocate()], [1, 2, 3]);
  t.is(a.size, 3);
});

test('a requested number is honoured when free', (t) => {
  const a = new OdpPortAllocator();
  t.is(a.allocate(5), 5);
  t.deepEqual([a.allocate(), a.allocate()], [1, 2]);
  t.is(a.allocate(100), 100);
  t.is(a.allocate(), 3);
});

test('a requested number that is taken or unusable falls back to the lowest free', (t) => {
  const a = new OdpPortAllocator();
  t.is(a.allocate(2), 2);
  t.is(a.allocate(2), 1);
  t.is(a.allocate(0), 3);
  t.is(a.allocate(MAX_ODP_PORT + 1), 4);
  t.is(a.allocate(-5), 5);
  t.is(a.allocate(7.5), 6);
  t.is(a.allocate(MAX_ODP_PORT), MAX_ODP_PORT);
});

test('released numbers are reused lowest first', (t) => {
  const a = new OdpPortAllocator();
  for (let i = 1; i <= 40; i++) t.is(a.allocate(), i);
  a.release(33);
  a.release(7);
  a.release(7); // twice: no effect
  a.release(0); // the datapath port cannot be released
  t.is(a.size, 38);
  t.deepEqual([a.allocate(), a.allocate(), a.allocate()], [7, 33, 41]);
  t.true(a.isUsed(0));
});

test('all 65535 numbers can be handed out, then allocate answers null', (t) => {
  const a = new OdpPortAllocator();
  let last = 0;
  for (let i = 1; i <= MAX_ODP_PORT; i++) last = a.allocate() ?? -1;
  t.is(last, MAX_ODP_PORT);
  t.is(a.size, MAX_ODP_PORT);
  t.is(a.allocate(), null);
  t.is(a.allocate(12), null);
  a.release(40000);
  t.is(a.allocate(), 40000);
});
