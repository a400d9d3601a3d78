// A case from hotline intake to closure through the HTTP API alone, against the Temporal dev
// server and PostgreSQL, with a deadline policy of seconds so the escalation ladder plays out
// in real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { eventually } from '../support/eventually';
import { secondsPolicy } from '../support/policies';
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

describe('a case through the API alone', () => {
  it('goes from hotline intake to closure, and a missed review climbs the ladder in real time', async () => {
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('review', { due: 'PT4S', supervisorGrace: 'PT2S', managerGrace: 'PT4S' }),
      comment: 'Rà soát theo giây để trình diễn',
    });
    expect(draft.status).toBe(201);
    const published = await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Trình diễn' });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', overdueAtOnce: [] });

    const created = await call('worker', 'POST', '/cases', { ...lonelyOlderMan(), channel: 'hotline' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ stage: 'assessment', deadline: { step: 'assessment', policyVersion: draft.body.version } });

    expect((await call('worker', 'POST', `/cases/${id}/plan`, { goals: ['x'], interventions: [] })).status).toBe(409);
    const assessed = await call('worker', 'POST', `/cases/${id}/assessment`, { summary: 'Cụ sống một mình', needs: ['food'] });
    expect(assessed.body).toMatchObject({ stage: 'planning', deadline: { step: 'planning' } });
    expect((await call('worker', 'POST', `/cases/${id}/assessment`, { summary: '' })).status).toBe(422);
    await call('worker', 'POST', `/cases/${id}/plan`, { goals: ['Bữa ăn'], interventions: [{ type: 'food', description: 'Suất ăn hằng ngày' }] });
    expect((await call('worker', 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'x' })).status).toBe(403);
    const approved = await call('manager', 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
    expect(approved.body).toMatchObject({ stage: 'implementation', deadline: { step: 'review' }, interventions: [{ id: 'i1', status: 'planned' }] });
    expect(approved.body.nextReviewAt).toBe(approved.body.deadline.dueAt);

    // Nobody records the review: reminder at 4 s, supervisor at 6 s, managers at 8 s.
    const escalations = await eventually(
      async () => (await call('manager', 'GET', `/escalations?caseId=${id}&status=open`)).body.items,
      (items: Array<{ level: string }>) => items.length === 2,
    );
    expect(escalations.map((e: { level: string }) => e.level).sort()).toEqual(['manager', 'supervisor']);
    const mine = async (who: string) => (await call(who, 'GET', '/me/notifications')).body.items.filter((n: { caseId: string }) => n.caseId === id);
    expect((await mine('worker')).map((n: { kind: string }) => n.kind)).toContain('deadline.reminder');
    expect((await mine('supervisor')).map((n: { kind: string }) => n.kind)).toEqual(['deadline.supervisor']);
    expect((await mine('manager')).map((n: { kind: string }) => n.kind)).toEqual(['deadline.manager']);
    expect((await mine('manager2')).map((n: { kind: string }) => n.kind)).toEqual(['deadline.manager']);
    const due = await call('supervisor', 'GET', `/reviews/due?before=${new Date().toISOString()}`);
    expect(due.body.items.map((r: { caseId: string }) => r.caseId)).toContain(id);

    const reviewed = await call('worker', 'POST', `/cases/${id}/reviews`, { summary: 'Đã có người nấu ăn', progress: 'on_track' });
    expect(reviewed.status).toBe(200);
    const resolved = (await call('manager', 'GET', `/escalations?caseId=${id}`)).body.items;
    expect(resolved.slice(-2).map((e: { status: string }) => e.status)).toEqual(['resolved', 'resolved']);

    const note = (await mine('supervisor'))[0];
    expect((await call('supervisor', 'POST', `/me/notifications/${note.id}/read`)).status).toBe(200);
    expect((await call('worker', 'POST', `/me/notifications/${note.id}/read`)).status).toBe(404);

    const early = await call('worker', 'POST', `/cases/${id}/closure`, {
      reasonCode: 'goals_met',
      goalsMet: 'all',
      reason: 'Đạt mục tiêu',
      outcome: 'An toàn',
    });
    expect([early.status, early.body.error.code]).toEqual([409, 'open_interventions']);
    await call('worker', 'PATCH', `/cases/${id}/interventions/i1`, { status: 'done', outcome: 'Có suất ăn hằng ngày' });
    expect(
      (await call('worker', 'POST', `/cases/${id}/closure`, { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Đạt mục tiêu', outcome: 'An toàn' })).status,
    ).toBe(200);
    const closed = await call('manager2', 'POST', `/cases/${id}/closure/decision`, { decision: 'approve', comment: 'Đồng ý' });
    expect(closed.body).toMatchObject({ stage: 'closed', deadline: null });

    const timeline = (await call('worker', 'GET', `/cases/${id}/timeline`)).body.items;
    const kinds = timeline.map((e: { kind: string }) => e.kind);
    expect(kinds.slice(0, 4)).toEqual(['case.routed', 'assessment.recorded', 'plan.submitted', 'plan.approved']);
    expect(kinds).toEqual(
      expect.arrayContaining(['deadline.reminder', 'deadline.supervisor', 'deadline.manager', 'review.recorded', 'closure.proposed', 'closure.approved']),
    );
    expect(timeline.find((e: { kind: string }) => e.kind === 'plan.approved')).toMatchObject({ actor: province.manager });

    // Each ladder step of each deadline happened once.
    const counts = await system.sql`select deadline_key, level, count(*)::int as n from escalations where case_id = ${id} group by 1, 2`;
    expect(counts.every((r) => r.n === 1)).toBe(true);
  });

  it('reassigns a case and tells both workers', async () => {
    const created = await call('worker', 'POST', '/cases', lonelyOlderMan());
    const other = await system.sql`
      insert into staff (id, province, username, display_name, role, unit_id, password_hash)
      select gen_random_uuid(), province, ${`worker2.${province.code}`}, 'Người thứ hai', 'social_worker', unit_id, password_hash
      from staff where username = ${province.worker} returning id`;
    expect((await call('worker', 'POST', `/cases/${created.body.id}/assign`, { workerId: other[0]!.id })).status).toBe(403);
    const moved = await call('supervisor', 'POST', `/cases/${created.body.id}/assign`, { workerId: other[0]!.id });
    expect(moved.body.assignedWorker).toMatchObject({ id: other[0]!.id, displayName: 'Người thứ hai' });
    const notified = await system.sql`select recipient_id, message from notifications where case_id = ${created.body.id} and kind = 'case.assigned'`;
    expect(notified).toHaveLength(2);
    expect(notified[0]!.message).toEqual({ vi: 'Trường hợp được phân công lại cho Người thứ hai', en: 'Case reassigned to Người thứ hai' });
  });

  it('records restrictions and notes as events of the case, and the case follows', async () => {
    const created = await call('worker', 'POST', '/cases', lonelyOlderMan());
    const id = created.body.id;
    expect((await call('worker', 'POST', `/cases/${id}/restriction`, { restricted: true, reason: 'x' })).status).toBe(403);
    const restricted = await call('supervisor', 'POST', `/cases/${id}/restriction`, { restricted: true, reason: 'Nạn nhân xâm hại' });
    expect(restricted.body).toMatchObject({ restricted: true, stage: 'assessment' });
    const noted = await call('worker', 'POST', `/cases/${id}/notes`, { text: 'Gọi điện cho con trai cụ' });
    expect(noted.status).toBe(200);
    const lifted = await call('manager', 'POST', `/cases/${id}/restriction`, { restricted: false, reason: 'Đã kiểm tra' });
    expect(lifted.body.restricted).toBe(false);
    const timeline = (await call('manager', 'GET', `/cases/${id}/timeline`)).body.items;
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['case.routed', 'case.restriction_changed', 'case.note', 'case.restriction_changed']);
    expect(timeline[1]).toMatchObject({ actor: province.supervisor, data: { restricted: true, reason: 'Nạn nhân xâm hại' } });
  });
});

