/**
 * Datapath (odp) port numbers, assigned the way the agent documents them (DESIGN.md §3): the interface's
 * `ofport_request` when it is set and free, else the lowest free number >= 1. Port 0 is never handed out
 * (it is the datapath's own port, `ovs-netdev` in `dpctl/show`). Numbers go up to 65535, the last one
 * dpif-netdev's `choose_port()` tries.
 *
 * How this differs from OVS 3.1 (which is why a mirrored ovs-vswitchd, when there is one, overrides it):
 * - ofproto-dpif's `port_add()` passes ODPP_NONE to `dpif_port_add()`, so ovs-vswitchd never asks the datapath
 *   for `ofport_request` (that column is an OpenFlow port number); real dpif-netdev always takes the lowest
 *   free number. Honouring ofport_request lets a sandbox predict numbers.
 * - The dummy datapath used in tests (`--enable-dummy`) instead takes the first number in the port name
 *   (p1 -> 1; names starting with "br" add 100: br0 -> 100), which is what the fixtures'
 *   `dpctl/show` shows.
 * - Patch ports have no datapath port, and tunnel interfaces share one vport per tunnel type and UDP port
 *   (`vxlan_sys_4789`); the reducer gives patch ports none and numbers every other interface on its own.
 *
 * A bitmap of 65536 bits plus a summary bitmap of full words makes every operation O(1) or O(64).
 */

/** Largest odp port number handed out (UINT16_MAX). */
export const MAX_ODP_PORT = 0xffff;

const WORDS = (MAX_ODP_PORT + 1) / 32; // 2048
const FULL = 0xffffffff;

export class OdpPortAllocator {
  private readonly words = new Uint32Array(WORDS);
  /** Bit w set when words[w] is full. */
  private readonly full = new Uint32Array(WORDS / 32);
  private count = 0;

  constructor() {
    this.set(0); // the datapath's own port
  }

  /** Numbers in use, port 0 excluded. */
  get size(): number {
    return this.count;
  }

  isUsed(port: number): boolean {
    return inRange(port) && (this.words[port >>> 5] & (1 << (port & 31))) !== 0;
  }

  /**
   * Takes `requested` when it is an integer in 1..65535 and free, else the lowest free number.
   * @returns the number taken, or null when all 65535 are in use
   */
  allocate(requested?: number): number | null {
    if (requested !== undefined && requested >= 1 && inRange(requested) && !this.isUsed(requested)) {
      this.take(requested);
      return requested;
    }
    const port = this.lowestFree();
    if (port !== null) this.take(port);
    return port;
  }

  /** Frees a number taken by allocate(); freeing a free number or 0 does nothing. */
  release(port: number): void {
    if (port === 0 || !this.isUsed(port)) return;
    const w = port >>> 5;
    this.words[w] &= ~(1 << (port & 31));
    this.full[w >>> 5] &= ~(1 << (w & 31));
    this.count--;
  }

  private take(port: number): void {
    this.set(port);
    this.count++;
  }

  private set(port: number): void {
    const w = port >>> 5;
    this.words[w] |= 1 << (port & 31);
    if (this.words[w] === FULL) this.full[w >>> 5] |= 1 << (w & 31);
  }

  private lowestFree(): number | null {
    for (let s = 0; s < this.full.length; s++) {
      if (this.full[s] === FULL) continue;
      const w = s * 32 + lowestZeroBit(this.full[s]);
      return w * 32 + lowestZeroBit(this.words[w]);
    }
    return null;
  }
}

function inRange(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= MAX_ODP_PORT;
}

/** Index of the lowest 0 bit of a 32-bit word that is not all ones. */
function lowestZeroBit(word: number): number {
  const bit = ~word & (word + 1);
  return 31 - Math.clz32(bit);
}
