/**
 * The offload engine's control methods (DESIGN.md §3): flow/put, flow/del, flow/get, flow/dump,
 * flow/flush, offload/stats and packet/inject, registered on a ControlServer.
 *
 * Errors, as JSON-RPC errors:
 * - -32602 (invalid params): a flow that cannot be read (`data: {field: "flows[i]"}`), a bad hex frame;
 * - -32001 (FLOW_NOT_FOUND): flow/get of an unknown ufid (`data: {ufid}`);
 * - -32002 (INJECT_FAILED): packet/inject on an unknown port, a port without a hw-port-id, a
 *   backend without a classifier, or an unreadable pcap file (`data: {port}` or `{pcap}`), or a
 *   `pcapOut` directory where the capture files cannot be written (`data: {pcapOut}`; checked
 *   before any frame is classified, except a write that fails afterwards, e.g. on a full disk);
 * - -32004 (FLOWS_READ_ONLY): flow/put, flow/del or flow/flush while another flow source owns the
 *   table (`data: {flowSource}`).
 */
import { ControlError, ErrorCode, type ControlServer } from '../control';
import type { DumpType, OffloadEngine } from './engine';
import { FlowInputError, FlowNotFoundError, InjectError, PcapError } from './errors';
import type { FlowInput } from './flow-input';
import { readPcapFile } from './pcap';

/** JSON-RPC error codes of the offload methods (implementation-defined range). */
export const OffloadErrorCode = {
  FlowNotFound: -32001,
  InjectFailed: -32002,
  FlowsReadOnly: -32004,
} as const;

export interface OffloadMethodsOptions {
  /**
   * The flow source that owns the ufid table when it is not the control API (e.g.
   * `vswitchd:/run/openvswitch/ovs-vswitchd.123.ctl`): flow/put, flow/del and flow/flush are then
   * refused, since a flow changed behind the source's back would never be put right by it.
   */
  readOnlyFlowSource?: string;
}

/**
 * Registers the offload methods. `engine()` returns the engine (a function, so the agent can
 * register before the backend is open; it throws a ControlError when there is none).
 */
export function registerOffloadMethods(server: ControlServer, engine: () => OffloadEngine, opts: OffloadMethodsOptions = {}): void {
  const source = opts.readOnlyFlowSource;
  const writable = (method: string): void => {
    if (source === undefined) return;
    throw new ControlError(
      OffloadErrorCode.FlowsReadOnly,
      `${method} is refused: the flows come from ${source} (--flow-source); change them there, e.g. with ovs-appctl dpctl/del-flows`,
      { flowSource: source },
    );
  };
  server.register('flow/put', (p: { flows: FlowInput[] }) => {
    writable('flow/put');
    return { flows: guard(() => engine().put(p.flows)) };
  });
  server.register('flow/del', (p: { ufids: string[] }) => {
    writable('flow/del');
    return { flows: engine().del(p.ufids) };
  });
  server.register('flow/get', (p: { ufid: string }) => guard(() => engine().get(p.ufid)));
  server.register('flow/dump', (p: { type?: DumpType }) => ({ flows: engine().dump(p.type ?? 'all') }));
  server.register('flow/flush', () => {
    writable('flow/flush');
    return { removed: engine().flush() };
  });
  server.register('offload/stats', () => engine().stats());
  server.register('packet/inject', (p: { port: string | number; frames?: string[]; pcap?: string; pcapOut?: string }) =>
    guard(() => {
      let frames: Uint8Array[];
      if (p.pcap !== undefined) frames = readPcapFile(p.pcap).frames;
      else frames = (p.frames ?? []).map((hex, i) => hexFrame(hex, i));
      return engine().inject(p.port, frames, p.pcapOut);
    }, p),
  );
}

function hexFrame(hex: string, i: number): Uint8Array {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new ControlError(ErrorCode.InvalidParams, `invalid params: frames[${i}] is not hex digits in pairs`, { field: `frames[${i}]` });
  return Buffer.from(hex, 'hex');
}

/** Runs f, turning the engine's typed errors into JSON-RPC errors. */
function guard<T>(f: () => T, inject?: { port: string | number; pcap?: string; pcapOut?: string }): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof FlowInputError) throw new ControlError(ErrorCode.InvalidParams, `invalid params: ${err.message}`, { field: `flows[${err.index}]` });
    if (err instanceof FlowNotFoundError) throw new ControlError(OffloadErrorCode.FlowNotFound, err.message, { ufid: err.ufid });
    if (err instanceof PcapError) throw new ControlError(OffloadErrorCode.InjectFailed, err.message, { pcap: inject?.pcap });
    if (err instanceof InjectError) {
      throw new ControlError(OffloadErrorCode.InjectFailed, err.message, err.pcapOut !== undefined ? { pcapOut: err.pcapOut } : { port: inject?.port });
    }
    throw err;
  }
}
