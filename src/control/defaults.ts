/** Defaults of the control socket, shared by the agent, the CLI and the tests. */

/** Where the agent listens and ovs-hwol-ctl connects unless told otherwise (DESIGN.md §3). */
export const DEFAULT_CTL_SOCKET = '/var/run/openvswitch/ovs-hwol-agent.ctl';

/** Environment variable that overrides DEFAULT_CTL_SOCKET for ovs-hwol-ctl. */
export const CTL_SOCKET_ENV = 'OVS_HWOL_CTL_SOCKET';

/**
 * Largest request line the server accepts: 128 MiB. A flow/put of 100k flows must fit: real
 * dump lines are 500-1000 bytes (the longest in shared/fixtures/ovs-3.1 is 1023), so 100k of them
 * with their JSON quoting take about 60-105 MB.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 128 * 1024 * 1024;

/**
 * Largest response line the client accepts: 512 MiB (a flow/dump of 100k flows, each with its
 * match, actions, rule text and stats, is about 150-200 MB). V8's string limit is about 512 MiB.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024 - 64;

/** Longest unix socket path Linux accepts (sun_path is 108 bytes with the terminating NUL). */
export const MAX_SOCKET_PATH_BYTES = 107;
