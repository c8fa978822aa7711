/**
 * Writes {@link Action}s as OVS 3.1's format_odp_actions() does (the empty list is `drop`), or, on
 * request, in the syntax OVS 3.1's own action parser reads ({@link FormatActionsOptions}).
 */
import { formatIpv4, formatMac, ipv6Text } from './addr';
import { OdpFormatError } from './errors';
import { setKeyText } from './key-format';
import type { Action, CtAction, CtNat, IpAddr, UserspaceAction } from './model';
import { dec, hex0x, hexAlt, hexBig, hexU128 } from './numfmt';
import { portText } from './ports';
import { formatTnlPush } from './tnl-push';

const ALL128 = (1n << 128n) - 1n;


function fAddr(a: IpAddr, bracket: boolean): string {
  if (typeof a === 'number') return formatIpv4(a);
  return bracket ? '[' + ipv6Text(a) + ']' : ipv6Text(a);
}

function fNat(n: CtNat): string {
  if (n.type === undefined) return 'nat';
  let s = 'nat(' + n.type;
  if (n.addrMin !== undefined) {
    const bracket = typeof n.addrMin !== 'number' && n.protoMin !== undefined && n.protoMin !== 0;
    s += '=' + fAddr(n.addrMin, bracket);
    if (n.addrMax !== undefined) s += '-' + fAddr(n.addrMax, bracket);
    if (n.protoMin) {
      s += ':' + dec(n.protoMin);
      if (n.protoMax && n.protoMax !== n.protoMin) s += '-' + dec(n.protoMax);
    }
  }
  if (n.persistent) s += ',persistent';
  if (n.hash) s += ',hash';
  if (n.random) s += ',random';
  return s + ')';
}

function fCt(a: CtAction): string {
  let s = '';
  if (a.commit) s += ',commit';
  if (a.forceCommit) s += ',force_commit';
  if (a.zone) s += ',zone=' + dec(a.zone);
  if (a.mark) s += ',mark=' + hexAlt(a.mark.value) + '/' + hexAlt(a.mark.mask);
  if (a.label) s += ',label=' + hexU128(a.label.value) + (a.label.mask === ALL128 ? '' : '/' + hexU128(a.label.mask));
  if (a.helper !== undefined) s += ',helper=' + a.helper;
  if (a.timeout !== undefined) s += ',timeout=' + a.timeout;
  if (a.nat) s += ',' + fNat(a.nat);
  return s === '' ? 'ct' : 'ct(' + s.substring(1) + ')';
}

function fUserspace(a: UserspaceAction): string {
  let s = 'userspace(pid=' + dec(a.pid);
  const c = a.cookie;
  if (c) {
    switch (c.type) {
      case 'sFlow': s += ',sFlow(vid=' + dec(c.vid) + ',pcp=' + dec(c.pcp) + ',output=' + dec(c.output) + ')'; break;
      case 'slow_path': s += ',slow_path(' + c.reasons + ')'; break;
      case 'flow_sample':
        s += ',flow_sample(probability=' + dec(c.probability) + ',collector_set_id=' + dec(c.collectorSetId) + ',obs_domain_id=' +
          dec(c.obsDomainId) + ',obs_point_id=' + dec(c.obsPointId) + ',output_port=' + portText(c.outputPort, 'output_port', 'bare') +
          (c.direction ? ',' + c.direction : '') + ')';
        break;
      case 'ipfix': s += ',ipfix(output_port=' + portText(c.outputPort, 'output_port', 'bare') + ')'; break;
      case 'controller':
        s += ',controller(reason=' + dec(c.reason) + ',dont_send=' + dec(c.dontSend) + ',continuation=' + dec(c.continuation) +
          ',recirc_id=' + dec(c.recircId) + ',rule_cookie=' + hexBig(c.ruleCookie, true) + ',controller_id=' + dec(c.controllerId) +
          ',max_len=' + dec(c.maxLen) + ')';
        break;
      case 'userdata': s += ',userdata(' + c.hex + ')'; break;
    }
  }
  if (a.actions) s += ',actions';
  if (a.tunnelOutPort !== undefined) s += ',tunnel_out_port=' + portText(a.tunnelOutPort, 'tunnel_out_port', 'bare');
  return s + ')';
}

/** One action as OVS writes it. */
export function formatAction(a: Action): string {
  switch (a.kind) {
    case 'output': return portText(a.port, 'output port', 'bare');
    case 'drop': return 'drop';
    case 'set': return 'set(' + setKeyText(a.key) + ')';
    case 'push_vlan':
      return 'push_vlan(' + (a.tpid !== 0x8100 ? 'tpid=0x' + a.tpid.toString(16).padStart(4, '0') + ',' : '') + 'vid=' + dec(a.vid) +
        ',pcp=' + dec(a.pcp) + (a.cfi ? '' : ',cfi=0') + ')';
    case 'pop_vlan': case 'ct_clear': case 'pop_eth': return a.kind;
    case 'pop_nsh': return 'pop_nsh()';
    case 'push_mpls': case 'add_mpls':
      return a.kind + '(label=' + dec(a.label) + ',tc=' + dec(a.tc) + ',ttl=' + dec(a.ttl) + ',bos=' + dec(a.bos) + ',eth_type=' + hex0x(a.ethType) + ')';
    case 'pop_mpls': return 'pop_mpls(eth_type=' + hex0x(a.ethType) + ')';
    case 'ct': return fCt(a);
    case 'recirc': return 'recirc(' + hexAlt(a.id) + ')';
    case 'hash': return 'hash(' + a.alg + '(' + dec(a.basis) + '))';
    case 'meter': case 'trunc': case 'lb_output': return a.kind + '(' + dec(a.value) + ')';
    case 'tnl_pop': return 'tnl_pop(' + portText(a.port, 'tnl_pop port', 'paren') + ')';
    case 'tnl_push': return formatTnlPush(a);
    case 'clone': return 'clone(' + formatActions(a.actions) + ')';
    case 'sample': return 'sample(sample=' + samplePercent(a.probability) + '%,actions(' + formatActions(a.actions) + '))';
    case 'check_pkt_len': return 'check_pkt_len(size=' + dec(a.size) + ',gt(' + formatActions(a.gt) + '),le(' + formatActions(a.le) + '))';
    case 'push_eth': return 'push_eth(src=' + formatMac(a.src) + ',dst=' + formatMac(a.dst) + ')';
    case 'userspace': return fUserspace(a);
    case 'opaque': return a.text;
    default:
      throw new OdpFormatError(`unknown action kind "${(a as { kind: unknown }).kind as string}"`);
  }
}

