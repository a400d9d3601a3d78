// The HTTP API end to end: a real server on a port, the Temporal dev server, PostgreSQL, a worker.
// What the API refuses before a workflow is involved is tested in process, in test/api.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/connect';
import type { Case } from '../../domain/case';
import { hashJson } from '../../db/canonical-json';
import { caseRowCount, routingRows, staffId } from '../support/cases';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let sql: Sql;
let client: Client;
let token: string;

beforeAll(async () => {
  system = await startTestSystem();
  ({ sql, client } = system);
  token = await system.login('worker1');
});

afterAll(async () => {
  await system?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return await system.call('POST', path, { token, body, headers });
}

async function get(path: string) {
  return await system.call('GET', path, { token });
}

const caseCount = async () => (await sql<{ n: number }[]>`select count(*)::int as n from cases`)[0]!.n;

describe('POST /cases', () => {
  it('creates an emergency case and answers with its routing and reasons', async () => {
    const res = await post('/cases', abusedChild());
    expect(res.status).toBe(201);
    const created: Case = res.body;
    expect(created).toMatchObject({ stage: 'emergency_response', risk: { path: 'emergency', level: 'high', score: 65, rulesetVersion: 1 } });
    expect(created.risk.reasons[0]).toEqual({
      rule: 'sexual_abuse',
      points: 45,
      forcesEmergency: true,
      note: { vi: 'Bị xâm hại tình dục', en: 'Sexual abuse reported' },
    });

    const [row] = await sql`select stage, path, risk_level, channel from cases where id = ${created.id}`;
    expect(row).toEqual({ stage: 'emergency_response', path: 'emergency', risk_level: 'high', channel: 'hotline' });
    const [decision] = await sql`select score, facts from routing_decisions where case_id = ${created.id}`;
    expect(decision?.score).toBe(65);
    expect(decision?.facts).toMatchObject({ age: 11, isChild: true, sexualAbuse: true, perpetratorHasAccess: true });
  });

  it('answers a new case as GET /cases/{id} shows it: no placement and no programme yet', async () => {
    const res = await post('/cases', lonelyOlderMan());
    expect(res.status).toBe(201);
    const shown = await get(`/cases/${res.body.id}`);
    expect(shown.status).toBe(200);
    const parts = (c: Record<string, unknown>) => ({ placedNow: c.placedNow, placement: c.placement, placements: c.placements, programmes: c.programmes });
    expect(parts(res.body)).toEqual({ placedNow: null, placement: null, placements: [], programmes: [] });
    expect(parts(shown.body)).toEqual(parts(res.body));
    expect(res.body).toMatchObject({
      id: shown.body.id,
      ref: shown.body.ref,
      stage: shown.body.stage,
      risk: shown.body.risk,
      assignedWorker: shown.body.assignedWorker,
    });
  });

  it('creates a standard case that waits in assessment', async () => {
    const res = await post('/cases', lonelyOlderMan());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ stage: 'assessment', risk: { path: 'standard', level: 'medium' } });
    expect((await get(`/cases/${res.body.id}`)).body).toEqual(res.body);
  });
});

describe('text as typed on any keyboard (issue 11)', () => {
  it('keeps names and summaries in Unicode NFC, trimmed, so the same word is stored the same way', async () => {
    const decomposed = 'Nguye\u0302\u0303n Tho\u0323 Ho\u0300a';
    const composed = 'Nguy\u1ec5n Th\u1ecd H\u00f2a';
    const older = lonelyOlderMan();
    const res = await post('/cases', { ...older, client: { ...older.client, fullName: decomposed }, summary: `  Gọi cho ${decomposed}  ` });
    expect(res.status).toBe(201);
    expect(res.body.intake.client.fullName).toBe(composed);
    expect(res.body.intake.summary).toBe(`Gọi cho ${composed}`);
    const [row] = await sql<{ full_name: string }[]>`select full_name from clients where id = ${res.body.clientId}`;
    expect(row!.full_name).toBe(composed);
  });
});

describe('Idempotency-Key', () => {
  it('returns the same case with 200 on a retry, even with the fields in another order', async () => {
    const key = `hotline-call-${randomUUID()}`;
    const child = abusedChild();
    const first = await post('/cases', child, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const reordered = Object.fromEntries(Object.entries(child).reverse());
    const retry = await post('/cases', reordered, { 'Idempotency-Key': key });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await routingRows(sql, first.body.id)).toHaveLength(1);
  });

  it('refuses the same key with a different body (409) and creates nothing', async () => {
    const key = `hotline-call-${randomUUID()}`;
    await post('/cases', abusedChild(), { 'Idempotency-Key': key });
    const before = await caseCount();
    const res = await post('/cases', lonelyOlderMan(), { 'Idempotency-Key': key });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'idempotency_key_reused', details: [{ path: 'Idempotency-Key' }] });
    expect(await caseCount()).toBe(before);
  });

  it('still returns the case after its workflow has ended', async () => {
    const key = `hotline-call-${randomUUID()}`;
    const older = lonelyOlderMan();
    const first = await post('/cases', older, { 'Idempotency-Key': key });
    await client.workflow.getHandle(first.body.id).terminate('test: the case workflow has ended');
    const retry = await post('/cases', older, { 'Idempotency-Key': key });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(await caseRowCount(sql, first.body.id)).toBe(1);
  });

  it('finishes a case whose first attempt stopped after reserving the key', async () => {
    const key = `hotline-call-${randomUUID()}`;
    const reserved = randomUUID();
    const reservedKey = `${await staffId(sql, 'worker1')}:${key}`;
    const child = abusedChild();
    await sql`insert into intake_requests (idempotency_key, request_hash, case_id) values (${reservedKey}, ${hashJson(child)}, ${reserved})`;
    const res = await post('/cases', child, { 'Idempotency-Key': key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: reserved, stage: 'emergency_response' });
  });
});

describe('GET /cases', () => {
  it('filters by path, level and stage', async () => {
    await post('/cases', abusedChild());
    await post('/cases', lonelyOlderMan());
    const emergency = await get('/cases?path=emergency&limit=100');
    expect(emergency.body.items.length).toBeGreaterThan(0);
    expect(emergency.body.items.every((c: Case) => c.risk.path === 'emergency')).toBe(true);
    const medium = await get('/cases?level=medium&stage=assessment&limit=100');
    expect(medium.body.items.length).toBeGreaterThan(0);
    expect(medium.body.items.every((c: Case) => c.risk.level === 'medium' && c.stage === 'assessment')).toBe(true);
  });

  it('pages through every case of the province exactly once, newest first', async () => {
    const manager = await system.login('manager1');
    const [{ total } = { total: -1 }] = await sql<{ total: number }[]>`select count(*)::int as total from cases where province = 'quang-ninh'`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await system.call('GET', `/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: manager });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: Case) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});

describe('service endpoints', () => {
  it('reports PostgreSQL and Temporal healthy', async () => {
    expect(await get('/health')).toMatchObject({ status: 200, body: { status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } } });
  });
});
