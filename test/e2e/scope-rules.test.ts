// Scope without side doors and people who hear what concerns them (docs/process.md, I4 and I8),
// over HTTP: repeats of a case one may not see, idempotent replays of a case one lost sight of,
// work lists, and the notices of intake, handling and closure.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abusedChild, intake } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem();
  for (const who of ['worker1', 'worker2', 'supervisor1', 'supervisor2', 'manager1', 'manager2', 'collaborator1']) tokens[who] = await system.login(who);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  system.call(method, path, { token: tokens[who], body, headers });
const noticesOf = async (who: string, id: string) =>
  (await call(who, 'GET', '/me/notifications?limit=500')).body.items.filter((n: { caseId: string }) => n.caseId === id).map((n: { kind: string }) => n.kind);

describe('I4 scope has no side doors', () => {
  it('answers a repeat of a case the reporter may not see without its id, restricts it, and tells that case’s supervisor (finding 1)', async () => {
    const child = abusedChild();
    const first = (await call('worker1', 'POST', '/cases', child)).body;
    expect(first.restricted).toBe(true);
    const repeat = await call('worker2', 'POST', '/cases', { ...child, channel: 'walk_in', summary: 'Mẹ em đến trình báo' });
    expect(repeat.status).toBe(201);
    expect(JSON.stringify(repeat.body)).not.toContain(first.id);
    // worker2 may not see the repeat either: it is restricted like the case it repeats.
    expect(repeat.body).toEqual({
      id: expect.any(String),
      ref: expect.any(String),
      stage: 'emergency_response',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const seenBySupervisor = (await call('supervisor1', 'GET', `/cases/${repeat.body.id}`)).body;
    expect(seenBySupervisor).toMatchObject({ restricted: true, possibleRepeat: true, possibleRepeatOf: first.id });
    expect(await noticesOf('supervisor1', first.id)).toContain('case.repeat_reported');
  });

  it('shows a repeat’s link as a bare flag to someone who may see the repeat but not the earlier case', async () => {
    const child = abusedChild();
    const first = (await call('worker1', 'POST', '/cases', child)).body;
    const repeat = (await call('worker2', 'POST', '/cases', { ...child, channel: 'walk_in' })).body;
    // A manager lifts the repeat's restriction: its reporter sees it again, but not the case it repeats.
    await call('manager1', 'POST', `/cases/${repeat.id}/restriction`, { restricted: false, reason: 'Báo cáo lặp, không cần hạn chế' });
    expect((await call('manager1', 'GET', `/cases/${repeat.id}`)).body).toMatchObject({ possibleRepeat: true, possibleRepeatOf: first.id });
    const asReporter = await call('worker2', 'GET', `/cases/${repeat.id}`);
    expect(asReporter.status).toBe(200);
    expect(asReporter.body).toMatchObject({ possibleRepeat: true, possibleRepeatOf: null });
    const listed = (await call('worker2', 'GET', '/cases?limit=100')).body.items.find((c: { id: string }) => c.id === repeat.id);
    expect(listed).toMatchObject({ possibleRepeat: true, possibleRepeatOf: null });
    expect(JSON.stringify((await call('worker2', 'GET', '/cases?limit=100')).body)).not.toContain(first.id);
  });

  it('answers an idempotent replay of a case the reporter no longer sees with its status only (finding 2)', async () => {
    const key = `call-${randomUUID()}`;
    const report = intake({
      client: { fullName: `Lê Văn ${randomUUID().slice(0, 4)}`, age: 40, gender: 'male', location: { province: 'Quảng Ninh', commune: 'Hạ Long' } },
    });
    const created = await call('worker2', 'POST', '/cases', report, { 'Idempotency-Key': key });
    expect(created.body.intake).toBeDefined();
    await call('manager1', 'POST', `/cases/${created.body.id}/restriction`, { restricted: true, reason: 'Nhạy cảm' });
    expect((await call('worker2', 'GET', `/cases/${created.body.id}`)).status).toBe(404);
    const replay = await call('worker2', 'POST', '/cases', report, { 'Idempotency-Key': key });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({
      id: created.body.id,
      ref: created.body.ref,
      stage: created.body.stage,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('keeps work lists from collaborators, who see status only (finding 3)', async () => {
    expect((await call('collaborator1', 'GET', '/reviews/due')).status).toBe(403);
    expect((await call('collaborator1', 'GET', '/escalations')).status).toBe(403);
    expect((await call('worker1', 'GET', '/reviews/due')).status).toBe(200);
  });
});

describe('I8 people hear what concerns them', () => {
  it('tells the on-call worker and the supervisor of an emergency a collaborator reported, and the collaborator its status only', async () => {
    const child = abusedChild();
    const created = (await call('collaborator1', 'POST', '/cases', { ...child, channel: 'collaborator' })).body;
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'id', 'ref', 'stage', 'updatedAt']);
    expect(await noticesOf('worker1', created.id)).toContain('case.new_emergency');
    expect(await noticesOf('supervisor1', created.id)).toContain('case.new_emergency');
    expect(await noticesOf('collaborator1', created.id)).toEqual(['report.received']);
    await call('worker1', 'POST', `/cases/${created.id}/safety-confirmed`, { actions: ['Nơi ở tạm thời'] });
    await call('worker1', 'POST', `/cases/${created.id}/assessment`, { summary: 'Đánh giá', needs: ['shelter'] });
    expect(await noticesOf('collaborator1', created.id)).toEqual(['report.in_progress', 'report.received']);
    const messages = (await call('collaborator1', 'GET', '/me/notifications?limit=500')).body.items.filter((n: { caseId: string }) => n.caseId === created.id);
    // Status, never the person or the plan.
    expect(JSON.stringify(messages)).not.toContain(child.client.fullName);
  });
});
