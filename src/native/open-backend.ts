/**
 * Opens a backend from the agent's `--backend` value: `soft` or `soft:PROFILE` (a shipped profile
 * name or a path to a profile JSON file), or `dpdk` (with `--dpdk-args`).
 */
import type { FlowBackend } from './backend';
import { DpdkBackend } from './dpdk-backend';
import type { NativeAddon } from './loader';
import { SoftNicBackend } from './soft-backend';

/** A `--backend` value that is neither `soft[:PROFILE]` nor `dpdk`. */
export class BackendSpecError extends Error {
  override readonly name = 'BackendSpecError';
}

export interface OpenBackendOptions {
  /** EAL arguments for `dpdk` (`--dpdk-args`): a string split like a shell does, or an argv. */
  dpdkArgs?: string | readonly string[];
  /** devargs to hot-plug for `dpdk`. */
  devices?: readonly string[];
  addon?: NativeAddon;
}

/** Parses a `--backend` value: `{ kind: 'soft', profile }` or `{ kind: 'dpdk' }`. @throws BackendSpecError */
export function parseBackendSpec(spec: string): { kind: 'soft'; profile: string } | { kind: 'dpdk' } {
  if (spec === 'dpdk') return { kind: 'dpdk' };
  if (spec === 'soft') return { kind: 'soft', profile: 'full' };
  if (spec.startsWith('soft:') && spec.length > 5) return { kind: 'soft', profile: spec.slice(5) };
  throw new BackendSpecError(`backend "${spec}" is not soft, soft:PROFILE or dpdk`);
}

/**
 * Opens the backend `spec` names.
 * @throws BackendSpecError, ProfileError (soft), DpdkError (dpdk), NativeLoadError
 */
export function openBackend(spec: string, options: OpenBackendOptions = {}): FlowBackend {
  const parsed = parseBackendSpec(spec);
  if (parsed.kind === 'soft') return new SoftNicBackend(parsed.profile, options.addon);
  return new DpdkBackend({ ealArgs: options.dpdkArgs, devices: options.devices, addon: options.addon });
}
