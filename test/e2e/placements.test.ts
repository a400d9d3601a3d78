// Placements (issue 28) over HTTP on the real stack: a child of an emergency case placed with a
// foster family that has room; a full, an expired, a foreign carer refused; one placement at a
// time (P2); a temporary separation under a seconds policy warned of, then overdue and climbing
// to the supervisor and the managers once each, extended by a manager and ended (P1); closure
// refused while placed; a move between carers in one step; bad input named, nothing half-written.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { createCaseActivities } from '../../activities/cases';
import type { PlacementRecord } from '../../domain/placements';
import { referralLinks } from '../../security/referral-links';
import { eventually } from '../support/eventually';
import { abusedChild } from '../support/intakes';
import { secondsPolicy } from '../support/policies';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'manager2', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

async function carer(patch: Record<string, unknown> = {}) {
  const created = await call('manager', 'POST', '/carers', {
    kind: 'foster_family',
    name: `Gia đình ${randomUUID().slice(0, 6)}`,
    commune: 'Hoành Bồ',
    capacity: 2,
    contact: { phone: '0912 000 111' },
    ...patch,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

async function emergencyCase() {
  const created = await call('worker', 'POST', '/cases', abusedChild());
  expect(created.status).toBe(201);
  expect(created.body.stage).toBe('emergency_response');
  return created.body as { id: string };
}

const placing = (carerId: string, patch: Record<string, unknown> = {}) => ({
  carerId,
  kind: 'foster_care',
  startsAt: ago(60_000),
  reason: 'Trẻ không an toàn ở nhà; gia đình nhận chăm sóc đã sẵn sàng',
  ...patch,
});
const decision = { number: '12/QĐ-UBND', by: 'Chủ tịch UBND xã', on: new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10) };

describe('placing a person', () => {
  it('places a child of an emergency case with a foster family that has room, and shows where the child is tonight', async () => {
    const family = await carer();
    const c = await emergencyCase();
    const placed = await call('worker', 'POST', `/cases/${c.id}/placements`, placing(family.id));
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ caseId: c.id, carer: { id: family.id }, kind: 'foster_care', status: 'active', visits: 0, endsBy: null });
    expect(Date.parse(placed.body.nextVisitBy)).toBeGreaterThan(Date.now());

    const seen = (await call('worker', 'GET', `/cases/${c.id}`)).body;
    expect(seen.placement).toMatchObject({ id: placed.body.id, status: 'active' });
    expect(seen.placements.map((p: { id: string }) => p.id)).toEqual([placed.body.id]);
    expect(seen.placedNow).toMatchObject({ id: placed.body.id, kind: 'foster_care', status: 'active' });
    const tonight = (await call('supervisor', 'GET', `/placements?active=true&carerId=${family.id}`)).body.items;
    expect(tonight.map((p: { id: string }) => p.id)).toEqual([placed.body.id]);
    expect((await call('worker', 'GET', `/carers/${family.id}`)).body).toMatchObject({ placesTaken: 1, available: true });
    const timeline = (await call('worker', 'GET', `/cases/${c.id}/timeline`)).body.items ?? (await call('worker', 'GET', `/cases/${c.id}/timeline`)).body;
    expect(JSON.stringify(timeline)).toContain('placement.started');

    // P2: one placement at a time.
    const second = await call('worker', 'POST', `/cases/${c.id}/placements`, placing((await carer()).id));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('active_placement');

    // A visit that saw the child starts the rhythm again.
    const visited = await call('worker', 'POST', `/cases/${c.id}/placements/${placed.body.id}/visits`, {
      visitedOn: decision.on,
      seen: true,
      note: 'Trẻ ăn ngủ tốt',
    });
    expect(visited.status).toBe(200);
    expect(visited.body).toMatchObject({ visits: 1, lastVisitOn: decision.on });
  });

  it('refuses a full carer, an expired or foreign one, and bad input, each naming what is wrong and writing nothing', async () => {
    const one = await carer({ capacity: 1 });
    const first = await emergencyCase();
    expect((await call('worker', 'POST', `/cases/${first.id}/placements`, placing(one.id))).status).toBe(201);
    const c = await emergencyCase();
    const full = await call('worker', 'POST', `/cases/${c.id}/placements`, placing(one.id));
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: 'carer_full', details: [{ path: 'carerId' }] });

    // P3 under a race: two cases asking for the last place at once, one gets it.
    const last = await carer({ capacity: 1 });
    const [x, y] = [await emergencyCase(), await emergencyCase()];
    const both = await Promise.all([x, y].map((k) => call('worker', 'POST', `/cases/${k.id}/placements`, placing(last.id))));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.code).toBe('carer_full');
    expect((await call('worker', 'GET', `/carers/${last.id}`)).body.placesTaken).toBe(1);

    // The write itself refuses the place the check let through (the check and the write are apart):
    // nothing of the event is kept, and the failure is one no retry can change.
    const record = createCaseActivities({ sql: system.sql, clock: () => new Date(), referralLinks: referralLinks('test', 'http://127.0.0.1') }).recordCaseEvent;
    const now = new Date().toISOString();
    const late: PlacementRecord = {
      ...{ id: randomUUID(), carerId: last.id, kind: 'foster_care', status: 'active', startsAt: now, endsBy: null, reason: 'x', extensions: [], visits: 0 },
      ...{ createdBy: 'x', createdAt: now, updatedAt: now, fired: [], clockSeq: 0 },
    };
    const event = { caseId: c.id, seq: 999, at: now, actor: null, kind: 'placement.started', data: {}, stage: 'emergency_response', snapshot: {} };
    const refused = await record({ ...event, dueAt: null, nextReviewAt: null, resolves: [], notify: [], placements: [late] }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'carer_full', nonRetryable: true });
    expect(await system.sql`select 1 from case_events where case_id = ${c.id} and seq = 999`).toHaveLength(0);

    const expired = await carer({ approvedUntil: '2020-01-01' });
    const stale = await call('worker', 'POST', `/cases/${c.id}/placements`, placing(expired.id));
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('carer_not_approved');
    const unknown = await call('worker', 'POST', `/cases/${c.id}/placements`, placing(randomUUID()));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details[0].path).toBe('carerId');

    const room = await carer();
    const bad = async (patch: Record<string, unknown>, status: number, field: string) => {
      const answer = await call('worker', 'POST', `/cases/${c.id}/placements`, placing(room.id, patch));
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(JSON.stringify(answer.body)).toContain(field);
    };
    await bad({ kind: 'boarding_school' }, 422, 'kind');
    await bad({ until: ago(120_000) }, 422, 'until');
    await bad({ startsAt: later(86_400_000) }, 422, 'startsAt');
    // A temporary separation's decision cannot give more than the law's limit.
    await bad({ kind: 'temporary_separation', until: later(16 * 86_400_000) }, 422, 'until');
    expect((await call('worker', 'GET', `/cases/${c.id}`)).body.placements).toEqual([]);
    expect((await call('worker', 'GET', `/carers/${room.id}`)).body.placesTaken).toBe(0);

    const placed = (await call('worker', 'POST', `/cases/${c.id}/placements`, placing(room.id, { kind: 'temporary_separation', decision }))).body;
    const at = (path: string) => `/cases/${c.id}/placements/${placed.id}/${path}`;
    const ended = await call('worker', 'POST', at('end'), { endedAt: ago(3_600_000), outcome: 'returned_home', note: 'Về nhà' });
    expect(ended.status).toBe(422);
    expect(JSON.stringify(ended.body)).toContain('endedAt');
    expect((await call('worker', 'POST', at('end'), { endedAt: ago(0), outcome: 'gone', note: 'Đi' })).status).toBe(422);
    const early = await call('worker', 'POST', at('visits'), { visitedOn: '2020-01-01', seen: true, note: 'Thăm' });
    expect(early.status).toBe(422);
    expect(JSON.stringify(early.body)).toContain('visitedOn');
    const byWorker = await call('worker', 'POST', at('extend'), { decision, until: later(20 * 86_400_000), reason: 'Cần thêm thời gian' });
    expect(byWorker.status).toBe(403);
    const noNumber = await call('manager', 'POST', at('extend'), {
      decision: { by: decision.by, on: decision.on },
      until: later(20 * 86_400_000),
      reason: 'x',
    });
    expect(noNumber.status).toBe(422);
    expect(JSON.stringify(noNumber.body)).toContain('decision.number');
    const tooLong = await call('manager', 'POST', at('extend'), { decision, until: later(40 * 86_400_000), reason: 'x' });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(tooLong.body)).toContain('until');
    expect((await call('worker', 'GET', `/cases/${c.id}`)).body.placement).toMatchObject({ id: placed.id, extensions: [] });

    // Another province's carer does not exist here.
    const other = await freshProvince(system.sql);
    const otherManager = await system.login(other.manager);
    const foreign = await system.call('POST', '/carers', {
      token: otherManager,
      body: { kind: 'shelter', name: 'Nhà tạm lánh tỉnh khác', commune: 'X', capacity: 5, contact: {} },
    });
    const moved = await call('worker', 'POST', at('move'), { carerId: foreign.body.id, startsAt: ago(0), reason: 'Chuyển' });
    expect(moved.status).toBe(404);
  });
});

