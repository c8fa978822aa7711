/**
 * The soft NIC backend: a software model of an rte_flow NIC (native/src/core/soft_nic.h),
 * configured by a capability profile, that also classifies packets.
 */
import type { PortInfo } from './backend';
import { DeviceBackend } from './device-backend';
import { ClassifyResult, packFrames, type FrameBatch } from './frames';
import { defaultAddon, type NativeAddon, type NativeSoftNic } from './loader';
import { checkProfile, loadProfile, type NicProfile } from './profile';
import { routeClassified, type FrameRoutes } from './routing';

export interface ClassifyOptions {
  /** The input port index a PORT item matches; default: the port itself. */
  portIndex?: number;
}

export class SoftNicBackend extends DeviceBackend<NativeSoftNic> {
  readonly kind = 'soft' as const;
  readonly description: string;
  /** The profile the NIC was made with. */
  readonly profile: NicProfile;
  private nic: NativeSoftNic | undefined;
  private readonly addon: NativeAddon;

  /**
   * @param profile a profile, or the name/path of one (default `full`)
   * @param addon the native addon (injectable for tests)
   * @throws ProfileError for a bad profile, NativeLoadError when the addon cannot be loaded
   */
  constructor(
    profile: NicProfile | string = 'full',
    addon: NativeAddon = defaultAddon(),
  ) {
    super();
    this.profile = typeof profile === 'string' ? loadProfile(profile) : checkProfile(profile);
    this.description = `soft:${this.profile.name}`;
    this.addon = addon;
    this.nic = new addon.SoftNic(this.profile);
  }

  protected open(): NativeSoftNic {
    if (!this.nic) throw new Error(`${this.description} backend is closed`);
    return this.nic;
  }

  ports(): PortInfo[] {
    return Array.from({ length: this.profile.ports }, (_, id) => ({ id, name: `soft${id}`, driver: 'soft' }));
  }

  /**
   * Classifies frames received on `port`: for each, the rule hit (lowest priority value, then
   * earliest created), its mark and fate; COUNT counters of the rules hit are updated.
   * Short or malformed frames match nothing and are flagged MALFORMED.
   * @throws RteFlowError (ENODEV) for a port that does not exist; TypeError for bad arguments
   */
  classify(port: number, frames: readonly Uint8Array[] | FrameBatch, options: ClassifyOptions = {}): ClassifyResult {
    const batch = Array.isArray(frames) ? packFrames(frames) : (frames as FrameBatch);
    const n = Math.max(0, batch.offsets.length - 1);
    const handles = new Uint32Array(n);
    const marks = new Uint32Array(n);
    const fates = new Uint32Array(n);
    const flags = new Uint8Array(n);
    const hits = this.open().classify(port, options.portIndex ?? port, batch.data, batch.offsets, handles, marks, fates, flags);
    return new ClassifyResult(handles, marks, fates, flags, hits);
  }

  /**
   * Routes a classify() result (in native code): each frame's destination from its MARK
   * (`hwToOdp`: hw-port-id -> odp port, -1 for none; see hwToOdpTable()), and the frames grouped
   * into per-destination batches, stable (the frames of one flow keep their order).
   */
  route(res: ClassifyResult, hwToOdp: Int32Array): FrameRoutes {
    this.open();
    return routeClassified(this.addon.routeFrames, res, hwToOdp);
  }

  close(): void {
    this.nic?.close();
    this.nic = undefined;
  }
}
