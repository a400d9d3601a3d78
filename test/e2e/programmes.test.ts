// Group and community work (issue 29, first step) over HTTP on the real stack: a club of a unit
// with its facilitators; people enrolled from their cases with their consent, a full club and
// the same person twice refused; sessions stored whole with who came; G1 flagging a member with an
// open case to their worker after three absences in a row, once per run; what became of members;
// scope (G3): another unit's worker reads "a participant", a collaborator nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
let workerId: string;

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  // A second unit with its own worker, and a collaborator of the first.
  const [first] = await system.sql<{ unit_id: string }[]>`select unit_id from staff where username = ${province.worker}`;
  const other = randomUUID();
  await system.sql`insert into units (id, province, name, is_default) values (${other}, ${province.code}, 'Đơn vị khác', false)`;
  for (const [username, role, unit] of [
    [`far.${province.code}`, 'social_worker', other],
    [`ctv.${province.code}`, 'collaborator', first!.unit_id],
  ] as const) {
    await system.sql`
      insert into staff (id, province, username, display_name, role, unit_id, password_hash)
      select ${randomUUID()}, ${province.code}, ${username}, ${username}, ${role}, ${unit}, password_hash from staff where username = 'worker1'`;
  }
  for (const who of ['manager', 'supervisor', 'worker']) tokens[who] = await system.login(province[who as 'manager']);
  tokens.far = await system.login(`far.${province.code}`);
  tokens.collaborator = await system.login(`ctv.${province.code}`);
  workerId = (await system.sql<{ id: string }[]>`select id from staff where username = ${province.worker}`)[0]!.id;
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + 7 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);