describe('where the person is tonight, in the scope of cases', () => {
  it('lists a restricted case’s placement only to those who may see the case, and never to collaborators or administrators', async () => {
    const [colleague, collaborator] = [`worker2.${province.code}`, `ctv.${province.code}`];
    for (const [username, role] of [
      [colleague, 'social_worker'],
      [collaborator, 'collaborator'],
    ]) {
      await system.sql`
        insert into staff (id, province, username, display_name, role, unit_id, password_hash)
        select ${randomUUID()}, ${province.code}, ${username!}, ${username!}, ${role!}, s.unit_id, s.password_hash
        from staff s where s.username = ${province.worker}`;
    }
    tokens.colleague = await system.login(colleague);
    tokens.collaborator = await system.login(collaborator);
    tokens.admin = await system.login(province.admin);
    const family = await carer();
    const c = await emergencyCase();
    const placed = (await call('worker', 'POST', `/cases/${c.id}/placements`, placing(family.id))).body;
    const listed = async (who: string) => (await call(who, 'GET', `/placements?carerId=${family.id}`)).body.items.map((p: { id: string }) => p.id);
    // A child abused sexually is restricted from intake; lifted, the unit's workers see where the child is.
    expect(await listed('colleague')).toEqual([]);
    expect((await call('supervisor', 'POST', `/cases/${c.id}/restriction`, { restricted: false, reason: 'Cả đơn vị cùng theo dõi' })).status).toBe(200);
    expect(await listed('colleague')).toEqual([placed.id]);

    expect((await call('supervisor', 'POST', `/cases/${c.id}/restriction`, { restricted: true, reason: 'Nạn nhân xâm hại' })).status).toBe(200);
    expect(await listed('colleague')).toEqual([]);
    expect((await call('colleague', 'GET', `/carers/${family.id}`)).body).toMatchObject({ placesTaken: 1, placements: [] });
    for (const who of ['worker', 'supervisor', 'manager']) expect(await listed(who)).toEqual([placed.id]);
    expect((await call('admin', 'GET', '/placements')).status).toBe(403);
    expect((await call('collaborator', 'GET', '/placements')).status).toBe(403);
    expect((await call('collaborator', 'GET', `/carers/${family.id}`)).body.placements).toEqual([]);
    const other = await freshProvince(system.sql);
    expect((await system.call('GET', '/placements', { token: await system.login(other.manager) })).body.items).toEqual([]);
    expect((await call('worker', 'GET', '/placements?kind=orphanage')).status).toBe(422);
  });
});

