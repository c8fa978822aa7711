/**
 * What the database says, read with ovs-vsctl independently of the code under test, and the
 * hw_local_port_map it implies when no two interfaces claim the same id.
 */
import { vsctl } from '../../src/sandbox/ovsdb-server';

export interface DbInterface {
  name: string;
  options: Record<string, string>;
  ofportRequest: number | undefined;
}

/** Every Interface row, from `ovs-vsctl --format=json list Interface`. */
export async function listInterfaces(db: string): Promise<DbInterface[]> {
  const out = JSON.parse(await vsctl(db, '--format=json', '--columns=name,options,ofport_request', 'list', 'Interface')) as { data: unknown[][] };
  return out.data.map(([name, options, ofport]) => {
    const pairs = (options as [string, [string, string][]])[1];
    const req = Array.isArray(ofport) ? undefined : (ofport as number);
    return { name: name as string, options: Object.fromEntries(pairs), ofportRequest: req };
  });
}

/**
 * hw-port-id -> ofport_request for every interface with a hw-port-id, for databases where every
 * interface has ofport_request set (so odp ports are known) and hw-port-ids are distinct and valid.
 */
export function expectedMap(interfaces: DbInterface[]): Record<string, number> {
  const map: Record<string, number> = {};
  for (const i of interfaces) {
    const id = i.options['hw-port-id'];
    if (id !== undefined && i.ofportRequest !== undefined) map[id] = i.ofportRequest;
  }
  return map;
}