async function club(patch: Record<string, unknown> = {}) {
  const [unit] = await system.sql<{ unit_id: string }[]>`select unit_id from staff where username = ${province.worker}`;
  const created = await call('manager', 'POST', '/programmes', {
    name: 'CLB "Xanh lại ước mơ"',
    kind: 'club',
    unitId: unit!.unit_id,
    facilitators: [workerId],
    startsOn: daysAgo(60),
    schedule: { weekday: 'saturday', time: '08:00' },
    ...patch,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string };
}

/** A case and its client, made through the API. */
async function person(intake = lonelyOlderMan()) {
  const created = await call('worker', 'POST', '/cases', intake);
  expect(created.status).toBe(201);
  return { caseId: created.body.id as string, clientId: created.body.clientId as string, name: created.body.intake.client.fullName as string };
}

const enrol = (programmeId: string, who: { caseId?: string; clientId: string }, by = 'worker') =>
  call(by, 'POST', `/programmes/${programmeId}/enrolments`, {
    clientId: who.clientId,
    caseId: who.caseId,
    enrolledOn: daysAgo(30),
    consent: { givenBy: 'Người được trợ giúp' },
  });

describe('a club', () => {
  it('enrols people from their cases, refuses a full club and the same person twice, and records sessions whole', async () => {
    const c = await club({ capacity: 2 });
    const [a, b, d] = [await person(), await person(), await person()];
    const first = await enrol(c.id, a);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ clientId: a.clientId, caseId: a.caseId, outcome: null, absencesInARow: 0 });
    expect((await enrol(c.id, b)).status).toBe(201);
    const full = await enrol(c.id, d);
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('programme_full');
    // The same person twice is named as such, full or not.
    const twice = await enrol(c.id, a);
    expect(twice.body.error).toMatchObject({ code: 'already_enrolled' });

    const roomy = await club({ name: 'Lớp kỹ năng sống', kind: 'life_skills' });
    expect((await enrol(roomy.id, a)).status).toBe(201);
    const again = await enrol(roomy.id, a);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_enrolled', details: [{ path: 'clientId' }] });

    const read = (await call('supervisor', 'GET', `/programmes/${c.id}`)).body;
    expect(read).toMatchObject({ members: 2, capacity: 2, kind: 'club', facilitators: [{ id: workerId }] });
    const [ea, eb] = [
      read.enrolments.find((e: { clientId: string }) => e.clientId === a.clientId),
      read.enrolments.find((e: { clientId: string }) => e.clientId === b.clientId),
    ];

    const session = await call('worker', 'POST', `/programmes/${c.id}/sessions`, {
      heldOn: daysAgo(7),
      topic: 'Chia sẻ kinh nghiệm tìm việc',
      facilitator: workerId,
      attendance: [
        { enrolmentId: ea.id, present: true },
        { enrolmentId: eb.id, present: false },
      ],
      guests: { female: 3, male: 2, children: 0 },
    });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    expect(session.body).toMatchObject({ present: 1, absent: 1, guests: { female: 3, male: 2, children: 0 } });

    // G2: an enrolment of another programme, or one named twice, and nothing is written.
    const other = (await call('worker', 'GET', `/programmes/${roomy.id}`)).body.enrolments[0].id;
    const mixed = await call('worker', 'POST', `/programmes/${c.id}/sessions`, {
      heldOn: daysAgo(1),
      topic: 'x',
      facilitator: workerId,
      attendance: [
        { enrolmentId: ea.id, present: true },
        { enrolmentId: other, present: true },
      ],
    });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error.details[0].path).toBe('attendance[1].enrolmentId');
    const doubled = await call('worker', 'POST', `/programmes/${c.id}/sessions`, {
      heldOn: daysAgo(1),
      topic: 'x',
      facilitator: workerId,
      attendance: [
        { enrolmentId: ea.id, present: true },
        { enrolmentId: ea.id, present: false },
      ],
    });
    expect(doubled.body.error.details[0].path).toBe('attendance[1].enrolmentId');
    const future = await call('worker', 'POST', `/programmes/${c.id}/sessions`, { heldOn: '2099-01-01', topic: 'x', facilitator: workerId, attendance: [] });
    expect(future.status).toBe(422);
    expect(JSON.stringify(future.body)).toContain('heldOn');
    const stranger = await call('worker', 'POST', `/programmes/${c.id}/sessions`, { heldOn: today(), topic: 'x', facilitator: randomUUID(), attendance: [] });
    expect(stranger.body.error.details[0].path).toBe('facilitator');
    expect((await call('worker', 'GET', `/programmes/${c.id}`)).body.recentSessions).toHaveLength(1);

    // What became of a member.
    const early = await call('worker', 'POST', `/programmes/${c.id}/enrolments/${ea.id}/outcome`, { outcome: 'employed', on: daysAgo(90) });
    expect(early.status).toBe(422);
    expect(JSON.stringify(early.body)).toContain('"on"');
    const employed = await call('worker', 'POST', `/programmes/${c.id}/enrolments/${ea.id}/outcome`, {
      outcome: 'employed',
      on: today(),
      note: 'Thợ sửa xe máy',
    });
    expect(employed.body).toMatchObject({ outcome: 'employed', outcomeOn: today() });
    expect((await call('worker', 'POST', `/programmes/${c.id}/enrolments/${ea.id}/outcome`, { outcome: 'hired', on: today() })).status).toBe(422);
  });

  it('refuses bad programmes naming the field: an unknown kind, a facilitator who is not staff, an end before the start', async () => {
    const [unit] = await system.sql<{ unit_id: string }[]>`select unit_id from staff where username = ${province.worker}`;
    const base = { name: 'CLB', kind: 'club', unitId: unit!.unit_id, facilitators: [workerId], startsOn: today() };
    expect((await call('manager', 'POST', '/programmes', { ...base, kind: 'choir' })).status).toBe(422);
    const stranger = await call('manager', 'POST', '/programmes', { ...base, facilitators: [workerId, randomUUID()] });
    expect(stranger.status).toBe(409);
    expect(stranger.body.error.details[0].path).toBe('facilitators[1]');
    const backwards = await call('manager', 'POST', '/programmes', { ...base, endsOn: daysAgo(1) });
    expect(backwards.status).toBe(422);
    expect(JSON.stringify(backwards.body)).toContain('endsOn');
    expect((await call('worker', 'POST', '/programmes', base)).status).toBe(403);
    // A rhythm shorter than the deployment allows (an hour by default) or no rhythm at all.
    const hasty = await call('manager', 'POST', '/programmes', { ...base, schedule: { every: 'PT30M' } });
    expect(hasty.status).toBe(422);
    expect(hasty.body.error.details[0].path).toBe('schedule.every');
    expect((await call('manager', 'POST', '/programmes', { ...base, schedule: { weekday: 'caturday', time: '08:00' } })).status).toBe(422);
    expect((await call('manager', 'POST', '/programmes', { ...base, schedule: { weekday: 'saturday', time: '25:00' } })).status).toBe(422);
  });
});

