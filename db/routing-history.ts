// Past cases' routing decisions and deadlines, read back to judge a new policy against them: the
// backtest replays a ruleset over the facts each case was routed on, and the deadline-policy
// report finds the open cases a new policy would put overdue at once.
import type { Deadline } from '../domain/deadlines';
import type { Path, RiskLevel } from '../domain/stages';
import type { Sql } from './connect';

/** A case's routing decision in force (its newest), as the backtest compares against it. */
export interface DecidedCaseRow {
  id: string;
  created_at: Date;
  /** As text: jsonb prints its keys in one fixed order, so the text is the memo key, and only
   *  fact sets not seen before are parsed at all. */
  facts: string;
  path: Path;
  level: RiskLevel;
  score: number;
  ruleset_version: number;
}

/** Cases created from `from` (inclusive) to `to` (exclusive); either end may be open. */
export interface CaseRange {
  from?: string;
  to?: string;
}

// The cases a backtest covers: the province's, not erased, created within the range.
const backtestScope = (sql: Sql, province: string, range: CaseRange) => sql`
  c.province = ${province} and c.erased_at is null
    ${range.from ? sql`and c.created_at >= ${range.from}` : sql``}
    ${range.to ? sql`and c.created_at < ${range.to}` : sql``}`;

/** Streams the range's cases with their decision in force, oldest first, in batches, so memory stays flat however many there are. */
export function decidedCases(sql: Sql, province: string, range: CaseRange, batch: number): AsyncIterable<DecidedCaseRow[]> {
  return sql<DecidedCaseRow[]>`
    select c.id, c.created_at, r.facts::text as facts, r.path, r.level, r.score, r.ruleset_version
    from cases c
    join lateral (select * from routing_decisions d where d.case_id = c.id order by d.seq desc limit 1) r on true
    where ${backtestScope(sql, province, range)}
    order by c.created_at, c.id`.cursor(batch);
}

/** How many cases a backtest over the range will see, to choose whether threads are worth starting. */
export async function countDecidedCases(sql: Sql, province: string, range: CaseRange): Promise<number> {
  const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`
    select count(*)::int as n from cases c where ${backtestScope(sql, province, range)}`;
  return n;
}

export interface OpenCaseDeadline {
  caseId: string;
  deadline: Deadline;
  path: Path;
  level: RiskLevel;
  /** From the case's newest routing facts; null when they do not say. */
  isChild: boolean | null;
}

/** The province's open cases with a deadline running, and what a deadline policy needs to replan each. */
export async function openCaseDeadlines(sql: Sql, province: string): Promise<OpenCaseDeadline[]> {
  const rows = await sql<{ id: string; deadline: Deadline; path: Path; risk_level: RiskLevel; is_child: boolean | null }[]>`
    select c.id, c.state->'deadline' as deadline, c.path, c.risk_level,
           (select (facts->>'isChild')::boolean from routing_decisions d where d.case_id = c.id order by seq desc limit 1) as is_child
    from cases c
    where c.province = ${province} and c.stage <> 'closed' and c.erased_at is null and c.state->'deadline' is not null
      and jsonb_typeof(c.state->'deadline') = 'object'`;
  return rows.map((r) => ({ caseId: r.id, deadline: r.deadline, path: r.path, level: r.risk_level, isChild: r.is_child }));
}
