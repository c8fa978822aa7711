/**
 * Errors of the native rte_flow layer. The addon throws and returns instances of these classes:
 * {@link loadAddon} hands them to it at start-up (better-sqlite3 style), so native errors arrive
 * typed.
 */
import os from 'node:os';

/** rte_flow error types, in the order of DPDK 22.11's `enum rte_flow_error_type` (index = code). */
export const RTE_FLOW_ERROR_TYPES = [
  'NONE',
  'UNSPECIFIED',
  'HANDLE',
  'ATTR_GROUP',
  'ATTR_PRIORITY',
  'ATTR_INGRESS',
  'ATTR_EGRESS',
  'ATTR_TRANSFER',
  'ATTR',
  'ITEM_NUM',
  'ITEM_SPEC',
  'ITEM_LAST',
  'ITEM_MASK',
  'ITEM',
  'ACTION_NUM',
  'ACTION_CONF',
  'ACTION',
  'STATE',
] as const;

/** Which part of a rule an {@link RteFlowError} blames (`RTE_FLOW_ERROR_TYPE_<name>`). */
export type RteFlowErrorType = (typeof RTE_FLOW_ERROR_TYPES)[number];

const PREFERRED_ERRNO_NAMES = new Set(['ENOTSUP', 'EAGAIN', 'EDEADLK']);
const ERRNO_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(os.constants.errno)) {
  if (!ERRNO_NAMES.has(value) || PREFERRED_ERRNO_NAMES.has(name)) ERRNO_NAMES.set(value, name);
}

/** The symbolic name of a positive errno value ("EINVAL"), or `E<number>` when unknown. */
export function errnoName(errno: number): string {
  return ERRNO_NAMES.get(errno) ?? `E${errno}`;
}

/** The positive errno value of a symbolic name ("ENOTSUP" -> 95), or undefined. */
export function errnoValue(name: string): number | undefined {
  const v = (os.constants.errno as Record<string, number | undefined>)[name];
  return v;
}

/**
 * A refusal or failure shaped like DPDK's `struct rte_flow_error`.
 *
 * - `type`: which part of the rule is at fault (`ITEM`, `ITEM_MASK`, `ACTION`, `ATTR_GROUP`, ...).
 * - `errno` / `errnoName`: the positive errno value a PMD sets (ENOTSUP: a capability the NIC lacks;
 *   EINVAL: an inconsistent rule; ENOSPC: the rule table is full; EEXIST: the same match is already
 *   installed; ENODEV: no such port; ENOSYS: the device has no rte_flow support at all).
 * - `message`: the PMD's human-readable message, as it gave it.
 * - `position`: index of the pattern item or action at fault (rte_flow_error.cause), when known.
 */
export class RteFlowError extends Error {
  override readonly name = 'RteFlowError';
  readonly type: RteFlowErrorType;
  readonly typeCode: number;
  readonly errno: number;
  readonly errnoName: string;
  readonly position: number | undefined;

  /**
   * @param type a {@link RteFlowErrorType} or its numeric code (unknown codes become UNSPECIFIED)
   * @param errno positive errno value
   * @param position item/action index, or -1/undefined when the error has no position
   */
  constructor(message: string, type: RteFlowErrorType | number, errno: number, position?: number) {
    super(message);
    const code = typeof type === 'number' ? type : RTE_FLOW_ERROR_TYPES.indexOf(type);
    this.typeCode = code >= 0 && code < RTE_FLOW_ERROR_TYPES.length ? code : 1;
    this.type = RTE_FLOW_ERROR_TYPES[this.typeCode];
    this.errno = errno;
    this.errnoName = errnoName(errno);
    this.position = position === undefined || position < 0 ? undefined : position;
  }
}

/**
 * A failure of the DPDK environment itself (EAL initialisation, probing or configuring a port),
 * as opposed to a flow rule. `operation` names the DPDK call ("rte_eal_init", "rte_dev_probe", ...).
 */
export class DpdkError extends Error {
  override readonly name = 'DpdkError';
  readonly errno: number;
  readonly errnoName: string;
  readonly operation: string;

  constructor(message: string, errno: number, operation: string) {
    super(message);
    this.errno = errno;
    this.errnoName = errnoName(errno);
    this.operation = operation;
  }
}
