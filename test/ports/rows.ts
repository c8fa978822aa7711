/**
 * Test helpers: Interface rows in RFC 7047 wire form, as the OVSDB client emits them.
 */
import type { Row, RowChange, RowEvent } from '../../src/ovsdb/row-change.js';
import type { PortEntry, PortTable } from '../../src/ports/index.js';

export interface IfaceSpec {
  name: string;
  /** Default 'dpdk'. */
  type?: string;
  /** options:hw-port-id; omitted when undefined. */
  hw?: string;
  ofportRequest?: number;
  /** Other options. */
  options?: Record<string, string>;
  /** The status column (OVS-DPDK's port_no, ...); omitted when undefined. */
  status?: Record<string, string>;
}

export function ifaceRow(spec: IfaceSpec): Row {
  const options: [string, string][] = Object.entries(spec.options ?? {});
  if (spec.hw !== undefined) options.push(['hw-port-id', spec.hw]);
  const row: Row = {
    name: spec.name,
    type: spec.type ?? 'dpdk',
    options: ['map', options],
    ofport_request: spec.ofportRequest === undefined ? ['set', []] : spec.ofportRequest,
    ofport: ['set', []],
  };
  if (spec.status !== undefined) row.status = ['map', Object.entries(spec.status)];
  return row;
}

export function change(event: RowEvent, uuid: string, spec: IfaceSpec): RowChange {
  return { event, table: 'Interface', uuid, row: ifaceRow(spec) };
}

/** A change carrying a row exactly as given (for malformed rows and other tables). */
export function rawChange(event: RowEvent, uuid: string, row: Row, table = 'Interface'): RowChange {
  return { event, table, uuid, row };
}

export const initial = (uuid: string, spec: IfaceSpec): RowChange => change('initial', uuid, spec);
export const insert = (uuid: string, spec: IfaceSpec): RowChange => change('insert', uuid, spec);
export const modify = (uuid: string, spec: IfaceSpec): RowChange => change('modify', uuid, spec);
export const remove = (uuid: string, spec: IfaceSpec): RowChange => change('delete', uuid, spec);

/** One port as a short line: `name state hw=H odp=O` plus ` (reason)` when there is one. */
export function line(entry: PortEntry): string {
  const base = `${entry.name} ${entry.state} hw=${String(entry.hwPortId)} odp=${String(entry.odpPort)}`;
  return entry.reason === undefined ? base : `${base} (${entry.reason})`;
}

/** A table in short form: its ports as lines (in table order) and its hw_local_port_map. */
export function brief(table: PortTable): { ports: string[]; map: Record<string, number> } {
  return { ports: table.ports.map(line), map: { ...table.hwLocalPortMap } };
}
