/**
 * Prometheus exposition (`--metrics HOST:PORT`): a plain HTTP server that answers `GET /metrics`
 * with the text format (version 0.0.4). Values are read from callbacks at scrape time, so the
 * agent does no work for metrics between scrapes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One sample: labels (may be empty) and a value. */
export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

/** A metric family: name, HELP text, type, and a callback giving its samples now. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  collect(): Sample[];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Renders families in the Prometheus text format. */
export function renderMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\n/g, ' ')}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.collect()) {
      const labels = Object.entries(s.labels ?? {});
      const text = labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
      lines.push(`${f.name}${text} ${Number.isFinite(s.value) ? s.value : 'NaN'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Serves `families` on host:port; `GET /metrics` only (404 otherwise). */
export class MetricsServer {
  private server: http.Server | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly families: () => readonly MetricFamily[],
  ) {}

  /** Listens; resolves with the bound port (useful with port 0). @throws the listen error (e.g. EADDRINUSE) */
  async start(): Promise<number> {
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('ovs-hwol-agent serves only GET /metrics\n');
        return;
      }
      let body: string;
      try {
        body = renderMetrics(this.families());
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot collect metrics: ${err instanceof Error ? err.message : String(err)}\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
