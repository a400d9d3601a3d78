// Group and community work's counts for the reports (issue 29, item 6), live from `programmes`,
// `enrolments`, `programme_sessions` and `attendance`: the enrolments made in a period of Vietnam's
// days, in a province or a unit (the programme's), grouped; and the period's indicators. Never
// narrowed by commune: a programme is a unit's. Counts, never who: a member's case may be
// restricted or erased, and still counts.
import { STILL_TAKING_PART, type ProgrammeIndicatorId, type ProgrammeReportGrouping } from '../domain/reports';
import type { Sql } from './connect';
import { AGE_GROUP, GENDER, type ReportScope } from './reports';

export type ProgrammeScope = Omit<ReportScope, 'commune'>;

/** An instant's day in Vietnam (no daylight saving: UTC+7), as a programme's dates are written. */
const vietnamDay = (sql: Sql, at: Date) => sql`((${at}::timestamptz at time zone 'UTC') + interval '7 hours')::date`;

type Fragment = ReturnType<typeof vietnamDay>;

/** A date column within the period's days: [from, until) as days. */
const inPeriod = (sql: Sql, s: ProgrammeScope, column: Fragment) => sql`(${column} >= ${vietnamDay(sql, s.from)} and ${column} < ${vietnamDay(sql, s.until)})`;

/** The scope's programmes, by their province and unit. */
const ofScope = (sql: Sql, s: ProgrammeScope) => sql`p.province = ${s.province} ${s.unitId ? sql`and p.unit_id = ${s.unitId}` : sql``}`;

/** The enrolments made in the period, with their programme and (when they have a case) its intake decision. */
function enrolled(sql: Sql, s: ProgrammeScope) {
  return sql`
    from enrolments e join programmes p on p.id = e.programme_id
    left join routing_decisions d on d.case_id = e.case_id and d.seq = 1
    where ${ofScope(sql, s)} and ${inPeriod(sql, s, sql`e.enrolled_on`)}`;
}

function keyOf(sql: Sql, by: ProgrammeReportGrouping) {
  switch (by) {
    case 'programme':
      return sql`p.id::text`;
    case 'kind':
      return sql`p.kind`;
    // From the member's case's intake; one enrolled without a case is 'unknown'.
    case 'gender':
      return sql`case when e.case_id is null or d.case_id is null then 'unknown' else ${GENDER(sql)} end`;
    case 'ageGroup':
      return sql`case when e.case_id is null or d.case_id is null then 'unknown' else ${AGE_GROUP(sql)} end`;
    // What became of them as it stands now; none yet has a row of its own.
    case 'outcome':
      return sql`coalesce(e.outcome, ${STILL_TAKING_PART}::text)`;
    case 'unit':
      return sql`p.unit_id::text`;
  }
}

/** Enrolments made in the period, grouped: each in one row, so the rows add up to `total`. */
export async function enrolmentsBy(
  sql: Sql,
  s: ProgrammeScope,
  by: ProgrammeReportGrouping,
): Promise<{ rows: Array<{ key: string; count: number }>; total: number }> {
  const rows = await sql<{ key: string; count: number }[]>`
    select ${keyOf(sql, by)} as key, count(*)::int as count ${enrolled(sql, s)}
    group by 1 order by 2 desc, 1`;
  const [total] = await sql<{ n: number }[]>`select count(*)::int as n ${enrolled(sql, s)}`;
  return { rows, total: total?.n ?? 0 };
}

/** The names of the programmes these keys are, for the rows' labels. */
export async function programmeNames(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  const known = ids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
  const rows = known.length ? await sql<{ id: string; name: string }[]>`select id, name from programmes where id in ${sql(known)}` : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The group and community work indicators of the period (domain/reports.ts says what each counts). */
export async function programmeCounts(sql: Sql, s: ProgrammeScope): Promise<Record<ProgrammeIndicatorId, number>> {
  const guests = (who: string) => sql`coalesce((ps.guests->>${who})::int, 0)`;
  const [held] = await sql<Array<{ programmeSessions: number; programmeGuests: number }>>`
    select count(*)::int as "programmeSessions",
           coalesce(sum(${guests('female')} + ${guests('male')} + ${guests('children')}), 0)::int as "programmeGuests"
    from programme_sessions ps join programmes p on p.id = ps.programme_id
    where ${ofScope(sql, s)} and ${inPeriod(sql, s, sql`ps.held_on`)}`;
  const [came] = await sql<Array<{ programmeParticipants: number; programmeAttendanceRate: number }>>`
    select count(distinct e.client_id) filter (where a.present)::int as "programmeParticipants",
           coalesce(round(100.0 * count(*) filter (where a.present) / nullif(count(*), 0), 1), 0)::float8 as "programmeAttendanceRate"
    from attendance a join programme_sessions ps on ps.id = a.session_id
    join enrolments e on e.id = a.enrolment_id join programmes p on p.id = ps.programme_id
    where ${ofScope(sql, s)} and ${inPeriod(sql, s, sql`ps.held_on`)}`;
  const outcome = (code: string) => sql`count(*) filter (where e.outcome = ${code} and ${inPeriod(sql, s, sql`e.outcome_on`)})::int`;
  const [members] = await sql<
    Array<{ programmeEnrolments: number; programmeEmployed: number; programmeApprenticeships: number; programmeBackToSchool: number }>
  >`
    select count(*) filter (where ${inPeriod(sql, s, sql`e.enrolled_on`)})::int as "programmeEnrolments",
           ${outcome('employed')} as "programmeEmployed",
           ${outcome('apprenticeship')} as "programmeApprenticeships",
           ${outcome('returned_to_school')} as "programmeBackToSchool"
    from enrolments e join programmes p on p.id = e.programme_id
    where ${ofScope(sql, s)}`;
  return {
    programmeParticipants: came!.programmeParticipants,
    programmeEnrolments: members!.programmeEnrolments,
    programmeSessions: held!.programmeSessions,
    programmeAttendanceRate: came!.programmeAttendanceRate,
    programmeGuests: held!.programmeGuests,
    programmeEmployed: members!.programmeEmployed,
    programmeApprenticeships: members!.programmeApprenticeships,
    programmeBackToSchool: members!.programmeBackToSchool,
  };
}
