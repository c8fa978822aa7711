/**
 * TypeScript shapes of the control API's params and results, as schema/control-api.schema.json
 * describes them (the schema is the authority: the server validates params against it, and
 * tests can check results with validateResult). Results may carry more fields than listed.
 */
import type { MirrorStatus } from '../mirror/vswitchd-mirror';

export type FlowState = 'offloaded' | 'software' | 'pending';
export type PortState = 'ready' | 'disabled' | 'invalid' | 'conflict' | 'error';

export interface AgentShowResult {
  version: string;
  pid?: number;
  uptimeSeconds: number;
  backend: string;
  profile?: string | null;
  flowSource?: string;
  ctlSocket?: string;
  db: {
    remote: string;
    state: string;
    connected?: boolean;
    currentRemote?: string | null;
    clustered?: boolean;
    leader?: boolean | null;
    txnId?: string | null;
    monitorMethod?: string | null;
    error?: string | null;
  };
  /** With `--flow-source vswitchd:`: how the mirror of ovs-vswitchd is doing. */
  mirror?: MirrorStatus;
}

export interface PortEntry {
  name: string;
  type: string;
  uuid: string;
  odpPort: number | null;
  hwPortId: number | null;
  /** The DPDK port id from status:port_no, when the interface reports one. */
  dpdkPortId?: number;
  state: PortState;
  reason?: string;
}

export interface PortsShowResult {
  ports: PortEntry[];
  /** hw-port-id (decimal text) -> odp port. */
  hwLocalPortMap: Record<string, number>;
}

/** A megaflow: either a whole dpctl/dump-flows -m line, or its match and actions text. */
export type FlowInput = string | { ufid?: string; match: string; actions: string };

export interface FlowPutParams {
  flows: FlowInput[];
}

export interface FlowPutOutcome {
  ufid: string;
  state: FlowState;
  reason?: string;
  flowId?: number;
  mark?: number;
}

export interface FlowPutResult {
  flows: FlowPutOutcome[];
}

export interface FlowDelParams {
  ufids: string[];
}

export interface FlowDelResult {
  flows: Array<{ ufid: string; deleted: boolean }>;
}

export interface FlowGetParams {
  ufid: string;
}

export interface FlowDumpParams {
  type?: 'all' | 'offloaded' | 'non-offloaded';
}

export interface PacketInjectParams {
  port: string | number;
  frames?: string[];
  pcap?: string;
  /** A directory for the capture files: port-N.pcap per output port, miss.pcap. */
  pcapOut?: string;
}

export interface PacketInjectResult {
  packets: Array<{ hit: boolean; ufid?: string; mark?: number; outPort?: number | string }>;
  hits: number;
  misses: number;
  /** Frames per output port (the per-port batches). */
  outputs?: Record<string, number>;
  /** The capture files written for `pcapOut`. */
  written?: Array<{ port: number | 'miss'; file: string; frames: number }>;
}