describe('G1: the people who stop coming', () => {
  it('flags a member with an open case to their worker after three absences in a row, once per run', async () => {
    const c = await club({ name: 'CLB gia đình có trẻ tự kỷ', kind: 'parenting' });
    const member = await person(abusedChild());
    const e = (await enrol(c.id, member)).body;
    const flags = async () =>
      (await system.sql`select 1 from notifications where case_id = ${member.caseId} and kind = 'programme.absences' and recipient_id = ${workerId}`).length;
    const held = async (daysBack: number, present: boolean) => {
      const answer = await call('worker', 'POST', `/programmes/${c.id}/sessions`, {
        heldOn: daysAgo(daysBack),
        topic: `Buổi ${daysBack}`,
        facilitator: workerId,
        attendance: [{ enrolmentId: e.id, present }],
      });
      expect(answer.status).toBe(201);
    };
    await held(28, false);
    await held(21, false);
    expect(await flags()).toBe(0);
    await held(14, false);
    expect(await flags()).toBe(1);
    const notices = (await call('worker', 'GET', '/me/notifications')).body.items.filter((n: { caseId: string }) => n.caseId === member.caseId);
    expect(notices.map((n: { message: { vi: string } }) => n.message.vi).join()).toContain('vắng 3 buổi liên tiếp');
    await held(10, false);
    expect(await flags()).toBe(1);
    await held(7, true);
    await held(5, false);
    await held(3, false);
    expect(await flags()).toBe(1);
    await held(1, false);
    expect(await flags()).toBe(2);
    expect((await call('worker', 'GET', `/programmes/${c.id}`)).body.enrolments[0]).toMatchObject({ absencesInARow: 3, attended: 1 });
  });
});

describe('G3: who reads whom', () => {
  it('names members to those who may see their case, "a participant" to others, nothing to collaborators', async () => {
    const c = await club({ name: 'CLB người khiếm thính' });
    const older = await person();
    const child = await person(abusedChild());
    await enrol(c.id, older);
    await enrol(c.id, child);
    const names = async (who: string) => (await call(who, 'GET', `/programmes/${c.id}`)).body.enrolments.map((e: { name: string }) => e.name).sort();
    expect(await names('worker')).toEqual([older.name, child.name].sort());
    // Another unit's worker may see neither case; the child's is restricted besides.
    expect(await names('far')).toEqual(['Một thành viên', 'Một thành viên']);
    expect((await call('far', 'GET', `/programmes/${c.id}`)).body.enrolments.every((e: { clientId: null }) => e.clientId === null)).toBe(true);
    // A person's programmes: only to those who may know who they are.
    const mine = (await call('worker', 'GET', `/programmes?client=${older.clientId}`)).body.items;
    expect(mine.map((g: { id: string; enrolment: { clientId: string } }) => [g.id, g.enrolment.clientId])).toEqual([[c.id, older.clientId]]);
    expect((await call('far', 'GET', `/programmes?client=${older.clientId}`)).body.items).toEqual([]);
    expect((await call('collaborator', 'GET', '/programmes')).status).toBe(403);
    expect((await call('collaborator', 'GET', `/programmes/${c.id}`)).status).toBe(403);
    // The other unit's worker may read the programmes and enrol, but not record this unit's sessions.
    expect((await call('far', 'POST', `/programmes/${c.id}/sessions`, { heldOn: today(), topic: 'x', facilitator: workerId, attendance: [] })).status).toBe(
      403,
    );
  });
});

describe('I5: an erased case’s enrolments', () => {
  it('keep what the reports count and lose who consented and what was noted', async () => {
    const c = await club();
    const who = await person();
    const enrolled = await call('worker', 'POST', `/programmes/${c.id}/enrolments`, {
      clientId: who.clientId,
      caseId: who.caseId,
      enrolledOn: daysAgo(30),
      consent: { givenBy: 'Bà Nguyễn Thị Hoa, mẹ của em' },
    });
    expect(enrolled.status).toBe(201);
    const eid = enrolled.body.id as string;
    expect(
      (await call('worker', 'POST', `/programmes/${c.id}/enrolments/${eid}/outcome`, { outcome: 'employed', on: today(), note: 'Làm ở xưởng may của bà Hoa' }))
        .status,
    ).toBe(200);
    expect((await call('manager', 'POST', `/cases/${who.caseId}/erase`, { reason: 'Người được trợ giúp yêu cầu' })).status).toBe(200);
    const [row] = await system.sql<{ consent: { givenBy: string }; outcome: string; outcome_note: string | null }[]>`
      select consent, outcome, outcome_note from enrolments where id = ${eid}`;
    expect(row).toEqual({ consent: { givenBy: '' }, outcome: 'employed', outcome_note: null });
  });
});