describe('clients', () => {
  const hoa = (patch: Partial<ReturnType<typeof lonelyOlderMan>['client']> = {}) => {
    const base = lonelyOlderMan();
    return {
      ...base,
      client: {
        ...base.client,
        fullName: 'Nguyễn Thị Hoa',
        age: undefined,
        birthYear: 1950,
        gender: 'female' as const,
        location: { province: 'Quảng Ninh', commune: 'Hoành Bồ' },
        ...patch,
      },
    };
  };

  it('links reports about the same person, flags the repeat, raises its risk, and lets a worker merge it', async () => {
    const first = (await call('worker', 'POST', '/cases', hoa({ phone: '+84 912 345 678' }))).body;
    expect(first).toMatchObject({ clientId: expect.any(String), possibleRepeatOf: null });
    expect(first.risk.reasons.map((r: { rule: string }) => r.rule)).not.toContain('repeat_report');

    const again = (await call('worker', 'POST', '/cases', hoa({ phone: '0912345678' }))).body;
    expect(again).toMatchObject({ clientId: first.clientId, possibleRepeatOf: first.id, mergedInto: null });
    expect(again.risk.reasons.map((r: { rule: string }) => r.rule)).toContain('repeat_report');
    expect(again.risk.score).toBe(first.risk.score + 10);

    const byName = (await call('worker', 'POST', '/cases', hoa({ fullName: 'nguyen thi  hoa' }))).body;
    expect(byName.clientId).toBe(first.clientId);
    const namesake = (await call('worker', 'POST', '/cases', hoa({ location: { province: 'Quảng Ninh', commune: 'Móng Cái' } }))).body;
    expect(namesake.clientId).not.toBe(first.clientId);

    expect((await call('worker', 'POST', `/cases/${again.id}/merge`, { intoCaseId: namesake.id })).status).toBe(409);
    const merged = await call('worker', 'POST', `/cases/${again.id}/merge`, { intoCaseId: first.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ stage: 'closed', mergedInto: first.id });
    expect((await call('worker', 'GET', `/cases/${first.id}`)).body.stage).toBe('assessment');
    const kinds = (await call('worker', 'GET', `/cases/${again.id}/timeline`)).body.items.map((e: { kind: string }) => e.kind);
    expect(kinds.at(-1)).toBe('case.merged');
  });
});
