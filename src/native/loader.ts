/**
 * Loads the native addon (native/build/Release/ovs_hwol.node).
 *
 * The loader is injectable (see better-sqlite3): unit tests can pass a model of the addon instead of
 * the compiled file. The addon's ABI version is checked against {@link EXPECTED_ABI_VERSION} so that
 * a stale build is reported clearly instead of failing later in an obscure way. Once loaded, the
 * addon receives the error classes it throws and returns ({@link RteFlowError}, {@link DpdkError}).
 *
 * `OVS_HWOL_ADDON=/path/to/ovs_hwol.node` in the environment replaces the default path (the
 * sanitizer build of scripts/asan.sh uses it).
 */
import path from 'node:path';
import { DpdkError, RteFlowError } from './errors';
import type { NativeRouteFrames } from './routing';

/** ABI version the TypeScript side was written for; must equal native/src/napi/addon.cc's kAbiVersion. */
export const EXPECTED_ABI_VERSION = 4;

/**
 * Failures of a native batch call: `[index0, error0, index1, error1, ...]`, one pair per element
 * that failed, in element order; undefined when every element succeeded.
 */
export type NativeFailures = (number | RteFlowError)[] | undefined;

/** The batch API every native device offers (native/src/napi/batch_ops.h). */
export interface NativeFlowDevice {
  validate(batch: Uint8Array, count: number): NativeFailures;
  /** handlesOut[i] receives element i's handle, or 0 when it failed. */
  create(batch: Uint8Array, count: number, handlesOut: Uint32Array): NativeFailures;
  destroy(handles: Uint32Array): NativeFailures;
  /** countersOut[2i] = hits, countersOut[2i+1] = bytes of handle i. */
  query(handles: Uint32Array, reset: boolean, countersOut: Float64Array): NativeFailures;
  /** query() that allocates nothing: a failed element gets NaN, NaN; returns the number of failures. */
  queryInto(handles: Uint32Array, reset: boolean, countersOut: Float64Array): number;
  /** Throws RteFlowError. */
  flush(port: number): number;
  /** Throws RteFlowError. */
  ruleCount(port: number): number;
}

/** The addon's SoftNic class (native/src/napi/soft_nic_wrap.h). */
export interface NativeSoftNic extends NativeFlowDevice {
  classify(
    port: number,
    portIndex: number,
    data: Uint8Array,
    offsets: Uint32Array,
    handlesOut: Uint32Array,
    marksOut: Uint32Array,
    fateOut: Uint32Array,
    flagsOut: Uint8Array,
  ): number;
  close(): void;
}

/** A profile as the native SoftNic constructor takes it (src/native/profile.ts's NicProfile fits). */
export interface NativeProfile {
  name: string;
  ports: number;
  queues: number;
  maxRules: number;
  maxMark: number;
  priorities: number;
  groups: number;
  egress: boolean;
  transfer: boolean;
  maskPolicy: string;
  markNeedsQueue: boolean;
  items: Readonly<Record<string, '*' | readonly string[] | undefined>>;
  actions: readonly string[];
}

/** A port as the dpdk backend reports it. */
export interface NativeDpdkPort {
  id: number;
  name: string;
  driver: string;
}

/** What EAL initialisation reports. */
export interface NativeEalInfo {
  /** The argv rte_eal_init received (program name first). */
  args: string[];
  mainLcore: number;
  lcoreCount: number;
}

/** The addon's dpdk functions (native/src/dpdk/dpdk_wrap.h); present only when built with DPDK. */
export interface NativeDpdk {
  /** rte_eal_init(argv); throws DpdkError (EALREADY on a second call). */
  ealInit(argv: readonly string[]): NativeEalInfo;
  ealInitialized(): boolean;
  /** rte_dev_probe(devargs) then the port it created; throws DpdkError. */
  probe(devargs: string): NativeDpdkPort;
  /** Stops, closes and hot-unplugs a port; throws DpdkError. */
  detach(port: number): void;
  ports(): NativeDpdkPort[];
  /** Port id by name, or -1. */
  portByName(name: string): number;
  /** Configures rxQueues/txQueues and starts the port; throws DpdkError. */
  startPort(port: number, rxQueues: number, txQueues: number): void;
  /** An rte_flow device; close() destroys the rules created through it. */
  Device: new () => NativeFlowDevice & { close(): void };
}

export interface NativeItemLayout {
  code: number;
  size: number;
  fields: [name: string, bitOffset: number, bitWidth: number][];
  packed: string[];
  defaultMask: number[];
}

/** What the addon exports. */
export interface NativeAddon {
  abiVersion(): number;
  setErrorClasses(flowError: typeof RteFlowError, dpdkError: typeof DpdkError): void;
  buildInfo(): { dpdk: boolean; dpdkVersion: string | null };
  itemLayouts(): { items: Record<string, NativeItemLayout>; actions: Record<string, number> };
  SoftNic: new (profile: NativeProfile) => NativeSoftNic;
  /** The packet path's per-port batching (src/native/routing.ts). */
  routeFrames: NativeRouteFrames;
  dpdk?: NativeDpdk;
}

/** Raised when the addon is missing, cannot be loaded, or was built for another ABI. */
export class NativeLoadError extends Error {
  override readonly name = 'NativeLoadError';
}

/** Default location of the compiled addon, relative to the package root (or $OVS_HWOL_ADDON). */
export const DEFAULT_ADDON_PATH = process.env.OVS_HWOL_ADDON ?? path.resolve(__dirname, '..', '..', '..', 'native', 'build', 'Release', 'ovs_hwol.node');

/**
 * Loads and checks the addon, then hands it the error classes.
 * @param load how to load a module by path (injectable for tests); defaults to `require`.
 * @throws NativeLoadError naming the path and the cause, or the ABI mismatch.
 */
export function loadAddon(addonPath: string = DEFAULT_ADDON_PATH, load: (p: string) => unknown = require): NativeAddon {
  let mod: unknown;
  try {
    mod = load(addonPath);
  } catch (err) {
    throw new NativeLoadError(`cannot load native addon ${addonPath}: ${(err as Error).message} (run "npm run build:native")`);
  }
  const addon = mod as Partial<NativeAddon>;
  if (typeof addon.abiVersion !== 'function') {
    throw new NativeLoadError(`native addon ${addonPath} does not export abiVersion()`);
  }
  const abi = addon.abiVersion();
  if (abi !== EXPECTED_ABI_VERSION) {
    throw new NativeLoadError(`native addon ${addonPath} has ABI ${abi}, expected ${EXPECTED_ABI_VERSION} (rebuild it with "npm run build:native")`);
  }
  if (typeof addon.setErrorClasses === 'function') addon.setErrorClasses(RteFlowError, DpdkError);
  return addon as NativeAddon;
}

let shared: NativeAddon | undefined;

/** The addon at {@link DEFAULT_ADDON_PATH}, loaded once per process. @throws NativeLoadError */
export function defaultAddon(): NativeAddon {
  shared ??= loadAddon();
  return shared;
}
