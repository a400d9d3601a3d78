// The record stays whole (docs/process.md, I6), over HTTP: re-submitted plans name what happens to
// every intervention, interventions move forward only, closure waits for them, and a case is
// worked in its unit until it is transferred.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem();
  for (const who of ['worker1', 'worker2', 'supervisor1', 'supervisor2', 'manager1', 'manager2']) tokens[who] = await system.login(who);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const staffId = async (username: string) => (await system.sql<{ id: string }[]>`select id from staff where username = ${username}`)[0]!.id;

async function planned(interventions: Array<{ type: string; description: string }>) {
  const id = (await call('worker1', 'POST', '/cases', lonelyOlderMan())).body.id;
  await call('worker1', 'POST', `/cases/${id}/assessment`, { summary: 'Đánh giá', needs: ['food'] });
  await call('worker1', 'POST', `/cases/${id}/plan`, { goals: ['Ăn đủ'], interventions });
  return id;
}

describe('I6 the record stays whole', () => {
  it('makes a re-submitted plan keep or cancel each open intervention, and keeps the earlier version (finding 5)', async () => {
    const id = await planned([{ type: 'food', description: 'Suất ăn' }]);
    await call('manager1', 'POST', `/cases/${id}/plan/decision`, { decision: 'reject', comment: 'Thiếu y tế' });
    const forgetting = await call('worker1', 'POST', `/cases/${id}/plan`, {
      goals: ['Ăn đủ', 'Khám'],
      interventions: [{ type: 'health', description: 'Khám' }],
    });
    expect([forgetting.status, forgetting.body.error.code]).toEqual([409, 'open_interventions']);
    expect(forgetting.body.error.message).toContain('i1');
    const unknown = await call('worker1', 'POST', `/cases/${id}/plan`, { goals: ['x'], interventions: [{ id: 'i9', type: 'x', description: 'x' }] });
    expect([unknown.status, unknown.body.error.code]).toEqual([409, 'unknown_reference']);
    const resubmitted = await call('worker1', 'POST', `/cases/${id}/plan`, {
      goals: ['Ăn đủ', 'Khám'],
      interventions: [{ type: 'health', description: 'Khám định kỳ' }],
      cancel: [{ id: 'i1', reason: 'Con trai đã lo bữa ăn' }],
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.interventions).toEqual([
      expect.objectContaining({ id: 'i1', status: 'cancelled', cancelReason: 'Con trai đã lo bữa ăn' }),
      expect.objectContaining({ id: 'i2', type: 'health', status: 'planned' }),
    ]);
    expect(resubmitted.body.plan).toMatchObject({ version: 2 });
    expect(resubmitted.body.planVersions).toEqual([expect.objectContaining({ version: 1, rejection: 'Thiếu y tế' })]);
  });

  it('keeps a done intervention and its outcome when a reopened case gets a new plan', async () => {
    const id = await planned([{ type: 'food', description: 'Suất ăn' }]);
    await call('manager1', 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
    await call('worker1', 'PATCH', `/cases/${id}/interventions/i1`, { status: 'in_progress' });
    await call('worker1', 'PATCH', `/cases/${id}/interventions/i1`, { status: 'done', outcome: 'Có suất ăn hằng ngày' });
    await call('worker1', 'POST', `/cases/${id}/closure`, { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Đạt', outcome: 'Ổn' });
    await call('manager2', 'POST', `/cases/${id}/closure/decision`, { decision: 'approve', comment: 'Đồng ý' });
    await call('supervisor1', 'POST', `/cases/${id}/reopen`, { reason: 'Tái diễn' });
    await call('worker1', 'POST', `/cases/${id}/assessment`, { summary: 'Lại thiếu ăn', needs: ['food'] });
    const replanned = await call('worker1', 'POST', `/cases/${id}/plan`, { goals: ['Ăn đủ'], interventions: [{ type: 'club', description: 'CLB' }] });
    expect(replanned.status).toBe(200);
    expect(replanned.body.interventions[0]).toMatchObject({ id: 'i1', status: 'done', outcome: 'Có suất ăn hằng ngày' });
  });

  it('moves an intervention forward only, answers 404 for an unknown one, and closes only when none is open (finding 6)', async () => {
    const id = await planned([{ type: 'food', description: 'Suất ăn' }]);
    await call('manager1', 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
    expect((await call('worker1', 'PATCH', `/cases/${id}/interventions/i1`, { status: 'done', outcome: 'Xong' })).status).toBe(200);
    const back = await call('worker1', 'PATCH', `/cases/${id}/interventions/i1`, { status: 'planned' });
    expect([back.status, back.body.error.code]).toEqual([409, 'invalid_transition']);
    expect((await call('worker1', 'PATCH', `/cases/${id}/interventions/i1`, { outcome: 'Xong, ổn định' })).status).toBe(200);
    const unknown = await call('worker1', 'PATCH', `/cases/${id}/interventions/i7`, { status: 'done' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    await call('worker1', 'POST', `/cases/${id}/interventions`, { type: 'club', description: 'CLB' });
    const early = await call('worker1', 'POST', `/cases/${id}/closure`, { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Đạt', outcome: 'Ổn' });
    expect([early.status, early.body.error.code]).toEqual([409, 'open_interventions']);
  });

  it('keeps assignment inside the unit, and moves a case to another unit only by a transfer both supervisors hear of (finding 7)', async () => {
    const id = (await call('worker1', 'POST', '/cases', lonelyOlderMan())).body.id;
    const across = await call('supervisor1', 'POST', `/cases/${id}/assign`, { workerId: await staffId('worker2') });
    expect([across.status, across.body.error.code]).toEqual([409, 'other_unit']);
    const [unit] = await system.sql<{ id: string }[]>`select id from units where name = 'Bình Liêu' and province = 'quang-ninh'`;
    const moved = await call('supervisor1', 'POST', `/cases/${id}/transfer`, { unitId: unit!.id, reason: 'Cụ chuyển về ở với con gái' });
    expect(moved.status).toBe(200);
    // The case left supervisor1's unit, and so their scope: the answer is its status (I4).
    expect(Object.keys(moved.body).sort()).toEqual(['createdAt', 'id', 'ref', 'stage', 'updatedAt']);
    expect((await call('manager1', 'GET', `/cases/${id}`)).body).toMatchObject({ unit: { id: unit!.id, name: 'Bình Liêu' }, assignedWorker: null });
    expect((await call('supervisor1', 'GET', `/cases/${id}`)).status).toBe(404);
    // Both supervisors are told; the one whose unit the case left no longer sees which case it was (I4).
    const notices = async (who: string) => (await call(who, 'GET', '/me/notifications?limit=500')).body.items as Array<{ caseId: string | null; kind: string }>;
    expect((await notices('supervisor2')).filter((n) => n.caseId === id).map((n) => n.kind)).toContain('case.transferred');
    expect((await notices('supervisor1')).some((n) => n.kind === 'case.transferred' && n.caseId === null)).toBe(true);
    expect(JSON.stringify(await notices('supervisor1'))).not.toContain(id);
    const assigned = await call('supervisor2', 'POST', `/cases/${id}/assign`, { workerId: await staffId('worker2') });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignedWorker.id).toBe(await staffId('worker2'));
    expect((await call('worker2', 'GET', `/cases/${id}`)).status).toBe(200);
  });
});

describe('I5 erasure erases', () => {
  it('answers 409, never 500, to actions racing an erasure and to a case whose workflow has ended (issue 11, finding 4)', async () => {
    const raced = (await call('worker1', 'POST', '/cases', lonelyOlderMan())).body.id;
    const answers = await Promise.all([
      call('manager1', 'POST', `/cases/${raced}/erase`, { reason: 'Người được trợ giúp yêu cầu' }),
      ...Array.from({ length: 6 }, (_, n) => call('worker1', 'POST', `/cases/${raced}/notes`, { text: `ghi chú ${n}` })),
    ]);
    expect(answers[0]!.status).toBe(200);
    for (const a of answers.slice(1)) {
      expect([200, 409]).toContain(a.status);
      if (a.status === 409) expect(['case_erased', 'case_not_running']).toContain(a.body.error.code);
    }

    const ended = (await call('worker1', 'POST', '/cases', lonelyOlderMan())).body.id;
    await system.client.workflow.getHandle(ended).terminate('test: the workflow ended without an erasure');
    const note = await call('worker1', 'POST', `/cases/${ended}/notes`, { text: 'x' });
    expect([note.status, note.body.error.code]).toEqual([409, 'case_not_running']);
  });

  it('ends the case in `erased`, wipes what identifies the person, and forgets the client for later reports (finding 4)', async () => {
    const older = lonelyOlderMan();
    const id = (await call('worker1', 'POST', '/cases', { ...older, client: { ...older.client, phone: '0987 654 321' } })).body.id;
    await call('worker1', 'POST', `/cases/${id}/notes`, { text: `Gọi cho ${older.client.fullName} lúc 9 giờ` });
    const erased = await call('manager1', 'POST', `/cases/${id}/erase`, { reason: 'Người được trợ giúp yêu cầu' });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ stage: 'erased', deadline: null, nextReviewAt: null, intake: null, clientId: null, interventions: [] });
    const [row] = await system.sql<{ stage: string; due_at: Date | null; intake: object }[]>`select stage, due_at, intake from cases where id = ${id}`;
    expect(row).toMatchObject({ stage: 'erased', due_at: null });
    expect(JSON.stringify(row!.intake)).not.toContain(older.client.fullName);
    expect(row!.intake).toMatchObject({ channel: older.channel, categories: older.categories, client: { gender: 'male', ageGroup: '60 and over' } });
    const timeline = (await call('manager1', 'GET', `/cases/${id}/timeline`)).body.items;
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['case.routed', 'case.note', 'case.erased']);
    expect(JSON.stringify(timeline)).not.toContain(older.client.fullName);
    const clients = await system.sql`select 1 from clients where full_name = ${older.client.fullName} or phone = '0987654321'`;
    expect(clients).toHaveLength(0);

    const later = await call('worker1', 'POST', `/cases/${id}/notes`, { text: 'x' });
    expect([later.status, later.body.error.code]).toEqual([409, 'case_erased']);
    expect((await call('manager1', 'POST', `/cases/${id}/erase`, { reason: 'lần nữa' })).status).toBe(200);

    const assign = await call('supervisor1', 'POST', `/cases/${id}/assign`, { workerId: await staffId('worker2') });
    expect([assign.status, assign.body.error.code]).toEqual([409, 'case_erased']);
    const again = (await call('worker1', 'POST', '/cases', { ...older, client: { ...older.client, phone: '0987 654 321' } })).body;
    expect(again.clientId).not.toBe(null);
    expect(again.possibleRepeat).toBe(false);
    expect(again.risk.reasons.map((r: { rule: string }) => r.rule)).not.toContain('repeat_report');
  });
});
