/**
 * Translation of datapath megaflows into rte_flow rule specs for the default "mark" mode
 * (DESIGN.md §1): the rule, its MARK id, the trial variants, and its testpmd text.
 */
export { FlowPlan, planFlow, translateFlow, translationOf, type InPortInfo, type NotOffloadable, type Offloadable, type OutPortInfo, type TranslateOptions, type Translation } from './translate';
export { odpPortOf, type PortLookup } from './ports';
export { decodeMark, encodeMark, FLOW_ID_ODP_PORT_BIT, FLOW_ID_PORT_MASK, MAX_FLOW_ID, type DecodedMark, type HwPortMap, type MarkTarget } from './mark';
export {
  preferVariant, trialVariants, VARIANT_COUNT, VARIANT_COUNT_QUEUE, VARIANT_PLAIN, VARIANT_QUEUE, VARIANTS, withVariant, type ActionVariant, type VariantName,
} from './variants';
export { renderTestpmd } from './testpmd';
export { writePlannedRule } from './rule-writer';
export { describeAction } from './action-scan';
export { REASON_PKT_MARK } from './match-scan';
export { IPV4_FRAGMENT_MASK, VLAN_CFI } from './pattern';
export { MarkError, TestpmdRenderError, TranslateUsageError } from './errors';
