/**
 * The offload engine (issue 5): megaflows become rte_flow rules, packets are steered by MARK,
 * statistics come back. See engine.ts for the contract.
 */
export { OffloadEngine, type AttemptCounts, type DumpType, type EnginePorts, type InjectedPacket, type InjectResult, type OffloadEngineOptions, type OffloadStats, type PutOutcome, type SweepStats } from './engine';
export { FlowRecord, REASON_POOL_EXHAUSTED, usedText, viewOf, type FlowState, type FlowStatsView, type FlowView } from './flow-record';
export { FlowIdPool, FLOW_ID_POOL_SIZE } from './flow-id-pool';
export { flowPorts, parseFlowInput, type FlowInput, type ParsedFlow } from './flow-input';
export { LatencyTracker, type LatencySummary } from './latency';
export { parsePcap, readPcapFile, writePcap, type PcapCapture } from './pcap';
export type { WrittenCapture } from './pcap-out';
export { registerOffloadMethods, OffloadErrorCode } from './control-methods';
export { FlowInputError, FlowNotFoundError, InjectError, OffloadUsageError, PcapError } from './errors';
