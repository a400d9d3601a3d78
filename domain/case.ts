// A case as staff see it: where it stands in the process and how it was routed at intake.
import { CLOSURE_REASONS, GOALS_MET } from './closure';
import { text } from './input';
import { z } from './zod';
import { DeadlineSchema } from './deadlines';
import { CaseIntakeSchema, ConcernsSchema } from './intake';
import { PlacementSchema } from './placement-view';
import { PLACEMENT_KINDS, PLACEMENT_STATUSES } from './placements';
import { ENROLMENT_OUTCOMES, PROGRAMME_KINDS } from './programmes';
import { INTERVENTION_STATUSES, PATHS, RISK_LEVELS, STAGES } from './stages';

export const BilingualSchema = z.object({ vi: text(1000), en: text(1000) });

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

export const InterventionSchema = z.object({
  id: z.string(),
  type: z.string(),
  description: z.string(),
  status: z.enum(INTERVENTION_STATUSES),
  outcome: z.string().optional(),
  cancelReason: z.string().optional(),
  // Group work (issue 29, domain/plan-enrolments.ts).
  programmeId: z.uuid().optional().describe('The programme this intervention is a place in (type "group")'),
  consent: z.object({ givenBy: z.string() }).optional().describe('Who agreed to take part in the programme'),
  enrolmentId: z.uuid().optional().describe('Its enrolment, once made: when the plan was approved, or at once when added during implementation'),
});
export type Intervention = z.infer<typeof InterventionSchema>;

export const PlanSchema = z.object({
  goals: z.array(z.string()),
  submittedBy: z.string(),
  rejection: z.string().optional(),
  version: z.int().optional().describe('1 for the first plan; each re-submission is the next'),
  submittedAt: z.iso.datetime().optional(),
});
export type Plan = z.infer<typeof PlanSchema>;

/** An enrolment of the case's person in a programme with this case, as the case shows it (issue 29). */
export const CaseProgrammeSchema = z
  .object({
    enrolmentId: z.uuid(),
    programme: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(PROGRAMME_KINDS) }),
    enrolledOn: z.string(),
    outcome: z.enum(ENROLMENT_OUTCOMES).nullable(),
    outcomeOn: z.string().nullable(),
  })
  .openapi('CaseProgramme');
export type CaseProgramme = z.infer<typeof CaseProgrammeSchema>;

export const PendingRiskSchema = z
  .object({
    decision: RiskDecisionSchema,
    concerns: ConcernsSchema.describe('The concerns it was scored on'),
    resolvedBy: z.uuid().nullable().describe('Who cleared the concerns that lower it: someone else must decide'),
    requestedAt: z.iso.datetime(),
  })
  .describe('A re-score that would lower the path or the level: it applies only when a supervisor or manager confirms it');
export type PendingRisk = z.infer<typeof PendingRiskSchema>;

const CaseRef = z.string().describe('The case’s reference for people: province, year, number (QN-2026-000123)');

export const CaseSchema = z.object({
  id: z.uuid(),
  ref: CaseRef,
  stage: z.enum(STAGES),
  risk: RiskDecisionSchema,
  province: z.string(),
  unit: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assignedWorker: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  restricted: z.boolean().describe('Seen only by the assigned worker, the unit supervisor and managers'),
  clientId: z.uuid().nullable().describe('The person the case is about; earlier and later reports about them share it'),
  possibleRepeatOf: z
    .uuid()
    .nullable()
    .describe('The open case of the same client when this report arrived, for a worker to merge or not; null when it is outside your scope'),
  possibleRepeat: z.boolean().describe('An open case of the same client existed when this report arrived (its supervisor was told)'),
  mergedInto: z.uuid().nullable(),
  intake: CaseIntakeSchema.nullable().describe('null once the case was erased'),
  concerns: ConcernsSchema.describe('What is known to endanger the person: every concern reported, until one is cleared and that is confirmed'),
  pendingRisk: PendingRiskSchema.nullable(),
  closure: z
    .object({
      reasonCode: z.enum(CLOSURE_REASONS).nullable().describe('null for closures proposed before reasons were coded'),
      reason: z.string(),
      goalsMet: z.enum(GOALS_MET).nullable(),
      outcome: z.string(),
      requestedBy: z.string().nullable().describe('Who proposed it: someone else decides'),
    })
    .nullable()
    .describe('The closure proposed while it awaits a decision, and after it was approved'),
  deadline: DeadlineSchema.nullable().describe('What is due next, and when it escalates'),
  nextReviewAt: z.iso.datetime().nullable(),
  plan: PlanSchema.nullable(),
  planVersions: z.array(PlanSchema).describe('Earlier versions of the plan, oldest first, each with why it was sent back'),
  interventions: z.array(InterventionSchema),
  placedNow: z
    .object({
      id: z.uuid(),
      kind: z.enum(PLACEMENT_KINDS),
      status: z.enum(PLACEMENT_STATUSES),
      carerId: z.uuid(),
      startsAt: z.iso.datetime(),
      endsBy: z.iso.datetime().nullable(),
      daysLeft: z.int().nullable().describe('Calendar days in Vietnam until endsBy; negative once past'),
      warningAt: z.iso.datetime().nullable().describe('When those concerned are told the limit is near (the policy’s warning)'),
    })
    .nullable()
    .describe('Where the person is placed now, in brief, in every answer with cases (issue 28); null when not placed'),
  placement: PlacementSchema.nullable().optional().describe('One case (GET /cases/{id}, an action’s answer): the current placement in full'),
  placements: z.array(PlacementSchema).optional().describe('One case (GET /cases/{id}, an action’s answer): every placement, oldest first'),
  programmes: z
    .array(CaseProgrammeSchema)
    .optional()
    .describe('One case (GET /cases/{id}, an action’s answer): the person’s enrolments in programmes tied to this case, by its plan or not, oldest first'),
  erasedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Case = z.infer<typeof CaseSchema>;

/** What a collaborator sees of a case they reported. */
export const CaseStatusSchema = z.object({
  id: z.uuid(),
  ref: CaseRef,
  stage: z.enum(STAGES),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** One event of a case's timeline: who, when, what. */
export const CaseEventSchema = z
  .object({
    seq: z.number().describe('The case event’s number; a print (case.printed) carries the number of the event it came after'),
    at: z.string(),
    actor: z.string().nullable(),
    actorId: z.string().nullable(),
    kind: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('CaseEvent');
