/**
 * Who holds which hw-port-id. Each id has at most one holder and any number of waiting claimants; the holder
 * keeps the id until it leaves, then `elect()` promotes the waiter with the lowest odp port (then name, then
 * uuid). New claimants always join as waiters, so claims that arrive together are decided by one election.
 *
 * Ids are 0..maxHwPorts-1 (at most 0x7FFF), so groups live in an array indexed by id; waiters are kept in an
 * unordered array with each claimant's slot recorded on it, so joining and leaving are O(1) and an election is
 * O(waiters of that id).
 */

export interface Claimant {
  readonly name: string;
  readonly uuid: string;
  readonly odpPort: number | null;
  /** The id this claimant holds or waits for; maintained by the ClaimBook. */
  claim: number | undefined;
  /** Its index in the waiters array of its id, -1 when holding; maintained by the ClaimBook. */
  slot: number;
}

interface Group<T> {
  holder: T | undefined;
  readonly waiters: T[];
}

export class ClaimBook<T extends Claimant> {
  private readonly groups: (Group<T> | undefined)[];

  constructor(maxHwPorts: number) {
    this.groups = new Array<Group<T> | undefined>(maxHwPorts).fill(undefined);
  }

  holder(id: number): T | undefined {
    return this.groups[id]?.holder;
  }

  waiters(id: number): readonly T[] {
    return this.groups[id]?.waiters ?? [];
  }

  /** Adds `claimant` (which must hold no claim) as a waiter for `id`. */
  join(claimant: T, id: number): void {
    let group = this.groups[id];
    if (group === undefined) {
      group = { holder: undefined, waiters: [] };
      this.groups[id] = group;
    }
    claimant.claim = id;
    claimant.slot = group.waiters.length;
    group.waiters.push(claimant);
  }

  /** Drops `claimant`'s claim (held or waiting); returns the id it had, or undefined. */
  leave(claimant: T): number | undefined {
    const id = claimant.claim;
    if (id === undefined) return undefined;
    const group = this.groups[id];
    if (group !== undefined) {
      if (group.holder === claimant) group.holder = undefined;
      else this.removeWaiter(group, claimant);
      if (group.holder === undefined && group.waiters.length === 0) this.groups[id] = undefined;
    }
    claimant.claim = undefined;
    claimant.slot = -1;
    return id;
  }

  /** When `id` has no holder, promotes its best waiter; returns the new holder, or undefined if none. */
  elect(id: number): T | undefined {
    const group = this.groups[id];
    if (group === undefined || group.holder !== undefined || group.waiters.length === 0) return undefined;
    let best = group.waiters[0];
    for (const waiter of group.waiters) if (precedes(waiter, best)) best = waiter;
    this.removeWaiter(group, best);
    group.holder = best;
    best.slot = -1;
    return best;
  }

  private removeWaiter(group: Group<T>, claimant: T): void {
    const last = group.waiters.pop() as T;
    if (last !== claimant) {
      group.waiters[claimant.slot] = last;
      last.slot = claimant.slot;
    }
  }
}

/** Lowest odp port first (no port sorts last), then name, then uuid. */
function precedes(a: Claimant, b: Claimant): boolean {
  const ao = a.odpPort ?? Infinity;
  const bo = b.odpPort ?? Infinity;
  if (ao !== bo) return ao < bo;
  if (a.name !== b.name) return a.name < b.name;
  return a.uuid < b.uuid;
}