/** A list of actions joined by `,`; the empty list is `drop`. */
export function formatActions(actions: readonly Action[], options?: FormatActionsOptions): string {
  if (options?.forOvsInput === true) return ovsInputList(actions, 'top');
  if (actions.length === 0) return 'drop';
  let out = formatAction(actions[0]);
  for (let i = 1; i < actions.length; i++) out += ',' + formatAction(actions[i]);
  return out;
}

/** How {@link formatActions} writes. */
export interface FormatActionsOptions {
  /**
   * Write the text that OVS 3.1's action parser (odp_actions_from_string(), behind
   * `ovs-appctl dpctl/add-flow` and `ovs-dpctl add-flow`) reads, instead of the text OVS prints.
   * OVS dumps such a flow back in its printed text, which parseActions reads to the same actions.
   * Without this option the output is exactly OVS's printed text. Differences (checked against a
   * running ovs-vswitchd 3.1 in test/flows/ovs-input.test.ts):
   * - `recirc(N)` in decimal: OVS prints `recirc(0x5)` but scans `recirc(%u)`.
   * - an empty nested list in `clone()` and `sample(...,actions())`: OVS prints `clone(drop)` but
   *   reads `drop` only as a whole action text or inside check_pkt_len's gt()/le().
   *
   * Actions that OVS 3.1 cannot read in any form throw {@link OdpFormatError} naming them:
   * `hash` and `push_mpls`/`pop_mpls` (the parser has no entry for them), `push_eth`/`pop_eth`
   * (looked for only inside `userspace(...)`), `tnl_push` with an ERSPAN header (the parser's
   * format strings for it miss the `%` of their sid and idx conversions) or a GTP-U one (tried
   * only when no `udp(...)` header precedes it, and OVS prints one), and a `drop` action that is
   * not the whole list.
   */
  forOvsInput?: boolean;
}

/** Where an action list sits: the whole text, inside clone/sample, or inside check_pkt_len. */
type ListPlace = 'top' | 'nested' | 'check_pkt_len';

function cannotRead(what: string, why: string): never {
  throw new OdpFormatError(`OVS 3.1 cannot read ${what} in any form (${why})`);
}

/** {@link formatActions} with `forOvsInput`. */
function ovsInputList(actions: readonly Action[], place: ListPlace): string {
  if (actions.length === 0) return place === 'nested' ? '' : 'drop';
  if (actions.length === 1 && actions[0].kind === 'drop' && place !== 'nested') return 'drop';
  let out = ovsInputAction(actions[0]);
  for (let i = 1; i < actions.length; i++) out += ',' + ovsInputAction(actions[i]);
  return out;
}

/** One action in the syntax odp_actions_from_string() reads (see {@link FormatActionsOptions}). */
function ovsInputAction(a: Action): string {
  switch (a.kind) {
    case 'recirc': return 'recirc(' + dec(a.id) + ')';
    case 'clone': return 'clone(' + ovsInputList(a.actions, 'nested') + ')';
    case 'sample': return 'sample(sample=' + samplePercent(a.probability) + '%,actions(' + ovsInputList(a.actions, 'nested') + '))';
    case 'check_pkt_len':
      return 'check_pkt_len(size=' + dec(a.size) + ',gt(' + ovsInputList(a.gt, 'check_pkt_len') + '),le(' +
        ovsInputList(a.le, 'check_pkt_len') + '))';
    case 'hash': case 'push_mpls': case 'pop_mpls': return cannotRead(a.kind, 'its parser has no entry for it');
    case 'push_eth': case 'pop_eth': return cannotRead(a.kind, 'its parser looks for it only inside userspace(...)');
    case 'drop': return cannotRead('"drop" among other actions', 'it reads "drop" only as the whole action list');
    case 'tnl_push': {
      const t = a.header.tunnel;
      if (t.type === 'erspan') cannotRead('tnl_push with an erspan header', 'its format strings for it miss the % of their conversions');
      if (t.type === 'gtpu') cannotRead('tnl_push with a gtpu header', 'it tries gtpu only without the udp header that OVS writes');
      return formatTnlPush(a);
    }
    default: return formatAction(a);
  }
}

/** The percentage of a sample action as OVS prints it (`%.1f`). */
function samplePercent(probability: number): string {
  return ((100 * probability) / 0xffffffff).toFixed(1);
}
