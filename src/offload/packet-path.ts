/**
 * The packet path on the soft NIC (the engine's inject()): frames received on a port are
 * classified by the NIC's rules; a marked frame goes to the output port its mark decodes to
 * (decodeMark with hw_local_port_map); marked frames of flows without COUNT are counted here
 * (software statistics), COUNT rules are counted by the NIC, and a DROP rule without COUNT is
 * counted by nobody (its frames never reach the datapath).
 *
 * Contract: injectFrames() reads the engine's state through a PacketPathState and changes only
 * the software counters (and `used`) of the records hit; it creates and destroys no rule. Asked to
 * (`pcapOut`), it writes the per-port batches and the misses as pcap files (pcap-out.ts).
 */
import type { Logger } from '../log';
import type { FlowBackend } from '../native/backend';
import { VerdictFlag } from '../native/frames';
import { Dest, unmappedHwPortId } from '../native/routing';
import { SoftNicBackend } from '../native/soft-backend';
import type { EnginePorts, InjectedPacket, InjectResult } from './engine-types';
import { InjectError } from './errors';
import type { FlowRecord } from './flow-record';
import type { HandleIndex } from './handle-index';
import { preparePcapDir, writeCaptures, type CaptureGroup } from './pcap-out';

/** What the packet path reads of the engine. */
export interface PacketPathState {
  readonly backend: FlowBackend;
  readonly ports: EnginePorts;
  /** odp port -> DPDK port id where the port map gives one (else the hw-port-id is the NIC port). */
  readonly dpdkByOdp: ReadonlyMap<number, number>;
  /** hw-port-id -> odp port (-1: none) of the current map (hwToOdpTable). */
  readonly hwToOdp: Int32Array;
  /** The offloaded records by rule handle. */
  readonly byHandle: HandleIndex<FlowRecord>;
  readonly now: () => number;
  readonly log: Logger | undefined;
}

/**
 * Classifies `frames` received on `port` (an interface name or an odp port number with a
 * hw-port-id) on its NIC port; with `pcapOut` (a directory) also writes what each output port
 * received and the misses as pcap files there. See the file's comment.
 * @throws InjectError for a backend without a classifier, an unknown port, a port without a
 *   hw-port-id, or a `pcapOut` where files cannot be written (all before any frame is counted);
 *   or for a capture file that could not be written (after the frames were counted)
 */
export function injectFrames(state: PacketPathState, port: string | number, frames: readonly Uint8Array[], pcapOut?: string): InjectResult {
  const backend = state.backend;
  if (!(backend instanceof SoftNicBackend)) throw new InjectError(`packet/inject needs the soft NIC backend (this agent runs ${backend.description})`);
  const ports = state.ports;
  let odp: number;
  if (typeof port === 'number') {
    odp = port;
  } else {
    const entry = ports.port?.(port);
    if (!entry) throw new InjectError(`no interface named "${port}"`);
    if (entry.odpPort === null) throw new InjectError(`interface ${port} has no odp port`);
    odp = entry.odpPort;
  }
  const hw = ports.hwPortIdOf(odp);
  if (hw === undefined) throw new InjectError(`port ${String(port)} (odp port ${odp}) has no hw-port-id: its packets do not go through the NIC`);
  // Frames arrive on the interface's DPDK port; a PORT item of its rules selects the hw-port-id.
  const device = state.dpdkByOdp.get(odp) ?? hw;
  if (device >= backend.profile.ports) {
    const which = device === hw ? `hw-port-id ${hw}` : `DPDK port id ${device} (status:port_no)`;
    throw new InjectError(`port ${String(port)} has ${which}, but the soft NIC (${backend.description}) has ports 0..${backend.profile.ports - 1}`);
  }
  const captureDir = pcapOut === undefined ? undefined : preparePcapDir(pcapOut);
  const res = backend.classify(device, frames, { portIndex: hw });
  // Native: each frame's destination from its mark, and the per-destination batches.
  const routes = backend.route(res, state.hwToOdp);
  const now = state.now();
  const packets = new Array<InjectedPacket>(res.count);
  let hits = 0;
  for (let i = 0; i < res.count; i++) {
    const flags = res.flags[i];
    if ((flags & VerdictFlag.HIT) === 0) {
      packets[i] = { hit: false };
      continue;
    }
    hits++;
    const p: InjectedPacket = { hit: true };
    const rec = state.byHandle.get(res.handles[i]);
    if (rec) {
      p.ufid = rec.ufid;
      // Software counts what reaches the datapath with a mark (DESIGN.md §1): a frame dropped by a
      // DROP rule without COUNT never does, so such a flow has no statistics, as on a real NIC.
      if (!rec.counting && (flags & VerdictFlag.MARKED) !== 0) {
        const c = rec.writableStats;
        c.swPackets++;
        c.swBytes += frames[i].length;
        c.usedMs = now;
      }
    }
    if (flags & VerdictFlag.MARKED) p.mark = res.marks[i];
    const out = outPortOf(routes.dest[i]);
    if (out !== undefined) p.outPort = out;
    packets[i] = p;
  }
  // The batches come in order of first appearance: the same key order as counting frame by frame.
  const outputs: Record<string, number> = {};
  for (let g = 0; g < routes.groupCount; g++) {
    const out = outPortOf(routes.groupDest(g));
    if (out !== undefined) outputs[String(out)] = routes.groupSize(g);
  }
  state.log?.debug(`packet/inject on ${String(port)}: ${hits} hits, ${res.count - hits} misses`);
  const result: InjectResult = { packets, hits, misses: res.count - hits, outputs };
  if (captureDir !== undefined) {
    const groups: CaptureGroup[] = [];
    for (const b of routes.batches()) {
      if (b.dest >= 0 || b.dest === Dest.MISS) groups.push({ port: b.dest >= 0 ? b.dest : 'miss', frames: Array.from(b.frames, (i) => frames[i]) });
    }
    result.written = writeCaptures(captureDir, groups, now * 1000);
    state.log?.info(`packet/inject on ${String(port)}: wrote ${result.written.map((w) => `${w.file} (${w.frames})`).join(', ') || 'no capture (no frame reached a port or missed)'}`);
  }
  return result;
}

/** InjectedPacket.outPort of a routing destination; undefined for a miss or a hit without mark or drop. */
function outPortOf(dest: number): number | string | undefined {
  if (dest >= 0) return dest;
  if (dest === Dest.DROP) return 'drop';
  const hw = unmappedHwPortId(dest);
  return hw === undefined ? undefined : `hw-port-id ${hw} (not in hw_local_port_map)`;
}
