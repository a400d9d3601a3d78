// When a report was written (issue 30): an intake may say `recordedAt`, e.g. written offline on a
// collaborator's phone and sent later. It is kept with the intake (so it travels in the case
// workflow's input: the stored intake is the one the workflow's admission wrote) and shown wherever
// the intake is; not after now (2 minutes of skew) nor more than 30 days back, else 422 naming it;
// the case's deadlines still count from when the API received the report. Idempotent replays with
// it return the one case, in turn and at once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashJson } from '../../db/canonical-json';
import type { Case } from '../../domain/case';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
let token: string;
let workerId: string;

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  token = await system.login(province.worker);
  workerId = (await system.sql<{ id: string }[]>`select id from staff where username = ${province.worker}`)[0]!.id;
});

afterAll(async () => {
  await system?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) => system.call('POST', '/cases', { token, body, headers });
const get = (path: string) => system.call('GET', path, { token });
const ago = (ms: number) => new Date(Date.now() - ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The instant as a phone in Vietnam writes it: local time with its offset. */
const inVietnam = (at: Date) => `${new Date(at.getTime() + 7 * HOUR).toISOString().slice(0, 19)}+07:00`;
const casesOf = async (fullName: string) =>
  (await system.sql<{ n: number }[]>`select count(*)::int as n from cases where intake->'client'->>'fullName' = ${fullName}`)[0]!.n;

describe('recordedAt', () => {
  it('is kept with the intake, as an instant in UTC, and shown by GET /cases/{id} and in the list', async () => {
    const written = new Date(Math.floor(ago(3 * DAY).getTime() / 1000) * 1000);
    const created = await post({ ...lonelyOlderMan(), recordedAt: inVietnam(written) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const c: Case = created.body;
    expect(c.intake?.recordedAt).toBe(written.toISOString());

    const read = await get(`/cases/${c.id}`);
    expect(read.status).toBe(200);
    expect(read.body.intake.recordedAt).toBe(written.toISOString());
    // Received now: createdAt is the API's time, recordedAt the phone's.
    expect(Date.parse(read.body.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const list = await get(`/cases?clientId=${c.clientId}`);
    expect(list.body.items.find((x: Case) => x.id === c.id)?.intake?.recordedAt).toBe(written.toISOString());

    // The intake as stored is the one the case workflow's admission was given.
    const [row] = await system.sql<{ recorded_at: string }[]>`select intake->>'recordedAt' as recorded_at from cases where id = ${c.id}`;
    expect(row!.recorded_at).toBe(written.toISOString());
  });

  it('may be left out, as before', async () => {
    const created = await post(lonelyOlderMan());
    expect(created.status).toBe(201);
    expect(created.body.intake).not.toHaveProperty('recordedAt');
  });

  it('takes a phone clock a minute ahead, and refuses a time after now (422 naming recordedAt) and creates nothing', async () => {
    const ahead = lonelyOlderMan();
    expect((await post({ ...ahead, recordedAt: new Date(Date.now() + 60_000).toISOString() })).status).toBe(201);

    const future = lonelyOlderMan();
    const res = await system.call('POST', '/cases', {
      token,
      body: { ...future, recordedAt: new Date(Date.now() + 10 * 60_000).toISOString() },
      headers: { 'accept-language': 'vi' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'recordedAt', message: 'không được sau lúc này' }] });
    const english = await post({ ...future, recordedAt: inVietnam(new Date(Date.now() + DAY)) });
    expect(english.status).toBe(422);
    expect(english.body.error.details).toEqual([{ path: 'recordedAt', message: 'not after now' }]);
    expect(await casesOf(future.client.fullName)).toBe(0);
  });

  it('refuses a report written 31 days ago (422 naming recordedAt), and takes one of 29 days', async () => {
    const old = lonelyOlderMan();
    const res = await post({ ...old, recordedAt: ago(31 * DAY).toISOString() });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'recordedAt', message: 'not more than 30 days ago' }] });
    const vi = await system.call('POST', '/cases', { token, body: { ...old, recordedAt: ago(31 * DAY).toISOString() }, headers: { 'accept-language': 'vi' } });
    expect(vi.body.error.details).toEqual([{ path: 'recordedAt', message: 'không được quá 30 ngày trước' }]);
    expect(await casesOf(old.client.fullName)).toBe(0);

    expect((await post({ ...lonelyOlderMan(), recordedAt: ago(29 * DAY).toISOString() })).status).toBe(201);
  });

  it('refuses what is not a date-time with its offset', async () => {
    for (const recordedAt of ['2026-05-01', '2026-05-01T10:00:00', 'hôm qua', 20260501]) {
      const res = await post({ ...lonelyOlderMan(), recordedAt });
      expect(res.status, String(recordedAt)).toBe(422);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['recordedAt']);
    }
  });

  it('leaves the emergency deadline counted from when the report was received, not written', async () => {
    const before = Date.now();
    const written = ago(5 * DAY);
    const created = await post({ ...abusedChild(), recordedAt: written.toISOString() });
    const after = Date.now();
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const c: Case = (await get(`/cases/${created.body.id}`)).body;
    expect(c.stage).toBe('emergency_response');
    expect(c.deadline).toMatchObject({ step: 'emergency_response' });
    const startedAt = Date.parse(c.deadline!.startedAt);
    const dueAt = Date.parse(c.deadline!.dueAt);
    // 12 hours for a child (Decree 56/2017), from receipt: not from five days ago, so not overdue.
    expect(startedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(startedAt).toBeLessThanOrEqual(after + 1_000);
    expect(dueAt - startedAt).toBe(12 * HOUR);
    expect(dueAt).toBeGreaterThan(Date.now() + 11 * HOUR);
    expect(Date.parse(c.createdAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(c.intake?.recordedAt).toBe(written.toISOString());
    // Nor is it listed as overdue.
    const overdue = await get('/cases?due=overdue&limit=100');
    expect(overdue.body.items.map((x: Case) => x.id)).not.toContain(c.id);
  });
});

describe('recordedAt with an Idempotency-Key', () => {
  it('returns the same case on a retry, however the same instant is written; another instant is 409', async () => {
    const key = `offline-${randomUUID()}`;
    const report = { ...abusedChild(), recordedAt: inVietnam(ago(2 * HOUR)) };
    const first = await post(report, { 'Idempotency-Key': key });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const retry = await post(report, { 'Idempotency-Key': key });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.intake.recordedAt).toBe(first.body.intake.recordedAt);
    // The same instant in UTC is the same report.
    const utc = await post({ ...report, recordedAt: new Date(Date.parse(report.recordedAt)).toISOString() }, { 'Idempotency-Key': key });
    expect(utc.status).toBe(200);
    expect(utc.body.id).toBe(first.body.id);
    // Another time of writing is another report.
    const other = await post({ ...report, recordedAt: inVietnam(ago(3 * HOUR)) }, { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await casesOf(report.client.fullName)).toBe(1);
  });

  it('makes one case of two requests sent at once', async () => {
    const key = `offline-${randomUUID()}`;
    const report = { ...abusedChild(), recordedAt: ago(6 * HOUR).toISOString() };
    const answers = await Promise.all([post(report, { 'Idempotency-Key': key }), post(report, { 'Idempotency-Key': key })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(answers[0]!.body.id).toBe(answers[1]!.body.id);
    expect(answers[0]!.body.intake.recordedAt).toBe(report.recordedAt);
    expect(await casesOf(report.client.fullName)).toBe(1);
    const [keys] = await system.sql<{ n: number }[]>`select count(*)::int as n from intake_requests where idempotency_key = ${`${workerId}:${key}`}`;
    expect(keys!.n).toBe(1);
  });

  it('answers a retry of an intake taken earlier however long it waited since (its recordedAt now past 30 days)', async () => {
    // As if the first attempt had been received 40 days ago, when its recordedAt was a day old,
    // and had stopped after reserving its key: the retry finishes that case, not a 422.
    const key = `offline-${randomUUID()}`;
    const reserved = randomUUID();
    const report = { ...lonelyOlderMan(), recordedAt: ago(41 * DAY).toISOString() };
    await system.sql`insert into intake_requests (idempotency_key, request_hash, case_id) values (${`${workerId}:${key}`}, ${hashJson(report)}, ${reserved})`;
    const retry = await post(report, { 'Idempotency-Key': key });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({ id: reserved, intake: { recordedAt: report.recordedAt } });
    // Without the key, or with another, the same body is refused.
    expect((await post(report)).status).toBe(422);
    expect((await post(report, { 'Idempotency-Key': `offline-${randomUUID()}` })).status).toBe(422);
  });
});