describe('P1: a temporary separation within the law’s limit', () => {
  it('warns, goes overdue and climbs to the supervisor and the managers once each, then a manager extends it and it ends', async () => {
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('separation_limit', { due: 'PT8S', warning: 'PT4S', supervisorGrace: 'PT0S', managerGrace: 'PT0S' }),
      comment: 'Tạm thời cách ly theo giây',
    });
    expect(draft.status).toBe(201);
    expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);

    const shelter = await carer({ kind: 'shelter', capacity: 5 });
    const c = await emergencyCase();
    const placed = await call('worker', 'POST', `/cases/${c.id}/placements`, placing(shelter.id, { kind: 'temporary_separation', startsAt: ago(0), decision }));
    expect(placed.status).toBe(201);
    expect(Date.parse(placed.body.endsBy) - Date.parse(placed.body.startsAt)).toBe(8_000);
    expect(Date.parse(placed.body.endsBy) - Date.parse(placed.body.warningAt)).toBe(4_000);

    const kinds = async (who: string) =>
      (await call(who, 'GET', '/me/notifications')).body.items.filter((n: { caseId: string }) => n.caseId === c.id).map((n: { kind: string }) => n.kind);
    await eventually(
      () => kinds('supervisor'),
      (k) => k.includes('placement.limit_near'),
    );
    expect(await kinds('worker')).toContain('placement.limit_near');

    const overdue = await eventually(
      async () => (await call('worker', 'GET', `/cases/${c.id}`)).body,
      (v) => v.placement?.status === 'overdue',
    );
    expect(overdue.placedNow.status).toBe('overdue');
    const escalations = await eventually(
      async () => (await call('manager', 'GET', `/escalations?caseId=${c.id}&status=open`)).body.items,
      (items) => items.length === 2,
    );
    expect(escalations.map((e: { level: string; step: string }) => `${e.step}:${e.level}`).sort()).toEqual([
      'separation_limit:manager',
      'separation_limit:supervisor',
    ]);
    for (const who of ['manager', 'manager2'])
      await eventually(
        () => kinds(who),
        (k) => k.includes('deadline.manager'),
      );
    await eventually(
      () => kinds('supervisor'),
      (k) => k.includes('deadline.supervisor'),
    );
    // Once each: a while later nothing climbed twice.
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await kinds('supervisor')).filter((k: string) => k === 'deadline.supervisor')).toHaveLength(1);
    expect((await kinds('manager')).filter((k: string) => k === 'deadline.manager')).toHaveLength(1);
    expect((await call('supervisor', 'GET', '/placements?status=overdue')).body.items.map((p: { id: string }) => p.id)).toContain(placed.body.id);

    // A manager's new decision: active again, the escalations resolved.
    const extended = await call('manager', 'POST', `/cases/${c.id}/placements/${placed.body.id}/extend`, {
      decision: { ...decision, number: '15/QĐ-UBND' },
      until: later(6_000),
      reason: 'Gia đình chưa an toàn; cần thêm thời gian',
    });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ status: 'active', extensions: [{ decision: { number: '15/QĐ-UBND' } }] });
    expect(extended.body.overdueAt).not.toBeNull();
    expect((await call('manager', 'GET', `/escalations?caseId=${c.id}&status=open`)).body.items).toEqual([]);

    const ended = await call('worker', 'POST', `/cases/${c.id}/placements/${placed.body.id}/end`, {
      endedAt: ago(0),
      outcome: 'returned_home',
      note: 'Trẻ về với mẹ; cha đã rời khỏi nhà',
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', outcome: 'returned_home' });
    // Ended: its clock stopped, nothing more climbs.
    await new Promise((r) => setTimeout(r, 7_000));
    expect((await call('manager', 'GET', `/escalations?caseId=${c.id}&status=open`)).body.items).toEqual([]);
    expect((await call('worker', 'GET', `/cases/${c.id}`)).body).toMatchObject({ placement: null, placedNow: null });
  });
});

