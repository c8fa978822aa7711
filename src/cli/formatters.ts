/**
 * Human output of ovs-hwol-ctl, one function per method result. Each takes the result as the agent
 * sent it (unknown: never trusted to match the schema) and falls back to the generic readable
 * rendering when the shape is not the expected one, so a newer agent never breaks an older CLI.
 */
import type { AgentShowResult, FlowDelResult, FlowPutResult, PacketInjectResult, PortsShowResult } from '../control/api-types';
import type { MirrorStatus } from '../mirror/vswitchd-mirror';
import { duration, hex, readable, table } from './format';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dash(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '-';
}

/** agent/show: a headline, then backend, flow source, socket and the OVSDB session; unknown fields after. */
export function formatAgentShow(result: unknown): string {
  if (!isObject(result) || typeof result.version !== 'string' || !isObject(result.db)) return readable(result);
  const r = result as unknown as AgentShowResult & Record<string, unknown>;
  const lines: string[] = [];
  const pid = typeof r.pid === 'number' ? ` (pid ${r.pid})` : '';
  const up = typeof r.uptimeSeconds === 'number' ? `, up ${duration(r.uptimeSeconds)}` : '';
  lines.push(`ovs-hwol-agent ${r.version}${pid}${up}`);
  lines.push(`backend: ${dash(r.backend)}${r.profile ? `, profile ${r.profile}` : ''}`);
  if (r.flowSource !== undefined) lines.push(`flow source: ${dash(r.flowSource)}`);
  if (r.ctlSocket !== undefined) lines.push(`control socket: ${dash(r.ctlSocket)}`);
  const db = r.db as AgentShowResult['db'] & Record<string, unknown>;
  lines.push(`db: ${dash(db.remote)}`);
  const state = [dash(db.state)];
  if (db.connected !== undefined) state.push(db.connected ? `connected${db.currentRemote ? ` to ${db.currentRemote}` : ''}` : 'not connected');
  if (db.clustered) state.push(db.leader === true ? 'clustered, leader' : db.leader === false ? 'clustered, follower' : 'clustered');
  lines.push(`  state: ${state.join(', ')}`);
  if (db.txnId) lines.push(`  txn id: ${db.txnId}`);
  if (db.monitorMethod) lines.push(`  monitor: ${db.monitorMethod}`);
  if (db.error) lines.push(`  error: ${db.error}`);
  const knownDb = new Set(['remote', 'state', 'connected', 'currentRemote', 'clustered', 'leader', 'txnId', 'monitorMethod', 'error']);
  for (const [k, v] of Object.entries(db)) if (!knownDb.has(k)) lines.push(readable({ [k]: v }, '  '));
  if (isObject(r.mirror) && typeof r.mirror.ctlPath === 'string' && isObject(r.mirror.changes)) lines.push(...mirrorLines(r.mirror));
  else if (r.mirror !== undefined) lines.push(readable({ mirror: r.mirror }));
  const known = new Set(['version', 'pid', 'uptimeSeconds', 'backend', 'profile', 'flowSource', 'ctlSocket', 'db', 'mirror']);
  for (const [k, v] of Object.entries(r)) if (!known.has(k)) lines.push(readable({ [k]: v }));
  return lines.join('\n');
}

function ms(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toFixed(2);
}

/** The `mirror` part of agent/show: connection, polls with the last one's timings, flows, changes. */
function mirrorLines(m: MirrorStatus): string[] {
  const lines = [`mirror: ovs-vswitchd ${m.ctlPath}, ${dash(m.state)}${m.datapath ? `, datapath ${m.datapath}` : ''}`];
  const t = m.lastPollTimings;
  const took = t ? ` (took ${ms(t.totalMs)} ms: dpctl/show ${ms(t.showMs)}, dump-flows ${ms(t.dumpMs)}, diff ${ms(t.diffMs)}, apply ${ms(t.applyMs)})` : '';
  lines.push(`  polls: ${m.polls} every ${m.pollIntervalMs} ms, last ${dash(m.lastPoll)}${took}`);
  lines.push(`  flows: ${m.flows}, datapath ports: ${m.ports}, connections: ${m.connections}`);
  lines.push(`  changes: ${m.changes.added} added, ${m.changes.modified} modified, ${m.changes.deleted} deleted; ${m.rejected} rejected`);
  if (m.lastError) lines.push(`  error: ${m.lastError}`);
  return lines;
}

