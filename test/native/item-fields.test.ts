import test from 'ava';
import { ACTION_CODES, ITEM_LAYOUTS, ITEM_NAMES } from '../../src/native/item-fields';
import { defaultAddon } from '../../src/native/loader';

test('the TypeScript item layouts are the native ones', (t) => {
  const native = defaultAddon().itemLayouts();
  t.deepEqual(Object.keys(native.items).sort(), [...ITEM_NAMES].sort());
  for (const name of ITEM_NAMES) {
    const ts = ITEM_LAYOUTS[name];
    const n = native.items[name];
    t.is(ts.code, n.code, `${name} code`);
    t.is(ts.size, n.size, `${name} size`);
    t.deepEqual(
      ts.fields.map((f) => [f.name, f.bitOffset, f.bitWidth]),
      n.fields,
      `${name} fields`,
    );
    t.deepEqual([...ts.defaultMask], n.defaultMask, `${name} default mask`);
  }
  t.deepEqual(native.actions, { ...ACTION_CODES });
});

test('default masks are DPDK 22.11 rte_flow_item_*_mask', (t) => {
  const hex = (a: Uint8Array): string => Buffer.from(a).toString('hex');
  t.is(hex(ITEM_LAYOUTS.ETH.defaultMask), 'ffffffffffffffffffffffff00000000'); // dst, src; not type
  t.is(hex(ITEM_LAYOUTS.VLAN.defaultMask), '0fff000000000000'); // tci 0x0fff
  t.is(hex(ITEM_LAYOUTS.IPV4.defaultMask), '000000000000000000000000ffffffffffffffff'); // src, dst
  t.is(hex(ITEM_LAYOUTS.UDP.defaultMask), 'ffffffff00000000'); // ports
  t.is(hex(ITEM_LAYOUTS.ICMP.defaultMask), 'ffff000000000000'); // type, code
  t.is(hex(ITEM_LAYOUTS.PORT.defaultMask), 'ffffffff');
  t.is(hex(ITEM_LAYOUTS.IPV6.defaultMask.subarray(0, 8)), '0000000000000000');
  t.is(hex(ITEM_LAYOUTS.IPV6.defaultMask.subarray(8, 40)), 'ff'.repeat(32));
});

test('fields lie inside their layout and do not overlap', (t) => {
  for (const name of ITEM_NAMES) {
    const l = ITEM_LAYOUTS[name];
    const used = new Uint8Array(l.size * 8);
    for (const f of l.fields) {
      t.true(f.bitOffset + f.bitWidth <= l.size * 8, `${name}.${f.name} inside`);
      for (let b = f.bitOffset; b < f.bitOffset + f.bitWidth; b++) {
        t.is(used[b], 0, `${name}.${f.name} bit ${b} not shared`);
        used[b] = 1;
      }
    }
  }
});
