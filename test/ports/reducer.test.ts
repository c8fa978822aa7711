import test from 'ava';
import { createPortsState, PortsUsageError, reducePorts, resolvePortsConfig, type PortsConfig, type PortsInput, type PortsState } from '../../src/ports/index.js';
import { brief, initial, insert, modify, rawChange, remove } from './rows.js';

function state(config: Partial<PortsConfig> = {}, mirrorOdpPorts = false): PortsState {
  return createPortsState(resolvePortsConfig(config), { mirrorOdpPorts });
}

function apply(s: PortsState, ...inputs: PortsInput[]): PortsState {
  for (const input of inputs) reducePorts(s, input);
  return s;
}

// ---- hw-port-id values -------------------------------------------------------------------------------------

test('valid hw-port-id: ready, with a map entry; the table is the ports/show result', (t) => {
  const s = apply(state(), [initial('u0', { name: 'dpdk0', hw: '0' })]);
  t.deepEqual(JSON.parse(JSON.stringify(s.table)), {
    ports: [{ name: 'dpdk0', type: 'dpdk', uuid: 'u0', odpPort: 1, hwPortId: 0, state: 'ready' }],
    hwLocalPortMap: { '0': 1 },
  });
});

test('status:port_no (the DPDK port id OVS-DPDK reports) is the entry\'s dpdkPortId; anything but 0..65535 is left out', (t) => {
  const s = apply(state(), [
    initial('u0', { name: 'dpdk0', hw: '0', status: { port_no: '5', driver_name: 'net_ice' } }),
    initial('u1', { name: 'dpdk1', hw: '1', status: { port_no: '65536' } }),
    initial('u2', { name: 'dpdk2', hw: '2', status: { port_no: '01' } }),
    initial('u3', { name: 'dpdk3', status: { port_no: '7' } }),
  ]);
  t.deepEqual(s.table.ports.map((p) => [p.name, p.dpdkPortId]), [['dpdk0', 5], ['dpdk1', undefined], ['dpdk2', undefined], ['dpdk3', 7]]);
  t.false(Object.hasOwn(s.table.ports[1], 'dpdkPortId'));
  // Only ready interfaces have one for the engine.
  t.is(s.table.dpdkPortIdOf(1), 5);
  t.is(s.table.dpdkPortIdOf(2), undefined);
  t.is(s.table.dpdkPortIdOf(4), undefined);
  // A change of port_no alone is a change of the entry.
  const before = s.table;
  apply(s, [modify('u0', { name: 'dpdk0', hw: '0', status: { port_no: '6' } })]);
  t.not(s.table, before);
  t.deepEqual(s.table.changes.map((c) => [c.before?.dpdkPortId, c.after?.dpdkPortId]), [[5, 6]]);
  t.is(s.table.dpdkPortIdOf(1), 6);
});

test('absent hw-port-id: disabled, no reason, no map entry', (t) => {
  const s = apply(state(), [initial('u0', { name: 'dpdk0' })]);
  t.deepEqual(s.table.ports, [{ name: 'dpdk0', type: 'dpdk', uuid: 'u0', odpPort: 1, hwPortId: null, state: 'disabled' }]);
  t.deepEqual(s.table.hwLocalPortMap, {});
});

for (const [value, reason] of [
  ['abc', 'hw-port-id "abc" is not a base-10 integer'],
  ['1.5', 'hw-port-id "1.5" is not a base-10 integer'],
  ['', 'hw-port-id "" is not a base-10 integer'],
  ['-1', 'hw-port-id "-1" is out of range 0..63'],
  ['0x1', 'hw-port-id "0x1" is not a base-10 integer'],
  ['64', 'hw-port-id "64" is out of range 0..63'],
]) {
  test(`invalid hw-port-id ${JSON.stringify(value)}: state invalid, reason quotes the value, no map entry`, (t) => {
    const s = apply(state(), [initial('u0', { name: 'dpdk0', hw: value })]);
    t.deepEqual(s.table.ports, [{ name: 'dpdk0', type: 'dpdk', uuid: 'u0', odpPort: 1, hwPortId: null, state: 'invalid', reason }]);
    t.deepEqual(s.table.hwLocalPortMap, {});
  });
}

