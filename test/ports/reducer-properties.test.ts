/**
 * Random histories of Interface changes, checked against the rules stated as invariants between consecutive
 * snapshots (not against a second implementation). Half of the snapshots are read at once and half only at the
 * end, so lazily built snapshots are checked for immutability too.
 */
import test from 'ava';
import fc from 'fast-check';
import type { RowChange } from '../../src/ovsdb/row-change.js';
import { createPortsState, resolvePortsConfig, type PortEntry, type PortTable } from '../../src/ports/index.js';
import { change, type IfaceSpec } from './rows.js';

const MAX_HW_PORTS = 4;
const HW_VALUES = [undefined, '0', '1', '2', '3', '0', '1', 'x', '4'];
const TYPES = ['dpdk', 'dpdk', 'dpdk', 'internal'];
const REQUESTS = [undefined, undefined, 1, 2, 3];

interface Op {
  uuid: number;
  del: boolean;
  hw: number;
  type: number;
  request: number;
}

const opArb = (universe: number): fc.Arbitrary<Op> =>
  fc.record({
    uuid: fc.nat({ max: universe - 1 }),
    del: fc.nat({ max: 3 }).map((x) => x === 0),
    hw: fc.nat({ max: HW_VALUES.length - 1 }),
    type: fc.nat({ max: TYPES.length - 1 }),
    request: fc.nat({ max: REQUESTS.length - 1 }),
  });

interface Version {
  table: PortTable;
  specs: Map<string, IfaceSpec>;
  readLate: boolean;
  ports?: readonly PortEntry[];
}

function toBatch(ops: Op[], alive: Map<string, IfaceSpec>): { changes: RowChange[]; specs: Map<string, IfaceSpec> } {
  const specs = new Map(alive);
  const seen = new Set<string>();
  const changes: RowChange[] = [];
  for (const op of ops) {
    const uuid = `u${op.uuid}`;
    if (seen.has(uuid)) continue; // OVSDB sends one change per row per update
    seen.add(uuid);
    const existing = specs.get(uuid);
    if (op.del) {
      if (existing === undefined) continue;
      changes.push(change('delete', uuid, existing));
      specs.delete(uuid);
    } else {
      const spec: IfaceSpec = { name: `if${op.uuid}`, type: TYPES[op.type], hw: HW_VALUES[op.hw], ofportRequest: REQUESTS[op.request] };
      changes.push(change(existing === undefined ? 'insert' : 'modify', uuid, spec));
      specs.set(uuid, spec);
    }
  }
  return { changes, specs };
}

function validId(spec: IfaceSpec): number | undefined {
  const n = spec.hw === undefined ? NaN : Number(spec.hw);
  return spec.type === 'dpdk' && Number.isInteger(n) && n >= 0 && n < MAX_HW_PORTS && /^[0-9]+$/.test(spec.hw ?? '') ? n : undefined;
}

