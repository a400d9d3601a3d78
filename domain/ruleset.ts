// A routing ruleset: json-rules-engine rules that each add points (and may force the emergency
// path), plus the scoring that turns the total into a risk level and a path. The version number
// lives beside the document, never inside it, so the same document can be compared across versions.
import { text } from './input';
import { z } from './zod';
import { BilingualSchema } from './case';
import { PATHS, RISK_LEVELS } from './stages';

export interface Condition {
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  fact?: string;
  operator?: string;
  value?: unknown;
  path?: string;
  params?: Record<string, unknown>;
}

const FactConditionSchema = z.strictObject({
  fact: text(100),
  operator: text(100),
  value: z.unknown(),
  path: text(200).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
    FactConditionSchema,
  ]),
);

// json-rules-engine wants all/any/not at the top of a rule, never a bare fact condition.
const TopConditionSchema = z.union([
  z.strictObject({ all: z.array(ConditionSchema).min(1) }),
  z.strictObject({ any: z.array(ConditionSchema).min(1) }),
  z.strictObject({ not: ConditionSchema }),
]);

export const RuleSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a rule name is snake_case: it is the stable key in every stored decision'),
  note: BilingualSchema,
  priority: z.int().min(1).max(100).optional(),
  conditions: TopConditionSchema,
  event: z.strictObject({
    type: z.literal('risk'),
    params: z.strictObject({
      // Points only add: a rule that subtracted could quietly pull a child in danger below the
      // emergency threshold. Lowering risk is done by changing thresholds, in plain sight.
      points: z.int().min(0).max(1000),
      // Only the emergency path can be forced; nothing may force a case onto the standard path.
      forcePath: z.literal(PATHS[0]).optional(),
      suggestedReferrals: z.array(text(100)).max(50).optional(),
    }),
  }),
});

export const ThresholdSchema = z.strictObject({
  level: z.enum(RISK_LEVELS),
  minPoints: z.int().min(0).max(1_000_000),
});

export const ScoringSchema = z.strictObject({
  thresholds: z.array(ThresholdSchema).length(RISK_LEVELS.length),
  emergencyLevels: z.array(z.enum(RISK_LEVELS)).min(1),
});

export const RulesetDocumentSchema = z.strictObject({
  rules: z.array(RuleSchema).min(1),
  scoring: ScoringSchema,
});

export type RulesetDocument = z.infer<typeof RulesetDocumentSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type Scoring = z.infer<typeof ScoringSchema>;

export interface VersionedRuleset {
  version: number;
  document: RulesetDocument;
}