test('range boundary: N-1 is ready, N is invalid (maxHwPorts 8)', (t) => {
  const s = apply(state({ maxHwPorts: 8 }), [initial('a', { name: 'a', hw: '7' }), initial('b', { name: 'b', hw: '8' })]);
  t.deepEqual(brief(s.table), {
    ports: ['a ready hw=7 odp=1', 'b invalid hw=null odp=2 (hw-port-id "8" is out of range 0..7)'],
    map: { '7': 1 },
  });
});

test('change of value moves the map entry', (t) => {
  const s = apply(state(), [initial('u0', { name: 'dpdk0', hw: '0' })], [modify('u0', { name: 'dpdk0', hw: '5' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 ready hw=5 odp=1'], map: { '5': 1 } });
});

test('removal of the option disables the port and drops its map entry', (t) => {
  const s = apply(state(), [initial('u0', { name: 'dpdk0', hw: '0' })], [modify('u0', { name: 'dpdk0' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 disabled hw=null odp=1'], map: {} });
});

test('a valid value that becomes invalid drops the map entry; fixing it restores it', (t) => {
  const s = apply(state(), [initial('u0', { name: 'dpdk0', hw: '3' })], [modify('u0', { name: 'dpdk0', hw: '3x' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 invalid hw=null odp=1 (hw-port-id "3x" is not a base-10 integer)'], map: {} });
  apply(s, [modify('u0', { name: 'dpdk0', hw: '3' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 ready hw=3 odp=1'], map: { '3': 1 } });
});

// ---- types ---------------------------------------------------------------------------------------------------

test('an interface type not in offloadTypes is disabled with a reason, whatever its value', (t) => {
  const s = apply(state(), [
    initial('a', { name: 'br0', type: 'internal', hw: '0' }),
    initial('b', { name: 'vhu0', type: 'dpdkvhostuserclient', hw: 'abc' }),
    initial('c', { name: 'eth0', type: '' }),
  ]);
  t.deepEqual(brief(s.table), {
    ports: [
      'br0 disabled hw=0 odp=1 (type "internal" is not offloadable (offload types: dpdk); hw-port-id ignored)',
      'eth0 disabled hw=null odp=3',
      'vhu0 disabled hw=null odp=2 (type "dpdkvhostuserclient" is not offloadable (offload types: dpdk); hw-port-id ignored)',
    ],
    map: {},
  });
});

test('offloadTypes decides which types are honoured', (t) => {
  const s = apply(state({ offloadTypes: ['dpdk', 'dummy'] }), [initial('a', { name: 'p1', type: 'dummy', hw: '1' }), initial('b', { name: 'p2', type: 'internal', hw: '2' })]);
  t.deepEqual(brief(s.table), {
    ports: ['p1 ready hw=1 odp=1', 'p2 disabled hw=2 odp=2 (type "internal" is not offloadable (offload types: dpdk, dummy); hw-port-id ignored)'],
    map: { '1': 1 },
  });
});

test('a holder whose type changes to a non-offloadable one lets go', (t) => {
  const s = apply(state(), [initial('a', { name: 'dpdk0', hw: '0' }), initial('b', { name: 'dpdk1', hw: '0' })], [modify('a', { name: 'dpdk0', type: 'internal', hw: '0' })]);
  t.deepEqual(brief(s.table), {
    ports: ['dpdk0 disabled hw=0 odp=1 (type "internal" is not offloadable (offload types: dpdk); hw-port-id ignored)', 'dpdk1 ready hw=0 odp=2'],
    map: { '0': 2 },
  });
});

// ---- conflicts -----------------------------------------------------------------------------------------------

test('conflict: the holder keeps the id even with a higher odp port; the newcomer names the holder', (t) => {
  const s = apply(state(), [initial('a', { name: 'dpdk9', hw: '0', ofportRequest: 9 })], [insert('b', { name: 'dpdk1', hw: '0', ofportRequest: 1 })]);
  t.deepEqual(brief(s.table), {
    ports: ['dpdk1 conflict hw=0 odp=1 (hw-port-id 0 is held by dpdk9)', 'dpdk9 ready hw=0 odp=9'],
    map: { '0': 9 },
  });
});

const takeovers: [string, PortsInput][] = [
  ['the holder is deleted', [remove('a', { name: 'dpdk0', hw: '0' })]],
  ['the holder changes its value', [modify('a', { name: 'dpdk0', hw: '1' })]],
  ['the holder removes the option', [modify('a', { name: 'dpdk0' })]],
  ['the holder gets an invalid value', [modify('a', { name: 'dpdk0', hw: 'zero' })]],
  ['the holder row becomes malformed', [rawChange('modify', 'a', { name: 'dpdk0', type: 'dpdk', options: 'oops' })]],
];
for (const [title, letGo] of takeovers) {
  test(`takeover when ${title}`, (t) => {
    const s = apply(state(), [initial('a', { name: 'dpdk0', hw: '0' })], [insert('b', { name: 'dpdk1', hw: '0' })]);
    t.deepEqual(s.table.hwLocalPortMap, { '0': 1 });
    t.is(s.table.port('dpdk1')?.state, 'conflict');
    apply(s, letGo);
    t.deepEqual(s.table.hwLocalPortMap, title === 'the holder changes its value' ? { '0': 2, '1': 1 } : { '0': 2 });
    t.deepEqual(s.table.port('dpdk1'), { name: 'dpdk1', type: 'dpdk', uuid: 'b', odpPort: 2, hwPortId: 0, state: 'ready' });
  });
}

test('a waiter that changes to a free id gets it; the holder is unaffected', (t) => {
  const s = apply(state(), [initial('a', { name: 'dpdk0', hw: '0' }), initial('b', { name: 'dpdk1', hw: '0' })], [modify('b', { name: 'dpdk1', hw: '1' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 ready hw=0 odp=1', 'dpdk1 ready hw=1 odp=2'], map: { '0': 1, '1': 2 } });
});

test('a waiter that is deleted simply disappears', (t) => {
  const s = apply(state(), [initial('a', { name: 'dpdk0', hw: '0' }), initial('b', { name: 'dpdk1', hw: '0' })], [remove('b', { name: 'dpdk1', hw: '0' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 ready hw=0 odp=1'], map: { '0': 1 } });
});

test('simultaneous claims in one transaction: the lowest odp port wins, not the first to arrive', (t) => {
  const s = apply(state(), [
    insert('a', { name: 'dpdk5', hw: '0', ofportRequest: 5 }),
    insert('b', { name: 'dpdk2', hw: '0', ofportRequest: 2 }),
    insert('c', { name: 'dpdk3', hw: '0', ofportRequest: 3 }),
  ]);
  t.deepEqual(brief(s.table), {
    ports: ['dpdk2 ready hw=0 odp=2', 'dpdk3 conflict hw=0 odp=3 (hw-port-id 0 is held by dpdk2)', 'dpdk5 conflict hw=0 odp=5 (hw-port-id 0 is held by dpdk2)'],
    map: { '0': 2 },
  });
});

test('simultaneous claims in the initial snapshot: the lowest odp port wins', (t) => {
  const s = apply(state(), [initial('a', { name: 'x', hw: '4', ofportRequest: 7 }), initial('b', { name: 'y', hw: '4', ofportRequest: 6 })]);
  t.deepEqual(brief(s.table), { ports: ['x conflict hw=4 odp=7 (hw-port-id 4 is held by y)', 'y ready hw=4 odp=6'], map: { '4': 6 } });
});

test('several waiting newcomers when the holder lets go: the lowest odp port wins; the others now name it', (t) => {
  const s = apply(
    state(),
    [initial('h', { name: 'holder', hw: '0', ofportRequest: 1 })],
    [insert('w3', { name: 'w3', hw: '0', ofportRequest: 3 })],
    [insert('w2', { name: 'w2', hw: '0', ofportRequest: 2 })],
    [insert('w4', { name: 'w4', hw: '0', ofportRequest: 4 })],
  );
  t.deepEqual(s.table.port('w3')?.reason, 'hw-port-id 0 is held by holder');
  apply(s, [remove('h', { name: 'holder', hw: '0' })]);
  t.deepEqual(brief(s.table), {
    ports: ['w2 ready hw=0 odp=2', 'w3 conflict hw=0 odp=3 (hw-port-id 0 is held by w2)', 'w4 conflict hw=0 odp=4 (hw-port-id 0 is held by w2)'],
    map: { '0': 2 },
  });
});

test('a newcomer arriving in the transaction where the holder lets go competes with the waiters', (t) => {
  const s = apply(
    state(),
    [initial('h', { name: 'holder', hw: '0', ofportRequest: 5 }), initial('w', { name: 'waiter', hw: '0', ofportRequest: 6 })],
    [remove('h', { name: 'holder', hw: '0' }), insert('n', { name: 'newcomer', hw: '0', ofportRequest: 5 })],
  );
  // The deletion frees odp 5 first, so the newcomer gets 5 and beats the waiter's 6.
  t.deepEqual(brief(s.table), { ports: ['newcomer ready hw=0 odp=5', 'waiter conflict hw=0 odp=6 (hw-port-id 0 is held by newcomer)'], map: { '0': 5 } });
});

// ---- interfaces added and deleted ---------------------------------------------------------------------------

test('interfaces added and deleted; ports stay sorted by name', (t) => {
  const s = apply(state(), [initial('m', { name: 'm', hw: '1' })], [insert('z', { name: 'z', hw: '2' }), insert('a', { name: 'a' })]);
  t.deepEqual(brief(s.table), { ports: ['a disabled hw=null odp=3', 'm ready hw=1 odp=1', 'z ready hw=2 odp=2'], map: { '1': 1, '2': 2 } });
  apply(s, [remove('m', { name: 'm', hw: '1' })]);
  t.deepEqual(brief(s.table), { ports: ['a disabled hw=null odp=3', 'z ready hw=2 odp=2'], map: { '2': 2 } });
});

test('a delete of an unknown row is ignored; an insert of a known row acts as a modify', (t) => {
  const s = apply(state(), [initial('a', { name: 'a', hw: '1' })]);
  const before = s.table;
  apply(s, [remove('nope', { name: 'x' })]);
  t.is(s.table, before);
  apply(s, [insert('a', { name: 'a', hw: '2' })]);
  t.deepEqual(brief(s.table), { ports: ['a ready hw=2 odp=1'], map: { '2': 1 } });
});

// ---- odp numbering ------------------------------------------------------------------------------------------

test('odp numbering: ofport_request honoured when free, else the lowest free >= 1', (t) => {
  const s = apply(state(), [
    initial('a', { name: 'a', ofportRequest: 3 }),
    initial('b', { name: 'b' }),
    initial('c', { name: 'c', ofportRequest: 3 }),
    initial('d', { name: 'd' }),
  ]);
  // requests first (a takes 3; c's 3 is taken so c takes the lowest free, 1), then the others in arrival order
  t.deepEqual(s.table.ports.map((p) => `${p.name}=${String(p.odpPort)}`), ['a=3', 'b=2', 'c=1', 'd=4']);
});

test('odp numbers are stable across modifications, even of ofport_request', (t) => {
  const s = apply(state(), [initial('a', { name: 'a', hw: '0' }), initial('b', { name: 'b' })]);
  apply(s, [modify('a', { name: 'a', hw: '1', ofportRequest: 7 })], [modify('b', { name: 'b', type: 'internal' })]);
  t.deepEqual(s.table.ports.map((p) => `${p.name}=${String(p.odpPort)}`), ['a=1', 'b=2']);
});

test('odp numbers are freed on delete and reused, lowest first', (t) => {
  const s = apply(state(), [initial('a', { name: 'a' }), initial('b', { name: 'b' }), initial('c', { name: 'c' })]);
  apply(s, [remove('b', { name: 'b' })], [insert('d', { name: 'd' })], [insert('e', { name: 'e' })]);
  t.deepEqual(s.table.ports.map((p) => `${p.name}=${String(p.odpPort)}`), ['a=1', 'c=3', 'd=2', 'e=4']);
});

test('deletions are applied before insertions in one transaction, so a freed number can be requested at once', (t) => {
  const s = apply(state(), [initial('a', { name: 'a', ofportRequest: 1 })]);
  apply(s, [insert('b', { name: 'b', ofportRequest: 1 }), remove('a', { name: 'a' })]);
  t.deepEqual(s.table.ports.map((p) => `${p.name}=${String(p.odpPort)}`), ['b=1']);
});

test('patch ports have no datapath port', (t) => {
  const s = apply(state({ offloadTypes: ['dpdk', 'patch'] }), [initial('a', { name: 'patch-a', type: 'patch', hw: '0' }), initial('b', { name: 'dpdk0' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 disabled hw=null odp=1', 'patch-a disabled hw=0 odp=null (patch ports have no datapath port)'], map: {} });
  apply(s, [modify('a', { name: 'patch-a', type: 'dpdk', hw: '0' })]);
  t.deepEqual(brief(s.table), { ports: ['dpdk0 disabled hw=null odp=1', 'patch-a ready hw=0 odp=2'], map: { '0': 2 } });
});

// ---- odp numbers from the datapath (mirror mode) --------------------------------------------------------------

test('mirror mode: no odp port until the datapath map names the interface', (t) => {
  const s = apply(state({}, true), [initial('a', { name: 'dpdk0', hw: '0' })]);
  t.deepEqual(brief(s.table), { ports: ["dpdk0 disabled hw=0 odp=null (waiting for the datapath's port list)"], map: {} });
  apply(s, new Map([['br0', 100]]));
  t.deepEqual(brief(s.table), { ports: ['dpdk0 disabled hw=0 odp=null (no datapath port named dpdk0 in the datapath)'], map: {} });
  apply(s, new Map([['dpdk0', 7], ['br0', 100]]));
  t.deepEqual(brief(s.table), { ports: ['dpdk0 ready hw=0 odp=7'], map: { '0': 7 } });
});

test('mirror mode: the datapath numbers replace the agent numbering, and follow changes', (t) => {
  const s = apply(state({}, true), new Map([['p1', 1], ['p2', 2]]), [initial('a', { name: 'p1', hw: '0', ofportRequest: 9 }), initial('b', { name: 'p2', hw: '1' })]);
  t.deepEqual(brief(s.table), { ports: ['p1 ready hw=0 odp=1', 'p2 ready hw=1 odp=2'], map: { '0': 1, '1': 2 } });
  apply(s, new Map([['p1', 11], ['p2', 2]]));
  t.deepEqual(brief(s.table), { ports: ['p1 ready hw=0 odp=11', 'p2 ready hw=1 odp=2'], map: { '0': 11, '1': 2 } });
  apply(s, new Map([['p1', 11]]));
  t.deepEqual(brief(s.table), { ports: ['p1 ready hw=0 odp=11', 'p2 disabled hw=1 odp=null (no datapath port named p2 in the datapath)'], map: { '0': 11 } });
});

test('mirror mode: claims that arrive with the first datapath map are decided by its numbers', (t) => {
  const s = apply(state({}, true), [initial('a', { name: 'pA', hw: '0' }), initial('b', { name: 'pB', hw: '0' })], new Map([['pA', 9], ['pB', 4]]));
  t.deepEqual(brief(s.table), { ports: ['pA conflict hw=0 odp=9 (hw-port-id 0 is held by pB)', 'pB ready hw=0 odp=4'], map: { '0': 4 } });
});

test('a datapath map given to a state that numbers ports itself is a usage error', (t) => {
  t.throws(() => apply(state(), new Map([['p1', 1]])), { instanceOf: PortsUsageError, message: /mirrorOdpPorts/ });
});

// ---- malformed rows -------------------------------------------------------------------------------------------

test('a malformed row becomes state error with the column named, and recovers when fixed', (t) => {
  const s = apply(state(), [
    rawChange('initial', 'a', { name: 'dpdk0', type: 'dpdk', options: ['set', []] }),
    rawChange('initial', 'b', { type: 'dpdk' }),
    rawChange('initial', 'c', { name: 'dpdk2', type: 'dpdk', options: ['map', []], ofport_request: 'x' }),
  ]);
  t.deepEqual(brief(s.table), {
    ports: [
      'b error hw=null odp=2 (malformed Interface row: column name: the column is missing)',
      'dpdk0 error hw=null odp=1 (malformed Interface row: column options: expected an OVSDB map, got ["set",[]])',
      'dpdk2 error hw=null odp=3 (malformed Interface row: column ofport_request: expected an integer, got "x")',
    ],
    map: {},
  });
  apply(s, [modify('a', { name: 'dpdk0', hw: '0' })]);
  t.is(s.table.port('dpdk0')?.state, 'ready');
  t.deepEqual(s.table.hwLocalPortMap, { '0': 1 });
});

// ---- snapshots ------------------------------------------------------------------------------------------------

test('inputs that change nothing keep the same snapshot', (t) => {
  const s = apply(state(), [initial('a', { name: 'a', hw: '0' })]);
  const first = s.table;
  apply(s, [], [rawChange('modify', 'x', { name: 'br0' }, 'Bridge')], [modify('a', { name: 'a', hw: '00', options: { 'n_rxq': '2' } })]);
  t.is(s.table, first);
  t.is(s.table.version, 1);
});

test('snapshots are immutable: an old one keeps its contents after later changes, even if read late', (t) => {
  const s = apply(state(), [initial('a', { name: 'a', hw: '0' })]);
  const v1 = s.table;
  apply(s, [insert('b', { name: 'b', hw: '1' })], [remove('a', { name: 'a', hw: '0' })]);
  t.deepEqual(brief(v1), { ports: ['a ready hw=0 odp=1'], map: { '0': 1 } });
  t.deepEqual(brief(s.table), { ports: ['b ready hw=1 odp=2'], map: { '1': 2 } });
  t.true(Object.isFrozen(v1.ports) && Object.isFrozen(v1.ports[0]) && Object.isFrozen(v1.hwLocalPortMap));
});

test('snapshot lookups: port(name), odpPortOf(hwPortId), hwPortIdOf(odpPort), size, readyCount, changes', (t) => {
  const s = apply(state(), [initial('a', { name: 'dpdk0', hw: '3' }), initial('b', { name: 'dpdk1' })]);
  const v1 = s.table;
  apply(s, [modify('b', { name: 'dpdk1', hw: '9' })]);
  const table = s.table;
  t.is(table.port('dpdk1')?.hwPortId, 9);
  t.is(table.port('dpdk2'), undefined);
  t.is(table.odpPortOf(3), 1);
  t.is(table.odpPortOf(9), 2);
  t.is(table.odpPortOf(4), undefined);
  t.is(table.hwPortIdOf(2), 9);
  t.is(table.hwPortIdOf(5), undefined);
  t.is(table.size, 2);
  t.is(table.readyCount, 2);
  t.is(table.version, v1.version + 1);
  t.deepEqual(table.changes, [{ before: v1.port('dpdk1'), after: table.port('dpdk1') }]);
});

test('a large initial snapshot and a later large transaction give the same table as small steps', (t) => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ uuid: `u${i}`, name: `p${String(i).padStart(4, '0')}`, hw: String(i % 70) }));
  const big = apply(state(), rows.map((r) => initial(r.uuid, r)));
  const small = state();
  for (const r of rows) apply(small, [insert(r.uuid, r)]);
  t.deepEqual(big.table.toJSON(), small.table.toJSON());
  t.is(big.table.readyCount, 64);
  t.is(big.table.port('p0000')?.state, 'ready');
  t.is(big.table.port('p0064')?.state, 'invalid');
  // Delete the first 500 in one transaction: the holders of ids 0..63 among them let go to their waiters.
  apply(big, rows.slice(0, 500).map((r) => remove(r.uuid, r)));
  for (const r of rows.slice(0, 500)) apply(small, [remove(r.uuid, r)]);
  t.is(big.table.size, 500);
  t.deepEqual(big.table.toJSON(), small.table.toJSON());
  t.is(big.table.port('p0560')?.state, 'ready'); // 560 % 70 = 0: the lowest odp among the waiters for id 0
  t.is(big.table.odpPortOf(0), 561);
});
