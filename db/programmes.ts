// Programmes, enrolments, sessions and attendance (issue 29, domain/programmes.ts: G1–G3).
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/access';
import {
  A_PARTICIPANT,
  ABSENCES_FLAGGED,
  absencesNotice,
  nextOccurrence,
  type Enrolment,
  type EnrolmentOutcomeInput,
  type NewEnrolment,
  type NewProgramme,
  type NewSession,
  type Programme,
  type ProgrammePatch,
  type Session,
} from '../domain/programmes';
import { jsonb, type Sql, type Tx } from './connect';
import { insertNotifications } from './notifications';
import { answerOccurrence } from './programme-occurrences';
import { visibleTo } from './scope';

/** Why a write was refused, for the API to say which field. */
export type ProgrammeRefusal = 'programme_full' | 'already_enrolled' | 'programme_closed';
export class ProgrammeRefused extends Error {
  constructor(readonly code: ProgrammeRefusal) {
    super(code);
  }
}

const PROGRAMMES = (sql: Sql | Tx) => sql`
  select g.*, u.name as unit_name,
         coalesce((select json_agg(json_build_object('id', s.id, 'displayName', s.display_name) order by s.display_name)
                   from staff s where s.id = any(g.facilitators)), '[]') as facilitator_list,
         (select count(*)::int from enrolments e where e.programme_id = g.id and (e.outcome is null or e.outcome not in ('dropped_out', 'moved_away'))) as members,
         (select count(*)::int from programme_sessions s where s.programme_id = g.id) as session_count,
         (select max(held_on)::text from programme_sessions s where s.programme_id = g.id) as last_session_on,
         (select count(*)::int from programme_occurrences o where o.programme_id = g.id and o.session_id is null) as to_record
  from programmes g join units u on u.id = g.unit_id`;

