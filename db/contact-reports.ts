// The contact log's counts for the reports (issue 27, item 7), live from `contacts` and
// `contact_callbacks`: the contacts recorded in a period of Vietnam's days, in a province or a unit,
// grouped; and the period's indicators (received, callbacks kept and missed, became cases).
// Never narrowed by commune: a call seldom says where the person lives (domain/reports.ts).
import type { ContactIndicatorId, ContactReportGrouping } from '../domain/reports';
import type { Sql } from './connect';
import type { ReportScope } from './reports';

export type ContactScope = Omit<ReportScope, 'commune'>;

/** The contacts recorded in the scope: by when they were recorded, as the contact list filters them. */
function recorded(sql: Sql, s: ContactScope, join = sql``) {
  return sql`
    from contacts k ${join}
    where k.province = ${s.province} and k.created_at >= ${s.from} and k.created_at < ${s.until}
      ${s.unitId ? sql`and k.unit_id = ${s.unitId}` : sql``}`;
}

function keyOf(sql: Sql, by: Exclude<ContactReportGrouping, 'topic'>) {
  switch (by) {
    case 'callType':
      return sql`k.call_type`;
    case 'channel':
      return sql`k.channel`;
    // The outcome as it stands now: a recorded callback or a case opened later replaces the first.
    case 'outcome':
      return sql`k.outcome`;
    // Vietnam has no daylight saving: its month is UTC+7's.
    case 'month':
      return sql`to_char((k.created_at at time zone 'UTC') + interval '7 hours', 'YYYY-MM')`;
    // A manager's own contacts have no unit.
    case 'unit':
      return sql`coalesce(k.unit_id::text, 'none')`;
  }
}

/** Contacts recorded, grouped; a contact with two topics adds to two rows, and `total` counts it once. */
export async function contactsBy(
  sql: Sql,
  s: ContactScope,
  by: ContactReportGrouping,
): Promise<{ rows: Array<{ key: string; count: number }>; total: number }> {
  const rows =
    by === 'topic'
      ? await sql<{ key: string; count: number }[]>`
          select coalesce(t.key, 'none') as key, count(*)::int as count
          ${recorded(sql, s, sql`left join lateral jsonb_array_elements_text(coalesce(k.body->'topics', '[]'::jsonb)) as t(key) on true`)}
          group by 1 order by 2 desc, 1`
      : await sql<{ key: string; count: number }[]>`
          select ${keyOf(sql, by)} as key, count(*)::int as count ${recorded(sql, s)}
          group by 1 order by ${by === 'month' ? sql`1` : sql`2 desc, 1`}`;
  const [total] = await sql<{ n: number }[]>`select count(*)::int as n ${recorded(sql, s)}`;
  return { rows, total: total?.n ?? 0 };
}

/**
 * The contact indicators of the period. A callback counts with its contact's period (it is promised
 * when the contact is recorded, or corrected soon after); kept when recorded by the time promised,
 * missed when recorded after it or still not recorded and past it, as the callback's status says.
 */
export async function contactCounts(sql: Sql, s: ContactScope): Promise<Record<ContactIndicatorId, number>> {
  const [row] = await sql<Array<Record<ContactIndicatorId, number>>>`
    select count(*)::int as "contactsReceived",
           count(*) filter (where cb.recorded_at <= cb.due_at)::int as "callbacksOnTime",
           count(*) filter (where cb.recorded_at > cb.due_at or (cb.recorded_at is null and cb.due_at < now()))::int as "callbacksMissed",
           count(*) filter (where k.case_id is not null)::int as "contactsBecameCases"
    ${recorded(sql, s, sql`left join contact_callbacks cb on cb.contact_id = k.id`)}`;
  return row!;
}
