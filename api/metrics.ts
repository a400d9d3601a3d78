// Prometheus metrics of the API process (issue 19), served on METRICS_PORT apart from the API so
// they never face the internet: HTTP latency by route, intakes and their routing by path (counted
// as the API answers them), and, read from PostgreSQL at each scrape, escalations by rung,
// deliveries by channel and result, and stuck activities, which the workers write. Each worker
// process serves the Temporal SDK's own worker metrics on a port of its own (worker.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Sql } from '../db/connect';
import { deliveryCounts, escalationCounts, stuckCounts } from '../db/metrics';

export interface Metrics {
  registry: Registry;
  /** Times every request by its route's pattern (never the raw path: ids would make a series each). */
  timing: MiddlewareHandler;
  intakeRouted(path: string): void;
}

export function createMetrics(sql: Sql): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'caseflow_api_' });
  const latency = new Histogram({
    name: 'caseflow_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const intakes = new Counter({
    name: 'caseflow_intakes_total',
    help: 'Cases created through POST /cases by this API process, by the path their routing chose',
    labelNames: ['path'] as const,
    registers: [registry],
  });
  // Read at scrape time from what the workers wrote.
  new Gauge({
    name: 'caseflow_escalations',
    help: 'Escalations ever opened (state="all") and still open (state="open"), by rung of the ladder',
    labelNames: ['level', 'state'] as const,
    // Read from PostgreSQL: every API replica reads the same figures, so one of them is the answer.
    aggregator: 'first',
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await escalationCounts(sql)) {
        this.set({ level: r.level, state: 'all' }, r.total);
        this.set({ level: r.level, state: 'open' }, r.open);
      }
    },
  });
  new Gauge({
    name: 'caseflow_deliveries',
    help: 'Deliveries by channel and result (pending, sent, dead)',
    labelNames: ['channel', 'status'] as const,
    // Read from PostgreSQL: every API replica reads the same figures, so one of them is the answer.
    aggregator: 'first',
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await deliveryCounts(sql)) this.set({ channel: r.channel, status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'caseflow_stuck_activities',
    help: 'Activities failing five times or more and still retrying (GET /stuck), by activity',
    labelNames: ['activity'] as const,
    // Read from PostgreSQL: every API replica reads the same figures, so one of them is the answer.
    aggregator: 'first',
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await stuckCounts(sql)) this.set({ activity: r.activity }, r.count);
    },
  });
  return {
    registry,
    timing: async (c, next) => {
      const end = latency.startTimer();
      await next();
      // The handler's pattern (the last route matched); only middleware matched: no route answered.
      const route = routePath(c, -1);
      end({ method: c.req.method, route: route.endsWith('*') ? 'unmatched' : route, status: String(c.res.status) });
    },
    intakeRouted: (path) => intakes.inc({ path }),
  };
}

/** What a metrics endpoint serves: one process's registry, or every API replica's summed (clusterMetrics). */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

/** The API replicas' metrics together, asked of each over node:cluster's channel (system/api-replica.ts registers them). */
export function replicaMetrics(): MetricsSource {
  const aggregator = new AggregatorRegistry();
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
}

/** The metrics endpoint: GET /metrics on its own port (loopback unless METRICS_HOST says otherwise). */
export async function startMetricsServer(source: MetricsSource, options: { port: number; host: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    source.metrics().then(
      (text) => res.writeHead(200, { 'content-type': source.contentType }).end(text),
      (err: unknown) => res.writeHead(503, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${options.host}:${port}/metrics`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
