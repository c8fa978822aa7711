/**
 * Port table derivation (src/ports): the initial sync of many Interface rows, and one change afterwards.
 *
 * Sizes: `ports.interfaces` (10,000; quick 1,000) rows, `ports.changes` (2,000; quick 200) single-row changes,
 * `ports.runs` (15; quick 3) initial syncs. Peer: a naive derivation that rebuilds the sorted port list and the
 * map from all rows on every change (what a non-incremental reducer would do), measured on the same rows.
 */
import type { RowChange } from '../src/ovsdb/row-change.js';
import { createPortsState, resolvePortsConfig, type PortEntry } from '../src/ports/index.js';
import { median, percentile, size, type Benchmark, type BenchResult } from './types.js';

function row(i: number, hw: number | undefined): RowChange['row'] {
  return {
    name: `dpdk${i}`,
    type: 'dpdk',
    options: ['map', hw === undefined ? [] : [['hw-port-id', String(hw)]]],
    ofport_request: ['set', []],
    ofport: ['set', []],
  };
}

/** Rebuilds ports (sorted) and the map from scratch: the cost an O(all rows) reducer pays per change. */
function naiveRebuild(entries: Map<string, PortEntry>): { ports: PortEntry[]; map: Record<string, number> } {
  const ports = [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const map: Record<string, number> = {};
  for (const p of ports) if (p.state === 'ready') map[String(p.hwPortId)] = p.odpPort as number;
  return { ports, map };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'ports',
    run(options): Promise<BenchResult[]> {
      const n = size(options, 'ports.interfaces', 10_000, 1_000);
      const changes = size(options, 'ports.changes', 2_000, 200);
      const runs = size(options, 'ports.runs', 15, 3);
      const config = resolvePortsConfig({ maxHwPorts: 0x7fff });
      const initial: RowChange[] = [];
      for (let i = 0; i < n; i++) initial.push({ event: 'initial', table: 'Interface', uuid: `u${i}`, row: row(i, i % 0x7fff) });

      const syncMs: number[] = [];
      const showMs: number[] = [];
      let state = createPortsState(config);
      for (let r = 0; r < runs; r++) {
        state = createPortsState(config);
        let t0 = performance.now();
        state.apply(initial);
        const map = state.table.hwLocalPortMap;
        syncMs.push(performance.now() - t0);
        if (Object.keys(map).length !== Math.min(n, 0x7fff)) throw new Error('ports bench: wrong map size');
        t0 = performance.now();
        JSON.stringify(state.table);
        showMs.push(performance.now() - t0);
      }

      const changeUs: number[] = [];
      for (let k = 0; k < changes; k++) {
        const i = (k * 7919) % n;
        const update: RowChange[] = [{ event: 'modify', table: 'Interface', uuid: `u${i}`, row: row(i, k % 2 === 0 ? undefined : i % 0x7fff) }];
        const t0 = performance.now();
        state.apply(update);
        changeUs.push((performance.now() - t0) * 1000);
      }

      const entries = new Map(state.table.ports.map((p) => [p.uuid, p]));
      const naiveUs: number[] = [];
      for (let k = 0; k < Math.min(changes, 200); k++) {
        const t0 = performance.now();
        naiveRebuild(entries);
        naiveUs.push((performance.now() - t0) * 1000);
      }

      options.log(`ports: ${n} interfaces, ${runs} syncs, ${changes} changes`);
      return Promise.resolve([
        { bench: 'ports', metric: `initial sync of ${n} interfaces to hwLocalPortMap (median)`, value: median(syncMs), unit: 'ms' },
        { bench: 'ports', metric: `ports/show JSON of ${n} interfaces after sync (median)`, value: median(showMs), unit: 'ms' },
        { bench: 'ports', metric: `one change among ${n} (median)`, value: median(changeUs), unit: 'us', peer: 'naive full rebuild', peerValue: median(naiveUs) },
        { bench: 'ports', metric: `one change among ${n} (p99)`, value: percentile(changeUs, 99), unit: 'us' },
      ]);
    },
  },
];
