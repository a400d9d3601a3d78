// Risk routing, one shape for the intake and for a re-assessment: facts from the intake, scored
// by the ruleset the province has published now. At intake the decision is stored with the case
// (activities/cases.ts); a re-assessment stores it itself and answers what was stored.
import type { Sql } from '../db/connect';
import { caseIntake, factsInForce, storeRoutingDecision } from '../db/routing';
import type { RiskDecision } from '../domain/case';
import { CONCERN_KEYS, type Concerns } from '../domain/concerns';
import type { Intake } from '../domain/intake';
import type { RoutingFacts } from '../domain/routing-facts';
import { evaluateRisk } from '../rules/engine';
import { routingFacts } from '../rules/facts';
import { factsAtIntake } from '../rules/intake-facts';
import { restrictedAtIntake } from '../rules/restriction';
import type { RulesetSource } from '../rules/ruleset-source';

export interface ScoredRisk {
  decision: RiskDecision;
  facts: RoutingFacts;
  restricted: boolean;
}

export function createRoutingActivities(deps: { sql: Sql; rulesets: RulesetSource }) {
  async function score(province: string, facts: RoutingFacts): Promise<RiskDecision> {
    return await evaluateRisk(await deps.rulesets.published(province), facts);
  }

  return {
    async scoreRisk(input: { province: string; intake: Intake; receivedAt: string }): Promise<ScoredRisk> {
      const facts = await factsAtIntake(deps.sql, input.province, input.intake, new Date(input.receivedAt));
      return { decision: await score(input.province, facts), facts, restricted: restrictedAtIntake(facts) };
    },

    /** An imported case's routing: the facts as at intake, the decision the register recorded (not re-scored). */
    async importedRouting(input: { province: string; intake: Intake; receivedAt: string; decision: RiskDecision }): Promise<ScoredRisk> {
      const facts = await factsAtIntake(deps.sql, input.province, input.intake, new Date(input.receivedAt));
      return { decision: input.decision, facts, restricted: restrictedAtIntake(facts) };
    },

    /**
     * Scores the case again on the concerns now known, with the facts of its decision in force
     * otherwise (the age and repeat reports as at intake). Writes nothing: the workflow decides
     * whether the decision applies (I1) and records it with the event that applies it.
     */
    async assessRisk(input: { caseId: string; province: string; concerns: Concerns }): Promise<{ decision: RiskDecision; facts: RoutingFacts }> {
      const before = await factsInForce(deps.sql, input.caseId);
      const facts = { ...before, ...Object.fromEntries(CONCERN_KEYS.map((k) => [k, input.concerns[k] === true])), priorCases: before.priorCases ?? 0 };
      return { decision: await score(input.province, facts), facts };
    },

    /** Before issue 9 (histories still replay it): scores from the intake with the review's concerns instead of the intake's, and stores the decision. */
    async rescoreRisk(input: { caseId: string; province: string; concerns: Concerns; at: string; routingSeq: number }): Promise<RiskDecision> {
      const intake = await caseIntake(deps.sql, input.caseId);
      const facts = routingFacts({ ...intake, concerns: input.concerns }, new Date(input.at));
      const decision = await score(input.province, facts);
      return await storeRoutingDecision(deps.sql, { caseId: input.caseId, seq: input.routingSeq, decision, facts, decidedAt: input.at });
    },
  };
}
