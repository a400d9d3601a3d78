// Two API processes on one PostgreSQL and one Temporal (API_REPLICAS, issue 33): the API keeps no
// state of its own, so whichever replica a request reaches answers the same. Each app here has
// its own database pool, Temporal connection and middleware instances, as a process would; what
// they share is what the processes share. Every rule a person or an integration relies on is
// held across the two: a session, a revocation, the write limit, the login lockout, an
// Idempotency-Key, case references and the audit chain under writes on both at once.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_FAILURES_PER_ACCOUNT } from '../../api/login';
import { startApi, type RunningApi } from '../../api/server';
import { verifyAuditChain } from '../../db/audit';
import { connectDatabase, type Sql } from '../../db/connect';
import { DEMO_PASSWORD } from '../../system/demo-directory';
import { testApiDeps, testCodec } from '../support/cases';
import { lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

const LIMIT = 5;
let system: TestSystem;
let sqlB: Sql;
let connectionB: Connection;
let apiB: RunningApi;
let replicas: [string, string];

beforeAll(async () => {
  system = await startTestSystem({ writeRateLimitPerMinute: LIMIT });
  sqlB = connectDatabase(inject('databaseUrl'));
  connectionB = await Connection.connect({ address: inject('temporalAddress') });
  const clientB = new Client({ connection: connectionB, dataConverter: testCodec(sqlB).dataConverter });
  apiB = await startApi(testApiDeps(sqlB, clientB, system.deps.taskQueue, { writeRateLimitPerMinute: LIMIT }), { port: 0, host: '127.0.0.1' });
  replicas = [system.url, apiB.url];
});

afterAll(async () => {
  await apiB?.close();
  await connectionB?.close();
  await sqlB?.end();
  await system?.close();
});

/** A request to replica `n` (0 or 1), from a documentation address unless told otherwise. */
async function call(n: number, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${replicas[n % 2]}${path}`, {
    method,
    headers: {
      'x-forwarded-for': '198.51.100.33',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/**
 * A fresh account with the demo password, in the demo province: the write limit and the lockout
 * are counted in PostgreSQL, shared with every other suite's API, so counts of the demo accounts
 * would mix in.
 */
async function freshAccount(role: 'social_worker' | 'admin' = 'social_worker'): Promise<{ username: string; id: string }> {
  const username = `replica.${randomUUID().slice(0, 8)}`;
  const id = randomUUID();
  await system.sql`
    insert into staff (id, province, username, display_name, role, password_hash)
    select ${id}, province, ${username}, 'Thử hai bản API', ${role}, password_hash from staff where username = 'worker1'`;
  return { username, id };
}

async function login(n: number, username: string, password = DEMO_PASSWORD) {
  return await call(n, 'POST', '/auth/login', { body: { username, password } });
}

describe('two API replicas over one PostgreSQL and one Temporal', () => {
  it('honour a session made by the other, and its revocation made by the other', async () => {
    const person = await freshAccount();
    const token = (await login(0, person.username)).body.token as string;
    expect((await call(1, 'GET', '/cases', { token })).status).toBe(200);
    const admin = (await login(1, (await freshAccount('admin')).username)).body.token as string;
    expect((await call(1, 'POST', `/staff/${person.id}/sessions/revoke`, { token: admin })).status).toBe(200);
    expect((await call(0, 'GET', '/cases', { token })).status).toBe(401);
    expect((await call(1, 'GET', '/cases', { token })).status).toBe(401);
  });

  it('hold one write limit between them, not one each', async () => {
    const person = await freshAccount();
    const token = (await login(0, person.username)).body.token as string;
    const statuses: number[] = [];
    for (let n = 0; n < LIMIT + 2; n++) statuses.push((await call(n, 'POST', '/cases', { token, body: lonelyOlderMan() })).status);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(201), 429, 429]);
  });

  it('hold one login lockout between them', async () => {
    const person = await freshAccount();
    for (let n = 0; n < MAX_FAILURES_PER_ACCOUNT; n++) expect((await login(n, person.username, 'guess')).status).toBe(401);
    const locked = [await login(0, person.username), await login(1, person.username)];
    expect(locked.map((r) => r.status)).toEqual([429, 429]);
    expect(locked[1]!.body.error.code).toBe('too_many_attempts');
  });

  it('answer an Idempotency-Key sent to one with the case the other made, and make it once', async () => {
    const token = (await login(0, (await freshAccount()).username)).body.token as string;
    const key = `replicas-${randomUUID()}`;
    const intake = lonelyOlderMan();
    const first = await call(0, 'POST', '/cases', { token, body: intake, headers: { 'idempotency-key': key } });
    const again = await call(1, 'POST', '/cases', { token, body: intake, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    // Keys are the principal's own (stored as principal:key).
    const [row] = await system.sql<{ n: number }[]>`select count(*)::int as n from intake_requests where idempotency_key like ${`%:${key}`}`;
    expect(row!.n).toBe(1);
  });

  it('give distinct case references and keep the audit chain whole under intakes on both at once', async () => {
    // Two accounts, so the write limit of this suite stays out of the way.
    const tokens = await Promise.all([0, 1].map(async (n) => (await login(n, (await freshAccount()).username)).body.token as string));
    const answers = await Promise.all(Array.from({ length: 2 * LIMIT }, (_, n) => call(n, 'POST', '/cases', { token: tokens[n % 2], body: lonelyOlderMan() })));
    expect(answers.map((a) => a.status)).toEqual(Array<number>(2 * LIMIT).fill(201));
    const refs = answers.map((a) => a.body.ref as string);
    expect(new Set(refs).size).toBe(refs.length);
    const audit = await verifyAuditChain(system.sql);
    expect(audit).toMatchObject({ ok: true });
  });
});
