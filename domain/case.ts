// A case as staff see it: where it stands in the process and how it was routed at intake.
import { z } from 'zod';
import { IntakeSchema } from './intake';
import { PATHS, RISK_LEVELS, STAGES } from './stages';

export const BilingualSchema = z.object({ vi: z.string().min(1), en: z.string().min(1) });

export const RiskReasonSchema = z.object({
  rule: z.string(),
  points: z.number(),
  forcesEmergency: z.boolean(),
  note: BilingualSchema,
});

export const RiskDecisionSchema = z.object({
  score: z.number().describe('Sum of the points of the rules that fired'),
  level: z.enum(RISK_LEVELS),
  path: z.enum(PATHS),
  reasons: z.array(RiskReasonSchema).describe('The rules that fired, highest points first'),
  rulesetVersion: z.int(),
});
export type RiskDecision = z.infer<typeof RiskDecisionSchema>;

export const CaseSchema = z.object({
  id: z.uuid(),
  stage: z.enum(STAGES),
  risk: RiskDecisionSchema,
  intake: IntakeSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Case = z.infer<typeof CaseSchema>;
