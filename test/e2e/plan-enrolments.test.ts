// A case's plan and group work (issue 29) over HTTP on the real stack: a plan with a group
// intervention is enrolled in its programme when a manager approves it, and the enrolment shows
// in the programme and in the case; a place added during implementation is taken at once, and a
// full programme refuses it naming the field, keeping nothing (and under a race, the database
// decides); an enrolment made from the programme's side with the case's id shows in the case's
// plan; another province's programme is refused. The console shows them in the plan.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseActivities } from '../../activities/cases';
import { ENROLMENT_REFUSED_FAILURE } from '../../domain/plan-enrolments';
import { referralLinks } from '../../security/referral-links';
import { lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
let elsewhere: TestProvince;
const tokens: Record<string, string> = {};
let workerId: string;
let unitId: string;

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  elsewhere = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
  tokens.far = await system.login(elsewhere.manager);
  const [worker] = await system.sql<{ id: string; unit_id: string }[]>`select id, unit_id from staff where username = ${province.worker}`;
  [workerId, unitId] = [worker!.id, worker!.unit_id];
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + 7 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
const consent = { givenBy: 'Người được trợ giúp' };

async function programme(patch: Record<string, unknown> = {}, by = 'manager') {
  const created = await call(by, 'POST', '/programmes', {
    name: `CLB ${randomUUID().slice(0, 6)}`,
    kind: 'club',
    unitId,
    facilitators: [workerId],
    startsOn: daysAgo(30),
    ...patch,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; name: string };
}

/** A case through assessment to planning. */
async function planning() {
  const created = await call('worker', 'POST', '/cases', lonelyOlderMan());
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call('worker', 'POST', `/cases/${id}/assessment`, { summary: 'Sống một mình', needs: ['bạn bè'] })).body.stage).toBe('planning');
  return { id, clientId: created.body.clientId as string };
}

