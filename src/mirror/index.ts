/**
 * The mirror of a running ovs-vswitchd (`--flow-source vswitchd:CTL_PATH`): a unixctl client, the
 * dump diff, the datapath port map and the poller that drives the offload engine.
 */
export { UnixctlClient, UNIXCTL_DEFAULT_TIMEOUT_MS, UNIXCTL_MAX_REPLY_BYTES, type UnixctlClientOptions } from './unixctl-client';
export { UnixctlError, UnixctlTimeoutError, UnixctlUnavailableError } from './errors';
export { FlowDiffer, type FlowDiff, type MirroredFlow, type DumpLineProblem } from './flow-diff';
export { datapathPorts, type DatapathPorts } from './datapath-ports';
export {
  VswitchdMirror, DEFAULT_POLL_INTERVAL_MS,
  type MirrorStatus, type MirrorState, type MirrorTarget, type PollTimings, type VswitchdMirrorOptions,
} from './vswitchd-mirror';
