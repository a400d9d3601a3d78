// What the API answers before any workflow is involved, in process (createApp().request()):
// malformed, oversized, mistyped and misspelt input, unknown ids and routes, the error envelope
// and its language, and the role checked before anything about the case.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../domain/errors';
import { inProcessApi, type InProcessApi } from '../support/app';
import { abusedChild, intake } from '../support/intakes';

let api: InProcessApi;
let worker: string;

beforeAll(async () => {
  api = inProcessApi();
  worker = await api.tokenFor('worker1');
});

afterAll(async () => {
  await api?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}, token = worker) => api.call('POST', path, { token, body, headers });
const get = (path: string, headers: Record<string, string> = {}) => api.call('GET', path, { token: worker, headers });
const caseCount = async () => (await api.sql<{ n: number }[]>`select count(*)::int as n from cases`)[0]!.n;

describe('bad input never creates a case', () => {
  const oversized = JSON.stringify({ ...abusedChild(), summary: 'x'.repeat(100_000) });
  const cases: Array<[string, number, string, string | undefined, () => ReturnType<typeof post>]> = [
    ['malformed JSON', 400, 'malformed_json', '(body)', () => post('/cases', '{"channel": "hotline",')],
    [
      'a form instead of JSON',
      415,
      'unsupported_media_type',
      'Content-Type',
      () => post('/cases', 'channel=hotline', { 'content-type': 'application/x-www-form-urlencoded' }),
    ],
    ['an oversized body', 413, 'payload_too_large', undefined, () => post('/cases', oversized)],
    ['a missing client', 422, 'validation_failed', 'client', () => post('/cases', { ...abusedChild(), client: undefined })],
    ['an age given as text', 422, 'validation_failed', 'client.age', () => post('/cases', intake({ client: { age: 'ten' as never } }))],
    ['an unknown category code', 422, 'validation_failed', 'categories[0]', () => post('/cases', intake({ categories: ['orphan' as never] }))],
    ['an unknown channel', 422, 'validation_failed', 'channel', () => post('/cases', intake({ channel: 'fax' as never }))],
    ['a concern that is not yes/no', 422, 'validation_failed', 'concerns.injury', () => post('/cases', intake({ concerns: { injury: 'maybe' as never } }))],
    ['a misspelt field', 422, 'validation_failed', 'concern', () => post('/cases', { ...intake(), concern: {} })],
    ['an empty body', 400, 'malformed_json', '(body)', () => post('/cases', '')],
    [
      'an Idempotency-Key too short to be unique',
      422,
      'validation_failed',
      'idempotency-key',
      () => post('/cases', abusedChild(), { 'Idempotency-Key': 'abc' }),
    ],
  ];

  it.each(cases)('answers %s with %i %s and the error envelope', async (_name, status, code, path, send) => {
    const before = await caseCount();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ code, message: expect.any(String), details: expect.any(Array) });
    expect(ERRORS[code as keyof typeof ERRORS].status).toBe(status);
    if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await caseCount()).toBe(before);
  });
});

describe('the language of errors', () => {
  it('answers in Vietnamese when asked, with the same code and paths, and in English otherwise', async () => {
    const bad = { ...intake({ client: { age: 200 } }), concern: {} };
    const en = await post('/cases', bad);
    const vi = await post('/cases', bad, { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' });
    expect(en.status).toBe(422);
    expect(vi.status).toBe(422);
    expect(vi.body.error.code).toBe(en.body.error.code);
    expect(vi.body.error.details.map((d: { path: string }) => d.path)).toEqual(en.body.error.details.map((d: { path: string }) => d.path));
    expect(en.body.error.message).toBe(ERRORS.validation_failed.message.en);
    expect(vi.body.error.message).toBe(ERRORS.validation_failed.message.vi);
    const detail = (body: any, path: string) => body.error.details.find((d: { path: string }) => d.path === path).message;
    expect(detail(en.body, 'client.age')).toMatch(/too big/i);
    expect(detail(vi.body, 'client.age')).toMatch(/quá lớn/i);
    expect(detail(en.body, 'concern')).toBe('unknown field');
    expect(detail(vi.body, 'concern')).toBe('trường không có trong mẫu');
  });

  it('says who must log in in both languages', async () => {
    const en = await api.call('GET', '/cases');
    const vi = await api.call('GET', '/cases', { headers: { 'accept-language': 'vi' } });
    expect([en.status, vi.status]).toEqual([401, 401]);
    expect(en.body.error).toMatchObject({ code: 'unauthenticated', message: ERRORS.unauthenticated.message.en });
    expect(vi.body.error).toMatchObject({ code: 'unauthenticated', message: ERRORS.unauthenticated.message.vi });
  });
});

describe('numbers and instants past what the database holds (issue 11, finding 2)', () => {
  it.each([
    ['/rules/versions/2147483648', 'v'],
    ['/rules/diff?from=1&to=10976186176', 'to'],
    ['/audit?before=9223372036854775808', 'before'],
    ['/reviews/due?before=0000-01-01T00:00:00Z', 'before'],
  ])('answers GET %s with 422 naming %s', async (path, field) => {
    const manager = await api.tokenFor('manager1');
    const res = await api.call('GET', path, { token: manager });
    expect([res.status, res.body.error.details[0].path]).toEqual([422, field]);
  });

  it('refuses a version past integer in a body, and a cursor outside the years PostgreSQL holds', async () => {
    const manager = await api.tokenFor('manager1');
    const simulate = await api.call('POST', '/rules/simulate', { token: manager, body: { version: 12406865843, intakes: [intake()] } });
    expect([simulate.status, simulate.body.error.details[0].path]).toEqual([422, 'version']);
    for (const cursor of [`-8640000000000000_${randomUUID()}`, `99999999999999_${randomUUID()}`]) {
      expect((await get(`/cases?cursor=${cursor}`)).body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'cursor' }] });
    }
  });
});

