// While a part is down (issue 12): the API answers 503 with Retry-After, never 500, and /health names
// the part. Here PostgreSQL and Temporal are addresses where nothing listens, as after a kill -9
// before the supervisor has them back.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { connectDatabase, type Sql } from '../../db/connect';
import { freePort } from '../../system/ports';
import { issueSessionToken } from '../../security/session-tokens';
import { testApiDeps, uniqueQueue } from '../support/cases';
import { intake } from '../support/intakes';

let sql: Sql;
let connection: Connection;
let app: ReturnType<typeof createApp>;
let token: string;

beforeAll(async () => {
  sql = connectDatabase(`postgres://caseflow:caseflow@127.0.0.1:${await freePort()}/caseflow`, { max: 1 });
  // No gRPC retries: a retry timer left pending would fire after the connection closes (an uncaught
  // "Channel has been shut down" at the end of the file); the API's answer is what is tested.
  connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 1_000, interceptors: [] });
  const deps = testApiDeps(sql, new Client({ connection }), uniqueQueue('outage'));
  app = createApp(deps);
  token = (await issueSessionToken(randomUUID(), deps.authSecret, 60)).token;
});

afterAll(async () => {
  await connection?.close();
  await sql?.end();
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { error?: { code: string }; checks?: Record<string, string> },
  };
};

describe('a part that is down', () => {
  it('answers 503 dependency_unavailable with Retry-After to a read and a write, not 500', async () => {
    for (const [method, path, body] of [
      ['GET', '/cases', undefined],
      ['POST', '/cases', intake()],
    ] as const) {
      const res = await call(method, path, body);
      expect([res.status, res.body.error?.code, res.retryAfter], `${method} ${path}`).toEqual([503, 'dependency_unavailable', '5']);
    }
  });

  it('names the parts that do not answer at /health', async () => {
    const res = await call('GET', '/health');
    expect([res.status, res.retryAfter]).toEqual([503, '5']);
    expect(res.body.checks?.postgres).toMatch(/^error/);
    expect(res.body.checks?.temporal).toMatch(/^error/);
  });

  it('stays live and says it is not ready, for an orchestrator to wait rather than restart it', async () => {
    const alive = await call('GET', '/live');
    expect([alive.status, alive.body]).toEqual([200, { status: 'live' }]);
    const ready = await call('GET', '/ready');
    expect([ready.status, ready.body, ready.retryAfter]).toEqual([503, { status: 'unready' }, '5']);
  });
});
