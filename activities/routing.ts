// Risk scoring: the published ruleset applied to the intake's facts.
import { priorCaseCount } from '../db/clients';
import type { Sql } from '../db/connect';
import type { RiskDecision } from '../domain/case';
import type { Intake } from '../domain/intake';
import { evaluateRisk } from '../rules/engine';
import type { RoutingFacts } from '../domain/routing-facts';
import { routingFacts } from '../rules/facts';
import { restrictedAtIntake } from '../rules/restriction';
import type { RulesetSource } from '../rules/ruleset-source';

export interface ScoredRisk {
  decision: RiskDecision;
  facts: RoutingFacts;
  restricted: boolean;
}

export function createRoutingActivities(deps: { sql: Sql; rulesets: RulesetSource }) {
  return {
    async scoreRisk(input: { province: string; intake: Intake; receivedAt: string }): Promise<ScoredRisk> {
      const receivedAt = new Date(input.receivedAt);
      const facts = routingFacts(input.intake, receivedAt, await priorCaseCount(deps.sql, input.province, input.intake, receivedAt));
      const decision = await evaluateRisk(await deps.rulesets.published(input.province), facts);
      return { decision, facts, restricted: restrictedAtIntake(facts) };
    },
  };
}
