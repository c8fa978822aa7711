/**
 * Trial and error over action variants (DESIGN.md §1), because NICs differ in what they accept
 * beside MARK: some need a fate action (QUEUE 0), some cannot COUNT. translateFlow() gives the base
 * rule (`MARK id, END` or `DROP, END`); {@link trialVariants} lists the variants to try in order and
 * {@link withVariant} builds each one as `[COUNT] MARK id [QUEUE index 0] END` (`[COUNT] DROP END`).
 */
import type { Action, RuleSpec } from '../../native/rule-spec';
import { TranslateUsageError } from './errors';

/** A variant's name, as `offload/stats` reports attempts and learned variants. */
export type VariantName = 'count' | 'count+queue' | 'queue' | 'plain';

/** What a variant adds to the base fate action (MARK or DROP). */
export interface ActionVariant {
  readonly name: VariantName;
  /** COUNT before the fate: statistics come from the NIC when this variant sticks. */
  readonly count: boolean;
  /** QUEUE index 0 after MARK (never with DROP: both are fate actions). */
  readonly queue: boolean;
}

export const VARIANT_COUNT: ActionVariant = Object.freeze({ name: 'count', count: true, queue: false });
export const VARIANT_COUNT_QUEUE: ActionVariant = Object.freeze({ name: 'count+queue', count: true, queue: true });
export const VARIANT_QUEUE: ActionVariant = Object.freeze({ name: 'queue', count: false, queue: true });
export const VARIANT_PLAIN: ActionVariant = Object.freeze({ name: 'plain', count: false, queue: false });

/** Every variant, by name. */
export const VARIANTS: Readonly<Record<VariantName, ActionVariant>> = Object.freeze({
  count: VARIANT_COUNT,
  'count+queue': VARIANT_COUNT_QUEUE,
  queue: VARIANT_QUEUE,
  plain: VARIANT_PLAIN,
});

const MARK_COUNTING = Object.freeze([VARIANT_COUNT, VARIANT_COUNT_QUEUE, VARIANT_QUEUE]);
const MARK_PLAIN = Object.freeze([VARIANT_PLAIN, VARIANT_QUEUE]);
const DROP_COUNTING = Object.freeze([VARIANT_COUNT, VARIANT_PLAIN]);
const DROP_PLAIN = Object.freeze([VARIANT_PLAIN]);

/**
 * The variants to try, in DESIGN.md's order:
 * - MARK, device may count: count, count+queue, queue;  otherwise: plain, queue.
 * - DROP, device may count: count, plain;                otherwise: plain.
 * The arrays are frozen and shared.
 */
export function trialVariants(canCount: boolean, fate: 'mark' | 'drop'): readonly ActionVariant[] {
  if (fate === 'drop') return canCount ? DROP_COUNTING : DROP_PLAIN;
  return canCount ? MARK_COUNTING : MARK_PLAIN;
}

/**
 * `variants` with `preferred` (the variant that last worked on the device) moved to the front;
 * `variants` itself when preferred is undefined, already first, or not among them.
 */
export function preferVariant(variants: readonly ActionVariant[], preferred: VariantName | undefined): readonly ActionVariant[] {
  if (preferred === undefined || variants.length === 0 || variants[0].name === preferred) return variants;
  const at = variants.findIndex((v) => v.name === preferred);
  if (at < 0) return variants;
  return [variants[at], ...variants.slice(0, at), ...variants.slice(at + 1)];
}

const END: Action = Object.freeze({ type: 'END' });
const COUNT: Action = Object.freeze({ type: 'COUNT' });
const QUEUE_0: Action = Object.freeze({ type: 'QUEUE', index: 0 });

/**
 * The rule with `base`'s attributes and pattern (shared, not copied) and the actions of `variant`.
 * @param base a rule from translateFlow(): actions `[MARK, END]` or `[DROP, END]`
 * @throws TranslateUsageError when base's actions are not of that form, or QUEUE is asked with DROP
 */
export function withVariant(base: RuleSpec, variant: ActionVariant): RuleSpec {
  const acts = base.actions;
  const fate = acts[0] as Action | undefined;
  if (fate === undefined || (fate.type !== 'MARK' && fate.type !== 'DROP') || acts.length > 2 || (acts.length === 2 && acts[1].type !== 'END')) {
    throw new TranslateUsageError('withVariant needs a base rule whose actions are [MARK, END] or [DROP, END]');
  }
  if (variant.queue && fate.type === 'DROP') throw new TranslateUsageError(`variant ${variant.name} adds QUEUE, which DROP cannot take`);
  let actions: Action[];
  if (variant.count) actions = variant.queue ? [COUNT, fate, QUEUE_0, END] : [COUNT, fate, END];
  else actions = variant.queue ? [fate, QUEUE_0, END] : [fate, END];
  return { attr: base.attr, pattern: base.pattern, actions };
}
