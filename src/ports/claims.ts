/**
 * Who holds which hw-port-id. Each id has at most one holder and any number of waiting claimants; the holder
 * keeps the id until it leaves, then `elect()` promotes the waiter with the lowest odp port (then name, then
 * uuid). New claimants always join as waiters, so claims that arrive together are decided by one election.
 *
 * Ids are 0..maxHwPorts-1 (at most 0x7FFF), so holders and waiters live in arrays indexed by id; the waiters of an
 * id are kept in an unordered array (only while there are any) with each claimant's slot recorded on it, so joining and leaving are O(1) and an election is
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

export class ClaimBook<T extends Claimant> {
  /** holders[id]: the claimant holding id. */
  private readonly holders: (T | undefined)[];
  /** waiting[id]: the claimants waiting for id, undefined when none (no empty arrays are kept). */
  private readonly waiting: (T[] | undefined)[];

  constructor(maxHwPorts: number) {
    this.holders = new Array<T | undefined>(maxHwPorts).fill(undefined);
    this.waiting = new Array<T[] | undefined>(maxHwPorts).fill(undefined);
  }

  holder(id: number): T | undefined {
    return this.holders[id];
  }

  waiters(id: number): readonly T[] {
    return this.waiting[id] ?? NONE;
  }

  /** Adds `claimant` (which must hold no claim) as a waiter for `id`. */
  join(claimant: T, id: number): void {
    claimant.claim = id;
    const waiters = this.waiting[id];
    if (waiters === undefined) {
      claimant.slot = 0;
      this.waiting[id] = [claimant];
    } else {
      claimant.slot = waiters.length;
      waiters.push(claimant);
    }
  }

  /** Drops `claimant`'s claim (held or waiting); returns the id it had, or undefined. */
  leave(claimant: T): number | undefined {
    const id = claimant.claim;
    if (id === undefined) return undefined;
    if (this.holders[id] === claimant) this.holders[id] = undefined;
    else this.removeWaiter(id, claimant);
    claimant.claim = undefined;
    claimant.slot = -1;
    return id;
  }

  /** When `id` has no holder, promotes its best waiter; returns the new holder, or undefined if none. */
  elect(id: number): T | undefined {
    const waiters = this.waiting[id];
    if (waiters === undefined || this.holders[id] !== undefined) return undefined;
    let best = waiters[0];
    for (let i = 1; i < waiters.length; i++) if (precedes(waiters[i], best)) best = waiters[i];
    this.removeWaiter(id, best);
    this.holders[id] = best;
    best.slot = -1;
    return best;
  }

  private removeWaiter(id: number, claimant: T): void {
    const waiters = this.waiting[id];
    if (waiters === undefined) return;
    if (waiters.length === 1) {
      this.waiting[id] = undefined;
      return;
    }
    const last = waiters.pop() as T;
    if (last !== claimant) {
      waiters[claimant.slot] = last;
      last.slot = claimant.slot;
    }
  }
}

const NONE: readonly never[] = Object.freeze([]);

/** Lowest odp port first (no port sorts last), then name, then uuid. */
function precedes(a: Claimant, b: Claimant): boolean {
  const ao = a.odpPort ?? Infinity;
  const bo = b.odpPort ?? Infinity;
  if (ao !== bo) return ao < bo;
  if (a.name !== b.name) return a.name < b.name;
  return a.uuid < b.uuid;
}
