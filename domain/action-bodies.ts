// The request body of every staff action in domain/actions.ts, keyed by the same names; an unknown
// field is refused and named, like a misspelt one in an intake. A missing
// or extra schema, or a body field without a label in the catalogue, is a compile error below.
// The workflow uses the inferred types only (`import type`), so zod stays out of its bundle.
import type { ActionName, ActionParams, ACTIONS } from './actions';
import { CLOSURE_REASONS, GOALS_MET } from './closure';
import { CONCERN_KEYS } from './concerns';
import { calendarDay, exact, instant, said, text } from './input';
import { ConcernsSchema } from './intake';
import { PLACEMENT_KINDS, PLACEMENT_OUTCOMES } from './placement-labels';
import { GROUP_INTERVENTION } from './plan-enrolments';
import { SHAREABLE_PATHS } from './referrals';
import { INTERVENTION_STATUSES } from './stages';
import { z } from './zod';

const list = z.array(text(1000)).max(100);
const Decision = z.strictObject({ decision: z.enum(['approve', 'reject']), comment: text(5000) }).openapi('Decision');

const PlacementDecision = z
  .strictObject({
    number: text(100).min(1).describe('The decision’s number, as written on it (e.g. 12/QĐ-UBND)'),
    by: text(200).min(1).describe('Who signed it: the commune chairman, the court…'),
    on: calendarDay().describe('The day it was signed'),
  })
  .openapi('PlacementDecision');
const afterStart = <T extends { startsAt: string; until?: string }>(b: T) => b.until === undefined || Date.parse(b.until) > Date.parse(b.startsAt);
const untilAfterStart = said({ vi: 'thời hạn phải sau lúc bắt đầu', en: 'until must be after startsAt' });
const NewPlacement = z.strictObject({
  carerId: z.uuid().describe('A carer of your province (GET /carers?available=true)'),
  kind: z.enum(PLACEMENT_KINDS).describe('temporary_separation has the law’s limit (P1); foster and kinship care are visited'),
  startsAt: instant().describe('When the person arrived there; not in the future'),
  decision: PlacementDecision.optional().describe('The decision placing them (a temporary separation is decided by the commune chairman)'),
  until: instant().optional().describe('The end the decision gives; a temporary separation’s is at most its limit'),
  reason: text(5000).min(1),
});

// Group work (issue 29, domain/plan-enrolments.ts): an intervention may be a place in a programme,
// with the person's consent to take part. Optional, so every client of before goes on as it was.
const groupFields = {
  programmeId: z
    .uuid()
    .optional()
    .describe(
      'A programme of your province (GET /programmes?open=true): the intervention is a place in it, `type` is "group", and `consent` is required. The enrolment is made when the plan is approved (at once when added during implementation)',
    ),
  consent: z
    .strictObject({ givenBy: text(200).min(1).describe('The person, or their parent or guardian') })
    .optional()
    .describe('With programmeId: who agreed to take part'),
};
/**
 * A place in a programme is a "group" intervention, with consent; a kept one (with its id) has its
 * consent already. Another `type` is refused, not overwritten: it is what the worker wrote, and a
 * programme named beside another type is more likely a slip than a wish.
 */
function groupRule(item: { id?: string; type: string; programmeId?: string; consent?: object }, ctx: z.RefinementCtx) {
  if (item.programmeId !== undefined && item.type !== GROUP_INTERVENTION) {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      ...said({ vi: `phải là "${GROUP_INTERVENTION}" khi có programmeId`, en: `must be "${GROUP_INTERVENTION}" with a programmeId` }),
    });
  }
  if (item.programmeId !== undefined && item.id === undefined && item.consent === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['consent'],
      ...said({ vi: 'cần sự đồng ý tham gia khi có programmeId', en: 'required with a programmeId' }),
    });
  }
  if (item.consent !== undefined && item.programmeId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['programmeId'], ...said({ vi: 'cần có khi gửi consent', en: 'required with consent' }) });
  }
}

export const ACTION_BODIES = {
  safetyConfirmed: z.strictObject({ actions: list.min(1) }).openapi('SafetyConfirmed'),
  assessment: z
    .strictObject({
      summary: text(20_000),
      needs: list,
      // Added by issue 31 (the comprehensive assessment's form asks for them): optional, as every added field.
      strengths: z
        .strictObject({ person: text(5000).optional(), family: text(5000).optional(), community: text(5000).optional() })
        .optional()
        .describe('Resources and strengths of the person, the family and the community, as the comprehensive assessment records them'),
    })
    .openapi('Assessment'),
  plan: z
    .strictObject({
      goals: list.min(1),
      interventions: z
        .array(
          z
            .strictObject({
              id: exact(1, 20).optional().describe('An intervention of the earlier plan to keep, with its status and outcome (and its programme)'),
              type: text(100),
              description: text(5000),
              ...groupFields,
            })
            .superRefine(groupRule),
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
  addIntervention: z
    .strictObject({ type: text(100), description: text(5000), ...groupFields })
    .superRefine(groupRule)
    .openapi('NewIntervention'),
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
  place: NewPlacement.refine(afterStart, { ...untilAfterStart, path: ['until'] }).openapi('NewPlacement'),
  movePlacement: NewPlacement.extend({ kind: NewPlacement.shape.kind.optional() })
    .refine(afterStart, { ...untilAfterStart, path: ['until'] })
    .openapi('PlacementMove'),
  extendPlacement: z
    .strictObject({
      decision: PlacementDecision.describe('The new decision: its number is required'),
      until: instant().describe('The new limit: at most the separation limit after the current one'),
      reason: text(5000).min(1),
    })
    .openapi('PlacementExtension'),
  endPlacement: z
    .strictObject({
      endedAt: instant().describe('When the person left; not before the placement began, not in the future'),
      outcome: z.enum(PLACEMENT_OUTCOMES),
      note: text(5000),
    })
    .openapi('PlacementEnd'),
  placementVisit: z
    .strictObject({
      visitedOn: calendarDay().describe('The day of the visit, in Vietnam; not before the placement began'),
      seen: z.boolean().describe('false: the person was not seen, and the visit is still owed'),
      note: text(5000),
    })
    .openapi('PlacementVisit'),
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
