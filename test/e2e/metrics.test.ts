// The metrics endpoint (issue 19) as Prometheus scrapes it: request latency under each route's
// pattern (never a case id), intakes by the path their routing chose, and the escalations,
// deliveries and stuck activities the workers wrote, read from PostgreSQL. And the JSON request
// log: ids, routes and outcomes, never a name someone searched for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createMetrics, startMetricsServer, type Metrics } from '../../api/metrics';
import { createLogger } from '../../api/request-log';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
let metrics: Metrics;
let endpoint: Awaited<ReturnType<typeof startMetricsServer>>;
const logged: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

beforeAll(async () => {
  system = await startTestSystem((sql) => {
    metrics = createMetrics(sql);
    return { metrics, log: createLogger('info', 'api', sink) };
  });
  endpoint = await startMetricsServer(metrics.registry, { port: 0, host: '127.0.0.1' });
  province = await freshProvince(system.sql);
});

afterAll(async () => {
  await endpoint?.close();
  await system?.close();
});

/** One sample's value from the exposition text, by its name and labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('GET /metrics', () => {
  it('counts requests by route pattern, intakes by path, and what the workers wrote', async () => {
    const token = await system.login(province.worker);
    const before = await (await fetch(endpoint.url)).text();
    const emergencies = sample(before, 'caseflow_intakes_total', { path: 'emergency' }) ?? 0;
    const created = [];
    for (const report of [abusedChild(), lonelyOlderMan(), lonelyOlderMan()]) {
      const res = await system.call('POST', '/cases', { token, body: report });
      expect(res.status).toBe(201);
      created.push(res.body);
    }
    await system.call('GET', `/cases/${created[0].id}`, { token });

    const res = await fetch(endpoint.url);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const paths = created.map((c) => c.risk.path);
    expect(sample(text, 'caseflow_intakes_total', { path: 'emergency' })).toBe(emergencies + paths.filter((p) => p === 'emergency').length);
    expect(sample(text, 'caseflow_http_request_duration_seconds_count', { method: 'POST', route: '/cases', status: '201' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'caseflow_http_request_duration_seconds_count', { method: 'GET', route: '/cases/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    // A case id is never a label: one series per route, however many cases.
    expect(text).not.toContain(created[0].id);

    // Read from the database at the scrape: the counts the tables hold.
    const [open] = await system.sql<{ n: number }[]>`select count(*)::int as n from escalations where level = 'supervisor' and status = 'open'`;
    expect(sample(text, 'caseflow_escalations', { level: 'supervisor', state: 'open' }) ?? 0).toBe(open!.n);
    expect(text).toContain('# TYPE caseflow_stuck_activities gauge');
    expect(text).toContain('# TYPE caseflow_deliveries gauge');
    expect((await fetch(endpoint.url.replace('/metrics', '/other'))).status).toBe(404);
  });
});

describe('the request log', () => {
  it('writes a JSON line per request with its id, route, status, case and actor, and no personal data', async () => {
    const token = await system.login(province.worker);
    const made = await system.call('POST', '/cases', { token, body: lonelyOlderMan(), headers: { 'x-request-id': 'hotline-42' } });
    expect(made.headers.get('x-request-id')).toBe('hotline-42');
    const search = await system.call('GET', `/clients?name=${encodeURIComponent('Nguyễn Văn Bình')}`, { token });
    expect(search.status).toBe(200);
    const generated = search.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const line = logged.find((l) => l.requestId === 'hotline-42');
    expect(line).toMatchObject({ level: 30, name: 'api', method: 'POST', route: '/cases', status: 201, caseId: made.body.id, msg: 'request' });
    expect(typeof line?.actor).toBe('string');
    expect(logged.find((l) => l.requestId === generated)).toMatchObject({ route: '/clients', status: 200 });
    // What was searched for, and who the case is about, are never written.
    const all = JSON.stringify(logged);
    expect(all).not.toContain('Bình');
    expect(all).not.toContain(encodeURIComponent('Bình'));
    expect(all).not.toContain(made.body.intake.client.fullName);
  });
});
