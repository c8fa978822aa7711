/**
 * The actions of a megaflow, as mark mode can offload them (DESIGN.md §1): exactly one output
 * (the packet is marked and sent on by the datapath), or none at all (DROP). Explicit `drop`
 * actions are no-ops here. Anything else keeps the flow in software with a reason that names
 * the action: `action ct`, `action set(ipv4(tos))`, `2 outputs`, ...
 */
import type { Action, KeyAttr, Port } from '../odp';

/** Names the fields a `set(...)` writes: `eth(src)`, `ipv4(src,dst)`, `skb_mark`, `nsh`. */
function describeSetKey(key: KeyAttr): string {
  switch (key.kind) {
    case 'skb_priority': case 'skb_mark': case 'recirc_id': case 'dp_hash': case 'ct_mark': case 'ct_state':
    case 'ct_zone': case 'ct_label': case 'eth_type': case 'tcp_flags': case 'in_port':
      return key.kind;
    case 'opaque': return key.name;
    case 'encap': return 'encap';
    case 'mpls': return 'mpls';
    default: {
      const fields: string[] = [];
      const rec = key as unknown as Record<string, unknown>;
      for (const name in rec) {
        if (name === 'kind') continue;
        const v = rec[name];
        if (v === undefined) continue;
        // A masked set writes only the bits of its mask: a field under a zero mask is not written.
        if (typeof v === 'object' && v !== null && 'mask' in v) {
          const m = v.mask;
          if (m === 0 || m === 0n || (Array.isArray(m) && m.every((w) => w === 0))) continue;
        }
        fields.push(name);
      }
      return `${key.kind}(${fields.join(',')})`;
    }
  }
}

/** How a reason names an action: `set(ipv4(tos))`, `ct`, `push_vlan`, `recirc`, ... */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'set': return `set(${describeSetKey(a.key)})`;
    case 'opaque': {
      const paren = a.text.indexOf('(');
      return paren > 0 ? a.text.slice(0, paren) : a.text;
    }
    default: return a.kind;
  }
}

/** Receives the single output port, when there is one. */
export interface ActionScan {
  out: Port | undefined;
}

/**
 * Checks `actions` for mark mode. Sets `scan.out` to the one output port (left undefined for a
 * drop), and returns the reason the actions cannot be offloaded, or undefined. The first action
 * that is neither an output nor a drop is named; otherwise more than one output gives `N outputs`.
 */
export function scanActions(actions: readonly Action[], scan: ActionScan): string | undefined {
  let outputs = 0;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a.kind === 'output') {
      if (outputs++ === 0) scan.out = a.port;
    } else if (a.kind !== 'drop') {
      return `action ${describeAction(a)}`;
    }
  }
  return outputs > 1 ? `${outputs} outputs` : undefined;
}
