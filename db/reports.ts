// The reports' counts, live from the cases (issue 18): each case as it was received — its intake's
// routing decision (seq 1) and the facts it was scored on, which an erased case keeps
// de-identified — within a period of Vietnam's days, a province, and a unit or commune if asked.
import { REPORTING_DELAYS, type ReportGrouping } from '../domain/reports';
import type { Sql, Tx } from './connect';

export interface ReportScope {
  province: string;
  /** A supervisor's unit, or the unit a manager asked for. */
  unitId?: string;
  commune?: string;
  /** [from, until) as instants. */
  from: Date;
  until: Date;
}

/** The age group of a case's intake facts (`d`, its routing decision of seq 1): from the age when known, else what an erasure kept. */
export const AGE_GROUP = (sql: Sql) => sql`
  case
    when d.facts->>'age' is not null then
      case when (d.facts->>'age')::int < 6 then '0-5' when (d.facts->>'age')::int < 12 then '6-11'
           when (d.facts->>'age')::int < 16 then '12-15' when (d.facts->>'age')::int < 18 then '16-17'
           when (d.facts->>'age')::int < 60 then '18-59' else '60+' end
    when d.facts->>'reportAgeGroup' is not null then d.facts->>'reportAgeGroup'
    when d.facts->>'ageGroup' = 'under 6' then '0-5'
    when d.facts->>'ageGroup' = '60 and over' then '60+'
    else 'unknown'
  end`;

/** The gender of a case's intake facts; 'unknown' without one. */
export const GENDER = (sql: Sql) => sql`coalesce(d.facts->>'gender', 'unknown')`;

/**
 * The reporting-delay bucket of a case: days from its intake's incidentDate to the day it was
 * received, in Vietnam; what an erasure kept (erasure writes this same bucket); 'unknown' without a date.
 */
export const REPORTING_DELAY = (sql: Sql | Tx) => {
  const days = sql`(((c.created_at at time zone 'UTC') + interval '7 hours')::date - (c.intake->>'incidentDate')::date)`;
  return sql`
  case
    when c.intake->>'reportingDelay' is not null then c.intake->>'reportingDelay'
    when c.intake->>'incidentDate' is null or ${days} < 0 then 'unknown'
    ${REPORTING_DELAYS.map((d) => (d.upTo === null ? sql`else ${d.key}::text` : sql`when ${days} <= ${d.upTo}::int then ${d.key}::text`)).reduce((a, b) => sql`${a} ${b}`)}
  end`;
};

/** The commune of a case's intake, as a report compares it (case and spacing do not matter); '—' without one. */
export const COMMUNE = (sql: Sql) => sql`coalesce(nullif(lower(trim(c.intake->'client'->'location'->>'commune')), ''), '—')`;

/** The cases received in the scope, each with its intake decision. */
function received(sql: Sql, s: ReportScope, join = sql``) {
  return sql`
    from cases c join routing_decisions d on d.case_id = c.id and d.seq = 1 ${join}
    where c.province = ${s.province} and c.created_at >= ${s.from} and c.created_at < ${s.until}
      ${s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``}
      ${s.commune ? sql`and ${COMMUNE(sql)} = lower(trim(${s.commune}))` : sql``}`;
}

const KEYS: Record<Exclude<ReportGrouping, 'category'>, (sql: Sql) => ReturnType<typeof AGE_GROUP>> = {
  channel: (sql) => sql`coalesce(d.facts->>'channel', 'unknown')`,
  path: (sql) => sql`d.path`,
  level: (sql) => sql`d.level`,
  gender: GENDER,
  ageGroup: AGE_GROUP,
  reportingDelay: REPORTING_DELAY,
  commune: COMMUNE,
  // Vietnam has no daylight saving: its month is UTC+7's.
  month: (sql) => sql`to_char((c.created_at at time zone 'UTC') + interval '7 hours', 'YYYY-MM')`,
  unit: (sql) => sql`coalesce(c.unit_id::text, 'none')`,
};