describe('closure and moves', () => {
  it('refuses closure while the person is placed, and moves them between carers in one step', async () => {
    const [a, b] = [await carer({ capacity: 1 }), await carer({ capacity: 1 })];
    const c = await emergencyCase();
    const placed = (await call('worker', 'POST', `/cases/${c.id}/placements`, placing(a.id))).body;
    // To implementation: safety, assessment, plan, approval.
    expect((await call('worker', 'POST', `/cases/${c.id}/safety-confirmed`, { actions: ['Đưa trẻ tới gia đình nhận chăm sóc'] })).status).toBe(200);
    expect((await call('worker', 'POST', `/cases/${c.id}/assessment`, { summary: 'Đã đánh giá', needs: ['An toàn'] })).status).toBe(200);
    expect((await call('worker', 'POST', `/cases/${c.id}/plan`, { goals: ['An toàn'], interventions: [] })).status).toBe(200);
    expect((await call('manager', 'POST', `/cases/${c.id}/plan/decision`, { decision: 'approve', comment: 'Đồng ý' })).status).toBe(200);
    const closure = { reasonCode: 'goals_met', reason: 'Xong', goalsMet: 'all', outcome: 'An toàn' };
    const refused = await call('worker', 'POST', `/cases/${c.id}/closure`, closure);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('active_placement');

    const moved = await call('worker', 'POST', `/cases/${c.id}/placements/${placed.id}/move`, {
      carerId: b.id,
      startsAt: ago(0),
      reason: 'Gần trường học hơn',
    });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ carer: { id: b.id }, kind: 'foster_care', status: 'active' });
    const after = (await call('worker', 'GET', `/cases/${c.id}`)).body;
    expect(after.placements.map((p: { carer: { id: string }; status: string; outcome: string | null }) => [p.carer.id, p.status, p.outcome])).toEqual([
      [a.id, 'ended', 'moved'],
      [b.id, 'active', null],
    ]);
    expect((await call('worker', 'GET', `/carers/${a.id}`)).body).toMatchObject({ placesTaken: 0, available: true });
    expect((await call('worker', 'GET', `/carers/${b.id}`)).body).toMatchObject({ placesTaken: 1, available: false });

    expect(
      (await call('worker', 'POST', `/cases/${c.id}/placements/${moved.body.id}/end`, { endedAt: ago(0), outcome: 'returned_home', note: 'Về nhà' })).status,
    ).toBe(200);
    expect((await call('worker', 'POST', `/cases/${c.id}/closure`, closure)).status).toBe(200);
  });
});
