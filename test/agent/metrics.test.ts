import test from 'ava';
import http from 'node:http';
import { MetricsServer, renderMetrics, type MetricFamily } from '../../src/agent/metrics';

const families: MetricFamily[] = [
  { name: 'ovs_hwol_ports', help: 'Interfaces by state.', type: 'gauge', collect: () => [{ labels: { state: 'ready' }, value: 2 }, { labels: { state: 'con"flict' }, value: 1 }] },
  { name: 'ovs_hwol_uptime_seconds', help: 'Seconds since start.', type: 'counter', collect: () => [{ value: 7 }] },
];

test('renders the Prometheus text format, escaping label values', (t) => {
  t.is(renderMetrics(families), [
    '# HELP ovs_hwol_ports Interfaces by state.',
    '# TYPE ovs_hwol_ports gauge',
    'ovs_hwol_ports{state="ready"} 2',
    'ovs_hwol_ports{state="con\\"flict"} 1',
    '# HELP ovs_hwol_uptime_seconds Seconds since start.',
    '# TYPE ovs_hwol_uptime_seconds counter',
    'ovs_hwol_uptime_seconds 7',
    '',
  ].join('\n'));
});

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('serves GET /metrics and 404 elsewhere; a failing collector is a 500, not a crash', async (t) => {
  let fail = false;
  const server = new MetricsServer('127.0.0.1', 0, () => (fail ? [{ ...families[0], collect: () => { throw new Error('boom'); } }] : families));
  const port = await server.start();
  t.teardown(() => server.stop());
  const ok = await get(port, '/metrics');
  t.is(ok.status, 200);
  t.regex(ok.body, /^ovs_hwol_ports\{state="ready"\} 2$/m);
  t.is((await get(port, '/other')).status, 404);
  fail = true;
  const bad = await get(port, '/metrics');
  t.is(bad.status, 500);
  t.regex(bad.body, /boom/);
  fail = false;
  t.is((await get(port, '/metrics')).status, 200);
});
