/**
 * The types of the offload engine's surface (engine.ts): its options, the port map it reads, and
 * the results of put(), dump(), stats() and inject(). Types only: no code, no state. engine.ts and
 * index.ts re-export all of them, so importers may take them from either.
 */
import type { PortLookup } from '../flows/translate';
import type { VariantName } from '../flows/translate/variants';
import type { FlowBackend } from '../native/backend';
import type { Logger } from '../log';
import type { FlowState } from './flow-record';
import type { LatencySummary } from './latency';
import type { WrittenCapture } from './pcap-out';

/** The port map as the engine reads it: PortTable satisfies it. */
export interface EnginePorts extends PortLookup {
  readonly hwLocalPortMap: Readonly<Record<string, number>>;
  /**
   * The DPDK port id of the ready interface on an odp port, when known (OVS-DPDK's status:port_no;
   * PortTable.dpdkPortIdOf). Where it differs from the hw-port-id, the flow's rule is created on
   * that DPDK port with a PORT item selecting the hw-port-id (DESIGN.md §1), and packet/inject on
   * the interface receives on that port. Absent or undefined: the hw-port-id is the DPDK port.
   */
  dpdkPortIdOf?(odpPort: number): number | undefined;
}

export interface OffloadEngineOptions {
  backend: FlowBackend;
  /** The port map at start (default: empty). Later maps come through setPorts(). */
  ports?: EnginePorts;
  /** Number of flow_ids (default 65,536; smaller for tests of exhaustion). */
  flowIdPoolSize?: number;
  /**
   * Whether device `d` may count (DESIGN.md's trial lists). Default: the soft NIC's profile lists
   * COUNT; any other backend is assumed to (trial and error finds out).
   */
  canCount?: (device: number) => boolean;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /**
   * How the put path encodes rules for the NIC: `direct` (default) writes each rule straight from
   * its translation into the native batch; `spec` builds the RuleSpec objects and encodes those
   * (the reference path: the same bytes, slower; for tests and comparisons).
   */
  ruleEncoding?: 'direct' | 'spec';
  logger?: Logger;
}

/** One outcome of put(). */
export interface PutOutcome {
  ufid: string;
  state: FlowState;
  reason?: string;
  flowId?: number;
  mark?: number;
}

export type DumpType = 'all' | 'offloaded' | 'non-offloaded';

/** Counts of trial attempts of one variant. */
export interface AttemptCounts {
  tried: number;
  succeeded: number;
  failed: number;
}

/** The statsSweeps part of offload/stats: how many sweeps ran and what they cost. */
export interface SweepStats {
  count: number;
  lastFlows: number;
  lastUs: number;
  meanUs: number;
}

/** The offload/stats result. */
export interface OffloadStats {
  flows: { total: number; offloaded: number; software: number; pending: number };
  attempts: Record<VariantName, AttemptCounts>;
  /**
   * device -> the variant that last worked there for MARK rules (for DROP rules when no MARK rule
   * has worked there yet). MARK and DROP rules learn apart; each tries its own first next time.
   */
  learnedVariants: Record<string, VariantName>;
  /** device -> offloaded flows with a rule on it. */
  devices: Record<string, { offloaded: number }>;
  flowIdPool: { size: number; used: number; free: number; waiting: number };
  /** Offload operations (one per flow put, modified or deleted), microseconds. */
  latency: LatencySummary;
  statsSweeps: SweepStats;
}

/** One injected frame's verdict. */
export interface InjectedPacket {
  hit: boolean;
  ufid?: string;
  mark?: number;
  /** The odp port the mark decodes to; `drop` for a DROP rule. */
  outPort?: number | string;
}

export interface InjectResult {
  packets: InjectedPacket[];
  hits: number;
  misses: number;
  /** Frames sent to each output port (odp port -> count): the per-port batches. */
  outputs: Record<string, number>;
  /** The capture files written when asked (`pcapOut`), in batch order. */
  written?: WrittenCapture[];
}
