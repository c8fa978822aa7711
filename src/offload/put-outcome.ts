/**
 * What put() reports of a flow: the outcome object of a record, and the reason text of a flow
 * the NIC refused in every variant. Pure functions of their arguments.
 */
import { VARIANTS, type ActionVariant, type VariantName } from '../flows/translate/variants';
import type { RteFlowError } from '../native/errors';
import type { PutOutcome } from './engine-types';
import type { FlowRecord } from './flow-record';

/**
 * The put() outcome of `rec`: ufid, state, then reason if any, then flowId and mark (if it has a
 * mark) for an offloaded record with a flow_id; keys in that order.
 */
export function outcomeOf(rec: FlowRecord): PutOutcome {
  if (rec.state === 'offloaded' && rec.reason === undefined && rec.flowId >= 0) {
    // The common outcome, built in its final shape at once (same keys, same order as below).
    const mark = rec.mark;
    return mark >= 0 ? { ufid: rec.ufid, state: rec.state, flowId: rec.flowId, mark } : { ufid: rec.ufid, state: rec.state, flowId: rec.flowId };
  }
  const o: PutOutcome = { ufid: rec.ufid, state: rec.state };
  if (rec.reason !== undefined) o.reason = rec.reason;
  if (rec.state === 'offloaded' && rec.flowId >= 0) {
    o.flowId = rec.flowId;
    if (rec.mark >= 0) o.mark = rec.mark;
  }
  return o;
}

/** The software reason of a flow whose last variant the NIC refused (with the NIC's error, if any). */
export function nicReason(err: RteFlowError | undefined, variant: ActionVariant): string {
  if (!err) return `refused by the NIC (variant ${variant.name})`;
  return `refused by the NIC: ${err.message} (${err.type}, ${err.errnoName}; last variant ${variant.name})`;
}

/**
 * The variant named by a reason {@link nicReason} wrote (the last one the NIC refused), so that
 * flow/get can show that rule without a field per record; undefined for any other reason.
 */
export function refusedVariantOf(reason: string | undefined): VariantName | undefined {
  if (reason === undefined || !reason.startsWith('refused by the NIC')) return undefined;
  const m = /(?:; last variant|\(variant) ([a-z+]+)\)$/.exec(reason);
  const name = m?.[1];
  return name !== undefined && Object.hasOwn(VARIANTS, name) ? (name as VariantName) : undefined;
}

/**
 * One log line for a put: how many flows went where, with the commonest software reasons (at most
 * three, most frequent first), e.g. `put 3 flows: 2 offloaded, 1 in software (1: ct_state)`.
 */
export function putSummary(outcomes: readonly PutOutcome[]): string {
  let offloaded = 0;
  let pending = 0;
  const reasons = new Map<string, number>();
  for (const o of outcomes) {
    if (o.state === 'offloaded') offloaded++;
    else if (o.state === 'pending') pending++;
    else {
      const reason = o.reason ?? 'no reason';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const software = outcomes.length - offloaded - pending;
  let text = `put ${outcomes.length} flow${outcomes.length === 1 ? '' : 's'}: ${offloaded} offloaded, ${software} in software`;
  if (software > 0) {
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, n]) => `${n}: ${r}`);
    text += ` (${top.join('; ')}${reasons.size > 3 ? `; ${reasons.size - 3} other reasons` : ''})`;
  }
  return pending > 0 ? `${text}, ${pending} pending` : text;
}

/** One flow's outcome as a log line: `ufid:U offloaded (flow_id N, mark 0x...)` or `ufid:U software: REASON`. */
export function outcomeLine(o: PutOutcome): string {
  const ids = o.flowId !== undefined ? ` (flow_id ${o.flowId}${o.mark !== undefined ? `, mark 0x${o.mark.toString(16)}` : ''})` : '';
  return `ufid:${o.ufid} ${o.state}${ids}${o.reason !== undefined ? `: ${o.reason}` : ''}`;
}
