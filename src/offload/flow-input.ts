/**
 * Flows as the control API receives them (DESIGN.md §3 `flow/put`): a whole line of
 * `dpctl/dump-flows -m`, or `{ufid?, match, actions}` text. Read into the ufid (given, or derived
 * from the match), the match and action text the engine keeps, and the typed flow.
 */
import { deriveUfid, formatActions, formatMatch, parseActions, parseFlow, parseMatch, type Action, type KeyAttr, type Port } from '../flows/odp';
import { FlowInputError } from './errors';

/** One flow of a `flow/put`. */
export type FlowInput = string | { readonly ufid?: string; readonly match: string; readonly actions: string };

/** A flow read from its input. */
export interface ParsedFlow {
  /** Lowercase UUID text. */
  readonly ufid: string;
  readonly matchText: string;
  readonly actionsText: string;
  readonly match: readonly KeyAttr[];
  readonly actions: readonly Action[];
}

/** Whether `s` is a UUID in lowercase hex (8-4-4-4-12): what the ufid table is keyed by. */
function isUfid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) {
      return false;
    }
  }
  return true;
}

/**
 * Reads flow `index` of a call.
 * @throws FlowInputError naming the flow's position and what could not be read
 */
export function parseFlowInput(input: FlowInput, index: number): ParsedFlow {
  try {
    if (typeof input === 'string') {
      const f = parseFlow(input);
      const match = f.match;
      return { ufid: f.ufid ?? deriveUfid(match), matchText: formatMatch(match), actionsText: formatActions(f.actions), match, actions: f.actions };
    }
    if (typeof input !== 'object' || input === null || typeof input.match !== 'string' || typeof input.actions !== 'string') {
      throw new FlowInputError(`flows[${index}] is neither a dump line nor {match, actions}`, index);
    }
    const matchText = input.match.trim();
    let actionsText = input.actions.trim();
    if (actionsText.startsWith('actions:')) actionsText = actionsText.slice(8);
    const match = parseMatch(matchText);
    const actions = parseActions(actionsText);
    let ufid: string;
    if (typeof input.ufid === 'string' && isUfid(input.ufid)) {
      ufid = input.ufid;
    } else if (input.ufid !== undefined) {
      ufid = String(input.ufid).toLowerCase().replace(/^ufid:/, '');
      if (!isUfid(ufid)) throw new FlowInputError(`flows[${index}].ufid "${String(input.ufid)}" is not a ufid (a UUID)`, index);
    } else {
      ufid = deriveUfid(match);
    }
    return { ufid, matchText, actionsText, match, actions };
  } catch (err) {
    if (err instanceof FlowInputError) throw err;
    throw new FlowInputError(`flows[${index}]: ${(err as Error).message}`, index);
  }
}

/** The port of the flow's first in_port key, if any. */
export function inPortOf(match: readonly KeyAttr[]): Port | undefined {
  for (const k of match) if (k.kind === 'in_port') return k.port;
  return undefined;
}

/** The port of the flow's first output action, if any. */
export function outPortOfActions(actions: readonly Action[]): Port | undefined {
  for (const a of actions) if (a.kind === 'output') return a.port;
  return undefined;
}

/** The input port and the (first) output port of a flow, as written; whether either is a name. */
export function flowPorts(match: readonly KeyAttr[], actions: readonly Action[]): { inPort: Port | undefined; outPort: Port | undefined } {
  return { inPort: inPortOf(match), outPort: outPortOfActions(actions) };
}
