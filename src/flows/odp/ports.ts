/**
 * Datapath ports: reading `ovs-appctl dpctl/show`, and rewriting the ports of a flow between
 * names (as `dpctl/dump-flows` prints them by default) and odp port numbers.
 */
import { OdpFormatError, UnknownPortError } from './errors';
import type { Action, DpFlow, KeyAttr, Port, UserspaceCookie } from './model';
import { dec } from './numfmt';

/**
 * Where a port name stands in ODP text, which decides where the reader ends it: `in_port` (at
 * `)`), `paren` (tnl_push's tnl_port()/out_port(), tnl_pop(): at `)` or `,`), `bare` (an output
 * action, output_port=, tunnel_out_port=: at `,`, `)` or a blank).
 */
export type PortPlace = 'in_port' | 'paren' | 'bare';

/** Per place: the names the reader gives back whole (not empty, not read as a number, no stop). */
const PORT_NAME: Readonly<Record<PortPlace, RegExp>> = {
  in_port: /^[^0-9)][^)]*$/,
  paren: /^[^0-9),][^),]*$/,
  bare: /^[^0-9,) \t\n\r][^,) \t\n\r]*$/,
};

/** Names that passed their check, per place (a datapath has few ports; bounded all the same). */
const CHECKED: Readonly<Record<PortPlace, Set<string>>> = { in_port: new Set(), paren: new Set(), bare: new Set() };

/**
 * A port as ODP text writes it at `place`: a number 0..2^32-1 in decimal, or a name the reader
 * gives back whole there (every name the reader returns passes).
 * @throws OdpFormatError naming `what` and the value, for anything else (a negative or fractional
 *   number, a name with a character that ends it there, an empty name or one read as a number)
 */
export function portText(p: Port, what: string, place: PortPlace): string {
  if (typeof p === 'number') {
    if (p >>> 0 !== p) throw new OdpFormatError(`${what} ${String(p)} is not a port number (0..4294967295)`);
    return dec(p);
  }
  const checked = CHECKED[place];
  if (checked.has(p)) return p;
  if (typeof p !== 'string' || !PORT_NAME[place].test(p)) throw new OdpFormatError(`${what} ${JSON.stringify(p)} is not a port name that ODP text can carry there`);
  if (checked.size >= 4096) checked.clear();
  checked.add(p);
  return p;
}

/** One `port N: NAME (TYPE: CONFIG)` line of `dpctl/show`. */
export interface DpPort {
  number: number;
  name: string;
  /** `dummy`, `dummy-internal`, `vxlan`, ...; `system` when dpctl prints none. */
  type: string;
  /** What followed the type inside the parentheses, e.g. `packet_type=ptap`. */
  config?: string;
}

/** A datapath as `dpctl/show` describes it. */
export interface DpShow {
  /** e.g. `netdev@ovs-netdev`. */
  datapath: string;
  ports: DpPort[];
}

/**
 * Reads `dpctl/show` output (the first datapath in it). Lines it does not know are skipped.
 * @throws Error when no `TYPE@NAME:` header is found.
 */
export function parseDpctlShow(text: string): DpShow {
  let datapath: string | undefined;
  const ports: DpPort[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (datapath === undefined) {
      if (/^\S+@\S+:$/.test(line)) datapath = line.slice(0, -1);
      continue;
    }
    if (/^\S+@\S+:$/.test(line)) break;
    const m = /^\s+port (\d+): (\S+)(?: \(([^:)]+)(?::\s*(.*))?\))?$/.exec(line);
    if (!m) continue;
    const port: DpPort = { number: Number(m[1]), name: m[2], type: m[3] ?? 'system' };
    if (m[4] !== undefined) port.config = m[4];
    ports.push(port);
  }
  if (datapath === undefined) throw new Error('not dpctl/show output: no "TYPE@NAME:" datapath header');
  return { datapath, ports };
}

/** name -> odp port number, for {@link resolvePortNames}. */
export function portNumbers(show: DpShow): Map<string, number> {
  return new Map(show.ports.map((p) => [p.name, p.number]));
}

/** odp port number -> name, for {@link namePorts}. */
export function portNames(show: DpShow): Map<number, string> {
  return new Map(show.ports.map((p) => [p.number, p.name]));
}

type PortFn = (p: Port) => Port;

function mapKeys(keys: KeyAttr[], f: PortFn): KeyAttr[] {
  return keys.map((k) => (k.kind === 'in_port' ? { ...k, port: f(k.port) } : k.kind === 'encap' ? { ...k, keys: mapKeys(k.keys, f) } : k));
}

function mapCookie(c: UserspaceCookie, f: PortFn): UserspaceCookie {
  return c.type === 'flow_sample' || c.type === 'ipfix' ? { ...c, outputPort: f(c.outputPort) } : c;
}

function mapActions(actions: Action[], f: PortFn): Action[] {
  return actions.map((a): Action => {
    switch (a.kind) {
      case 'output': case 'tnl_pop': return { ...a, port: f(a.port) };
      case 'tnl_push': return { ...a, tnlPort: f(a.tnlPort), outPort: f(a.outPort) };
      case 'clone': case 'sample': return { ...a, actions: mapActions(a.actions, f) };
      case 'check_pkt_len': return { ...a, gt: mapActions(a.gt, f), le: mapActions(a.le, f) };
      case 'userspace': {
        const u = { ...a };
        if (u.cookie) u.cookie = mapCookie(u.cookie, f);
        if (u.tunnelOutPort !== undefined) u.tunnelOutPort = f(u.tunnelOutPort);
        return u;
      }
      default: return a;
    }
  });
}

/** Applies `f` to every port of a flow (in_port, outputs, tunnel ports, nested actions). */
export function mapFlowPorts(flow: DpFlow, f: PortFn): DpFlow {
  return { ...flow, match: mapKeys(flow.match, f), actions: mapActions(flow.actions, f) };
}

/**
 * A copy of the flow with every port name replaced by its number from `numbers`.
 * @throws UnknownPortError naming the first port the map does not have.
 */
export function resolvePortNames(flow: DpFlow, numbers: ReadonlyMap<string, number>): DpFlow {
  return mapFlowPorts(flow, (p) => {
    if (typeof p === 'number') return p;
    const n = numbers.get(p);
    if (n === undefined) throw new UnknownPortError(p);
    return n;
  });
}

/** A copy of the flow with port numbers replaced by names where `names` has them (as OVS prints). */
export function namePorts(flow: DpFlow, names: ReadonlyMap<number, string>): DpFlow {
  return mapFlowPorts(flow, (p) => (typeof p === 'number' ? names.get(p) ?? p : p));
}
