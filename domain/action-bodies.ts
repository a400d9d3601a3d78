// The request body of every staff action in domain/actions.ts, keyed by the same names; an unknown
// field is refused and named, like a misspelt one in an intake. A missing
// or extra schema, or a body field without a label in the catalogue, is a compile error below.
// The workflow uses the inferred types only (`import type`), so zod stays out of its bundle.
import type { ActionName, ActionParams, ACTIONS } from './actions';
import { CLOSURE_REASONS, GOALS_MET } from './closure';
import { CONCERN_KEYS } from './concerns';
import { exact, text } from './input';
import { ConcernsSchema } from './intake';
import { SHAREABLE_PATHS } from './referrals';
import { INTERVENTION_STATUSES } from './stages';
import { z } from './zod';

const list = z.array(text(1000)).max(100);
const Decision = z.strictObject({ decision: z.enum(['approve', 'reject']), comment: text(5000) }).openapi('Decision');

export const ACTION_BODIES = {
  safetyConfirmed: z.strictObject({ actions: list.min(1) }).openapi('SafetyConfirmed'),
  assessment: z.strictObject({ summary: text(20_000), needs: list }).openapi('Assessment'),
  plan: z
    .strictObject({
      goals: list.min(1),
      interventions: z
        .array(
          z.strictObject({
            id: exact(1, 20).optional().describe('An intervention of the earlier plan to keep, with its status and outcome'),
            type: text(100),
            description: text(5000),
          }),
        )
        .max(100),
      cancel: z
        .array(z.strictObject({ id: exact(1, 20), reason: text(2000) }))
        .max(100)
        .optional()
        .describe('Interventions of the earlier plan that stop, each with why'),
    })
    .openapi('Plan'),
  planDecision: Decision,
  riskDecision: z.strictObject({ decision: z.enum(['confirm', 'reject']), comment: text(5000) }).openapi('RiskDecisionRequest'),
  addIntervention: z.strictObject({ type: text(100), description: text(5000) }).openapi('NewIntervention'),
  updateIntervention: z
    .strictObject({ status: z.enum(INTERVENTION_STATUSES).optional(), outcome: text(5000).optional() })
    .refine((b) => b.status !== undefined || b.outcome !== undefined, 'send a status or an outcome')
    .openapi({ minProperties: 1 })
    .openapi('InterventionPatch'),
  review: z
    .strictObject({
      summary: text(20_000),
      progress: z.enum(['on_track', 'at_risk', 'off_track']),
      concerns: ConcernsSchema.optional().describe('What this review found: a concern once true stays true'),
      resolvedConcerns: z
        .array(z.strictObject({ concern: z.enum(CONCERN_KEYS), reason: text(2000) }))
        .max(CONCERN_KEYS.length)
        .optional()
        .describe('Concerns that no longer hold (supervisors and managers only); a lower risk then waits for another to confirm it'),
    })
    .openapi('Review'),
  closure: z
    .strictObject({
      reasonCode: z.enum(CLOSURE_REASONS).describe('Why, as the reports count it'),
      reason: text(5000),
      goalsMet: z.enum(GOALS_MET).describe("How far the plan's goals were met"),
      outcome: text(5000),
    })
    .openapi('Closure'),
  closureDecision: Decision,
  reopen: z.strictObject({ reason: text(5000) }).openapi('Reopen'),
  assign: z.strictObject({ workerId: z.uuid() }).openapi('Assignment'),
  merge: z.strictObject({ intoCaseId: z.uuid() }).openapi('Merge'),
  transfer: z.strictObject({ unitId: z.uuid(), reason: text(2000) }).openapi('Transfer'),
  restriction: z.strictObject({ restricted: z.boolean(), reason: text(1000) }).openapi('Restriction'),
  note: z.strictObject({ text: text(20_000) }).openapi('Note'),
  refer: z
    .strictObject({
      partnerId: z.uuid(),
      service: text(200),
      reason: text(5000),
      consent: z
        .strictObject({
          givenBy: text(200).describe('Who consented: the person, or their parent or guardian'),
          scope: z.array(z.enum(SHAREABLE_PATHS)).min(1).max(SHAREABLE_PATHS.length).describe('What of the intake the partner may see, and nothing else'),
        })
        .openapi('Consent'),
      draft: z.boolean().optional().describe('true keeps it as a draft: not sent, no clock'),
    })
    .openapi('NewReferral'),
  sendReferral: z.strictObject({ comment: text(2000).optional() }).openapi('SendReferral'),
  revokeReferral: z.strictObject({ reason: text(2000) }).openapi('RevokeReferral'),
  // A completion carries its outcome: said in the schema, so a client reads it there.
  referralProgress: z
    .discriminatedUnion('status', [
      z.strictObject({ status: z.literal('in_service'), outcome: text(5000).optional() }),
      z.strictObject({ status: z.literal('completed'), outcome: text(5000) }),
    ])
    .openapi('ReferralProgress'),
  erase: z.strictObject({ reason: text(1000) }).openapi('Erasure'),
} satisfies Record<ActionName, z.ZodType>;

export type ActionBody<K extends ActionName> = z.infer<(typeof ACTION_BODIES)[K]>;
/** What the workflow's handler of an action receives: the body and the path's parameters. */
export type ActionInput<K extends ActionName> = ActionBody<K> & ActionParams<K>;

// Every body field has a label in the catalogue, and every label a field: the console builds its
// forms from both. A mismatch names the action in the compile error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Unlabelled = {
  [K in ActionName]: Same<keyof z.input<(typeof ACTION_BODIES)[K]>, keyof (typeof ACTIONS)[K]['fields']> extends true ? never : K;
}[ActionName];
export const everyFieldLabelled: [Unlabelled] extends [never] ? true : Unlabelled = true;
