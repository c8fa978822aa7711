/**
 * The port table as an RxJS stream: `scan` over the reducer, then `distinctUntilChanged`, then `shareReplay(1)`.
 */
import { defer, distinctUntilChanged, map, merge, scan, shareReplay, type Observable } from 'rxjs';
import type { RowChange } from '../ovsdb/row-change.js';
import { resolvePortsConfig, type PortsConfig } from './config.js';
import type { PortTable } from './port-table.js';
import { createPortsState, reducePorts, type PortsInput } from './reducer.js';

/**
 * Derives the port table from Interface row changes.
 *
 * @param updates$ one array per OVSDB update (one transaction, or the initial snapshot); changes of tables other
 *   than Interface are ignored
 * @param config maxHwPorts and offloadTypes; missing fields take their defaults (64, ['dpdk'])
 * @param odpPorts$ when given, interface name -> datapath port number maps (e.g. mirrored from a running
 *   ovs-vswitchd's `dpctl/show`), each replacing the previous one; the agent then assigns no numbers itself and
 *   an interface missing from the latest map (or before the first map) has no odp port
 * @returns a hot-after-first-subscription stream that emits a snapshot for the first input and then once per
 *   input that changes the table (inputs that change nothing emit nothing); late subscribers get the latest
 *   snapshot at once. The upstream subscription is shared and kept for the life of the stream (shareReplay
 *   without refCount), because the reducer state cannot be rebuilt from a hot updates$ that already sent its
 *   initial snapshot. Errors and completion of the inputs pass through.
 * @throws PortsConfigError synchronously when config is out of range
 */
export function derivePortTable(
  updates$: Observable<readonly RowChange[]>,
  config: Partial<PortsConfig> = {},
  odpPorts$?: Observable<ReadonlyMap<string, number>>,
): Observable<PortTable> {
  const resolved = resolvePortsConfig(config);
  const inputs$: Observable<PortsInput> = odpPorts$ === undefined ? updates$ : merge(updates$, odpPorts$);
  return defer(() =>
    inputs$.pipe(
      scan(reducePorts, createPortsState(resolved, { mirrorOdpPorts: odpPorts$ !== undefined })),
      map((state) => state.table),
      distinctUntilChanged(),
    ),
  ).pipe(shareReplay(1));
}
