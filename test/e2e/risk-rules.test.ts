// The clinical rules of risk over the HTTP API (docs/process.md, I1–I3), one test per finding of
// issue 9 and one per rule: risk never drops silently, new danger reopens the emergency path, and
// no emergency is lost in a merge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Intake } from '../../domain/intake';
import { intake, lonelyOlderMan } from '../support/intakes';
import { eventually } from '../support/eventually';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem();
  for (const who of ['worker1', 'supervisor1', 'manager1', 'manager2']) tokens[who] = await system.login(who);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const someone = () => `Nguyễn Thị ${Math.random().toString(36).slice(2, 7)}`;

/** The README's example: a teacher reports a girl abused by someone who still reaches her. */
const abusedGirl = (): Intake =>
  intake({
    channel: 'hotline',
    client: { fullName: someone(), age: 11, gender: 'female', location: { province: 'Quảng Ninh', commune: 'Hoành Bồ' } },
    categories: ['child_at_risk'],
    concerns: { sexualAbuse: true, perpetratorHasAccess: true },
    summary: 'Giáo viên báo: em bị người quen xâm hại',
  });

async function toImplementation(id: string, emergency: boolean) {
  if (emergency) expect((await call('worker1', 'POST', `/cases/${id}/safety-confirmed`, { actions: ['Nơi ở tạm thời'] })).status).toBe(200);
  expect((await call('worker1', 'POST', `/cases/${id}/assessment`, { summary: 'Đánh giá', needs: ['shelter'] })).status).toBe(200);
  expect((await call('worker1', 'POST', `/cases/${id}/plan`, { goals: ['An toàn'], interventions: [] })).status).toBe(200);
  const approved = await call('manager1', 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
  expect(approved.body.stage).toBe('implementation');
  return approved.body;
}

const days = (iso: string) => (Date.parse(iso) - Date.now()) / 86_400_000;
const kinds = async (who: string, id: string) => (await call(who, 'GET', `/cases/${id}/timeline`)).body.items.map((e: { kind: string }) => e.kind);
const noticesOf = async (who: string, id: string) =>
  (await call(who, 'GET', '/me/notifications?limit=500')).body.items.filter((n: { caseId: string }) => n.caseId === id).map((n: { kind: string }) => n.kind);

describe('I1 risk never drops silently', () => {
  it('keeps an abused child on the emergency path and her 14-day reviews when a review reports no concerns (finding 1)', async () => {
    const created = (await call('worker1', 'POST', '/cases', abusedGirl())).body;
    expect(created.risk).toMatchObject({ path: 'emergency', level: 'high', score: 65 });
    await toImplementation(created.id, true);
    const reviewed = await call('worker1', 'POST', `/cases/${created.id}/reviews`, { summary: 'Ổn định', progress: 'on_track', concerns: {} });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.risk).toMatchObject({ path: 'emergency', level: 'high', score: 65 });
    expect(reviewed.body.concerns).toEqual({ sexualAbuse: true, perpetratorHasAccess: true });
    expect(reviewed.body.pendingRisk).toBeNull();
    expect(days(reviewed.body.nextReviewAt)).toBeGreaterThan(13);
    expect(days(reviewed.body.nextReviewAt)).toBeLessThan(15);
  });

  it('lets a supervisor clear a concern, holds the lower risk until someone else confirms it, and tells the supervisor', async () => {
    const created = (await call('worker1', 'POST', '/cases', abusedGirl())).body;
    await toImplementation(created.id, true);
    const cleared = {
      summary: 'Người gây hại đã bị bắt',
      progress: 'on_track',
      resolvedConcerns: [{ concern: 'sexualAbuse', reason: 'Đã khởi tố, đã chuyển nơi ở' }],
    };
    const byWorker = await call('worker1', 'POST', `/cases/${created.id}/reviews`, cleared);
    expect(byWorker.status).toBe(403);
    expect(byWorker.body.error.code).toBe('forbidden');

    const held = await call('supervisor1', 'POST', `/cases/${created.id}/reviews`, cleared);
    expect(held.status).toBe(200);
    expect(held.body.risk).toMatchObject({ path: 'emergency', level: 'high', score: 65 });
    expect(held.body.concerns).toMatchObject({ sexualAbuse: true });
    expect(held.body.pendingRisk).toMatchObject({ decision: { path: 'standard' }, concerns: { perpetratorHasAccess: true } });
    expect(held.body.pendingRisk.concerns.sexualAbuse).toBeUndefined();
    expect(await noticesOf('supervisor1', created.id)).toContain('risk.pending');

    const own = await call('supervisor1', 'POST', `/cases/${created.id}/risk/decision`, { decision: 'confirm', comment: 'x' });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('own_approval');
    expect((await call('worker1', 'POST', `/cases/${created.id}/risk/decision`, { decision: 'confirm', comment: 'x' })).status).toBe(403);

    const confirmed = await call('manager1', 'POST', `/cases/${created.id}/risk/decision`, { decision: 'confirm', comment: 'Đồng ý' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.risk).toEqual(held.body.pendingRisk.decision);
    expect(confirmed.body).toMatchObject({ pendingRisk: null, concerns: { perpetratorHasAccess: true } });
    expect(confirmed.body.concerns.sexualAbuse).toBeUndefined();
    const again = await call('manager2', 'POST', `/cases/${created.id}/risk/decision`, { decision: 'confirm', comment: 'x' });
    expect([again.status, again.body.error.code]).toEqual([409, 'no_pending_risk']);
    expect((await kinds('manager1', created.id)).slice(-2)).toEqual(['review.recorded', 'risk.confirmed']);
  });

  it('drops a rejected lower risk and keeps every concern', async () => {
    const created = (await call('worker1', 'POST', '/cases', abusedGirl())).body;
    await toImplementation(created.id, true);
    await call('manager1', 'POST', `/cases/${created.id}/reviews`, {
      summary: 'x',
      progress: 'on_track',
      resolvedConcerns: [{ concern: 'sexualAbuse', reason: 'x' }],
    });
    const rejected = await call('manager2', 'POST', `/cases/${created.id}/risk/decision`, { decision: 'reject', comment: 'Chưa đủ căn cứ' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      risk: { path: 'emergency', level: 'high' },
      pendingRisk: null,
      concerns: { sexualAbuse: true, perpetratorHasAccess: true },
    });
  });
});

describe('I2 new danger reopens the emergency path', () => {
  it('sends an emergency-path case in implementation back to emergency response when a review reports immediate danger (finding 2)', async () => {
    const created = (await call('worker1', 'POST', '/cases', abusedGirl())).body;
    await toImplementation(created.id, true);
    const reviewed = await call('worker1', 'POST', `/cases/${created.id}/reviews`, {
      summary: 'Lại bị đe doạ',
      progress: 'off_track',
      concerns: { immediateDanger: true },
    });
    expect(reviewed.body).toMatchObject({
      stage: 'emergency_response',
      risk: { path: 'emergency', level: 'critical' },
      deadline: { step: 'emergency_response' },
    });
    // A child's emergency response is due within 12 hours (Decree 56/2017).
    expect(days(reviewed.body.deadline.dueAt) * 24).toBeLessThanOrEqual(12);
    expect(await noticesOf('worker1', created.id)).toContain('risk.emergency');
    expect(await noticesOf('supervisor1', created.id)).toContain('risk.emergency');
  });

  it('sends a standard case to emergency response when a newly reported concern takes it onto the emergency path', async () => {
    const created = (await call('worker1', 'POST', '/cases', lonelyOlderMan())).body;
    expect(created.risk.path).toBe('standard');
    await toImplementation(created.id, false);
    const reviewed = await call('worker1', 'POST', `/cases/${created.id}/reviews`, {
      summary: 'Thiếu ăn',
      progress: 'off_track',
      concerns: { basicNeedsUnmet: true },
    });
    expect(reviewed.body).toMatchObject({ stage: 'emergency_response', risk: { path: 'emergency' } });
    // The same concern reported again is not new danger: the case stays where it is.
    await call('worker1', 'POST', `/cases/${created.id}/safety-confirmed`, { actions: ['Hỗ trợ lương thực'] });
    expect((await call('worker1', 'GET', `/cases/${created.id}`)).body.stage).toBe('assessment');
  });
});

describe('I3 no emergency is lost in a merge', () => {
  it('brings the open case back to emergency response, with the report’s concerns and a higher risk, on both timelines (finding 3)', async () => {
    const older = lonelyOlderMan();
    const open = (await call('worker1', 'POST', '/cases', older)).body;
    expect(open.risk.path).toBe('standard');
    const report = (await call('worker1', 'POST', '/cases', { ...older, channel: 'hotline', concerns: { sexualAbuse: true, perpetratorHasAccess: true } }))
      .body;
    expect(report).toMatchObject({ stage: 'emergency_response', possibleRepeatOf: open.id });

    const merged = await call('worker1', 'POST', `/cases/${report.id}/merge`, { intoCaseId: open.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ stage: 'closed', mergedInto: open.id });

    const survivor = await eventually(
      async () => (await call('worker1', 'GET', `/cases/${open.id}`)).body,
      (c) => c.stage === 'emergency_response',
    );
    expect(survivor).toMatchObject({
      stage: 'emergency_response',
      risk: { path: 'emergency' },
      concerns: { sexualAbuse: true, perpetratorHasAccess: true, livesAlone: true },
    });
    expect(survivor.risk.score).toBeGreaterThan(open.risk.score);
    expect((await kinds('worker1', report.id)).at(-1)).toBe('case.merged');
    expect((await kinds('worker1', open.id)).at(-1)).toBe('case.merge_received');
  });
});
