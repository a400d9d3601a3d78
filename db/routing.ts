// Routing decisions: one row per scoring of a case, keyed by (case, seq), each with the exact
// facts and ruleset version it used. The newest is the one in force; the intake's is seq 1.
import type { RiskDecision } from '../domain/case';
import type { Intake } from '../domain/intake';
import type { RoutingFacts } from '../domain/routing-facts';
import { jsonb, type Sql, type Tx } from './connect';

export interface RoutingRecord {
  caseId: string;
  seq: number;
  decision: RiskDecision;
  facts: RoutingFacts;
  decidedAt: Date | string;
}

/** Inserts the decision once; a retry finds it there. True when this call wrote it. */
export async function insertRoutingDecision(tx: Tx, r: RoutingRecord): Promise<boolean> {
  const inserted = await tx`
    insert into routing_decisions (case_id, seq, score, level, path, reasons, ruleset_version, facts, decided_at)
    values (${r.caseId}, ${r.seq}, ${r.decision.score}, ${r.decision.level}, ${r.decision.path},
            ${jsonb(tx, r.decision.reasons)}, ${r.decision.rulesetVersion}, ${jsonb(tx, r.facts)}, ${r.decidedAt})
    on conflict (case_id, seq) do nothing
    returning seq`;
  return inserted.length > 0;
}

/**
 * A re-assessment's decision: stored with its facts, put in force on the case, and read back, so
 * a retried activity answers what the first attempt stored rather than scoring again.
 */
export async function storeRoutingDecision(sql: Sql, r: RoutingRecord): Promise<RiskDecision> {
  await sql.begin(async (tx) => {
    if (await insertRoutingDecision(tx, r)) {
      await tx`update cases set path = ${r.decision.path}, risk_level = ${r.decision.level} where id = ${r.caseId}`;
    }
  });
  const [stored] = await sql<
    { score: number; level: RiskDecision['level']; path: RiskDecision['path']; reasons: RiskDecision['reasons']; ruleset_version: number }[]
  >`
    select score, level, path, reasons, ruleset_version from routing_decisions where case_id = ${r.caseId} and seq = ${r.seq}`;
  if (!stored) throw new Error(`routing decision ${r.seq} of case ${r.caseId} vanished after it was written`);
  return { score: stored.score, level: stored.level, path: stored.path, reasons: stored.reasons, rulesetVersion: stored.ruleset_version };
}

/** The intake a case was reported with: what a re-assessment starts from. */
export async function caseIntake(sql: Sql, caseId: string): Promise<Intake> {
  const [row] = await sql<{ intake: Intake }[]>`select intake from cases where id = ${caseId}`;
  if (!row) throw new Error(`case ${caseId} is not in the database`);
  return row.intake;
}

/** The facts of the decision in force: what a re-assessment starts from (age, repeat reports, …). */
export async function factsInForce(sql: Sql, caseId: string): Promise<RoutingFacts> {
  const [row] = await sql<{ facts: RoutingFacts }[]>`
    select facts from routing_decisions where case_id = ${caseId} order by seq desc limit 1`;
  if (!row) throw new Error(`case ${caseId} has no routing decision`);
  return row.facts;
}
