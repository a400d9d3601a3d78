// The contact log (issue 27) over HTTP on the real stack (Temporal dev server, PostgreSQL): a call
// that stays advice, C1 (a child in danger is never filed as advice), a case opened from a contact
// once, a promised callback climbing the ladder under a policy of seconds until it is recorded,
// and the refusals bad input gets.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact } from '../../db/contacts';
import { principalForStaff } from '../../db/directory';
import { NewContactSchema } from '../../domain/contacts';
import { startContactCaseSweep } from '../../system/contact-cases';
import { abuseCall, benefitCall } from '../support/contacts';
import { eventually } from '../support/eventually';
import { secondsPolicy } from '../support/policies';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  system.call(method, path, { token: tokens[who], body, headers });

async function noticesOf(who: string): Promise<Array<{ kind: string; message: { vi: string }; caseId: string | null }>> {
  const res = await call(who, 'GET', '/me/notifications?limit=100');
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('a contact that stays advice', () => {
  it('is recorded with a reference, no case, no deadline and no notice', async () => {
    const before = await noticesOf('worker');
    const created = await call('worker', 'POST', '/contacts', benefitCall(), { 'Idempotency-Key': 'tv-advice-0001' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ outcome: 'advice_given', caseId: null, routing: null, callback: null, callType: 'benefit_guidance' });
    expect(created.body.ref).toMatch(new RegExp(`^${province.code.toUpperCase()}-TV-\\d{4}-\\d{6}$`));
    expect(created.body.history.map((e: { kind: string }) => e.kind)).toEqual(['contact.recorded']);
    expect(created.body.history[0].actor.displayName).toBe(province.worker);

    // The same key and body: the same contact; another body under it: refused.
    const again = await call('worker', 'POST', '/contacts', benefitCall(), { 'Idempotency-Key': 'tv-advice-0001' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    const reused = await call('worker', 'POST', '/contacts', benefitCall({ summary: 'khác' }), { 'Idempotency-Key': 'tv-advice-0001' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');

    const cases = await system.sql`select count(*)::int as n from cases where province = ${province.code}`;
    expect(cases[0]!.n).toBe(0);
    expect(await noticesOf('worker')).toHaveLength(before.length);

    const listed = await call('supervisor', 'GET', '/contacts?callType=benefit_guidance');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    expect((await call('supervisor', 'GET', '/contacts?callType=prank')).body.items).toEqual([]);
  });

  it('keeps every correction on its history, with who and when', async () => {
    const created = await call('worker', 'POST', '/contacts', benefitCall({ outcome: 'no_action' }));
    const corrected = await call('supervisor', 'PATCH', `/contacts/${created.body.id}`, {
      summary: 'Hỏi về trợ cấp; đã hướng dẫn nộp hồ sơ ở xã',
      outcome: 'referred',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ summary: 'Hỏi về trợ cấp; đã hướng dẫn nộp hồ sơ ở xã', outcome: 'referred' });
    const last = corrected.body.history.at(-1);
    expect(last).toMatchObject({
      kind: 'contact.corrected',
      actor: { displayName: province.supervisor },
      data: { before: { outcome: 'no_action', summary: benefitCall().summary }, after: { outcome: 'referred' } },
    });
    expect(Date.parse(last.at)).toBeGreaterThan(Date.parse(created.body.createdAt) - 1);
  });
});

describe('C1: a child in danger is never filed as advice', () => {
  it('opens an emergency case at once, with the contact’s facts, a link back and its notices', async () => {
    const created = await call('worker', 'POST', '/contacts', abuseCall());
    expect(created.status).toBe(201);
    expect(created.body.outcome).toBe('case_opened');
    expect(created.body.routing.path).toBe('emergency');
    expect(created.body.caseId).toEqual(expect.any(String));
    expect(created.body.history.map((e: { kind: string }) => e.kind)).toEqual(['contact.recorded', 'contact.case_opened']);
    expect(created.body.history[1].data).toMatchObject({ rule: 'C1', chosenOutcome: 'advice_given' });

    const kase = await call('worker', 'GET', `/cases/${created.body.caseId}`);
    expect(kase.status).toBe(200);
    expect(kase.body).toMatchObject({ stage: 'emergency_response', risk: { path: 'emergency' }, restricted: true });
    expect(kase.body.intake).toMatchObject({
      contactId: created.body.id,
      channel: 'hotline',
      client: { fullName: 'Phạm Thị Hồng', age: 9, gender: 'female', location: { commune: 'Hoành Bồ' } },
      concerns: { sexualAbuse: true, perpetratorHasAccess: true },
      reporter: { name: 'Cô giáo Lan' },
    });
    expect(kase.body.deadline.step).toBe('emergency_response');
    const timeline = await call('worker', 'GET', `/cases/${created.body.caseId}/timeline`);
    expect(timeline.body.items[0]).toMatchObject({ kind: 'case.routed', data: { contact: { id: created.body.id, ref: created.body.ref } } });
    // I8: the unit's supervisor hears of a new emergency.
    const heard = await eventually(
      () => noticesOf('supervisor'),
      (items) => items.some((n) => n.kind === 'case.new_emergency' && n.caseId === created.body.caseId),
    );
    expect(heard.some((n) => n.kind === 'case.new_emergency' && n.caseId === created.body.caseId)).toBe(true);
  });

  it('scores a contact with no age when it names a concern, and leaves a standard one a contact', async () => {
    const standard = await call('worker', 'POST', '/contacts', benefitCall({ about: { fullName: 'Trần Văn Bảy', age: 78, gender: 'male' } }));
    expect(standard.status).toBe(201);
    expect(standard.body).toMatchObject({ outcome: 'advice_given', caseId: null, routing: { path: 'standard' } });

    const danger = await call('worker', 'POST', '/contacts', {
      ...benefitCall(),
      caller: { anonymous: true },
      callType: 'counselling',
      concerns: { immediateDanger: true, violenceOngoing: true, injury: true },
      outcome: 'no_action',
    });
    expect(danger.status).toBe(201);
    expect(danger.body.routing.path).toBe('emergency');
    expect(danger.body.outcome).toBe('case_opened');
  });
});

describe('C1’s safety net', () => {
  it('starts the case of a contact whose start was cut short, once', async () => {
    // As a crash between the commit and the case's start leaves it: the contact names its case, no case exists.
    const [worker] = await system.sql<{ id: string }[]>`select id from staff where username = ${province.worker}`;
    const recorder = (await principalForStaff(system.sql, worker!.id))!;
    const contactId = randomUUID();
    const caseId = randomUUID();
    const body = NewContactSchema.parse(abuseCall());
    await insertContact(system.sql, {
      id: contactId,
      province: province.code,
      recorder,
      contact: body,
      outcome: 'case_opened',
      routing: null,
      caseId,
      callback: null,
      at: new Date(),
    });
    expect(await system.sql`select 1 from cases where id = ${caseId}`).toHaveLength(0);

    const said: string[] = [];
    const sweep = startContactCaseSweep({
      sql: system.sql,
      client: system.client,
      taskQueue: system.deps.taskQueue,
      sweepMs: 200,
      graceMs: 0,
      say: (l) => said.push(l),
    });
    try {
      const kase = await eventually(
        () => call('worker', 'GET', `/cases/${caseId}`),
        (r) => r.status === 200,
      );
      expect(kase.body).toMatchObject({
        stage: 'emergency_response',
        intake: { contactId, client: { fullName: 'Phạm Thị Hồng' } },
        risk: { path: 'emergency' },
      });
      await new Promise((r) => setTimeout(r, 600));
      expect(said.filter((l) => l.includes('started the case'))).toHaveLength(1);
    } finally {
      await sweep.stop();
    }
  });
});

describe('a case opened from a contact', () => {
  it('reuses the contact’s facts and is opened once, however often it is asked', async () => {
    const contact = await call('worker', 'POST', '/contacts', benefitCall({ about: { fullName: 'Trần Thị Mai', age: 71, gender: 'female' } }));
    expect(contact.body.caseId).toBeNull();
    const opened = await call('worker', 'POST', `/contacts/${contact.body.id}/case`, { categories: ['older_person_alone'], concerns: { livesAlone: true } });
    expect(opened.status).toBe(201);
    expect(opened.body.intake).toMatchObject({
      contactId: contact.body.id,
      client: { fullName: 'Trần Thị Mai', age: 71, phone: '0912 345 678' },
      categories: ['older_person_alone'],
      concerns: { livesAlone: true },
      summary: benefitCall().summary,
    });
    const again = await call('worker', 'POST', `/contacts/${contact.body.id}/case`, {});
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(opened.body.id);
    const cases = await system.sql`select count(*)::int as n from cases where intake->>'contactId' = ${contact.body.id}`;
    expect(cases[0]!.n).toBe(1);

    const after = await call('worker', 'GET', `/contacts/${contact.body.id}`);
    expect(after.body).toMatchObject({ outcome: 'case_opened', caseId: opened.body.id });
    const refused = await call('worker', 'PATCH', `/contacts/${contact.body.id}`, { outcome: 'no_action' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('contact_case_opened');

    // A later call about the same person shows who she is, within the worker's scope.
    const repeat = await call('worker', 'POST', '/contacts', benefitCall({ about: { fullName: 'Tran Thi Mai', age: 71 } }));
    expect(repeat.body.possibleClient).toMatchObject({
      clientId: opened.body.clientId,
      cases: [{ id: opened.body.id, ref: opened.body.ref }],
      restricted: false,
    });
  });
});

describe('a promised callback', () => {
  it('climbs to the supervisor when it is not made, and stops when it is recorded', async () => {
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('callback', { due: 'PT0S', supervisorGrace: 'PT2S', managerGrace: 'PT30S' }),
      comment: 'Gọi lại theo giây',
    });
    expect(draft.status).toBe(201);
    expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);

    const callbackBy = new Date(Date.now() + 2_000).toISOString();
    const created = await call('worker', 'POST', '/contacts', benefitCall({ outcome: 'callback_promised', callbackBy }));
    expect(created.status).toBe(201);
    expect(created.body.callback).toMatchObject({ status: 'open', dueAt: callbackBy, escalated: [] });
    const id = created.body.id;
    // An open promise is recorded, not moved to another time.
    const moved = await call('worker', 'PATCH', `/contacts/${id}`, {
      outcome: 'callback_promised',
      callbackBy: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect([moved.status, moved.body.error.code]).toEqual([409, 'callback_open']);

    const reminded = await eventually(
      () => noticesOf('worker'),
      (items) => items.some((n) => n.kind === 'callback.reminder' && n.message.vi.includes(created.body.ref)),
    );
    expect(reminded.some((n) => n.kind === 'callback.reminder')).toBe(true);
    const escalated = await eventually(
      () => noticesOf('supervisor'),
      (items) => items.some((n) => n.kind === 'callback.supervisor' && n.message.vi.includes(created.body.ref)),
    );
    expect(escalated.some((n) => n.kind === 'callback.supervisor')).toBe(true);

    const recorded = await call('worker', 'POST', `/contacts/${id}/callback`, {
      reachedPerson: true,
      summary: 'Đã gọi lại, hướng dẫn xong',
      outcome: 'advice_given',
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ outcome: 'advice_given', callback: { status: 'late', reachedPerson: true, escalated: ['reminder', 'supervisor'] } });
    expect((await call('worker', 'POST', `/contacts/${id}/callback`, { reachedPerson: true, summary: 'x', outcome: 'advice_given' })).body.error.code).toBe(
      'callback_recorded',
    );

    // The clock stopped there: its workflow ended as recorded, and no manager was called.
    const clock = system.client.workflow.getHandle(`callback-${id}-${Date.parse(callbackBy)}`);
    expect(await clock.result()).toBe('recorded');
    expect((await noticesOf('manager')).filter((n) => n.kind === 'callback.manager' && n.message.vi.includes(created.body.ref))).toEqual([]);
    const history = (await call('worker', 'GET', `/contacts/${id}`)).body.history.map((e: { kind: string }) => e.kind);
    expect(history).toEqual(['contact.recorded', 'callback.reminder', 'callback.supervisor', 'callback.recorded']);
  });
});

describe('bad input', () => {
  it('names the field, and scope and roles hold', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [benefitCall({ callType: 'gossip' }), 'callType'],
      [benefitCall({ channel: 'fax' }), 'channel'],
      [benefitCall({ outcome: 'solved' }), 'outcome'],
      [benefitCall({ caller: { anonymous: false, relation: 'cousin' } }), 'caller.relation'],
      [benefitCall({ outcome: 'callback_promised' }), 'callbackBy'],
      [benefitCall({ callbackBy: new Date(Date.now() + 3_600_000).toISOString() }), 'callbackBy'],
      [benefitCall({ outcome: 'callback_promised', callbackBy: new Date(Date.now() - 60_000).toISOString() }), 'callbackBy'],
      [benefitCall({ caller: { anonymous: true, fullName: 'Ẩn danh mà có tên' } }), 'caller.fullName'],
      [benefitCall({ summary: 'a\u0000b' }), 'summary'],
    ];
    for (const [body, path] of cases) {
      const res = await call('worker', 'POST', '/contacts', body);
      expect(res.status, path).toBe(422);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const mine = await call('worker', 'POST', '/contacts', benefitCall());
    const collaborator = await system.login('collaborator1');
    expect((await system.call('POST', '/contacts', { token: collaborator, body: benefitCall() })).status).toBe(403);
    const elsewhere = await system.login('manager1');
    expect((await system.call('GET', `/contacts/${mine.body.id}`, { token: elsewhere })).status).toBe(404);
    expect((await system.call('GET', '/contacts', { token: elsewhere })).body.items.map((c: { id: string }) => c.id)).not.toContain(mine.body.id);
    expect((await call('worker', 'POST', `/contacts/${mine.body.id}/callback`, { reachedPerson: false, summary: 'x', outcome: 'no_action' })).status).toBe(409);
  });
});

describe('refusals in the caller’s language', () => {
  it('says a rule of the contact’s in Vietnamese when asked', async () => {
    const res = await call('worker', 'POST', '/contacts', benefitCall({ outcome: 'callback_promised' }), { 'Accept-Language': 'vi' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'callbackBy', message: 'cần có khi hẹn gọi lại (callback_promised)' });
    const en = await call('worker', 'POST', '/contacts', benefitCall({ outcome: 'callback_promised' }));
    expect(en.body.error.details).toContainEqual({ path: 'callbackBy', message: 'required when the outcome is callback_promised' });
  });
});