interface ProgrammeRow {
  id: string;
  name: string;
  kind: Programme['kind'];
  unit_id: string;
  unit_name: string;
  description: string | null;
  facilitators: string[];
  facilitator_list: Programme['facilitators'];
  capacity: number | null;
  members: number;
  starts_on: Date;
  ends_on: Date | null;
  schedule: Programme['schedule'];
  closed_at: Date | null;
  session_count: number;
  last_session_on: string | null;
  to_record: number;
  created_at: Date;
  updated_at: Date;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function toProgramme(r: ProgrammeRow): Programme {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    unit: { id: r.unit_id, name: r.unit_name },
    description: r.description,
    facilitators: r.facilitator_list,
    capacity: r.capacity,
    members: r.members,
    startsOn: day(r.starts_on),
    endsOn: r.ends_on && day(r.ends_on),
    schedule: r.schedule,
    closedAt: r.closed_at?.toISOString() ?? null,
    sessions: r.session_count,
    lastSessionOn: r.last_session_on,
    nextSessionAt:
      nextOccurrence(
        { schedule: r.schedule, startsOn: day(r.starts_on), endsOn: r.ends_on && day(r.ends_on), closedAt: r.closed_at?.toISOString() ?? null },
        new Date(),
      )?.toISOString() ?? null,
    sessionsToRecord: r.to_record,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Staff of the province among `ids`, active: the facilitators a programme may name. */
export async function staffOfProvince(sql: Sql, ids: string[], province: string): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`select id from staff where id = any(${ids}::uuid[]) and province = ${province} and active`;
  return new Set(rows.map((r) => r.id));
}

export async function insertProgramme(sql: Sql, province: string, by: string, p: NewProgramme): Promise<Programme> {
  const id = randomUUID();
  await sql`
    insert into programmes (id, province, unit_id, name, kind, description, facilitators, capacity, starts_on, ends_on, schedule, created_by)
    values (${id}, ${province}, ${p.unitId}, ${p.name}, ${p.kind}, ${p.description ?? null}, ${p.facilitators}::uuid[], ${p.capacity ?? null},
            ${p.startsOn}, ${p.endsOn ?? null}, ${p.schedule ? jsonb(sql, p.schedule) : null}, ${by})`;
  return (await findProgramme(sql, id, province))!;
}

export async function findProgramme(sql: Sql | Tx, id: string, province: string): Promise<Programme | undefined> {
  const [row] = await sql<ProgrammeRow[]>`${PROGRAMMES(sql)} where g.id = ${id} and g.province = ${province}`;
  return row && toProgramme(row);
}

export async function listProgrammes(
  sql: Sql,
  province: string,
  f: { unitId?: string; kind?: string; open?: boolean; clientId?: string },
): Promise<Programme[]> {
  const rows = await sql<ProgrammeRow[]>`${PROGRAMMES(sql)}
    where g.province = ${province}
      ${f.unitId ? sql`and g.unit_id = ${f.unitId}` : sql``}
      ${f.kind ? sql`and g.kind = ${f.kind}` : sql``}
      ${f.open ? sql`and g.closed_at is null` : sql``}
      ${f.clientId ? sql`and exists (select 1 from enrolments e where e.programme_id = g.id and e.client_id = ${f.clientId})` : sql``}
    order by g.closed_at nulls first, g.name, g.id`;
  return rows.map(toProgramme);
}

export async function updateProgramme(sql: Sql, id: string, province: string, patch: ProgrammePatch): Promise<Programme | undefined> {
  const keep = <T>(value: T | undefined, column: string) => (value === undefined ? sql(column) : value);
  const updated = await sql`
    update programmes set
      name = ${keep(patch.name, 'name')}, kind = ${keep(patch.kind, 'kind')}, unit_id = ${keep(patch.unitId, 'unit_id')},
      description = ${keep(patch.description, 'description')},
      facilitators = ${patch.facilitators === undefined ? sql`facilitators` : sql`${patch.facilitators}::uuid[]`},
      capacity = ${keep(patch.capacity, 'capacity')}, starts_on = ${keep(patch.startsOn, 'starts_on')}, ends_on = ${keep(patch.endsOn, 'ends_on')},
      schedule = ${patch.schedule === undefined ? sql`schedule` : patch.schedule === null ? null : jsonb(sql, patch.schedule)},
      closed_at = ${patch.closed === undefined ? sql`closed_at` : patch.closed ? sql`coalesce(closed_at, now())` : null},
      schedule_revision = schedule_revision + 1,
      updated_at = now()
    where id = ${id} and province = ${province}
    returning id`;
  return updated.length ? findProgramme(sql, id, province) : undefined;
}

/** The client, when of the province; and the case, when it is the client's and the enroller may see it. */
export async function enrolmentSubject(sql: Sql, viewer: Principal, clientId: string, caseId?: string) {
  const [client] = await sql<{ id: string }[]>`select id from clients where id = ${clientId} and province = ${viewer.province}`;
  const caseRows = caseId
    ? await sql<{ client_id: string | null }[]>`select c.client_id from cases c where c.id = ${caseId} and ${visibleTo(sql, viewer)}`
    : [];
  return { client: !!client, caseOfClient: caseId ? caseRows[0]?.client_id === clientId : undefined };
}

/** Enrols a person, under the programme's row lock: capacity and the same person twice are refused. */
export async function insertEnrolment(sql: Sql, programmeId: string, by: string, e: NewEnrolment): Promise<string> {
  const id = randomUUID();
  await sql.begin((tx) => enrolIn(tx, programmeId, { ...e, id, by }));
  return id;
}

/**
 * An enrolment in the caller's transaction (POST /programmes/{id}/enrolments, or a case's plan
 * with its event: db/plan-enrolments.ts): the programme is open, the person not in it already, and
 * a place is free — counted after the programme's row lock, so two asking for the last place at
 * once do not both get it. `notBeforeStart` dates an enrolment made before the programme begins
 * on its first day.
 */
export async function enrolIn(
  tx: Tx,
  programmeId: string,
  e: { id: string; clientId: string; caseId?: string | null; enrolledOn: string; consent: { givenBy: string }; by: string | null; notBeforeStart?: boolean },
): Promise<void> {
  const [g] = await tx<{ capacity: number | null; closed_at: Date | null; starts_on: Date }[]>`
    select capacity, closed_at, starts_on from programmes where id = ${programmeId} for update`;
  if (g!.closed_at) throw new ProgrammeRefused('programme_closed');
  const [same] = await tx`select 1 from enrolments where programme_id = ${programmeId} and client_id = ${e.clientId}`;
  if (same) throw new ProgrammeRefused('already_enrolled');
  // An enrolment ended by dropping out or moving away frees its place.
  const [members] = await tx<{ n: number }[]>`
    select count(*)::int as n from enrolments where programme_id = ${programmeId} and (outcome is null or outcome not in ('dropped_out', 'moved_away'))`;
  if (g!.capacity !== null && members!.n >= g!.capacity) throw new ProgrammeRefused('programme_full');
  const startsOn = day(g!.starts_on);
  const on = e.notBeforeStart && e.enrolledOn < startsOn ? startsOn : e.enrolledOn;
  await tx`
    insert into enrolments (id, programme_id, client_id, case_id, enrolled_on, consent, created_by)
    values (${e.id}, ${programmeId}, ${e.clientId}, ${e.caseId ?? null}, ${on}, ${jsonb(tx, e.consent)}, ${e.by})`;
}

/** I5: an erased case's enrolments keep what the reports count, not who consented or what was noted. */
export async function eraseEnrolments(tx: Tx, caseId: string): Promise<void> {
  await tx`update enrolments set consent = jsonb_build_object('givenBy', ''), outcome_note = null, updated_at = now() where case_id = ${caseId}`;
}

export async function recordOutcome(
  sql: Sql,
  programmeId: string,
  enrolmentId: string,
  o: EnrolmentOutcomeInput,
): Promise<'recorded' | 'missing' | 'before_enrolment'> {
  const [e] = await sql<{ enrolled_on: string }[]>`select enrolled_on::text from enrolments where id = ${enrolmentId} and programme_id = ${programmeId}`;
  if (!e) return 'missing';
  if (o.on < e.enrolled_on) return 'before_enrolment';
  await sql`update enrolments set outcome = ${o.outcome}, outcome_on = ${o.on}, outcome_note = ${o.note ?? null}, updated_at = now() where id = ${enrolmentId}`;
  return 'recorded';
}

interface EnrolmentRow {
  id: string;
  programme_id: string;
  client_id: string;
  full_name: string;
  case_id: string | null;
  enrolled_on: string;
  consent: { givenBy: string };
  outcome: Enrolment['outcome'];
  outcome_on: string | null;
  outcome_note: string | null;
  absences: number;
  attended: number;
  known: boolean;
  created_at: Date;
}

/**
 * The programme's enrolments as the viewer may see them (G3): the name to its facilitators and to
 * whoever may see the member's case (with no case: the programme's unit and the managers), unless
 * the person has a restricted case the viewer may not see; "a participant" to anyone else.
 */
export async function listEnrolments(sql: Sql, programme: Programme, viewer: Principal, enrolmentId?: string): Promise<Enrolment[]> {
  const facilitator = programme.facilitators.some((f) => f.id === viewer.id);
  const ofUnit = viewer.role === 'manager' || viewer.unitId === programme.unit.id;
  const rows = await sql<EnrolmentRow[]>`
    select e.id, e.programme_id, e.client_id, k.full_name, e.case_id, e.enrolled_on::text, e.consent, e.outcome, e.outcome_on::text, e.outcome_note, e.created_at,
           (select count(*)::int from attendance a join programme_sessions s on s.id = a.session_id
             where a.enrolment_id = e.id and not a.present
               and s.held_on > coalesce((select max(s2.held_on) from attendance a2 join programme_sessions s2 on s2.id = a2.session_id
                                          where a2.enrolment_id = e.id and a2.present), '-infinity'::date)) as absences,
           (select count(*)::int from attendance a where a.enrolment_id = e.id and a.present) as attended,
           (${facilitator}
             or (e.case_id is not null and exists (select 1 from cases c where c.id = e.case_id and ${visibleTo(sql, viewer)}))
             or (e.case_id is null and ${ofUnit}))
           and not exists (select 1 from cases c where c.client_id = e.client_id and c.restricted and not ${facilitator} and not (${visibleTo(sql, viewer)})) as known
    from enrolments e join clients k on k.id = e.client_id
    where e.programme_id = ${programme.id} ${enrolmentId ? sql`and e.id = ${enrolmentId}` : sql``}
    order by k.name_key, e.id`;
  return rows.map((r) => ({
    id: r.id,
    programmeId: r.programme_id,
    clientId: r.known ? r.client_id : null,
    name: r.known ? r.full_name : A_PARTICIPANT.vi,
    caseId: r.known ? r.case_id : null,
    enrolledOn: r.enrolled_on,
    consent: r.known ? r.consent : { givenBy: '' },
    outcome: r.outcome,
    outcomeOn: r.outcome_on,
    outcomeNote: r.known ? r.outcome_note : null,
    absencesInARow: r.absences,
    attended: r.attended,
    createdAt: r.created_at.toISOString(),
  }));
}

/**
 * Stores a session whole (G2: every enrolment named is this programme's, each once, or nothing is
 * written) and flags G1: each absent member with an open case whose absences in a row reach
 * ABSENCES_FLAGGED tells the case's worker (the unit's supervisor while it has none), keyed by the
 * run's first missed session, so once per run of absences.
 */
export async function insertSession(sql: Sql, programmeId: string, by: string, s: NewSession): Promise<{ id: string } | { unknownEnrolments: number[] }> {
  return await sql.begin(async (tx) => {
    const ids = s.attendance.map((a) => a.enrolmentId);
    const own = new Set(
      (await tx<{ id: string }[]>`select id from enrolments where programme_id = ${programmeId} and id = any(${ids}::uuid[])`).map((r) => r.id),
    );
    const seen = new Set<string>();
    const unknown = ids.flatMap((id, n) => (!own.has(id) || seen.has(id) || !seen.add(id) ? [n] : []));
    if (unknown.length) return { unknownEnrolments: unknown };
    const id = randomUUID();
    await tx`
      insert into programme_sessions (id, programme_id, held_on, topic, facilitator_id, guests, recorded_by)
      values (${id}, ${programmeId}, ${s.heldOn}, ${s.topic}, ${s.facilitator}, ${jsonb(tx, s.guests ?? { female: 0, male: 0, children: 0 })}, ${by})`;
    if (s.attendance.length) {
      await tx`insert into attendance ${tx(s.attendance.map((a) => ({ session_id: id, enrolment_id: a.enrolmentId, present: a.present })))}`;
    }
    await answerOccurrence(tx, programmeId, id, s.heldOn);
    await flagAbsences(
      tx,
      programmeId,
      s.attendance.filter((a) => !a.present).map((a) => a.enrolmentId),
    );
    return { id };
  });
}

/** G1 over the members absent from a session just stored. */
async function flagAbsences(tx: Tx, programmeId: string, absent: string[]) {
  if (!absent.length) return;
  const rows = await tx<
    { enrolment_id: string; case_id: string; recipient: string | null; programme: string; run: Array<{ session: string; present: boolean }> }[]
  >`
    select e.id as enrolment_id, e.case_id, coalesce(c.assigned_worker_id, u.supervisor_id) as recipient, g.name as programme,
           (select json_agg(json_build_object('session', a.session_id, 'present', a.present) order by s.held_on, s.recorded_at)
              from attendance a join programme_sessions s on s.id = a.session_id where a.enrolment_id = e.id) as run
    from enrolments e join programmes g on g.id = e.programme_id join cases c on c.id = e.case_id left join units u on u.id = c.unit_id
    where e.programme_id = ${programmeId} and e.id = any(${absent}::uuid[]) and c.stage not in ('closed', 'erased')`;
  const now = new Date().toISOString();
  for (const r of rows) {
    if (!r.recipient) continue;
    // Every run of ABSENCES_FLAGGED or more, named by its first missed session: a notice each, once.
    let start: string | undefined;
    let length = 0;
    for (const a of r.run) {
      if (a.present) {
        length = 0;
        continue;
      }
      if (length === 0) start = a.session;
      length += 1;
      if (length === ABSENCES_FLAGGED) {
        const message = absencesNotice(r.programme);
        await insertNotifications(tx, r.case_id, now, [
          { key: `g1:${r.enrolment_id}:${start}`, recipientId: r.recipient, kind: 'programme.absences', message },
        ]);
      }
    }
  }
}

export async function listSessions(sql: Sql, programmeId: string): Promise<Session[]> {
  const rows = await sql<
    {
      id: string;
      programme_id: string;
      held_on: string;
      topic: string;
      facilitator_id: string;
      facilitator_name: string;
      guests: Session['guests'];
      attendance: Session['attendance'] | null;
      recorded_at: Date;
    }[]
  >`
    select s.id, s.programme_id, s.held_on::text, s.topic, s.facilitator_id, f.display_name as facilitator_name, s.guests, s.recorded_at,
           (select json_agg(json_build_object('enrolmentId', a.enrolment_id, 'present', a.present)) from attendance a where a.session_id = s.id) as attendance
    from programme_sessions s join staff f on f.id = s.facilitator_id
    where s.programme_id = ${programmeId}
    order by s.held_on desc, s.recorded_at desc`;
  return rows.map((r) => {
    const attendance = r.attendance ?? [];
    return {
      id: r.id,
      programmeId: r.programme_id,
      heldOn: r.held_on,
      topic: r.topic,
      facilitator: { id: r.facilitator_id, displayName: r.facilitator_name },
      guests: r.guests,
      present: attendance.filter((a) => a.present).length,
      absent: attendance.filter((a) => !a.present).length,
      attendance,
      recordedAt: r.recorded_at.toISOString(),
    };
  });
}