/** A case with an approved plan of no intervention: in implementation. */
async function implementation() {
  const c = await planning();
  expect((await call('worker', 'POST', `/cases/${c.id}/plan`, { goals: ['Hoà nhập'], interventions: [] })).status).toBe(200);
  expect((await call('manager', 'POST', `/cases/${c.id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' })).body.stage).toBe('implementation');
  return c;
}

const group = (programmeId: string, patch: Record<string, unknown> = {}) => ({
  type: 'group',
  description: 'Sinh hoạt CLB hằng tuần',
  programmeId,
  consent,
  ...patch,
});
const enrolmentsOf = async (programmeId: string) =>
  (await call('manager', 'GET', `/programmes/${programmeId}`)).body.enrolments as Array<Record<string, unknown>>;

describe('a plan with group work', () => {
  it('enrols the person when the plan is approved, and shows it in the programme and in the case', async () => {
    const club = await programme({ capacity: 5 });
    const c = await planning();

    // The body's own rules, each naming its field.
    const wrongType = await call('worker', 'POST', `/cases/${c.id}/plan`, { goals: ['x'], interventions: [group(club.id, { type: 'club' })] });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error.details).toContainEqual(expect.objectContaining({ path: 'interventions[0].type' }));
    const noConsent = await call('worker', 'POST', `/cases/${c.id}/plan`, { goals: ['x'], interventions: [group(club.id, { consent: undefined })] });
    expect(noConsent.status).toBe(422);
    expect(noConsent.body.error.details).toContainEqual(expect.objectContaining({ path: 'interventions[0].consent' }));

    const submitted = await call('worker', 'POST', `/cases/${c.id}/plan`, {
      goals: ['Có bạn, có việc làm'],
      interventions: [{ type: 'food', description: 'Suất ăn' }, group(club.id)],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.stage).toBe('plan_review');
    expect(submitted.body.interventions[1]).toMatchObject({ id: 'i2', type: 'group', programmeId: club.id, consent, status: 'planned' });
    expect(submitted.body.interventions[1].enrolmentId).toBeUndefined();
    // A proposal holds no place: nothing is enrolled until a manager approves it.
    expect(await enrolmentsOf(club.id)).toEqual([]);

    const approved = await call('manager', 'POST', `/cases/${c.id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.stage).toBe('implementation');
    const enrolmentId = approved.body.interventions[1].enrolmentId as string;
    expect(enrolmentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(approved.body.interventions[0].enrolmentId).toBeUndefined();

    const [enrolled] = await enrolmentsOf(club.id);
    expect(enrolled).toMatchObject({ id: enrolmentId, caseId: c.id, clientId: c.clientId, enrolledOn: today(), consent, outcome: null });
    const seen = (await call('worker', 'GET', `/cases/${c.id}`)).body;
    expect(seen.programmes).toEqual([
      { enrolmentId, programme: { id: club.id, name: club.name, kind: 'club' }, enrolledOn: today(), outcome: null, outcomeOn: null },
    ]);
    const approval = (await call('worker', 'GET', `/cases/${c.id}/timeline`)).body.items.find((e: { kind: string }) => e.kind === 'plan.approved');
    expect(approval.data.enrolments).toEqual([{ id: enrolmentId, interventionId: 'i2', programmeId: club.id }]);

    // The same place twice is refused before the workflow is asked.
    const twice = await call('worker', 'POST', `/cases/${c.id}/interventions`, group(club.id));
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'already_enrolled', details: [{ path: 'programmeId' }] });

    // A list of cases carries no programmes: only the one case does.
    const listed = (await call('worker', 'GET', `/cases?clientId=${c.clientId}`)).body.items[0];
    expect(listed.programmes).toBeUndefined();
  });

  it('refuses at approval a place the programme no longer has, keeping the plan in review', async () => {
    const club = await programme({ capacity: 1 });
    const c = await planning();
    expect((await call('worker', 'POST', `/cases/${c.id}/plan`, { goals: ['x'], interventions: [group(club.id)] })).status).toBe(200);
    const other = await planning();
    expect((await call('worker', 'POST', `/programmes/${club.id}/enrolments`, { clientId: other.clientId, enrolledOn: today(), consent })).status).toBe(201);
    const refused = await call('manager', 'POST', `/cases/${c.id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'programme_full', details: [{ path: 'interventions[0].programmeId' }] });
    const still = (await call('worker', 'GET', `/cases/${c.id}`)).body;
    expect(still).toMatchObject({ stage: 'plan_review', programmes: [] });
    // Sent back, the plan cancels the place and goes on.
    expect((await call('manager', 'POST', `/cases/${c.id}/plan/decision`, { decision: 'reject', comment: 'CLB đã đủ người' })).status).toBe(200);
  });
});

describe('group work added during implementation', () => {
  it('takes a place at once; a full programme is refused naming the field and nothing is kept', async () => {
    const club = await programme({ capacity: 1 });
    const c = await implementation();
    const added = await call('worker', 'POST', `/cases/${c.id}/interventions`, group(club.id));
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const intervention = added.body.interventions.at(-1);
    expect(intervention).toMatchObject({ type: 'group', programmeId: club.id, status: 'planned' });
    expect((await enrolmentsOf(club.id)).map((e) => e.id)).toEqual([intervention.enrolmentId]);

    const d = await implementation();
    const full = await call('worker', 'POST', `/cases/${d.id}/interventions`, group(club.id));
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'programme_full', details: [{ path: 'programmeId' }] });
    const after = (await call('worker', 'GET', `/cases/${d.id}`)).body;
    expect(after.interventions).toEqual([]);
    expect(after.programmes).toEqual([]);
    expect(await enrolmentsOf(club.id)).toHaveLength(1);

    const closed = await programme();
    expect((await call('manager', 'PATCH', `/programmes/${closed.id}`, { closed: true })).status).toBe(200);
    const late = await call('worker', 'POST', `/cases/${d.id}/interventions`, group(closed.id));
    expect(late.body.error).toMatchObject({ code: 'programme_closed', details: [{ path: 'programmeId' }] });
  });

  it('lets the database decide when two cases ask for the last place at once, and a refused write keeps nothing', async () => {
    const last = await programme({ capacity: 1 });
    const [x, y] = [await implementation(), await implementation()];
    const both = await Promise.all([x, y].map((k) => call('worker', 'POST', `/cases/${k.id}/interventions`, group(last.id))));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)!.body.error).toMatchObject({ code: 'programme_full', details: [{ path: 'programmeId' }] });
    expect(await enrolmentsOf(last.id)).toHaveLength(1);
    const loser = both[0]!.status === 409 ? x : y;

    // The write itself refuses what the check let through: no event, no enrolment, and no retry.
    const record = createCaseActivities({ sql: system.sql, clock: () => new Date(), referralLinks: referralLinks('test', 'http://127.0.0.1') }).recordCaseEvent;
    const now = new Date().toISOString();
    const enrolment = { id: randomUUID(), interventionId: 'i9', programmeId: last.id, consent };
    const event = { caseId: loser.id, seq: 999, at: now, actor: null, kind: 'intervention.added', data: {}, stage: 'implementation', snapshot: {} };
    const refused = await record({ ...event, dueAt: null, nextReviewAt: null, resolves: [], notify: [], enrolments: [enrolment] }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: ENROLMENT_REFUSED_FAILURE, nonRetryable: true, details: [{ code: 'programme_full', interventionId: 'i9' }] });
    expect(await system.sql`select 1 from case_events where case_id = ${loser.id} and seq = 999`).toHaveLength(0);
    expect(await system.sql`select 1 from enrolments where id = ${enrolment.id}`).toHaveLength(0);

    // A retried write finds its own enrolment and goes on (the same id is not "already enrolled"):
    // its event row taken away, the attempt runs again whole.
    const roomy = await programme();
    const mine = { ...enrolment, programmeId: roomy.id };
    await record({ ...event, seq: 998, dueAt: null, nextReviewAt: null, resolves: [], notify: [], enrolments: [mine] });
    await system.sql`delete from case_events where case_id = ${loser.id} and seq = 998`;
    await record({ ...event, seq: 998, dueAt: null, nextReviewAt: null, resolves: [], notify: [], enrolments: [mine] });
    expect(await system.sql`select 1 from enrolments where id = ${mine.id}`).toHaveLength(1);
  });
});

describe('enrolments and the case', () => {
  it('shows an enrolment made from the programme with the case’s id in the case’s plan, on the API and in the console', async () => {
    const training = await programme({ name: 'Lớp dạy nghề may', kind: 'vocational_training' });
    const c = await implementation();
    const enrolled = await call('worker', 'POST', `/programmes/${training.id}/enrolments`, {
      clientId: c.clientId,
      caseId: c.id,
      enrolledOn: today(),
      consent,
    });
    expect(enrolled.status).toBe(201);
    const club = await programme({ name: 'CLB Xanh lại ước mơ' });
    expect((await call('worker', 'POST', `/cases/${c.id}/interventions`, group(club.id))).status).toBe(200);
    const seen = (await call('worker', 'GET', `/cases/${c.id}`)).body;
    expect(seen.programmes.map((p: { programme: { id: string } }) => p.programme.id).sort()).toEqual([training.id, club.id].sort());
    expect(seen.programmes.find((p: { enrolmentId: string }) => p.enrolmentId === enrolled.body.id)).toMatchObject({
      programme: { name: 'Lớp dạy nghề may', kind: 'vocational_training' },
      enrolledOn: today(),
    });

    // The console: both in the plan, each linked to its programme.
    const login = await fetch(`${system.url}/app/login`);
    const csrf = /cf_csrf=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const session = await fetch(`${system.url}/app/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cf_csrf=${csrf}` },
      body: new URLSearchParams({ username: province.worker, password: 'demo', csrf }),
      redirect: 'manual',
    });
    const cookie = `cf_csrf=${csrf}; cf_session=${/cf_session=([^;]+)/.exec(session.headers.get('set-cookie') ?? '')![1]}`;
    const page = await (await fetch(`${system.url}/app/cases/${c.id}`, { headers: { cookie, 'accept-language': 'vi' } })).text();
    expect(page).toContain(`href="/app/programmes/${training.id}">Sinh hoạt nhóm: Lớp dạy nghề may</a>`);
    expect(page).toContain(`href="/app/programmes/${club.id}">Sinh hoạt nhóm: CLB Xanh lại ước mơ</a>`);
    // The programmes to choose from, for another intervention.
    expect(page).toContain(`<option value="${club.id}"`);
  });

  it('refuses another province’s programme naming the field, before the workflow is asked', async () => {
    const [far] = await system.sql<{ unit_id: string }[]>`select id as unit_id from units where province = ${elsewhere.code}`;
    const farWorker = (await system.sql<{ id: string }[]>`select id from staff where username = ${elsewhere.worker}`)[0]!.id;
    const foreign = await programme({ unitId: far!.unit_id, facilitators: [farWorker] }, 'far');
    const c = await planning();
    const refused = await call('worker', 'POST', `/cases/${c.id}/plan`, {
      goals: ['x'],
      interventions: [{ type: 'food', description: 'Ăn' }, group(foreign.id)],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'unknown_reference', details: [{ path: 'interventions[1].programmeId' }] });
    expect((await call('worker', 'GET', `/cases/${c.id}`)).body).toMatchObject({ stage: 'planning', interventions: [] });
    const unknown = await call('worker', 'POST', `/cases/${c.id}/plan`, { goals: ['x'], interventions: [group(randomUUID())] });
    expect(unknown.body.error).toMatchObject({ code: 'unknown_reference', details: [{ path: 'interventions[0].programmeId' }] });
  });
});
