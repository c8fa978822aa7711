/**
 * What translation needs to know about ports. `PortTable` (src/ports) satisfies {@link PortLookup};
 * so does a plain object in tests.
 */
import type { Port } from '../odp';

/** The port map as translation reads it. */
export interface PortLookup {
  /** The hw-port-id of the ready interface on this odp port (hw_local_port_map reversed), or undefined. */
  hwPortIdOf(odpPort: number): number | undefined;
  /**
   * The interface called `name`, for flows that name their ports (`in_port(p1)`, `actions:p2`).
   * Optional: without it, a named port is unknown.
   */
  port?(name: string): { readonly odpPort: number | null } | undefined;
}

/** The odp port number of a port as a flow wrote it, or undefined when a name is not known. */
export function odpPortOf(port: Port, ports: PortLookup): number | undefined {
  if (typeof port === 'number') return port;
  const entry = ports.port?.(port);
  return entry?.odpPort ?? undefined;
}
