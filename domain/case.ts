// A case as staff see it: where it stands in the process and how it was routed at intake.
import { z } from './zod';
import { DEADLINE_STEPS } from './deadlines';
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
  province: z.string(),
  unit: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assignedWorker: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  restricted: z.boolean().describe('Seen only by the assigned worker, the unit supervisor and managers'),
  clientId: z.uuid().nullable().describe('The person the case is about; earlier and later reports about them share it'),
  possibleRepeatOf: z.uuid().nullable().describe('The open case of the same client when this report arrived: for a worker to merge, or not'),
  mergedInto: z.uuid().nullable(),
  intake: IntakeSchema.nullable().describe('null once the case was erased'),
  deadline: z
    .object({
      key: z.string(),
      step: z.enum(DEADLINE_STEPS),
      startedAt: z.iso.datetime(),
      dueAt: z.iso.datetime(),
      supervisorAt: z.iso.datetime(),
      managerAt: z.iso.datetime(),
      policyVersion: z.int().describe('The deadline policy version that set it'),
    })
    .nullable()
    .describe('What is due next, and when it escalates'),
  nextReviewAt: z.iso.datetime().nullable(),
  plan: z.object({ goals: z.array(z.string()), submittedBy: z.string(), rejection: z.string().optional() }).nullable(),
  interventions: z.array(
    z.object({ id: z.string(), type: z.string(), description: z.string(), status: z.enum(['planned', 'in_progress', 'done', 'cancelled']), outcome: z.string().optional() }),
  ),
  erasedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Case = z.infer<typeof CaseSchema>;

/** What a collaborator sees of a case they reported. */
export const CaseStatusSchema = z.object({
  id: z.uuid(),
  stage: z.enum(STAGES),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CaseStatus = z.infer<typeof CaseStatusSchema>;
