/**
 * src/ports: from OVSDB Interface rows to the port table and hw_local_port_map (DESIGN.md §3 "hw-port-id rules",
 * `ports/show`). Pure code: no sockets, no timers.
 */
export { MAX_HW_PORTS_LIMIT, parseHwPortId, type HwPortIdResult } from './hw-port-id.js';
export { DEFAULT_PORTS_CONFIG, PortsConfigError, resolvePortsConfig, type PortsConfig } from './config.js';
export { decodeInterfaceRow, type DecodedInterface, type InterfaceColumns } from './interface-row.js';
export { MAX_ODP_PORT, OdpPortAllocator } from './odp-allocator.js';
export {
  PortTable,
  comparePorts,
  type HwMapEntry,
  type PortChange,
  type PortEntry,
  type PortState,
  type PortTableJson,
} from './port-table.js';
export {
  INTERFACE_TABLE,
  PortsState,
  PortsUsageError,
  createPortsState,
  reducePorts,
  type PortsInput,
  type PortsStateOptions,
} from './reducer.js';
export { derivePortTable } from './derive.js';
export { logPortTransitions, portLogEvents, portTransitions, type PortLogEvent, type PortLogSink } from './transitions.js';
