// Finding work and people through the API, as the console does: cases filtered by assignee and by
// what falls due (unknown filters refused, not ignored), clients by name without accents, phone or
// birth year within one's scope, and the routing preview of an intake being written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../domain/case';
import { dueWindow } from '../../domain/deadlines';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let child: Case;
let tokens: Record<'worker1' | 'worker2' | 'collaborator1' | 'supervisor1', string>;

beforeAll(async () => {
  system = await startTestSystem();
  tokens = {
    worker1: await system.login('worker1'),
    worker2: await system.login('worker2'),
    collaborator1: await system.login('collaborator1'),
    supervisor1: await system.login('supervisor1'),
  };
  const created = await system.call('POST', '/cases', {
    token: tokens.worker1,
    body: { ...abusedChild(), client: { ...abusedChild().client, phone: '+84 912 000 111' } },
  });
  expect(created.status).toBe(201);
  child = created.body;
});

afterAll(async () => {
  await system?.close();
});

const get = (who: keyof typeof tokens, path: string) => system.call('GET', path, { token: tokens[who] });
const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((c) => c.id);

describe('GET /cases filters', () => {
  it('lists the cases assigned to me, and refuses a filter it does not have, naming it', async () => {
    expect(child.assignedWorker).not.toBeNull();
    const assignee = child.assignedWorker!.id;
    const mine = await get('supervisor1', `/cases?assignedTo=${assignee}&limit=100`);
    expect(mine.status).toBe(200);
    expect(ids(mine)).toContain(child.id);
    expect(mine.body.items.every((c: Case) => c.assignedWorker?.id === assignee)).toBe(true);

    const unknown = await get('worker1', '/cases?assignedToo=me');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: 'assignedToo' })]);
  });

  it('lists what falls due: the new emergency is not overdue, and is due today or this week exactly when its deadline says so', async () => {
    const now = new Date();
    const due = new Date(child.deadline!.dueAt);
    for (const window of ['overdue', 'today', 'week'] as const) {
      const span = dueWindow(window, now);
      const expected = due < span.until && (!span.from || due >= span.from);
      const res = await get('supervisor1', `/cases?due=${window}&limit=100&clientId=${child.clientId}`);
      expect(res.status).toBe(200);
      expect(ids(res).includes(child.id), window).toBe(expected);
    }
    expect((await get('worker1', '/cases?due=tomorrow')).status).toBe(422);
  });
});

describe('GET /clients', () => {
  it('finds a client by name without accents or case, by phone however written, and by birth year', async () => {
    const name = child.intake!.client.fullName;
    const folded = name
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .replace(/đ/gi, 'd')
      .toUpperCase();
    const byName = await get('worker1', `/clients?name=${encodeURIComponent(folded)}`);
    expect(byName.status).toBe(200);
    expect(byName.body.items).toEqual([expect.objectContaining({ id: child.clientId, fullName: name, cases: 1 })]);
    const byPhone = await get('worker1', `/clients?phone=${encodeURIComponent('0912 000 111')}`);
    expect(byPhone.body.items.map((c: { id: string }) => c.id)).toContain(child.clientId);
    const one = await get('worker1', `/clients/${child.clientId}`);
    expect(one).toMatchObject({ status: 200, body: { id: child.clientId, fullName: name } });
    // A name that is a wildcard finds nobody by accident.
    expect((await get('worker1', '/clients?name=%25')).body.items).toEqual([]);
  });

  it('knows a client only through a case in the reader’s scope; collaborators find nobody', async () => {
    const name = encodeURIComponent(child.intake!.client.fullName);
    // The child's case is restricted (sexual abuse) and in Hạ Long: Bình Liêu's worker does not see it.
    expect((await get('worker2', `/clients?name=${name}`)).body.items).toEqual([]);
    expect((await get('worker2', `/clients/${child.clientId}`)).status).toBe(404);
    expect((await get('collaborator1', `/clients?name=${name}`)).status).toBe(403);
    // With nothing to search by, the most recent clients of one's scope, newest case first.
    const recent = await get('worker1', '/clients?limit=100');
    expect(recent.status).toBe(200);
    const times = recent.body.items.map((c: { lastCaseAt: string }) => c.lastCaseAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await get('worker2', '/clients?limit=100')).body.items.map((c: { id: string }) => c.id)).not.toContain(child.clientId);
  });
});

describe('POST /cases/preview', () => {
  it('scores an intake being written by the published ruleset, explained, and stores nothing', async () => {
    const before = (await system.sql<{ n: number }[]>`select count(*)::int as n from cases`)[0]!.n;
    const empty = await system.call('POST', '/cases/preview', { token: tokens.worker1, body: {} });
    expect(empty.status).toBe(200);
    expect(empty.body.decision).toMatchObject({ path: 'standard', reasons: [] });

    const partial = await system.call('POST', '/cases/preview', {
      token: tokens.worker1,
      body: { client: { age: 9 }, concerns: { sexualAbuse: true } },
    });
    expect(partial.body.decision.path).toBe('emergency');
    expect(partial.body.decision.reasons.map((r: { rule: string }) => r.rule)).toContain('sexual_abuse');
    expect((await system.sql<{ n: number }[]>`select count(*)::int as n from cases`)[0]!.n).toBe(before);
  });

  it('counts the client’s earlier cases for staff, never for a collaborator', async () => {
    const again = { client: { fullName: child.intake!.client.fullName, phone: '0912000111' } };
    const staff = await system.call('POST', '/cases/preview', { token: tokens.worker1, body: again });
    expect(staff.body.priorCases).toBeGreaterThanOrEqual(1);
    const collaborator = await system.call('POST', '/cases/preview', { token: tokens.collaborator1, body: again });
    expect(collaborator.status).toBe(200);
    expect(collaborator.body.priorCases).toBeNull();
  });

  it('names a field the intake does not have', async () => {
    const res = await system.call('POST', '/cases/preview', { token: tokens.worker1, body: { ...lonelyOlderMan(), mood: 'sad' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'mood' })]);
  });
});
