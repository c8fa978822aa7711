/**
 * translateFlow: one megaflow (match + actions) and the port map -> the base rte_flow rule of the
 * default "mark" mode (DESIGN.md §1), or the reason it stays in software.
 *
 * On success the rule is
 *
 *     attr     { port: DPDK port of in_port, group 0, priority 0, ingress }
 *     pattern  [PORT index=hw-port-id  (only when the DPDK port id differs from the hw-port-id)]
 *              ETH [VLAN] [IPV4|IPV6] [UDP|TCP|SCTP|ICMP|ICMP6] END        (see pattern.ts)
 *     actions  MARK id=mark, END      (one output)
 *              DROP, END              (no output: the flow drops)
 *
 * without the COUNT / QUEUE variants, which variants.ts adds for trial and error.
 *
 * Reasons are checked in this order, and the first one is returned: the match (in the order of its
 * attributes, see match-scan.ts), the actions (action-scan.ts), what the rule cannot express
 * (pattern.ts), then the ports. Only port reasons depend on the port map (`portDependent`): a flow
 * refused for any other reason stays refused whatever the ports do.
 *
 * Cost: one pass over the match and the actions, no regular expressions, no closures; the rule's
 * objects are all that is allocated.
 */
import type { Action as OdpAction, KeyAttr, Port } from '../odp';
import type { Action, PatternItem, RuleSpec } from '../../native/rule-spec';
import { scanActions, type ActionScan } from './action-scan';
import { TranslateUsageError } from './errors';
import { FLOW_ID_ODP_PORT_BIT, FLOW_ID_PORT_MASK, MAX_FLOW_ID } from './mark';
import { emptyScan, resetScan, scanMatch, type MatchScan } from './match-scan';
import { buildPatternItems, emptyShape, shapePattern, type PatternShape } from './pattern';
import { odpPortOf, type PortLookup } from './ports';

export interface TranslateOptions {
  /** The flow's flow_id (0..65535), the high 16 bits of its mark. */
  readonly flowId: number;
  /**
   * The DPDK port id of the interface on an odp port, when it differs from its hw-port-id (a
   * virtual port of the NIC): the rule is created on that DPDK port with a PORT item selecting
   * the hw-port-id. Absent, or returning undefined: the DPDK port id is the hw-port-id.
   */
  readonly dpdkPortIdOf?: (odpPort: number) => number | undefined;
}

/** The input port of an offloadable flow. */
export interface InPortInfo {
  readonly odpPort: number;
  readonly hwPortId: number;
  /** The DPDK port the rule is created on (`rule.attr.port`). */
  readonly dpdkPortId: number;
}

/** The output port of an offloadable flow. */
export interface OutPortInfo {
  readonly odpPort: number;
  /** Its hw-port-id, carried by the mark; undefined when it has none (the mark carries odpPort). */
  readonly hwPortId: number | undefined;
}

/** A flow that can become a rule. */
export interface Offloadable {
  readonly ok: true;
  /** The base rule: actions `[MARK, END]` (fate 'mark') or `[DROP, END]` (fate 'drop'). */
  readonly rule: RuleSpec;
  readonly fate: 'mark' | 'drop';
  /** The MARK id (DESIGN.md §1 layout), or null for a drop. */
  readonly mark: number | null;
  readonly inPort: InPortInfo;
  /** The single output, or null for a drop. */
  readonly outPort: OutPortInfo | null;
}

/** A flow that stays in software. */
export interface NotOffloadable {
  readonly ok: false;
  /** Names the field, action or port, e.g. `ct_state`, `action set(ipv4(tos))`, `in_port 7 has no hw-port-id`. */
  readonly reason: string;
  /** True when the reason is about the port map (a port without hw-port-id, an unknown port name): the flow may translate after a port change. */
  readonly portDependent: boolean;
}

export type Translation = Offloadable | NotOffloadable;

const END_ITEM: PatternItem = Object.freeze({ type: 'END' });
const END_ACTION: Action = Object.freeze({ type: 'END' });
const DROP_ACTIONS: readonly Action[] = Object.freeze([Object.freeze({ type: 'DROP' }), END_ACTION]);
const FULL_U32 = 0xffffffff;

function fail(reason: string, portDependent: boolean): NotOffloadable {
  return { ok: false, reason, portDependent };
}

