// Scores a case against a ruleset with json-rules-engine and explains the result.
import { Engine, type RuleResult, type TopLevelCondition } from 'json-rules-engine';
import type { RiskDecision } from '../domain/case';
import type { Rule, RulesetDocument, Scoring, VersionedRuleset } from '../domain/ruleset';
import { severity } from '../domain/risk';
import type { RiskLevel } from '../domain/stages';
import type { RoutingFacts } from '../domain/routing-facts';

// A forced emergency is at least this serious, whatever the points say.
const FORCED_MIN_LEVEL: RiskLevel = 'high';
// Idle engines kept per ruleset; more are built when more evaluations overlap.
const MAX_IDLE_ENGINES = 32;

/** Facts computed only if a rule asks for them (a database count, say). */
export type LazyFacts = Record<string, () => Promise<unknown>>;

export function levelFor(score: number, scoring: Scoring): RiskLevel {
  const match = [...scoring.thresholds].sort((a, b) => b.minPoints - a.minPoints).find((t) => score >= t.minPoints);
  return match?.level ?? 'low';
}

function buildEngine(rules: Rule[]): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const rule of rules) {
    engine.addRule({ name: rule.name, priority: rule.priority ?? 1, conditions: rule.conditions as TopLevelCondition, event: rule.event });
  }
  return engine;
}

/**
 * Engines for one ruleset, each running one evaluation at a time. An Engine keeps its run status
 * on the instance: two overlapping runs on one Engine make the first to finish stop the other's
 * lower-priority rules, silently. Lending each run an engine of its own avoids that, and reusing
 * idle ones spares rebuilding the rules (costly for large rulesets) on every call.
 */
class EnginePool {
  private idle: Engine[] = [];
  /** Looked up for every fired rule of every evaluation: built once per ruleset. */
  readonly byName: Map<string, Rule>;
  constructor(private readonly rules: Rule[]) {
    this.byName = new Map(rules.map((r) => [r.name, r]));
  }

  async run(facts: Record<string, unknown>) {
    const engine = this.idle.pop() ?? buildEngine(this.rules);
    try {
      return await engine.run(facts);
    } finally {
      if (this.idle.length < MAX_IDLE_ENGINES) this.idle.push(engine);
    }
  }
}

// Keyed by the document object: a ruleset loaded once is evaluated many times.
const pools = new WeakMap<RulesetDocument, EnginePool>();

function poolFor(document: RulesetDocument): EnginePool {
  let pool = pools.get(document);
  if (!pool) {
    pool = new EnginePool(document.rules);
    pools.set(document, pool);
  }
  return pool;
}

export interface ConditionTrace {
  fact?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  result?: boolean;
  all?: ConditionTrace[];
  any?: ConditionTrace[];
  not?: ConditionTrace;
}

export interface RuleTrace {
  rule: string;
  fired: boolean;
  points: number;
  conditions: ConditionTrace;
}

export interface ExplainedDecision {
  decision: RiskDecision;
  rules: RuleTrace[];
}

function decide(ruleset: VersionedRuleset, results: RuleResult[]): RiskDecision {
  const { scoring } = ruleset.document;
  const { byName } = poolFor(ruleset.document);
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

async function runRules(ruleset: VersionedRuleset, facts: RoutingFacts, lazy: LazyFacts) {
  const runtime: Record<string, unknown> = { ...facts };
  // json-rules-engine calls a function-valued fact only when a condition needs it.
  for (const [name, compute] of Object.entries(lazy)) runtime[name] = () => compute();
  return await poolFor(ruleset.document).run(runtime);
}

export async function evaluateRisk(ruleset: VersionedRuleset, facts: RoutingFacts, lazy: LazyFacts = {}): Promise<RiskDecision> {
  const { results } = await runRules(ruleset, facts, lazy);
  return decide(ruleset, results);
}

/** The decision with, for every rule, whether it fired and what each condition found. */
export async function explainRisk(ruleset: VersionedRuleset, facts: RoutingFacts, lazy: LazyFacts = {}): Promise<ExplainedDecision> {
  const { results, failureResults } = await runRules(ruleset, facts, lazy);
  const points = new Map(ruleset.document.rules.map((r) => [r.name, r.event.params.points]));
  const trace = (r: RuleResult, fired: boolean): RuleTrace => ({
    rule: r.name as string,
    fired,
    points: points.get(r.name as string) ?? 0,
    conditions: JSON.parse(JSON.stringify((r as unknown as { conditions: unknown }).conditions)) as ConditionTrace,
  });
  return {
    decision: decide(ruleset, results),
    rules: [...results.map((r) => trace(r, true)), ...failureResults.map((r) => trace(r, false))],
  };
}
