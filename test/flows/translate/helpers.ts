/**
 * Shared helpers of the translation tests: flows from ODP text, port maps from plain records.
 */
import type { ExecutionContext } from 'ava';
import { parseActions, parseMatch, type Action, type KeyAttr } from '../../../src/flows/odp';
import {
  translateFlow, type NotOffloadable, type Offloadable, type PortLookup, type TranslateOptions,
} from '../../../src/flows/translate';
import type { PatternItem } from '../../../src/native/rule-spec';

export interface TextFlow {
  match: KeyAttr[];
  actions: Action[];
}

/** A flow from its match and action text, as `ovs-appctl dpctl/dump-flows` prints them. */
export function flow(match: string, actions: string): TextFlow {
  return { match: parseMatch(match), actions: parseActions(actions) };
}

/**
 * A port map: odp port -> hw-port-id for the ports that have one, and names -> odp port.
 * Ports 1..6 have hw-port-ids 0..5 unless `hw` says otherwise.
 */
export function ports(hw: Record<number, number> = { 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5 }, names: Record<string, number | null> = {}): PortLookup {
  const byOdp = new Map(Object.entries(hw).map(([odp, id]) => [Number(odp), id]));
  return {
    hwPortIdOf: (odp) => byOdp.get(odp),
    port: (name) => (name in names ? { odpPort: names[name] } : undefined),
  };
}

/** The common zero-masked metadata OVS writes at the start of every `-m` megaflow. */
export const META = 'skb_priority(0/0),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),recirc_id(0),dp_hash(0/0)';

/** Translates and requires success. */
export function offload(t: ExecutionContext, f: TextFlow, opts: TranslateOptions = { flowId: 1 }, p: PortLookup = ports()): Offloadable {
  const r = translateFlow(f, p, opts);
  if (!r.ok) return t.fail(`expected the flow to translate, got reason "${r.reason}"`);
  return r;
}

/** Translates and requires a refusal. */
export function refuse(t: ExecutionContext, f: TextFlow, opts: TranslateOptions = { flowId: 1 }, p: PortLookup = ports()): NotOffloadable {
  const r = translateFlow(f, p, opts);
  if (r.ok) return t.fail(`expected the flow to stay in software, but it translated to ${JSON.stringify(r.rule)}`);
  return r;
}

/** The pattern items of a translated flow's rule, without the trailing END. */
export function items(r: Offloadable): PatternItem[] {
  const p = [...r.rule.pattern];
  const last = p.pop();
  if (last?.type !== 'END') throw new Error('pattern does not end with END');
  return p;
}

/** The one item of `type` in a translated rule's pattern, or undefined. */
export function itemOf(r: Offloadable, type: PatternItem['type']): PatternItem | undefined {
  const found = r.rule.pattern.filter((i) => i.type === type);
  if (found.length > 1) throw new Error(`${found.length} ${type} items`);
  return found[0];
}

/** ETH item of a flow without VLAN whose only match is the eth_type: what most rules start with. */
export function ethOnly(type: number): PatternItem {
  return { type: 'ETH', spec: { type, hasVlan: 0 }, mask: { type: 0xffff, hasVlan: 1 } };
}