function isUint(v: unknown, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

function portText(p: Port): string {
  return typeof p === 'number' ? String(p) : p;
}

/**
 * A translation without the rule's objects: what translateFlow decides, kept in one mutable object
 * that a caller reuses from flow to flow (rule-writer.ts encodes the rule from it, straight into a
 * native batch). Valid after {@link planFlow}; `scan` and `shape` refer to the flow's own keys.
 */
export class FlowPlan {
  ok = false;
  /** Why the flow stays in software (when !ok). */
  reason = '';
  portDependent = false;
  readonly scan: MatchScan = emptyScan();
  readonly shape: PatternShape = emptyShape();
  private readonly acts: ActionScan = { out: undefined };
  /** 'drop' when the flow has no output (no mark). */
  fate: 'mark' | 'drop' = 'drop';
  /** The MARK id, -1 for a drop. */
  mark = -1;
  inOdp = -1;
  inHw = -1;
  /** The DPDK port the rule is created on. */
  dpdkPortId = -1;
  /** The output's odp port, -1 for a drop. */
  outOdp = -1;
  /** The output's hw-port-id, -1 when it has none (or for a drop). */
  outHw = -1;

  private fail(reason: string, portDependent: boolean): false {
    this.ok = false;
    this.reason = reason;
    this.portDependent = portDependent;
    return false;
  }

  /** See {@link planFlow}. */
  plan(flow: { readonly match: readonly KeyAttr[]; readonly actions: readonly OdpAction[] }, ports: PortLookup, opts: TranslateOptions): boolean {
    const flowId = opts.flowId;
    if (!isUint(flowId, MAX_FLOW_ID)) throw new TranslateUsageError(`flowId ${String(flowId)} is not an integer in 0..${MAX_FLOW_ID}`);
    const scan = this.scan;
    resetScan(scan);
    this.mark = -1;
    this.outOdp = -1;
    this.outHw = -1;
    this.fate = 'drop';
    let reason = scanMatch(flow.match, scan);
    if (reason !== undefined) return this.fail(reason, false);
    const acts = this.acts;
    acts.out = undefined;
    reason = scanActions(flow.actions, acts);
    if (reason !== undefined) return this.fail(reason, false);
    reason = shapePattern(scan, this.shape);
    if (reason !== undefined) return this.fail(reason, false);

    // The input port: the rule goes to its NIC.
    const inKey = scan.inPort;
    if (inKey === undefined || inKey.mask === 0) return this.fail('in_port not matched', false);
    if (inKey.mask !== FULL_U32) return this.fail(`in_port partially masked (0x${inKey.mask.toString(16)})`, false);
    const inOdp = odpPortOf(inKey.port, ports);
    if (inOdp === undefined) return this.fail(`in_port ${portText(inKey.port)} is not a known port`, true);
    const inHw = ports.hwPortIdOf(inOdp);
    if (inHw === undefined) return this.fail(`in_port ${portText(inKey.port)} has no hw-port-id`, true);
    let dpdkPortId = inHw;
    if (opts.dpdkPortIdOf !== undefined) {
      const d = opts.dpdkPortIdOf(inOdp);
      if (d !== undefined) {
        if (!isUint(d, 0xffff)) throw new TranslateUsageError(`dpdkPortIdOf(${inOdp}) returned ${String(d)}, not a DPDK port id (0..65535)`);
        dpdkPortId = d;
      }
    }

    // The output port: the mark carries its hw-port-id, or its odp port number.
    if (acts.out !== undefined) {
      const outOdp = odpPortOf(acts.out, ports);
      if (outOdp === undefined) return this.fail(`output port ${portText(acts.out)} is not a known port`, true);
      let outHw = ports.hwPortIdOf(outOdp);
      if (outHw !== undefined && !isUint(outHw, FLOW_ID_PORT_MASK)) outHw = undefined; // cannot be carried: use the odp port
      if (outHw !== undefined) {
        this.mark = flowId * 0x10000 + outHw;
      } else if (isUint(outOdp, FLOW_ID_PORT_MASK)) {
        this.mark = flowId * 0x10000 + FLOW_ID_ODP_PORT_BIT + outOdp;
      } else {
        return this.fail(`output port ${portText(acts.out)} (odp port ${outOdp}) has no hw-port-id and does not fit the mark's 15 port bits`, true);
      }
      this.fate = 'mark';
      this.outOdp = outOdp;
      this.outHw = outHw ?? -1;
    }
    this.inOdp = inOdp;
    this.inHw = inHw;
    this.dpdkPortId = dpdkPortId;
    this.ok = true;
    this.reason = '';
    this.portDependent = false;
    return true;
  }
}

/**
 * Decides what translateFlow decides (the same reasons, in the same order; the same mark and
 * ports) into `plan`, without building the rule. Returns plan.ok.
 * @throws TranslateUsageError as translateFlow
 */
export function planFlow(
  flow: { readonly match: readonly KeyAttr[]; readonly actions: readonly OdpAction[] },
  ports: PortLookup,
  opts: TranslateOptions,
  plan: FlowPlan,
): boolean {
  return plan.plan(flow, ports, opts);
}

/**
 * Translates one megaflow. Ports may be numbers (odp ports) or names (resolved with `ports.port`).
 * Never throws for any match or actions: what cannot be offloaded is a {@link NotOffloadable}.
 * @throws TranslateUsageError when opts.flowId is not an integer in 0..65535, or dpdkPortIdOf
 *   returns something other than an integer in 0..65535 or undefined
 */
export function translateFlow(
  flow: { readonly match: readonly KeyAttr[]; readonly actions: readonly OdpAction[] },
  ports: PortLookup,
  opts: TranslateOptions,
): Translation {
  const plan = new FlowPlan();
  if (!plan.plan(flow, ports, opts)) return fail(plan.reason, plan.portDependent);
  return translationOf(plan);
}

/** The {@link Offloadable} of a plan that succeeded (its rule built as objects). */
export function translationOf(plan: FlowPlan): Offloadable {
  const pattern: PatternItem[] = [];
  const inHw = plan.inHw;
  const dpdkPortId = plan.dpdkPortId;
  if (dpdkPortId !== inHw) pattern.push({ type: 'PORT', spec: { index: inHw }, mask: { index: FULL_U32 } });
  buildPatternItems(plan.scan, plan.shape, pattern);
  pattern.push(END_ITEM);
  const mark = plan.fate === 'mark' ? plan.mark : null;
  const rule: RuleSpec = {
    attr: { port: dpdkPortId, group: 0, priority: 0, ingress: true },
    pattern,
    actions: mark === null ? DROP_ACTIONS : [{ type: 'MARK', id: mark }, END_ACTION],
  };
  return {
    ok: true,
    rule,
    fate: plan.fate,
    mark,
    inPort: { odpPort: plan.inOdp, hwPortId: inHw, dpdkPortId },
    outPort: mark === null ? null : { odpPort: plan.outOdp, hwPortId: plan.outHw >= 0 ? plan.outHw : undefined },
  };
}
