// Scores a case against a ruleset with json-rules-engine and explains the result.
import { Engine } from 'json-rules-engine';
import type { RiskDecision } from '../domain/case';
import { RISK_LEVELS, type RiskLevel } from '../domain/stages';
import type { Rule, Scoring, VersionedRuleset } from '../domain/ruleset';
import type { RoutingFacts } from './facts';

// A forced emergency is at least this serious, whatever the points say.
const FORCED_MIN_LEVEL: RiskLevel = 'high';

function severity(level: RiskLevel): number {
  return RISK_LEVELS.length - RISK_LEVELS.indexOf(level);
}

export function levelFor(score: number, scoring: Scoring): RiskLevel {
  const match = [...scoring.thresholds]
    .sort((a, b) => b.minPoints - a.minPoints)
    .find((t) => score >= t.minPoints);
  return match?.level ?? 'low';
}

// One Engine per evaluation: an Engine's run() keeps its status on the instance, so two
// overlapping runs on a shared Engine silently skip each other's lower-priority rules.
// Building one costs about as much as a run, so sharing would buy nothing worth that risk.
function buildEngine(rules: Rule[]): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const rule of rules) {
    engine.addRule({
      name: rule.name,
      priority: rule.priority ?? 1,
      conditions: rule.conditions as never,
      event: rule.event,
    });
  }
  return engine;
}

export async function evaluateRisk(ruleset: VersionedRuleset, facts: RoutingFacts): Promise<RiskDecision> {
  const { rules, scoring } = ruleset.document;
  const byName = new Map(rules.map((r) => [r.name, r]));
  const { results } = await buildEngine(rules).run({ ...facts });

  // Score from the returned results, never from event handlers: equal-priority rules run
  // concurrently and shared counters would race.
  const reasons = results
    .map((result) => byName.get(result.name as string))
    .filter((rule): rule is Rule => rule !== undefined)
    .map((rule) => ({
      rule: rule.name,
      points: rule.event.params.points,
      forcesEmergency: rule.event.params.forcePath === 'emergency',
      note: rule.note,
    }))
    .sort((a, b) => b.points - a.points || a.rule.localeCompare(b.rule));

  const score = reasons.reduce((sum, r) => sum + r.points, 0);
  const forced = reasons.some((r) => r.forcesEmergency);
  let level = levelFor(score, scoring);
  if (forced && severity(level) < severity(FORCED_MIN_LEVEL)) level = FORCED_MIN_LEVEL;
  const path = forced || scoring.emergencyLevels.includes(level) ? 'emergency' : 'standard';
  return { score, level, path, reasons, rulesetVersion: ruleset.version };
}
