/**
 * The datapath's ports as ovs-vswitchd's `dpctl/show` lists them, turned into the interface name ->
 * odp port number map that the port table takes in place of the agent's own numbering.
 *
 * Which ports count:
 * - the userspace datapath (`netdev@...`) when `dpctl/show` lists several datapaths (a system one
 *   as well), else the only one;
 * - every port except the datapath's own (port 0, e.g. `ovs-netdev`), which is not an Interface;
 *   the bridge's internal port (`br0`) is an Interface of its own and is kept;
 * - tunnel vports are listed under their datapath names (`vxlan_sys_4789`, `genev_sys_6081`,
 *   `gre_sys`), one per tunnel type and UDP port, shared by every tunnel Interface of that kind.
 *   No Interface row has such a name, so tunnel Interfaces get no odp port from the mirror, like in
 *   OVS where they have none of their own; megaflows on tunnel vports carry tunnel metadata and stay
 *   in software anyway (DESIGN.md §1).
 */
import { parseDpctlShow, type DpShow } from '../flows/odp';

export interface DatapathPorts {
  /** e.g. `netdev@ovs-netdev`. */
  datapath: string;
  /** Interface name -> odp port number. */
  ports: Map<string, number>;
  /** A canonical text of `ports`, to see whether the map changed. */
  key: string;
}

/**
 * Reads `dpctl/show` output.
 * @throws Error when the text holds no datapath (its message says what was expected).
 */
export function datapathPorts(text: string): DatapathPorts {
  const sections: string[][] = [];
  for (const line of text.split('\n')) {
    if (/^\S+@\S+:\s*$/.test(line)) sections.push([line.trimEnd()]);
    else if (sections.length > 0) sections[sections.length - 1].push(line);
  }
  if (sections.length === 0) throw new Error('not dpctl/show output: no "TYPE@NAME:" datapath header');
  const parsed: DpShow[] = sections.map((lines) => parseDpctlShow(lines.join('\n')));
  const show = parsed.find((s) => s.datapath.startsWith('netdev@')) ?? parsed[0];
  const ports = new Map<string, number>();
  for (const p of show.ports) if (p.number !== 0) ports.set(p.name, p.number);
  const key = [...ports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, n]) => `${name}=${n}`).join(',');
  return { datapath: show.datapath, ports, key };
}