/** ports/show: a table of the interfaces, then one `hw-port-id N -> odp port M` line per map entry. */
export function formatPortsShow(result: unknown): string {
  if (!isObject(result) || !Array.isArray(result.ports) || !isObject(result.hwLocalPortMap)) return readable(result);
  const r = result as unknown as PortsShowResult;
  // The DPDK PORT column only when an interface reports one (OVS-DPDK's status:port_no).
  const withDpdk = r.ports.some((p) => p.dpdkPortId !== undefined);
  const rows = r.ports.map((p) => {
    const head = [dash(p.name), p.type === '' ? 'system' : dash(p.type), dash(p.odpPort), dash(p.hwPortId)];
    return [...head, ...(withDpdk ? [dash(p.dpdkPortId)] : []), dash(p.state), p.reason ?? ''];
  });
  const titles = ['NAME', 'TYPE', 'ODP PORT', 'HW-PORT-ID', ...(withDpdk ? ['DPDK PORT'] : []), 'STATE', 'REASON'];
  const out = [r.ports.length === 0 ? 'no interfaces' : table(titles, rows)];
  const entries = Object.entries(r.hwLocalPortMap).sort(([a], [b]) => Number(a) - Number(b));
  out.push(entries.length === 0 ? 'hw_local_port_map: empty' : 'hw_local_port_map:');
  for (const [hw, odp] of entries) out.push(`  hw-port-id ${hw} -> odp port ${String(odp)}`);
  return out.join('\n');
}

/** log/set: the new level and the previous one. */
export function formatLogSet(result: unknown, params: unknown): string {
  const level = isObject(params) ? String(params.level) : '?';
  if (!isObject(result) || typeof result.previous !== 'string') return readable(result);
  return `log level: ${level} (was ${result.previous})`;
}

/** flow/put: one line per flow: `ufid:U offloaded (flow_id N, mark 0x...)` or `ufid:U software: reason`. */
export function formatFlowPut(result: unknown): string {
  if (!isObject(result) || !Array.isArray(result.flows)) return readable(result);
  return (result as unknown as FlowPutResult).flows
    .map((f) => {
      const details = [f.flowId !== undefined ? `flow_id ${f.flowId}` : '', f.mark !== undefined ? `mark ${hex(f.mark)}` : ''].filter((s) => s !== '');
      return `ufid:${f.ufid} ${f.state}${details.length ? ` (${details.join(', ')})` : ''}${f.reason ? `: ${f.reason}` : ''}`;
    })
    .join('\n');
}

/** flow/del: one line per ufid: deleted or not found. */
export function formatFlowDel(result: unknown): string {
  if (!isObject(result) || !Array.isArray(result.flows)) return readable(result);
  return (result as unknown as FlowDelResult).flows.map((f) => `ufid:${f.ufid} ${f.deleted ? 'deleted' : 'not found'}`).join('\n');
}

/**
 * flow/dump: one line per flow in the style of `dpctl/dump-flows -m`:
 * `ufid:U, MATCH, packets:N, bytes:N, used:T, offloaded:yes, dp:hw, actions:A`.
 * Accepts an array of records or `{flows: [...]}`; records without match/actions fall back to readable text.
 */
export function formatFlowDump(result: unknown): string {
  const records = Array.isArray(result) ? result : isObject(result) && Array.isArray(result.flows) ? result.flows : undefined;
  if (!records) return readable(result);
  if (records.length === 0) return 'no flows';
  return records
    .map((rec: unknown) => {
      if (!isObject(rec) || typeof rec.match !== 'string' || typeof rec.actions !== 'string') return readable(rec);
      const stats = isObject(rec.stats) ? rec.stats : {};
      const parts: string[] = [];
      if (typeof rec.ufid === 'string') parts.push(`ufid:${rec.ufid}`);
      parts.push(rec.match);
      parts.push(`packets:${dash(stats.packets ?? 0)}`, `bytes:${dash(stats.bytes ?? 0)}`);
      if (stats.used !== undefined) parts.push(`used:${dash(stats.used)}`);
      const offloaded = rec.state === 'offloaded';
      parts.push(`offloaded:${offloaded ? 'yes' : 'no'}`, `dp:${offloaded ? 'hw' : 'ovs'}`, `actions:${rec.actions}`);
      return parts.join(', ');
    })
    .join('\n');
}

/** packet/inject: one line per packet, then the totals. */
export function formatPacketInject(result: unknown): string {
  if (!isObject(result) || !Array.isArray(result.packets)) return readable(result);
  const r = result as unknown as PacketInjectResult;
  const lines = r.packets.map((p, i) => {
    if (!p.hit) return `packet ${i + 1}: miss`;
    const details = [p.ufid ? `ufid:${p.ufid}` : '', p.mark !== undefined ? `mark ${hex(p.mark)}` : '', p.outPort !== undefined ? `output ${String(p.outPort)}` : ''];
    return `packet ${i + 1}: hit ${details.filter((s) => s !== '').join(', ')}`.trimEnd();
  });
  lines.push(`hits: ${dash(r.hits)}, misses: ${dash(r.misses)}`);
  if (Array.isArray(r.written)) {
    if (r.written.length === 0) lines.push('wrote no capture file: no frame reached an output port or missed');
    for (const w of r.written) lines.push(`wrote ${w.file}: ${w.frames} frame${w.frames === 1 ? '' : 's'} ${w.port === 'miss' ? 'that missed' : `to port ${w.port}`}`);
  }
  return lines.join('\n');
}

