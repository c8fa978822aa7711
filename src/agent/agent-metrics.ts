/**
 * The metric families the agent exposes with `--metrics HOST:PORT`, read at scrape time from its
 * port table, its OVSDB client state and its offload engine.
 */
import type { OffloadStats } from '../offload';
import type { ClientState } from '../ovsdb/client-state';
import type { PortTable } from '../ports';
import type { MetricFamily } from './metrics';

/** What the agent lends the metrics: its current state, read when Prometheus scrapes. */
export interface AgentMetricSources {
  uptimeSeconds(): number;
  db(): ClientState;
  ports(): PortTable | undefined;
  offload(): OffloadStats | undefined;
}

const PORT_STATES = ['ready', 'disabled', 'invalid', 'conflict', 'error'] as const;

/** The agent's metric families. */
export function agentMetricFamilies(src: AgentMetricSources): MetricFamily[] {
  return [
    { name: 'ovs_hwol_uptime_seconds', help: 'Seconds since the agent started.', type: 'counter', collect: () => [{ value: src.uptimeSeconds() }] },
    { name: 'ovs_hwol_ovsdb_connected', help: '1 while connected to an OVSDB server.', type: 'gauge', collect: () => [{ value: src.db().connected ? 1 : 0 }] },
    { name: 'ovs_hwol_ovsdb_connections_total', help: 'OVSDB connections established.', type: 'counter', collect: () => [{ value: src.db().connections }] },
    {
      name: 'ovs_hwol_ports',
      help: 'Interfaces by offload state.',
      type: 'gauge',
      collect: () => {
        const counts = new Map<string, number>(PORT_STATES.map((s) => [s, 0]));
        for (const p of src.ports()?.ports ?? []) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
        return [...counts].map(([state, value]) => ({ labels: { state }, value }));
      },
    },
    { name: 'ovs_hwol_hw_local_port_map_entries', help: 'Entries of hw_local_port_map.', type: 'gauge', collect: () => [{ value: src.ports()?.readyCount ?? 0 }] },
    {
      name: 'ovs_hwol_flows',
      help: 'Flows in the agent by state.',
      type: 'gauge',
      collect: () => {
        const f = src.offload()?.flows;
        return f ? (['offloaded', 'software', 'pending'] as const).map((state) => ({ labels: { state }, value: f[state] })) : [];
      },
    },
    {
      name: 'ovs_hwol_offload_attempts_total',
      help: 'rte_flow create attempts by trial variant and outcome.',
      type: 'counter',
      collect: () => Object.entries(src.offload()?.attempts ?? {}).flatMap(([variant, a]) => [
        { labels: { variant, outcome: 'succeeded' }, value: a.succeeded },
        { labels: { variant, outcome: 'failed' }, value: a.failed },
      ]),
    },
    {
      name: 'ovs_hwol_flow_id_pool_used',
      help: 'flow_ids in use (of 65536).',
      type: 'gauge',
      collect: () => {
        const p = src.offload()?.flowIdPool;
        return p ? [{ value: p.used }] : [];
      },
    },
  ];
}
