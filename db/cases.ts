// Reading and writing cases in PostgreSQL. Writes are idempotent: a retried activity finds its
// rows already there and changes nothing.
import type { Case, RiskDecision } from '../domain/case';
import type { Intake } from '../domain/intake';
import type { Path, RiskLevel, Stage } from '../domain/stages';
import type { RoutingFacts } from '../rules/facts';
import type { Sql } from './connect';

interface CaseRow {
  id: string;
  intake: Intake;
  stage: Stage;
  created_at: Date;
  updated_at: Date;
  score: number;
  level: RiskLevel;
  path: Path;
  reasons: RiskDecision['reasons'];
  ruleset_version: number;
}

function toCase(row: CaseRow): Case {
  return {
    id: row.id,
    stage: row.stage,
    risk: {
      score: row.score,
      level: row.level,
      path: row.path,
      reasons: row.reasons,
      rulesetVersion: row.ruleset_version,
    },
    intake: row.intake,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewCase {
  caseId: string;
  intake: Intake;
  receivedAt: string;
  stage: Stage;
  decision: RiskDecision;
  facts: RoutingFacts;
  decidedAt: Date;
}

/** Writes the case and its intake routing decision together: never a case without its routing. */
export async function insertCaseWithRouting(sql: Sql, c: NewCase): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      insert into cases (id, channel, intake, stage, path, risk_level, created_at)
      values (${c.caseId}, ${c.intake.channel}, ${tx.json(c.intake as never)}, ${c.stage},
              ${c.decision.path}, ${c.decision.level}, ${c.receivedAt})
      on conflict (id) do nothing`;
    await tx`
      insert into routing_decisions (case_id, seq, score, level, path, reasons, ruleset_version, facts, decided_at)
      values (${c.caseId}, 1, ${c.decision.score}, ${c.decision.level}, ${c.decision.path},
              ${tx.json(c.decision.reasons as never)}, ${c.decision.rulesetVersion}, ${tx.json(c.facts as never)},
              ${c.decidedAt})
      on conflict (case_id, seq) do nothing`;
  });
}

// The newest routing decision of each case is the one in force.
const CASE_COLUMNS = (sql: Sql) => sql`
  c.id, c.intake, c.stage, c.created_at, c.updated_at,
  r.score, r.level, r.path, r.reasons, r.ruleset_version`;

const LATEST_ROUTING = (sql: Sql) => sql`
  join lateral (
    select * from routing_decisions d where d.case_id = c.id order by d.seq desc limit 1
  ) r on true`;

export async function findCase(sql: Sql, id: string): Promise<Case | undefined> {
  const rows = await sql<CaseRow[]>`
    select ${CASE_COLUMNS(sql)} from cases c ${LATEST_ROUTING(sql)} where c.id = ${id}`;
  return rows[0] && toCase(rows[0]);
}

export interface CaseFilter {
  path?: Path;
  level?: RiskLevel;
  stage?: Stage;
  limit: number;
  after?: { createdAt: string; id: string };
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while cases arrive. */
export async function listCases(sql: Sql, f: CaseFilter): Promise<{ items: Case[]; next?: { createdAt: string; id: string } }> {
  const rows = await sql<CaseRow[]>`
    select ${CASE_COLUMNS(sql)} from cases c ${LATEST_ROUTING(sql)}
    where true
      ${f.path ? sql`and c.path = ${f.path}` : sql``}
      ${f.level ? sql`and c.risk_level = ${f.level}` : sql``}
      ${f.stage ? sql`and c.stage = ${f.stage}` : sql``}
      ${f.after ? sql`and (c.created_at, c.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)` : sql``}
    order by c.created_at desc, c.id desc
    limit ${f.limit + 1}`;
  const items = rows.slice(0, f.limit).map(toCase);
  const last = items.at(-1);
  return { items, next: rows.length > f.limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

export type Reservation =
  | { kind: 'new'; caseId: string }
  | { kind: 'replay'; caseId: string }
  | { kind: 'conflict' };

/**
 * Claims an Idempotency-Key for a case id, or finds the case it already names. The key row is
 * the guarantee: Temporal's workflow-id policy only covers a workflow while it runs.
 */
export async function reserveIdempotencyKey(sql: Sql, key: string, requestHash: string, caseId: string): Promise<Reservation> {
  const inserted = await sql<{ case_id: string }[]>`
    insert into intake_requests (idempotency_key, request_hash, case_id)
    values (${key}, ${requestHash}, ${caseId})
    on conflict (idempotency_key) do nothing
    returning case_id`;
  if (inserted[0]) return { kind: 'new', caseId };
  const [existing] = await sql<{ case_id: string; request_hash: string }[]>`
    select case_id, request_hash from intake_requests where idempotency_key = ${key}`;
  if (!existing) throw new Error(`idempotency key ${key} vanished while being read`);
  return existing.request_hash === requestHash ? { kind: 'replay', caseId: existing.case_id } : { kind: 'conflict' };
}