/**
 * flow/get: the flow as labelled lines: ufid, match, actions, state (and reason), flow id and mark,
 * device and variant, the rule as testpmd text, then `stats: packets: N, bytes: N, used: T (hw|sw)`.
 */
export function formatFlowGet(result: unknown): string {
  if (!isObject(result) || typeof result.ufid !== 'string' || typeof result.match !== 'string' || typeof result.state !== 'string') return readable(result);
  const r = result;
  const lines = [`ufid: ${r.ufid as string}`, `match: ${r.match as string}`, `actions: ${dash(r.actions)}`, `state: ${r.state as string}`];
  if (r.reason !== undefined) lines.push(`reason: ${dash(r.reason)}`);
  if (typeof r.flowId === 'number') lines.push(`flow_id: ${r.flowId}${typeof r.mark === 'number' ? `, mark: ${hex(r.mark)}` : ''}`);
  if (r.device !== undefined) lines.push(`device: ${dash(r.device)}${r.variant !== undefined ? `, variant: ${dash(r.variant)}` : ''}`);
  if (typeof r.rule === 'string') lines.push(`rule: ${r.rule}`);
  if (isObject(r.stats)) {
    const s = r.stats;
    lines.push(`stats: packets: ${dash(s.packets)}, bytes: ${dash(s.bytes)}, used: ${dash(s.used)}${s.source !== undefined ? ` (${dash(s.source)})` : ''}`);
  }
  return lines.join('\n');
}

/** flow/flush: `removed N flows`. */
export function formatFlowFlush(result: unknown): string {
  if (!isObject(result) || typeof result.removed !== 'number') return readable(result);
  return `removed ${result.removed} flow${result.removed === 1 ? '' : 's'}`;
}

/**
 * offload/stats: flow counts by state, the flow_id pool, attempts per trial variant, the learned
 * variant and offloaded flows per device, latency and statistics sweeps.
 */
export function formatOffloadStats(result: unknown): string {
  if (!isObject(result) || !isObject(result.flows) || !isObject(result.attempts) || !isObject(result.flowIdPool)) return readable(result);
  const f = result.flows;
  const pool = result.flowIdPool;
  const lines = [
    `flows: ${dash(f.total)} (offloaded: ${dash(f.offloaded)}, software: ${dash(f.software)}, pending: ${dash(f.pending)})`,
    `flow_id pool: ${dash(pool.used)} of ${dash(pool.size)} in use${typeof pool.waiting === 'number' && pool.waiting > 0 ? `, ${pool.waiting} flows waiting` : ''}`,
  ];
  const rows = Object.entries(result.attempts).map(([name, c]) => (isObject(c) ? [name, dash(c.tried), dash(c.succeeded), dash(c.failed)] : [name, dash(c), '', '']));
  lines.push('trial variants:', table(['  VARIANT', 'TRIED', 'SUCCEEDED', 'FAILED'], rows.map(([n, ...rest]) => [`  ${n}`, ...rest])));
  const learned = isObject(result.learnedVariants) ? result.learnedVariants : {};
  const devices = isObject(result.devices) ? result.devices : {};
  const ids = [...new Set([...Object.keys(learned), ...Object.keys(devices)])].sort((a, b) => Number(a) - Number(b));
  lines.push(ids.length === 0 ? 'devices: none used' : 'devices:');
  for (const id of ids) {
    const d = devices[id];
    const n = isObject(d) ? dash(d.offloaded) : '0';
    lines.push(`  device ${id}: ${n} offloaded${learned[id] !== undefined ? `, learned variant ${dash(learned[id])}` : ''}`);
  }
  if (isObject(result.latency)) {
    const l = result.latency;
    lines.push(`latency per offload operation: mean ${dash(l.meanUs)} us, stddev ${dash(l.stddevUs)} us, p99 ${dash(l.p99Us)} us (${dash(l.count)} operations)`);
  }
  if (isObject(result.statsSweeps)) {
    const s = result.statsSweeps;
    lines.push(`statistics sweeps: ${dash(s.count)}, last ${dash(s.lastUs)} us for ${dash(s.lastFlows)} counters, mean ${dash(s.meanUs)} us`);
  }
  return lines.join('\n');
}