/** Cases received, grouped; a case with two categories adds to two rows, and `total` counts it once. */
export async function casesBy(sql: Sql, s: ReportScope, by: ReportGrouping): Promise<{ rows: Array<{ key: string; count: number }>; total: number }> {
  const rows =
    by === 'category'
      ? await sql<{ key: string; count: number }[]>`
          select coalesce(k.key, 'none') as key, count(*)::int as count
          ${received(sql, s, sql`left join lateral jsonb_array_elements_text(coalesce(d.facts->'categories', '[]'::jsonb)) as k(key) on true`)}
          group by 1 order by 2 desc, 1`
      : await sql<{ key: string; count: number }[]>`
          select ${KEYS[by](sql)} as key, count(*)::int as count ${received(sql, s)} group by 1 order by ${by === 'month' ? sql`1` : sql`2 desc, 1`}`;
  const [total] = await sql<{ n: number }[]>`select count(*)::int as n ${received(sql, s)}`;
  return { rows, total: total?.n ?? 0 };
}

/** The names of the units these keys are, for the rows' labels. */
export async function unitNames(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  const known = ids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
  const rows = known.length ? await sql<{ id: string; name: string }[]>`select id, name from units where id in ${sql(known)}` : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface IndicatorCounts {
  received: number;
  emergency: number;
  children: number;
  childAbuse: number;
  childAbuseGirls: number;
  childAbuseBoys: number;
  repeats: number;
  open: number;
  closed: number;
  erased: number;
  remote: number;
  ethnicMinority: number;
}

/** Counts over the cases received in the scope. */
export async function receivedCounts(sql: Sql, s: ReportScope): Promise<IndicatorCounts> {
  // Circular 13/2021 (0101): children who were abused — sexual abuse, violence or injury reported,
  // or an abuse category (which an erased case keeps).
  const abused = sql`(d.facts->>'isChild')::boolean is true and (
    coalesce(d.facts->'categories', '[]'::jsonb) ?| array['sexual_abuse_victim', 'domestic_violence_victim']
    or (d.facts->>'sexualAbuse')::boolean is true or (d.facts->>'violenceOngoing')::boolean is true or (d.facts->>'injury')::boolean is true)`;
  const [row] = await sql<Array<Record<keyof IndicatorCounts, number>>>`
    select count(*)::int as received,
           count(*) filter (where d.path = 'emergency')::int as emergency,
           count(*) filter (where (d.facts->>'isChild')::boolean is true)::int as children,
           count(*) filter (where ${abused})::int as "childAbuse",
           count(*) filter (where ${abused} and d.facts->>'gender' = 'female')::int as "childAbuseGirls",
           count(*) filter (where ${abused} and d.facts->>'gender' = 'male')::int as "childAbuseBoys",
           count(*) filter (where c.possible_repeat_of is not null)::int as repeats,
           count(*) filter (where c.stage not in ('closed', 'erased'))::int as open,
           count(*) filter (where c.stage = 'closed')::int as closed,
           count(*) filter (where c.stage = 'erased')::int as erased,
           count(*) filter (where (d.facts->>'remote')::boolean is true)::int as remote,
           count(*) filter (where (d.facts->>'ethnicMinority')::boolean is true)::int as "ethnicMinority"
    ${received(sql, s)}`;
  return row as IndicatorCounts;
}

/** Open cases per social worker of the scope, in Primero's caseload bands. */
export async function caseloadBands(
  sql: Sql,
  s: Pick<ReportScope, 'province' | 'unitId'>,
): Promise<Record<'upTo10' | 'from11to20' | 'from21to30' | 'over30', number>> {
  const [row] = await sql<Array<{ upTo10: number; from11to20: number; from21to30: number; over30: number }>>`
    with load as (
      select w.id, count(c.id) as n from staff w
      left join cases c on c.assigned_worker_id = w.id and c.stage not in ('closed', 'erased')
      where w.province = ${s.province} and w.role = 'social_worker' and w.active
        ${s.unitId ? sql`and w.unit_id = ${s.unitId}` : sql``}
      group by w.id)
    select count(*) filter (where n <= 10)::int as "upTo10", count(*) filter (where n between 11 and 20)::int as "from11to20",
           count(*) filter (where n between 21 and 30)::int as "from21to30", count(*) filter (where n > 30)::int as "over30"
    from load`;
  return row!;
}

/** Escalations opened in the period, by rung, and referrals sent in it by what became of them. */
export async function periodCounts(sql: Sql, s: ReportScope) {
  const unit = s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``;
  const [esc] = await sql<{ supervisor: number; manager: number }[]>`
    select count(*) filter (where e.level = 'supervisor')::int as supervisor, count(*) filter (where e.level = 'manager')::int as manager
    from escalations e join cases c on c.id = e.case_id
    where c.province = ${s.province} and e.opened_at >= ${s.from} and e.opened_at < ${s.until} ${unit}`;
  const [ref] = await sql<{ sent: number; accepted: number; declined: number; expired: number; completed: number }[]>`
    select count(*) filter (where r.status <> 'draft')::int as sent,
           count(*) filter (where r.status in ('accepted', 'in_service', 'completed'))::int as accepted,
           count(*) filter (where r.status = 'declined')::int as declined,
           count(*) filter (where r.status = 'expired')::int as expired,
           count(*) filter (where r.status = 'completed')::int as completed
    from referrals r join cases c on c.id = r.case_id
    where c.province = ${s.province} and r.created_at >= ${s.from} and r.created_at < ${s.until} ${unit}`;
  return { escalations: esc!, referrals: ref! };
}

export interface StepTimeliness {
  step: string;
  onTime: number;
  late: number;
  medianHours: number | null;
  p90Hours: number | null;
}

/**
 * Deadlines started in the period, by step: met on time, missed (met late, or still open past
 * due), and how long meeting them took (median and 90th percentile, in hours).
 */
export async function timeliness(sql: Sql, s: ReportScope): Promise<StepTimeliness[]> {
  const hours = sql`extract(epoch from dl.met_at - dl.started_at) / 3600`;
  return await sql<StepTimeliness[]>`
    select dl.step,
           count(*) filter (where dl.met_at <= dl.due_at)::int as "onTime",
           count(*) filter (where dl.met_at > dl.due_at or (dl.met_at is null and dl.due_at < now()))::int as late,
           (percentile_cont(0.5) within group (order by ${hours}) filter (where dl.met_at is not null))::float8 as "medianHours",
           (percentile_cont(0.9) within group (order by ${hours}) filter (where dl.met_at is not null))::float8 as "p90Hours"
    from case_deadlines dl join cases c on c.id = dl.case_id
    where c.province = ${s.province} and dl.started_at >= ${s.from} and dl.started_at < ${s.until}
      ${s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``}
      ${s.commune ? sql`and ${COMMUNE(sql)} = lower(trim(${s.commune}))` : sql``}
    group by dl.step`;
}

export interface EventCounts {
  assessments: number;
  plansApproved: number;
  closures: number;
  reopened: number;
  closedUnder1Month: number;
  closed1to3Months: number;
  closed3to6Months: number;
  closedOver6Months: number;
  medianDaysToClose: number | null;
}

/** A closure: approved in the product, or closed in the past register a case was imported from. */
const CLOSING = ['closure.approved', 'case.closed_in_register'];

/** What was done in the period, from the cases' timelines: assessments, approvals, closures and how long cases took. */
export async function eventCounts(sql: Sql, s: ReportScope): Promise<EventCounts> {
  const months = sql`extract(epoch from e.at - c.created_at) / 86400 / 30.4375`;
  const closing = sql`e.kind in ${sql(CLOSING)}`;
  const [row] = await sql<EventCounts[]>`
    select count(*) filter (where e.kind = 'assessment.recorded')::int as assessments,
           count(*) filter (where e.kind = 'plan.approved')::int as "plansApproved",
           count(*) filter (where ${closing})::int as closures,
           count(*) filter (where e.kind = 'case.reopened')::int as reopened,
           count(*) filter (where ${closing} and ${months} < 1)::int as "closedUnder1Month",
           count(*) filter (where ${closing} and ${months} >= 1 and ${months} < 3)::int as "closed1to3Months",
           count(*) filter (where ${closing} and ${months} >= 3 and ${months} < 6)::int as "closed3to6Months",
           count(*) filter (where ${closing} and ${months} >= 6)::int as "closedOver6Months",
           (percentile_cont(0.5) within group (order by extract(epoch from e.at - c.created_at) / 86400) filter (where ${closing}))::float8
             as "medianDaysToClose"
    from case_events e join cases c on c.id = e.case_id
    where c.province = ${s.province} and e.at >= ${s.from} and e.at < ${s.until}
      and e.kind in ${sql(['assessment.recorded', 'plan.approved', 'case.reopened', ...CLOSING])}
      ${s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``}
      ${s.commune ? sql`and ${COMMUNE(sql)} = lower(trim(${s.commune}))` : sql``}`;
  return row!;
}

/** Now, in the scope: open cases past their deadline, and the people who carry the work. */
export async function standingCounts(sql: Sql, s: Pick<ReportScope, 'province' | 'unitId'>) {
  const [row] = await sql<{ overdueNow: number; socialWorkers: number; supervisors: number }[]>`
    select (select count(*) from cases c where c.province = ${s.province} and c.stage not in ('closed', 'erased') and c.due_at < now()
              ${s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``})::int as "overdueNow",
           (select count(*) from staff w where w.province = ${s.province} and w.active and w.role = 'social_worker'
              ${s.unitId ? sql`and w.unit_id = ${s.unitId}` : sql``})::int as "socialWorkers",
           (select count(*) from staff w where w.province = ${s.province} and w.active and w.role = 'supervisor'
              ${s.unitId ? sql`and w.unit_id = ${s.unitId}` : sql``})::int as supervisors`;
  return row!;
}

export interface WorkerLoad {
  workerId: string;
  worker: string;
  unit: string | null;
  open: number;
  overdue: number;
  escalations: number;
}

/** Now: each active social worker's open cases, how many are overdue, and their open escalations. */
export async function workload(sql: Sql, s: Pick<ReportScope, 'province' | 'unitId'>): Promise<WorkerLoad[]> {
  return await sql<WorkerLoad[]>`
    select w.id as "workerId", w.display_name as worker, u.name as unit,
           count(c.id) filter (where c.stage not in ('closed', 'erased'))::int as open,
           count(c.id) filter (where c.stage not in ('closed', 'erased') and c.due_at < now())::int as overdue,
           (select count(*) from escalations e join cases c2 on c2.id = e.case_id where c2.assigned_worker_id = w.id and e.status = 'open')::int as escalations
    from staff w left join units u on u.id = w.unit_id left join cases c on c.assigned_worker_id = w.id
    where w.province = ${s.province} and w.role = 'social_worker' and w.active ${s.unitId ? sql`and w.unit_id = ${s.unitId}` : sql``}
    group by w.id, w.display_name, u.name
    order by 5 desc, 4 desc, 2`;
}

export interface ReferralsByKind {
  kind: string;
  sent: number;
  accepted: number;
  declined: number;
  expired: number;
  completed: number;
  medianResponseHours: number | null;
}

/** Referrals sent in the period, by kind of partner: what became of them and how long partners took to answer. */
export async function referralsByKind(sql: Sql, s: ReportScope): Promise<ReferralsByKind[]> {
  return await sql<ReferralsByKind[]>`
    with moves as (
      select e.data->>'referralId' as rid,
             min(e.at) filter (where e.kind = 'referral.sent') as sent_at,
             min(e.at) filter (where e.kind in ('referral.accepted', 'referral.declined', 'referral.in_service')) as answered_at
      from case_events e join cases c on c.id = e.case_id
      where c.province = ${s.province} and e.kind in ('referral.sent', 'referral.accepted', 'referral.declined', 'referral.in_service')
        ${s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``}
      group by 1)
    select p.kind, count(*)::int as sent,
           count(*) filter (where r.status in ('accepted', 'in_service', 'completed'))::int as accepted,
           count(*) filter (where r.status = 'declined')::int as declined,
           count(*) filter (where r.status = 'expired')::int as expired,
           count(*) filter (where r.status = 'completed')::int as completed,
           (percentile_cont(0.5) within group (order by extract(epoch from m.answered_at - m.sent_at) / 3600) filter (where m.answered_at is not null))::float8
             as "medianResponseHours"
    from moves m join referrals r on r.id::text = m.rid join partners p on p.id = r.partner_id
    where m.sent_at >= ${s.from} and m.sent_at < ${s.until}
    group by p.kind order by 2 desc, 1`;
}

export interface ClosureCount {
  reason: string;
  goalsMet: string;
  count: number;
}

/**
 * Closures in the period by reason and by how far the plan's goals were met: the reasons proposed
 * with each approved closure, and a past register's; 'unknown' where none was coded.
 */
export async function closuresBy(sql: Sql, s: ReportScope): Promise<ClosureCount[]> {
  return await sql<ClosureCount[]>`
    select coalesce(coalesce(p.data, e.data)->>'reasonCode', 'unknown') as reason,
           coalesce(coalesce(p.data, e.data)->>'goalsMet', 'unknown') as "goalsMet", count(*)::int as count
    from case_events e join cases c on c.id = e.case_id
    left join lateral (
      select p.data from case_events p
      where p.case_id = e.case_id and p.kind = 'closure.proposed' and p.seq < e.seq order by p.seq desc limit 1
    ) p on e.kind = 'closure.approved'
    where c.province = ${s.province} and e.at >= ${s.from} and e.at < ${s.until} and e.kind in ${sql(CLOSING)}
      ${s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``}
      ${s.commune ? sql`and ${COMMUNE(sql)} = lower(trim(${s.commune}))` : sql``}
    group by 1, 2 order by 3 desc, 1, 2`;
}

export interface UnitLoad {
  unitId: string;
  unit: string;
  received: number;
  openNow: number;
  overdueNow: number;
  deadlinesMissed: number;
  escalationsSupervisor: number;
  escalationsManager: number;
}

/**
 * Per unit of the scope: cases received in the period, open and overdue now, deadlines started in
 * the period and missed, and escalations opened in it by rung.
 */
export async function unitsReport(sql: Sql, s: Omit<ReportScope, 'commune'>): Promise<UnitLoad[]> {
  return await sql<UnitLoad[]>`
    select u.id as "unitId", u.name as unit,
      (select count(*) from cases c where c.province = u.province and c.unit_id = u.id and c.created_at >= ${s.from} and c.created_at < ${s.until})::int as received,
      (select count(*) from cases c where c.province = u.province and c.unit_id = u.id and c.stage not in ('closed', 'erased'))::int as "openNow",
      (select count(*) from cases c where c.province = u.province and c.unit_id = u.id and c.stage not in ('closed', 'erased') and c.due_at < now())::int as "overdueNow",
      (select count(*) from case_deadlines dl join cases c on c.id = dl.case_id
        where c.province = u.province and c.unit_id = u.id and dl.started_at >= ${s.from} and dl.started_at < ${s.until}
          and (dl.met_at > dl.due_at or (dl.met_at is null and dl.due_at < now())))::int as "deadlinesMissed",
      (select count(*) from escalations e join cases c on c.id = e.case_id
        where c.province = u.province and c.unit_id = u.id and e.level = 'supervisor' and e.opened_at >= ${s.from} and e.opened_at < ${s.until})::int as "escalationsSupervisor",
      (select count(*) from escalations e join cases c on c.id = e.case_id
        where c.province = u.province and c.unit_id = u.id and e.level = 'manager' and e.opened_at >= ${s.from} and e.opened_at < ${s.until})::int as "escalationsManager"
    from units u
    where u.province = ${s.province} ${s.unitId ? sql`and u.id = ${s.unitId}` : sql``}
    order by "overdueNow" desc, received desc, u.name`;
}
