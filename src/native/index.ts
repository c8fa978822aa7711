/**
 * The native rte_flow layer (native/README.md): rule specs, the FlowBackend interface and its two
 * backends (soft NIC and DPDK), their errors, and the pieces they are made of.
 */
export type * from './rule-spec';
export type { Checked, Created, FlowBackend, FlowCounters, FlowHandle, PortInfo, Queried, RuleBatch } from './backend';
export { DpdkError, RTE_FLOW_ERROR_TYPES, RteFlowError, errnoName, errnoValue, type RteFlowErrorType } from './errors';
export { EncodedRules, MAX_ACTIONS, MAX_ITEMS, encodeRules, RuleBatchBuilder } from './rule-encoder';
export { ACTION_CODES, ACTION_NAMES, ITEM_LAYOUTS, ITEM_NAMES, isActionName, isItemName, type FieldLayout, type ItemLayout } from './item-fields';
export { checkProfile, listProfiles, loadProfile, MAX_TOTAL_RULES, PROFILE_DIR, ProfileError, type ItemCapability, type NicProfile } from './profile';
export { SoftNicBackend, type ClassifyOptions } from './soft-backend';
export { Dest, FrameRoutes, hwToOdpTable, unmappedHwPortId } from './routing';
export { ClassifyResult, packFrames, VerdictFlag, type Fate, type FrameBatch, type Verdict } from './frames';
export { DpdkBackend, dpdkAvailable, ealInfo, initEal, type DpdkOptions, type EalInfo } from './dpdk-backend';
export { splitEalArgs } from './eal-args';
export { BackendSpecError, openBackend, parseBackendSpec, type OpenBackendOptions } from './open-backend';
export { DEFAULT_ADDON_PATH, defaultAddon, EXPECTED_ABI_VERSION, loadAddon, NativeLoadError, type NativeAddon } from './loader';