function checkVersion(prev: readonly PortEntry[], prevTable: PortTable | undefined, v: Version): string | undefined {
  const ports = v.ports ?? v.table.ports;
  // sorted by name, one entry per live row, with its name and type
  const uuids = ports.map((p) => p.uuid).sort();
  if (JSON.stringify(uuids) !== JSON.stringify([...v.specs.keys()].sort())) return 'rows differ';
  for (let i = 1; i < ports.length; i++) if (!(ports[i - 1].name < ports[i].name)) return 'not sorted';
  const byUuid = new Map(ports.map((p) => [p.uuid, p]));
  const holders = new Map<number, PortEntry>();
  const odps = new Set<number>();
  for (const p of ports) {
    const spec = v.specs.get(p.uuid) as IfaceSpec;
    if (p.name !== spec.name || p.type !== spec.type) return `${p.name}: name/type`;
    if (p.odpPort === null || p.odpPort < 1 || odps.has(p.odpPort)) return `${p.name}: odp ${String(p.odpPort)}`;
    odps.add(p.odpPort);
    const old = prev.find((q) => q.uuid === p.uuid);
    if (old !== undefined && old.odpPort !== p.odpPort) return `${p.name}: odp not stable`;
    const id = validId(spec);
    const expected =
      spec.hw === undefined ? 'disabled' : spec.type !== 'dpdk' ? 'disabled' : id === undefined ? 'invalid' : p.state === 'ready' ? 'ready' : 'conflict';
    if (p.state !== expected) return `${p.name}: state ${p.state}, expected ${expected}`;
    if ((p.reason === undefined) !== (p.state === 'ready' || spec.hw === undefined)) return `${p.name}: reason`;
    if (p.hwPortId !== (id ?? (spec.type !== 'dpdk' && spec.hw !== undefined && /^[0-9]$/.test(spec.hw) && Number(spec.hw) < MAX_HW_PORTS ? Number(spec.hw) : null))) {
      return `${p.name}: hwPortId`;
    }
    if (p.state === 'ready') {
      if (holders.has(p.hwPortId as number)) return `two holders of ${String(p.hwPortId)}`;
      holders.set(p.hwPortId as number, p);
    }
  }
  const map: Record<string, number> = {};
  for (const [id, p] of [...holders].sort((a, b) => a[0] - b[0])) map[id] = p.odpPort as number;
  if (JSON.stringify(map) !== JSON.stringify(v.table.hwLocalPortMap)) return 'map';
  for (const p of ports) {
    if (p.state !== 'conflict') continue;
    const holder = holders.get(p.hwPortId as number);
    if (holder === undefined || p.reason !== `hw-port-id ${String(p.hwPortId)} is held by ${holder.name}`) return `${p.name}: conflict without its holder`;
  }
  // the holder keeps its id; a new holder is the claimant with the lowest odp port
  for (const [id, holder] of holders) {
    const oldHolder = prev.find((q) => q.state === 'ready' && q.hwPortId === id);
    const stillClaims = oldHolder !== undefined && validId(v.specs.get(oldHolder.uuid) ?? { name: '' }) === id;
    if (stillClaims && oldHolder.uuid !== holder.uuid) return `${id}: holder lost it`;
    if (!stillClaims) {
      const lowest = Math.min(...ports.filter((p) => p.hwPortId === id && p.state !== 'disabled').map((p) => p.odpPort as number));
      if (holder.odpPort !== lowest) return `${id}: new holder is not the lowest odp`;
    }
  }
  // the changes lead from the previous version to this one
  if (prevTable !== undefined && v.table !== prevTable) {
    const rebuilt = new Map(prev.map((p) => [p.uuid, p]));
    for (const c of v.table.changes) {
      if (c.before !== undefined && rebuilt.get(c.before.uuid) !== c.before) return 'change.before is not the previous entry';
      if (c.after !== undefined) rebuilt.set(c.after.uuid, c.after);
      else if (c.before !== undefined) rebuilt.delete(c.before.uuid);
    }
    if (rebuilt.size !== byUuid.size || [...rebuilt].some(([u, p]) => byUuid.get(u) !== p)) return 'changes do not add up';
  }
  return undefined;
}

function runHistory(batches: Op[][], readLate: boolean[], onTable?: (table: PortTable) => void): string | undefined {
  const state = createPortsState(resolvePortsConfig({ maxHwPorts: MAX_HW_PORTS }));
  let alive = new Map<string, IfaceSpec>();
  const versions: Version[] = [];
  batches.forEach((ops, i) => {
    const { changes, specs } = toBatch(ops, alive);
    alive = specs;
    state.apply(changes);
    onTable?.(state.table);
    const v: Version = { table: state.table, specs, readLate: readLate[i % readLate.length] };
    if (!v.readLate) v.ports = v.table.ports;
    versions.push(v);
  });
  let prev: readonly PortEntry[] = [];
  let prevTable: PortTable | undefined;
  for (const [i, v] of versions.entries()) {
    const problem = checkVersion(prev, prevTable, v);
    if (problem !== undefined) return `batch ${i}: ${problem}`;
    prev = v.table.ports;
    prevTable = v.table;
  }
  return undefined;
}

test('random small histories keep every rule (property)', (t) => {
  fc.assert(
    fc.property(fc.array(fc.array(opArb(12), { minLength: 1, maxLength: 6 }), { maxLength: 25, size: 'max' }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), (batches, late) => {
      const problem = runHistory(batches, late);
      if (problem !== undefined) throw new Error(problem);
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('random histories with transactions large enough to rebuild the lists keep every rule (property)', (t) => {
  let largest = 0;
  fc.assert(
    fc.property(fc.array(fc.array(opArb(700), { minLength: 400, maxLength: 500 }), { minLength: 2, maxLength: 5 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), (batches, late) => {
      // The tables are only kept here: their `changes` (listed lazily after a rebuild) are first read by the
      // checks, after every later version was derived.
      const tables: PortTable[] = [];
      const problem = runHistory(batches, late, (table) => tables.push(table));
      if (problem !== undefined) throw new Error(problem);
      for (const table of tables) largest = Math.max(largest, table.changes.length);
    }),
    { numRuns: 25 },
  );
  t.true(largest > 256, `the largest transaction changed ${largest} rows: too few to rebuild`);
});
