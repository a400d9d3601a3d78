// Replays a ruleset over the routing facts stored with past cases and compares with the decision
// each case got. Cases are streamed in batches, never loaded all at once.
import type { Sql } from '../db/connect';
import type { RiskDecision } from '../domain/case';
import type { VersionedRuleset } from '../domain/ruleset';
import type { Path, RiskLevel } from '../domain/stages';
import { evaluateRisk } from './engine';
import type { RoutingFacts } from './facts';

/** At most this many changed cases are listed; all are counted. */
export const MAX_LISTED_CHANGES = 1_000;
const BATCH = 2_000;
// Decisions depend only on the facts; identical fact sets (common: most facts are yes/no) are
// scored once. Bounded, so memory stays flat however many cases there are.
const MEMO_MAX = 20_000;

export interface CaseChange {
  caseId: string;
  createdAt: string;
  from: { path: Path; level: RiskLevel; score: number; rulesetVersion: number };
  to: { path: Path; level: RiskLevel; score: number };
}

export interface BacktestSummary {
  rulesetVersion: number;
  from: string | null;
  to: string | null;
  cases: number;
  changedPath: number;
  changedLevel: number;
  /** standard → emergency */
  upgrades: number;
  /** emergency → standard: the changes that can leave a person in danger on the wrong path */
  downgrades: number;
  changes: CaseChange[];
  changesTruncated: boolean;
  hitsPerRule: Record<string, number>;
  neverFired: string[];
  /** Engine runs made: cases whose exact facts were already scored in this backtest reuse that score. */
  evaluations: number;
  durationMs: number;
}

interface Row {
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

export async function backtest(
  sql: Sql,
  province: string,
  ruleset: VersionedRuleset,
  range: { from?: string; to?: string },
  onProgress?: (done: number) => void,
): Promise<BacktestSummary> {
  const started = Date.now();
  const hits: Record<string, number> = Object.fromEntries(ruleset.document.rules.map((r) => [r.name, 0]));
  const memo = new Map<string, RiskDecision>();
  const summary: BacktestSummary = {
    rulesetVersion: ruleset.version,
    from: range.from ?? null,
    to: range.to ?? null,
    cases: 0,
    changedPath: 0,
    changedLevel: 0,
    upgrades: 0,
    downgrades: 0,
    changes: [],
    changesTruncated: false,
    hitsPerRule: hits,
    neverFired: [],
    evaluations: 0,
    durationMs: 0,
  };

  const cursor = sql<Row[]>`
    select c.id, c.created_at, r.facts::text as facts, r.path, r.level, r.score, r.ruleset_version
    from cases c
    join lateral (select * from routing_decisions d where d.case_id = c.id order by d.seq desc limit 1) r on true
    where c.province = ${province} and c.erased_at is null
      ${range.from ? sql`and c.created_at >= ${range.from}` : sql``}
      ${range.to ? sql`and c.created_at < ${range.to}` : sql``}
    order by c.created_at, c.id`.cursor(BATCH);

  for await (const rows of cursor) {
    for (const row of rows) {
      let decision = memo.get(row.facts);
      if (!decision) {
        const stored = JSON.parse(row.facts) as Omit<RoutingFacts, 'priorCases'> & { priorCases?: number };
        // Facts added since a case was decided take their neutral value.
        decision = await evaluateRisk(ruleset, { ...stored, priorCases: stored.priorCases ?? 0 });
        summary.evaluations += 1;
        if (memo.size >= MEMO_MAX) memo.clear();
        memo.set(row.facts, decision);
      }
      summary.cases += 1;
      for (const reason of decision.reasons) hits[reason.rule] = (hits[reason.rule] ?? 0) + 1;
      const pathChanged = decision.path !== row.path;
      if (pathChanged) {
        summary.changedPath += 1;
        if (decision.path === 'emergency') summary.upgrades += 1;
        else summary.downgrades += 1;
      }
      if (decision.level !== row.level) summary.changedLevel += 1;
      if (pathChanged || decision.level !== row.level) {
        if (summary.changes.length < MAX_LISTED_CHANGES) {
          summary.changes.push({
            caseId: row.id,
            createdAt: row.created_at.toISOString(),
            from: { path: row.path, level: row.level, score: row.score, rulesetVersion: row.ruleset_version },
            to: { path: decision.path, level: decision.level, score: decision.score },
          });
        } else summary.changesTruncated = true;
      }
    }
    onProgress?.(summary.cases);
  }
  summary.neverFired = Object.entries(hits)
    .filter(([, n]) => n === 0)
    .map(([name]) => name);
  summary.durationMs = Date.now() - started;
  return summary;
}
