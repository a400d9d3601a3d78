// A programme's scheduled sessions (issue 29): each occurrence of its Temporal Schedule writes one
// row — a session to record — and tells the facilitators; a session recorded answers it; one left
// unanswered climbs the deadline policy's `session_record`. And the bookkeeping that keeps the
// Temporal Schedule in step with the programme (revision and applied, migration 016).
import type { Principal } from '../domain/access';
import type { ProgrammeScheduleSpec, SessionToRecord } from '../domain/programmes';
import type { Bilingual } from '../domain/stages';
import { vietnamDay } from '../domain/vietnam-time';
import type { Sql, Tx } from './connect';
import { insertNotifications } from './notifications';

export type SessionRecordLevel = 'reminder' | 'supervisor' | 'manager';

/** What a Temporal Schedule is made from: the programme as it wants to be kept. */
export interface ScheduledProgramme {
  id: string;
  name: string;
  schedule: ProgrammeScheduleSpec | null;
  startsOn: string;
  endsOn: string | null;
  closed: boolean;
  revision: number;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Runs `apply` with the programme as it is now, under its row's lock, and marks that revision
 * applied: two changes passed on at once are passed on in order, the later one last.
 */
export async function applyingSchedule(sql: Sql, id: string, apply: (p: ScheduledProgramme) => Promise<void>): Promise<void> {
  await sql.begin(async (tx) => {
    const [r] = await tx<
      {
        id: string;
        name: string;
        schedule: ProgrammeScheduleSpec | null;
        starts_on: Date;
        ends_on: Date | null;
        closed_at: Date | null;
        schedule_revision: number;
      }[]
    >`select id, name, schedule, starts_on, ends_on, closed_at, schedule_revision from programmes where id = ${id} for update`;
    if (!r) return;
    await apply({
      id: r.id,
      name: r.name,
      schedule: r.schedule,
      startsOn: day(r.starts_on),
      endsOn: r.ends_on && day(r.ends_on),
      closed: r.closed_at !== null,
      revision: r.schedule_revision,
    });
    await tx`update programmes set schedule_applied = greatest(schedule_applied, ${r.schedule_revision}) where id = ${id}`;
  });
}

/** Programmes whose latest change Temporal has not been told of, changed before `before`. */
export async function schedulesBehind(sql: Sql, before: Date, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from programmes where schedule_applied < schedule_revision and updated_at < ${before} order by updated_at limit ${limit}`;
  return rows.map((r) => r.id);
}

/** Programmes that have a Temporal Schedule (a rhythm, not closed): a master key rotation re-applies those sealed under an old key. */
export async function scheduledProgrammeIds(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select id from programmes where schedule is not null and closed_at is null order by id`;
  return rows.map((r) => r.id);
}

export interface OpenedOccurrence {
  /** The ladder's times (ISO-8601), as the policy's step `session_record` set them. */
  dueAt: string;
  supervisorAt: string;
  managerAt: string;
}

/**
 * The session to record of one occurrence, written once with the facilitators' notice; undefined
 * when the programme is closed or past its last day (the schedule is being taken down).
 */
export async function openOccurrence(
  sql: Sql,
  programmeId: string,
  scheduledFor: Date,
  ladder: (province: string) => Promise<OpenedOccurrence & { policyVersion: number }>,
  message: (name: string, day: string) => Bilingual,
): Promise<OpenedOccurrence | undefined> {
  const [g] = await sql<{ province: string; name: string; facilitators: string[]; closed_at: Date | null; ends_on: Date | null }[]>`
    select province, name, facilitators, closed_at, ends_on from programmes where id = ${programmeId}`;
  const on = vietnamDay(scheduledFor);
  if (!g || g.closed_at || (g.ends_on && day(g.ends_on) < on)) return undefined;
  const times = await ladder(g.province);
  return await sql.begin(async (tx) => {
    const [row] = await tx<{ due_at: Date; inserted: boolean }[]>`
      insert into programme_occurrences (programme_id, scheduled_for, scheduled_on, due_at, policy_version)
      values (${programmeId}, ${scheduledFor}, ${on}, ${times.dueAt}, ${times.policyVersion})
      on conflict (programme_id, scheduled_for) do update set programme_id = excluded.programme_id
      returning due_at, (xmax = 0) as inserted`;
    await insertNotifications(
      tx,
      null,
      scheduledFor.toISOString(),
      g.facilitators.map((f) => ({
        key: `session:${programmeId}:${scheduledFor.getTime()}:due:${f}`,
        recipientId: f,
        kind: 'programme.session_due',
        message: message(g.name, on),
      })),
    );
    // A retry keeps the ladder its first attempt set.
    return row!.inserted ? times : { ...times, dueAt: row!.due_at.toISOString() };
  });
}

/** One step of an unrecorded session's ladder; answers whether it is still unrecorded. */
export async function occurrenceStep(
  sql: Sql,
  programmeId: string,
  scheduledFor: Date,
  level: SessionRecordLevel,
  message: (name: string, day: string) => Bilingual,
): Promise<boolean> {
  return await sql.begin(async (tx) => {
    const [o] = await tx<
      {
        fired: string[];
        session_id: string | null;
        scheduled_on: Date;
        name: string;
        province: string;
        unit_id: string;
        facilitators: string[];
        closed_at: Date | null;
      }[]
    >`
      select o.fired, o.session_id, o.scheduled_on, g.name, g.province, g.unit_id, g.facilitators, g.closed_at
      from programme_occurrences o join programmes g on g.id = o.programme_id
      where o.programme_id = ${programmeId} and o.scheduled_for = ${scheduledFor} for update of o`;
    // A closed programme owes no more sessions.
    if (!o || o.session_id || o.closed_at) return false;
    if (o.fired.includes(level)) return true;
    await tx`update programme_occurrences set fired = array_append(fired, ${level}::text) where programme_id = ${programmeId} and scheduled_for = ${scheduledFor}`;
    const to =
      level === 'reminder'
        ? o.facilitators
        : (level === 'supervisor'
            ? await tx<{ id: string }[]>`select supervisor_id as id from units where id = ${o.unit_id} and supervisor_id is not null`
            : await tx<{ id: string }[]>`select id from staff where province = ${o.province} and role = 'manager' and active`
          ).map((r) => r.id);
    await insertNotifications(
      tx,
      null,
      new Date().toISOString(),
      to.map((id) => ({
        key: `session:${programmeId}:${scheduledFor.getTime()}:${level}:${id}`,
        recipientId: id,
        kind: `session_record.${level}`,
        message: message(o.name, day(o.scheduled_on)),
      })),
    );
    return true;
  });
}

/**
 * A session recorded on `heldOn` answers the open occurrence of that day (the earliest, should
 * there be several), else the latest open one before it: a session held a day late still counts.
 */
export async function answerOccurrence(tx: Tx, programmeId: string, sessionId: string, heldOn: string): Promise<void> {
  await tx`
    update programme_occurrences set session_id = ${sessionId}
    where session_id is null and (programme_id, scheduled_for) = (
      select programme_id, scheduled_for from programme_occurrences
      where programme_id = ${programmeId} and session_id is null and scheduled_on <= ${heldOn}
      order by scheduled_on = ${heldOn} desc, case when scheduled_on = ${heldOn} then scheduled_for end asc, scheduled_for desc
      limit 1
      for update)`;
}

/**
 * Sessions held by the schedule and not yet recorded, of the programmes the viewer may record
 * for — those they facilitate, their unit's as its supervisor, all the province's as a manager —
 * or, with `facilitatedBy`, only those they facilitate. Oldest first.
 */
export async function sessionsToRecord(sql: Sql, viewer: Principal, f: { facilitatedBy?: boolean; limit: number }): Promise<SessionToRecord[]> {
  const mine = sql`${viewer.id}::uuid = any(g.facilitators)`;
  const scope =
    f.facilitatedBy || viewer.role === 'social_worker'
      ? mine
      : viewer.role === 'supervisor'
        ? sql`(${mine} or g.unit_id = ${viewer.unitId ?? null})`
        : sql`true`;
  const rows = await sql<{ id: string; name: string; scheduled_for: Date; scheduled_on: Date; due_at: Date }[]>`
    select g.id, g.name, o.scheduled_for, o.scheduled_on, o.due_at
    from programme_occurrences o join programmes g on g.id = o.programme_id
    where g.province = ${viewer.province} and o.session_id is null and g.closed_at is null and ${scope}
    order by o.scheduled_for, g.id
    limit ${f.limit}`;
  return rows.map((r) => ({
    programme: { id: r.id, name: r.name },
    scheduledFor: r.scheduled_for.toISOString(),
    scheduledOn: day(r.scheduled_on),
    dueAt: r.due_at.toISOString(),
  }));
}
