/**
 * The offload benchmark's workload, shared by bench/offload.bench.ts and the client process of its
 * socket figure (bench/put-client.ts): N distinct megaflows
 * `in_port(1),eth_type(0x0800),ipv4(src,dst,proto=17),udp(src,dst)` with a ufid each; the first
 * min(60,000, 60%) output to port 2 (a MARK and a flow_id each: there are 65,536), the rest drop.
 */
import type { FlowInput } from '../src/offload';

function ufidOf(i: number): string {
  const h = i.toString(16).padStart(12, '0');
  return `0000beef-0000-4000-8000-${h}`;
}

/** Flow i: distinct 5-tuples; outputs to 2 below `markCount`, drops above. */
export function flowAt(i: number, markCount: number): FlowInput {
  const match = `in_port(1),eth_type(0x0800),ipv4(src=10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},dst=10.200.${(i >> 20) & 15}.1,proto=17),udp(src=${1024 + (i % 60000)},dst=53)`;
  return { ufid: ufidOf(i), match, actions: i < markCount ? '2' : 'drop' };
}

/** The first `n` flows of the workload. */
export function flows(n: number): FlowInput[] {
  const markCount = Math.min(60000, Math.floor(n * 0.6));
  return Array.from({ length: n }, (_, i) => flowAt(i, markCount));
}
