/**
 * The dpdk backend: the real librte_ethdev, inside this Node process (native/README.md says how EAL
 * is configured: lcores, signals, logging). EAL is initialised once per process; ports come from
 * EAL's `--vdev`/PCI arguments or are hot-plugged from devargs with {@link DpdkBackend.probe}.
 *
 * Every virtual PMD on the machines this project is tested on (null, pcap, ring, ...) answers
 * rte_flow with ENOSYS "Function not implemented": the backend reports that as an RteFlowError
 * like any other refusal.
 */
import type { PortInfo } from './backend';
import { DeviceBackend } from './device-backend';
import { DpdkError } from './errors';
import { splitEalArgs } from './eal-args';
import { defaultAddon, type NativeAddon, type NativeDpdk, type NativeFlowDevice } from './loader';

const EALREADY = 114;
const ENOTSUP = 95;

/** What rte_eal_init received and set up. */
export interface EalInfo {
  /** The argv given to rte_eal_init, program name first, defaults added. */
  args: string[];
  mainLcore: number;
  lcoreCount: number;
}

export interface DpdkOptions {
  /** EAL arguments: an argv, or one string split like a shell does (`--dpdk-args`). */
  ealArgs?: readonly string[] | string;
  /** devargs to hot-plug once EAL is up ("net_null1", "net_pcap0,iface=lo", a PCI address...). */
  devices?: readonly string[];
  /** The native addon (injectable for tests). */
  addon?: NativeAddon;
}

/** Whether the addon was built with the dpdk backend. */
export function dpdkAvailable(addon: NativeAddon = defaultAddon()): boolean {
  return addon.dpdk !== undefined;
}

function nativeDpdk(addon: NativeAddon): NativeDpdk {
  if (!addon.dpdk) {
    throw new DpdkError('the dpdk backend was not built (pkg-config did not find libdpdk when the addon was built)', ENOTSUP, 'build');
  }
  return addon.dpdk;
}

let eal: { userArgs: string[]; info: EalInfo } | undefined;

/**
 * Initialises EAL with `args` (once per process). Calling it again with the same arguments returns
 * the first call's result; with other arguments it throws DpdkError EALREADY.
 * @throws DpdkError for arguments EAL refuses, or when the backend was not built
 */
export function initEal(args: readonly string[] | string, addon: NativeAddon = defaultAddon()): EalInfo {
  const dpdk = nativeDpdk(addon);
  const userArgs = typeof args === 'string' ? splitEalArgs(args) : [...args];
  if (eal) {
    if (eal.userArgs.length === userArgs.length && eal.userArgs.every((a, i) => a === userArgs[i])) return eal.info;
    throw new DpdkError(`EAL is already initialised with "${eal.userArgs.join(' ')}"; it can be initialised once per process`, EALREADY, 'rte_eal_init');
  }
  let info: EalInfo;
  try {
    info = dpdk.ealInit(userArgs);
  } catch (err) {
    // Without hugepages (or the rights to map them) EAL fails with a bare errno: say what to try.
    if (err instanceof DpdkError && err.operation === 'rte_eal_init' && !userArgs.includes('--no-huge')) {
      throw new DpdkError(`${err.message} (without hugepages, or not as root, try --dpdk-args "--no-huge -m 512 ...")`, err.errno, err.operation);
    }
    throw err;
  }
  eal = { userArgs, info };
  return info;
}

/** The EAL set-up of this process, or undefined before {@link initEal}. */
export function ealInfo(): EalInfo | undefined {
  return eal?.info;
}

export class DpdkBackend extends DeviceBackend<NativeFlowDevice> {
  readonly kind = 'dpdk' as const;
  readonly description = 'dpdk';
  readonly eal: EalInfo;
  private readonly dpdk: NativeDpdk;
  private device: (NativeFlowDevice & { close(): void }) | undefined;

  /**
   * Initialises EAL (unless this process already did, with the same arguments), hot-plugs
   * `options.devices`, and opens an rte_flow device.
   * @throws DpdkError when EAL or a device cannot be set up, or the backend was not built
   */
  constructor(options: DpdkOptions = {}) {
    super();
    const addon = options.addon ?? defaultAddon();
    this.dpdk = nativeDpdk(addon);
    if (options.ealArgs !== undefined || !eal) this.eal = initEal(options.ealArgs ?? [], addon);
    else this.eal = eal.info;
    for (const devargs of options.devices ?? []) this.dpdk.probe(devargs);
    this.device = new this.dpdk.Device();
  }

  protected open(): NativeFlowDevice {
    if (!this.device) throw new Error('dpdk backend is closed');
    return this.device;
  }

  /** Every DPDK port of the process. */
  ports(): PortInfo[] {
    this.open();
    return this.dpdk.ports();
  }

  /** Hot-plugs a device from devargs (rte_dev_probe) and returns its port; an existing one is returned as is. */
  probe(devargs: string): PortInfo {
    this.open();
    return this.dpdk.probe(devargs);
  }

  /** The port id of a port name, or undefined. */
  portByName(name: string): number | undefined {
    this.open();
    const id = this.dpdk.portByName(name);
    return id < 0 ? undefined : id;
  }

  /** Configures queues (from one shared mbuf pool) and starts a port, as real NICs need for rte_flow QUEUE actions. */
  startPort(port: number, queues: { rx?: number; tx?: number } = {}): void {
    this.open();
    this.dpdk.startPort(port, queues.rx ?? 1, queues.tx ?? 1);
  }

  /** Stops a port and hot-unplugs its device. */
  detach(port: number): void {
    this.open();
    this.dpdk.detach(port);
  }

  /** Destroys the rules created through this backend. EAL stays up (it cannot be re-initialised). */
  close(): void {
    this.device?.close();
    this.device = undefined;
  }
}
