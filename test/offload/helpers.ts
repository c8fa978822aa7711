/**
 * Helpers of the offload tests: a mutable port map, frames built by hand (with correct IPv4 and
 * UDP checksums), and the invariant "rules on the NIC == offloaded flows in the table".
 */
import type { ExecutionContext } from 'ava';
import type { EnginePorts, OffloadEngine } from '../../src/offload';
import type { SoftNicBackend } from '../../src/native/soft-backend';

/** A port map: odp port -> hw-port-id, and interface names -> odp port. */
export function portMap(hwByOdp: Record<number, number>, names: Record<string, number> = {}): EnginePorts {
  const byOdp = new Map(Object.entries(hwByOdp).map(([odp, hw]) => [Number(odp), hw]));
  const hwLocalPortMap: Record<string, number> = {};
  for (const [odp, hw] of byOdp) hwLocalPortMap[String(hw)] = odp;
  return {
    hwPortIdOf: (odp) => byOdp.get(odp),
    port: (name) => (name in names ? { odpPort: names[name] } : undefined),
    hwLocalPortMap,
  };
}

/** Asserts that every NIC port holds exactly the rules of the table's offloaded flows on it. */
export function assertNicMatchesTable(t: ExecutionContext, engine: OffloadEngine, nic: SoftNicBackend): void {
  const offloaded = engine.dump('offloaded');
  for (let d = 0; d < nic.profile.ports; d++) {
    const inTable = offloaded.filter((f) => f.device === d).length;
    t.is(nic.ruleCount(d), inTable, `device ${d}: rules on the NIC vs offloaded flows in the table`);
    t.is(engine.offloadedOn(d), inTable, `device ${d}: engine count vs table`);
  }
  const stats = engine.stats();
  t.is(stats.flows.offloaded, offloaded.length);
  t.is(stats.flowIdPool.used, offloaded.filter((f) => f.mark !== undefined).length, 'one flow_id per offloaded flow with a mark');
  t.true(offloaded.every((f) => f.mark === undefined || f.mark >>> 16 === f.flowId), 'the mark carries the flow_id');
}

function mac(text: string): number[] {
  return text.split(':').map((x) => parseInt(x, 16));
}

function ip4(text: string): number[] {
  return text.split('.').map(Number);
}

/** The one's complement sum of 16-bit words, folded. */
function sum16(bytes: readonly number[], initial = 0): number {
  let s = initial;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

export interface UdpFrameSpec {
  srcMac?: string;
  dstMac?: string;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload?: number;
  ttl?: number;
}

/** An Ethernet/IPv4/UDP frame (no FCS) with a valid IPv4 header checksum and UDP checksum. */
export function udpFrame(s: UdpFrameSpec): Uint8Array {
  const payload = Array.from({ length: s.payload ?? 18 }, (_, i) => (i * 7) & 0xff);
  const udpLen = 8 + payload.length;
  const totalLen = 20 + udpLen;
  const ip = [0x45, 0, totalLen >> 8, totalLen & 0xff, 0, 1, 0, 0, s.ttl ?? 64, 17, 0, 0, ...ip4(s.src), ...ip4(s.dst)];
  const ipSum = ~sum16(ip) & 0xffff;
  ip[10] = ipSum >> 8;
  ip[11] = ipSum & 0xff;
  const udp = [s.sport >> 8, s.sport & 0xff, s.dport >> 8, s.dport & 0xff, udpLen >> 8, udpLen & 0xff, 0, 0, ...payload];
  const pseudo = [...ip4(s.src), ...ip4(s.dst), 0, 17, udpLen >> 8, udpLen & 0xff];
  let udpSum = ~sum16(udp, sum16(pseudo)) & 0xffff;
  if (udpSum === 0) udpSum = 0xffff;
  udp[6] = udpSum >> 8;
  udp[7] = udpSum & 0xff;
  const eth = [...mac(s.dstMac ?? '50:54:00:00:00:02'), ...mac(s.srcMac ?? '50:54:00:00:00:01'), 0x08, 0x00];
  return Uint8Array.from([...eth, ...ip, ...udp]);
}

/** True when the IPv4 header checksum of an Ethernet/IPv4 frame verifies. */
export function ipv4ChecksumOk(frame: Uint8Array): boolean {
  return sum16(Array.from(frame.subarray(14, 34))) === 0xffff;
}

/** The original patch's example megaflow. */
export const EXAMPLE_MATCH = 'in_port(1),eth_type(0x0800),ipv4(src=192.168.1.2,dst=192.168.1.8,proto=17),udp(src=10025,dst=10026)';

/** A UDP megaflow on in_port `inPort`, distinct per `i`. */
export function udpMatch(i: number, inPort: number | string = 1): string {
  return `in_port(${inPort}),eth_type(0x0800),ipv4(src=10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},dst=10.200.0.1,proto=17),udp(src=${1000 + (i % 50000)},dst=53)`;
}

/** The frame that hits udpMatch(i). */
export function udpMatchFrame(i: number, payload = 18): Uint8Array {
  return udpFrame({ src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dst: '10.200.0.1', sport: 1000 + (i % 50000), dport: 53, payload });
}
