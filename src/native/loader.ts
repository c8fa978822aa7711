/**
 * Loads the native addon (native/build/Release/ovs_hwol.node).
 *
 * The loader is injectable (see better-sqlite3): unit tests can pass a model of the addon instead of
 * the compiled file. The addon's ABI version is checked against {@link EXPECTED_ABI_VERSION} so that
 * a stale build is reported clearly instead of failing later in an obscure way.
 */
import path from 'node:path';

/** ABI version the TypeScript side was written for; must equal native/src/addon.cc's kAbiVersion. */
export const EXPECTED_ABI_VERSION = 1;

/** What the addon exports. Grows with the rte_flow layer. */
export interface NativeAddon {
  abiVersion(): number;
}

/** Raised when the addon is missing, cannot be loaded, or was built for another ABI. */
export class NativeLoadError extends Error {
  override readonly name = 'NativeLoadError';
}

/** Default location of the compiled addon, relative to the package root. */
export const DEFAULT_ADDON_PATH = path.resolve(__dirname, '..', '..', '..', 'native', 'build', 'Release', 'ovs_hwol.node');

/**
 * Loads and checks the addon.
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
  return addon as NativeAddon;
}
