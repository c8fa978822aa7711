/**
 * The MARK id layout of the default "mark" mode (DESIGN.md §1):
 *
 *     bits 31..16  flow_id (index into the agent's table of offloaded flows)
 *     bit  15      FLOW_ID_ODP_PORT_BIT: 1 = bits 14..0 are an odp port number,
 *                                        0 = bits 14..0 are the output port's hw-port-id
 *     bits 14..0   FLOW_ID_PORT_MASK
 *
 * The NIC writes the mark into received packets; the receiving side turns it back into the flow
 * and the output port with {@link decodeMark} and the `hw_local_port_map`.
 */
import { MarkError } from './errors';

/** Largest flow_id: flow_ids are 16 bits. */
export const MAX_FLOW_ID = 0xffff;
/** Set when the port part of a mark is an odp port number rather than a hw-port-id. */
export const FLOW_ID_ODP_PORT_BIT = 0x8000;
/** The port part of a mark (15 bits). */
export const FLOW_ID_PORT_MASK = 0x7fff;

/** Where a marked packet goes: the output's hw-port-id when it has one, else its odp port number. */
export type MarkTarget = { readonly hwPortId: number } | { readonly odpPort: number };

function isUint(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/**
 * The mark of flow `flowId` whose output is `target`: `(flowId << 16) | hwPortId`, or
 * `(flowId << 16) | 0x8000 | odpPort`. The result is an unsigned 32-bit number.
 * @throws MarkError when flowId is not an integer in 0..65535, or the port is not an integer in 0..0x7fff
 */
export function encodeMark(flowId: number, target: MarkTarget): number {
  if (!isUint(flowId, MAX_FLOW_ID)) throw new MarkError(`flow_id ${String(flowId)} is not an integer in 0..${MAX_FLOW_ID}`);
  if ('hwPortId' in target) {
    if (!isUint(target.hwPortId, FLOW_ID_PORT_MASK)) {
      throw new MarkError(`hw-port-id ${String(target.hwPortId)} does not fit the mark's 15 port bits`);
    }
    return flowId * 0x10000 + target.hwPortId;
  }
  if (!isUint(target.odpPort, FLOW_ID_PORT_MASK)) {
    throw new MarkError(`odp port ${String(target.odpPort)} does not fit the mark's 15 port bits`);
  }
  return flowId * 0x10000 + FLOW_ID_ODP_PORT_BIT + target.odpPort;
}

/** hw_local_port_map (hw-port-id -> odp port), as PortTable.hwLocalPortMap gives it or as a Map. */
export type HwPortMap = Readonly<Record<string, number>> | ReadonlyMap<number, number>;

/** What a mark says. */
export interface DecodedMark {
  readonly flowId: number;
  /** The odp port to send the packet to; undefined when the mark names a hw-port-id the map does not have. */
  readonly outPort: number | undefined;
  /** The hw-port-id the mark carries, or undefined when it carries an odp port number. */
  readonly hwPortId: number | undefined;
}

/**
 * Reads a mark on the receiving side: output port = bit 0x8000 set ? (mark & 0x7fff)
 * : hwLocalPortMap[mark & 0x7fff].
 * @throws MarkError when mark is not an unsigned 32-bit integer
 */
export function decodeMark(mark: number, hwLocalPortMap: HwPortMap): DecodedMark {
  if (!isUint(mark, 0xffffffff)) throw new MarkError(`mark ${String(mark)} is not an unsigned 32-bit integer`);
  const flowId = Math.floor(mark / 0x10000);
  const port = mark & FLOW_ID_PORT_MASK;
  if ((mark & FLOW_ID_ODP_PORT_BIT) !== 0) return { flowId, outPort: port, hwPortId: undefined };
  const outPort = hwLocalPortMap instanceof Map ? (hwLocalPortMap as ReadonlyMap<number, number>).get(port) : (hwLocalPortMap as Readonly<Record<string, number>>)[port];
  return { flowId, outPort, hwPortId: port };
}
