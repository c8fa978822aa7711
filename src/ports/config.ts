/**
 * Configuration of the port table derivation (`--max-hw-ports`, `--offload-types`).
 */
import { MAX_HW_PORTS_LIMIT } from './hw-port-id.js';

export interface PortsConfig {
  /** N: valid hw-port-ids are 0..N-1; an integer in 1..0x7FFF. Default 64. */
  readonly maxHwPorts: number;
  /** Interface types whose hw-port-id is honoured. Default ['dpdk']. */
  readonly offloadTypes: readonly string[];
}

export const DEFAULT_PORTS_CONFIG: PortsConfig = Object.freeze({
  maxHwPorts: 64,
  offloadTypes: Object.freeze(['dpdk']),
});

/** Raised for a configuration value that is out of its documented range; the message names the option. */
export class PortsConfigError extends Error {
  override readonly name = 'PortsConfigError';
}

/**
 * Fills in defaults and validates.
 * @throws PortsConfigError naming the option and the value when maxHwPorts is not an integer in 1..0x7FFF or
 *   offloadTypes is not an array of strings.
 */
export function resolvePortsConfig(config: Partial<PortsConfig> = {}): PortsConfig {
  const maxHwPorts = config.maxHwPorts ?? DEFAULT_PORTS_CONFIG.maxHwPorts;
  if (!Number.isInteger(maxHwPorts) || maxHwPorts < 1 || maxHwPorts > MAX_HW_PORTS_LIMIT) {
    throw new PortsConfigError(`maxHwPorts must be an integer in 1..${MAX_HW_PORTS_LIMIT}, got ${String(maxHwPorts)}`);
  }
  const offloadTypes: unknown = config.offloadTypes ?? DEFAULT_PORTS_CONFIG.offloadTypes;
  if (!Array.isArray(offloadTypes) || !offloadTypes.every((t): t is string => typeof t === 'string')) {
    throw new PortsConfigError(`offloadTypes must be a list of interface type names, got ${JSON.stringify(offloadTypes)}`);
  }
  return Object.freeze({ maxHwPorts, offloadTypes: Object.freeze([...offloadTypes]) });
}
