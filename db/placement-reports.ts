// Placements' counts for the reports (issue 28, item 7), live from `placements`: those begun in a
// period of Vietnam's days, of the cases of a province, a unit or a commune (the case's), grouped;
// and the placement indicators. Restricted and erased cases count, as in every report: these are
// numbers, never who (erasure ends a case's placements and keeps what these count: db/placements.ts).
import type { PlacementKind } from '../domain/placement-labels';
import { STILL_PLACED, type PlacementIndicatorId, type PlacementReportGrouping } from '../domain/reports';
import type { Sql } from './connect';
import { COMMUNE, type ReportScope } from './reports';

/** The one kind with a legal limit of its own (rule P1), which an extension moves. */
const SEPARATION: PlacementKind = 'temporary_separation';

/** The placements of the scope's cases, whenever they began. */
function ofScope(sql: Sql, s: ReportScope, join = sql``) {
  return sql`
    from placements p join cases c on c.id = p.case_id ${join}
    where c.province = ${s.province}
      ${s.unitId ? sql`and c.unit_id = ${s.unitId}` : sql``}
      ${s.commune ? sql`and ${COMMUNE(sql)} = lower(trim(${s.commune}))` : sql``}`;
}

/** The placements begun in the period. */
function begun(sql: Sql, s: ReportScope, join = sql``) {
  return sql`${ofScope(sql, s, join)} and p.starts_at >= ${s.from} and p.starts_at < ${s.until}`;
}

function keyOf(sql: Sql, by: PlacementReportGrouping) {
  switch (by) {
    case 'kind':
      return sql`p.kind`;
    case 'carerKind':
      return sql`r.kind`;
    // How it ended; one not ended yet (active or overdue) has a row of its own.
    case 'outcome':
      return sql`case when p.status = 'ended' then coalesce(p.outcome, 'unknown') else ${STILL_PLACED}::text end`;
    // Vietnam has no daylight saving: its month is UTC+7's.
    case 'month':
      return sql`to_char((p.starts_at at time zone 'UTC') + interval '7 hours', 'YYYY-MM')`;
  }
}

/** Placements begun in the period, grouped: each in one row, so the rows add up to `total`. */
export async function placementsBy(
  sql: Sql,
  s: ReportScope,
  by: PlacementReportGrouping,
): Promise<{ rows: Array<{ key: string; count: number }>; total: number }> {
  const carer = by === 'carerKind' ? sql`join carers r on r.id = p.carer_id` : sql``;
  const rows = await sql<{ key: string; count: number }[]>`
    select ${keyOf(sql, by)} as key, count(*)::int as count ${begun(sql, s, carer)}
    group by 1 order by ${by === 'month' ? sql`1` : sql`2 desc, 1`}`;
  const [total] = await sql<{ n: number }[]>`select count(*)::int as n ${begun(sql, s)}`;
  return { rows, total: total?.n ?? 0 };
}

/**
 * The placement indicators (domain/reports.ts says what each counts), in one pass over the scope's
 * placements. Days in placement run to now for one not ended; rounded to a tenth, 0 without any.
 */
export async function placementCounts(sql: Sql, s: ReportScope): Promise<Record<PlacementIndicatorId, number>> {
  const separation = sql`p.kind = ${SEPARATION}`;
  const begunInPeriod = sql`(p.starts_at >= ${s.from} and p.starts_at < ${s.until})`;
  const overdueAt = sql`(p.detail->>'overdueAt')::timestamptz`;
  const days = sql`extract(epoch from coalesce(p.ended_at, now()) - p.starts_at) / 86400`;
  const percentile = (fraction: number) =>
    sql`coalesce(round((percentile_cont(${fraction}::float8) within group (order by ${days}) filter (where ${begunInPeriod}))::numeric, 1), 0)::float8`;
  const [row] = await sql<Array<Record<PlacementIndicatorId, number>>>`
    select count(distinct p.case_id) filter (where p.status <> 'ended')::int as "placedNow",
           count(*) filter (where ${separation} and p.status = 'ended' and p.ended_at >= ${s.from} and p.ended_at < ${s.until}
                              and p.ended_at <= p.ends_by and p.detail->>'overdueAt' is null)::int as "separationsWithinLimit",
           count(*) filter (where ${separation} and ${begunInPeriod} and p.detail->'extensions'->0 is not null)::int as "separationsExtended",
           count(*) filter (where ${separation} and ((${overdueAt} >= ${s.from} and ${overdueAt} < ${s.until}) or p.status = 'overdue'))::int
             as "separationsOverdue",
           ${percentile(0.5)} as "placementDaysMedian",
           ${percentile(0.9)} as "placementDaysP90"
    ${ofScope(sql, s)}`;
  return row!;
}
