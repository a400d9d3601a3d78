// A programme's schedule kept by a Temporal Schedule (issue 29), over HTTP on the real stack (the
// Temporal dev server, PostgreSQL): a club meeting every two seconds makes sessions to record and
// tells its facilitator; one left unrecorded climbs `session_record` (a policy in seconds) to the
// facilitator, then the unit's supervisor; a session recorded answers the occurrence of its day;
// closing the programme takes the schedule down. A weekly rhythm lands where Temporal says it
// does, in Vietnam's time; a change the API could not pass on is passed on by the worker's sweep.
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programmeScheduleId } from '../../api/programme-schedule';
import { startProgrammeScheduleSweep } from '../../system/programme-schedules';
import { consoleSession } from '../support/console-session';
import { eventually } from '../support/eventually';
import { secondsPolicy } from '../support/policies';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
let workerId: string;
let unitId: string;

beforeAll(async () => {
  // A live demonstration's rhythm: seconds (a deployment's default is an hour at least).
  system = await startTestSystem({ programmeShortestInterval: 'PT2S' });
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker']) tokens[who] = await system.login(province[who as 'manager']);
  const [w] = await system.sql<{ id: string; unit_id: string }[]>`select id, unit_id from staff where username = ${province.worker}`;
  workerId = w!.id;
  unitId = w!.unit_id;
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

async function programme(schedule: unknown, name = 'CLB trẻ khiếm thính') {
  const created = await call('manager', 'POST', '/programmes', {
    name,
    kind: 'club',
    unitId,
    facilitators: [workerId],
    startsOn: today(),
    ...(schedule ? { schedule } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; nextSessionAt: string | null; sessionsToRecord: number };
}

const notices = async (who: string) =>
  (await call(who, 'GET', '/me/notifications?limit=200')).body.items as Array<{ kind: string; message: { vi: string; en: string } }>;
const toRecord = async (programmeId: string) =>
  ((await call('worker', 'GET', '/programmes/sessions/to-record?mine=true')).body.items as Array<{ programme: { id: string }; scheduledOn: string }>).filter(
    (s) => s.programme.id === programmeId,
  );
const occurrences = async (programmeId: string) =>
  (await system.sql<{ n: number }[]>`select count(*)::int as n from programme_occurrences where programme_id = ${programmeId}`)[0]!.n;

describe('a programme with a schedule', () => {
  it('makes sessions to record, reminds the facilitator then the supervisor, is answered by a recorded session, and stops when closed', async () => {
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('session_record', { due: 'PT3S', supervisorGrace: 'PT2S', managerGrace: 'PT1H' }),
      comment: 'Ghi buổi sinh hoạt theo giây để trình diễn',
    });
    expect(draft.status).toBe(201);
    expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Trình diễn' })).status).toBe(200);

    const club = await programme({ every: 'PT2S' });
    expect(Date.parse(club.nextSessionAt!)).toBeGreaterThan(Date.now() - 1000);
    const described = await system.client.schedule.getHandle(programmeScheduleId(club.id)).describe();
    expect(described.spec.intervals?.[0]?.every).toBe(2000);
    expect(described.policies.overlap).toBe('ALLOW_ALL');

    // Occurrences become sessions to record, each told to the facilitator once.
    const due = await eventually(
      () => toRecord(club.id),
      (items) => items.length >= 2,
    );
    expect(due[0]!.scheduledOn).toBe(today());
    // My work says so, with the way to the attendance form.
    const { cookie } = await consoleSession(system.url, province.worker);
    const myWork = await (await fetch(`${system.url}/app`, { headers: { cookie } })).text();
    expect(myWork).toContain('Buổi sinh hoạt nhóm cần ghi');
    expect(myWork).toContain(`href="/app/programmes/${club.id}#attendance"`);
    await eventually(
      () => notices('worker'),
      (items) => items.filter((n) => n.kind === 'programme.session_due' && n.message.vi.startsWith('CLB trẻ khiếm thính')).length >= 2,
    );
    // Left unrecorded: the facilitator is reminded, then the unit's supervisor is told.
    await eventually(
      () => notices('worker'),
      (items) => items.some((n) => n.kind === 'session_record.reminder'),
    );
    await eventually(
      () => notices('supervisor'),
      (items) => items.some((n) => n.kind === 'session_record.supervisor' && n.message.vi.includes('CLB trẻ khiếm thính')),
    );
    expect((await notices('manager')).some((n) => n.kind === 'session_record.manager')).toBe(false);

    // A session recorded today answers one of today's occurrences.
    const [before] = await system.sql<{ open: number }[]>`
      select count(*)::int as open from programme_occurrences where programme_id = ${club.id} and session_id is null and scheduled_for < now() - interval '1 second'`;
    const session = await call('worker', 'POST', `/programmes/${club.id}/sessions`, {
      heldOn: today(),
      topic: 'Ngôn ngữ ký hiệu',
      facilitator: workerId,
      attendance: [],
    });
    expect(session.status).toBe(201);
    const answered = await system.sql<{ scheduled_for: Date }[]>`select scheduled_for from programme_occurrences where session_id = ${session.body.id}`;
    expect(answered).toHaveLength(1);
    // The earliest of the day: the one waiting longest.
    const [earliest] = await system.sql<
      { scheduled_for: Date }[]
    >`select min(scheduled_for) as scheduled_for from programme_occurrences where programme_id = ${club.id}`;
    expect(answered[0]!.scheduled_for.getTime()).toBe(earliest!.scheduled_for.getTime());
    expect(before!.open).toBeGreaterThan(0);

    // Closing takes the schedule down: no more occurrences, nothing left to record.
    expect((await call('manager', 'PATCH', `/programmes/${club.id}`, { closed: true })).status).toBe(200);
    await expect(system.client.schedule.getHandle(programmeScheduleId(club.id)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const atClose = await occurrences(club.id);
    await new Promise((r) => setTimeout(r, 4500));
    expect(await occurrences(club.id)).toBeLessThanOrEqual(atClose + 1); // one may have been on its way
    expect(await toRecord(club.id)).toEqual([]);
    const closed = await call('worker', 'GET', `/programmes/${club.id}`);
    expect(closed.body).toMatchObject({ nextSessionAt: null });
  }, 90_000);

  it('keeps a weekly rhythm in Vietnam’s time, where Temporal puts it, and follows a change of day', async () => {
    const club = await programme({ weekday: 'saturday', time: '08:00' }, 'CLB "Xanh lại ước mơ"');
    const handle = system.client.schedule.getHandle(programmeScheduleId(club.id));
    const first = await handle.describe();
    expect(first.spec.timezone).toBe('Asia/Ho_Chi_Minh');
    // 08:00 in Vietnam is 01:00 UTC, on a Saturday.
    expect(first.info.nextActionTimes[0]!.toISOString()).toBe(club.nextSessionAt);
    expect(new Date(club.nextSessionAt!).getUTCDay()).toBe(6);
    expect(new Date(club.nextSessionAt!).getUTCHours()).toBe(1);

    // Monday 05:00 in Vietnam is still Sunday in UTC.
    const moved = await call('manager', 'PATCH', `/programmes/${club.id}`, { schedule: { weekday: 'monday', time: '05:00' } });
    expect(moved.status).toBe(200);
    const second = await handle.describe();
    expect(second.info.nextActionTimes[0]!.toISOString()).toBe(moved.body.nextSessionAt);
    expect(new Date(moved.body.nextSessionAt).getUTCDay()).toBe(0);

    // No rhythm, no schedule.
    expect((await call('manager', 'PATCH', `/programmes/${club.id}`, { schedule: null })).status).toBe(200);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('passes on, by the worker’s sweep, a change Temporal was not told of', async () => {
    const club = await programme(null, 'Lớp kỹ năng sống');
    // What the API does when Temporal is down: the change is stored, not yet applied.
    await system.sql`update programmes set schedule = '{"weekday": "wednesday", "time": "14:00"}', schedule_revision = schedule_revision + 1 where id = ${club.id}`;
    const lines: string[] = [];
    const sweep = startProgrammeScheduleSweep({
      sql: system.sql,
      client: system.client,
      taskQueue: system.deps.taskQueue,
      sweepMs: 200,
      graceMs: 0,
      say: (l) => lines.push(l),
    });
    try {
      const described = await eventually(
        () =>
          system.client.schedule
            .getHandle(programmeScheduleId(club.id))
            .describe()
            .catch(() => undefined),
        (d) => d !== undefined,
      );
      expect(described!.spec.calendars?.[0]?.dayOfWeek).toEqual([{ start: 'WEDNESDAY', end: 'WEDNESDAY', step: 1 }]);
      const [row] = await system.sql<{ applied: number; revision: number }[]>`
        select schedule_applied as applied, schedule_revision as revision from programmes where id = ${club.id}`;
      expect(row!.applied).toBe(row!.revision);
      expect(lines.some((l) => l.includes('Lớp kỹ năng sống'))).toBe(true);
    } finally {
      await sweep.stop();
    }
  });
});