describe('ids, routes and roles', () => {
  it('answers 404 not_found for an unknown or malformed case id and an unknown route', async () => {
    for (const path of [`/cases/${randomUUID()}`, '/cases/not-a-uuid', '/no-such-thing']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('answers 404 to an action on a malformed case id, and audits the attempt as it was asked', async () => {
    const res = await post('/cases/%E1%84%B8%00/notes', { text: 'ghi chú' });
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
    const [row] = await api.sql<{ case_id: string | null; outcome: number; detail: { requestedId?: string } }[]>`
      select case_id, outcome, detail from audit_log where action = 'case.note' order by seq desc limit 1`;
    expect(row).toEqual({ case_id: null, outcome: 404, detail: { stage: null, requestedId: '\u1138\ufffd' } });
  });

  it('answers 405 with Allow to a method a known path does not take, and 404 to an unknown path', async () => {
    // (TRACE, which fetch will not send, is sent by the fuzz suite.)
    const patch = await api.call('PATCH', '/units', { token: worker, body: {} });
    expect([patch.status, patch.body.error.code, patch.headers.get('allow')]).toEqual([405, 'method_not_allowed', 'GET, HEAD, POST']);
    const put = await api.call('PUT', `/cases/${randomUUID()}/notes`, { token: worker, body: {} });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await api.call('DELETE', '/nowhere', { token: worker })).status).toBe(404);
  });

  it('advertises in Allow exactly the methods /openapi.json documents for each path (a static path beside /{id} included)', async () => {
    const document = (await api.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const wrong: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      const documented = Object.keys(operations).map((m) => m.toUpperCase());
      if (documented.includes('GET')) documented.push('HEAD');
      const concrete = path.replace(/\{[^}]+\}/g, 'x1');
      const allow = (await api.call('OPTIONS', concrete, { token: worker })).headers.get('allow');
      if (allow !== documented.sort().join(', ')) wrong.push(`${path}: Allow ${allow}, documented ${documented.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('rejects an unknown filter value and a forged cursor', async () => {
    const badPath = await get('/cases?path=urgent');
    expect(badPath.status).toBe(422);
    expect(badPath.body.error.details[0].path).toBe('path');
    const badCursor = await get('/cases?cursor=bm90LWEtY3Vyc29y');
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'cursor' }] });
  });

  it('refuses an action to a role that may never do it with 403 forbidden, before looking at the case', async () => {
    const collaborator = await api.tokenFor('collaborator1');
    const admin = await api.tokenFor('admin1');
    const closure = await post(`/cases/${randomUUID()}/closure/decision`, { decision: 'approve', comment: 'x' }, {}, collaborator);
    expect(closure.status).toBe(403);
    expect(closure.body.error.code).toBe('forbidden');
    const plan = await post(`/cases/${randomUUID()}/plan`, { goals: ['x'], interventions: [] }, { 'accept-language': 'vi' }, admin);
    expect(plan.status).toBe(403);
    expect(plan.body.error.message).toContain('quản trị hệ thống');
  });
});

describe('text the database cannot hold', () => {
  const bad =
    (path: string, status = 422) =>
    async (res: Awaited<ReturnType<typeof post>>) => {
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };

  it('refuses a NUL character or a broken Unicode character in any text, naming the field, and creates nothing', async () => {
    const before = await caseCount();
    // Sent as raw JSON text: the escapes reach the server as they would from any client.
    await bad('summary')(await post('/cases', JSON.stringify(intake()).replace('"summary":"', '"summary":"a\\u0000')));
    await bad('client.fullName')(await post('/cases', JSON.stringify(intake()).replace('"fullName":"', '"fullName":"\\ud800')));
    await bad('actions[0]')(await post(`/cases/${randomUUID()}/safety-confirmed`, '{"actions":["a\\u0000b"]}'));
    await bad('path')(await get('/cases?path=emergency%00'));
    expect(await caseCount()).toBe(before);
  });

  it('refuses text of spaces alone, saying so in words, in either language', async () => {
    const blank = await post(`/cases/${randomUUID()}/notes`, { text: ' \u00a0\u3000 ' }, { 'accept-language': 'vi' });
    expect(blank.status).toBe(422);
    expect(blank.body.error.details).toEqual([{ path: 'text', message: 'cần có chữ (không chỉ khoảng trắng) và không có ký tự NUL' }]);
  });

  it('keeps whole Vietnamese text and emoji pairs', async () => {
    const res = await post('/rules/validate', { rules: [], scoring: { thresholds: [], emergencyLevels: [] }, note: 'Hoà 😀' });
    expect(res.body.error?.details?.some((d: { message: string }) => /NUL|Unicode/.test(d.message)) ?? false).toBe(false);
  });
});
