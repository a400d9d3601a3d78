// A referral as staff read it (with the partner's link, for passing on by phone or Zalo), and what
// a partner's system sends to its link.
import { DeadlineSchema } from './deadlines';
import { text } from './input';
import { PARTNER_ACTIONS, PARTNER_KINDS, REFERRAL_STATUSES, SHAREABLE_PATHS } from './referrals';
import { z } from './zod';

export const ReferralSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    caseRef: z.string().describe('The case’s reference, as the partner sees it'),
    partner: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(PARTNER_KINDS) }),
    service: z.string(),
    reason: z.string().describe('Shown to the partner with the shared data'),
    consent: z.object({ givenBy: z.string(), scope: z.array(z.enum(SHAREABLE_PATHS)) }),
    status: z.enum(REFERRAL_STATUSES),
    respondBy: z.iso.datetime().nullable().describe('When the partner’s answer was due (set when sent)'),
    deadline: DeadlineSchema.nullable().describe('The answer clock while the referral awaits an answer'),
    declineReason: z.string().nullable(),
    outcome: z.string().nullable(),
    revokeReason: z.string().nullable(),
    partnerUrl: z.string().nullable().describe('The partner’s link (no account needed); null for a draft'),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Referral');
export type ReferralView = z.infer<typeof ReferralSchema>;

export const SuggestionSchema = z
  .object({
    kind: z.string().describe('What the ruleset suggests: a kind of partner (police) or a service (counselling)'),
    rules: z.array(z.string()).describe('The routing rules that suggested it'),
    partners: z
      .array(z.object({ id: z.uuid(), name: z.string(), services: z.array(z.string()) }))
      .describe('Active partners of this kind, or offering this service, that serve the case’s commune'),
  })
  .openapi('SuggestedReferral');
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const SuggestedDraftsSchema = z
  .strictObject({
    reason: text(5000),
    consent: z.strictObject({ givenBy: text(200), scope: z.array(z.enum(SHAREABLE_PATHS)).min(1).max(SHAREABLE_PATHS.length) }),
  })
  .openapi('SuggestedDrafts');

export const SuggestedDraftsAnswer = z
  .object({
    items: z.array(ReferralSchema).describe('The drafts made'),
    skipped: z.array(z.object({ kind: z.string(), reason: z.enum(['already_referred', 'no_partner']) })),
  })
  .openapi('SuggestedDraftsAnswer');

// A decline carries its reason, a completion its outcome: said in the schema, for partners' systems.
export const PartnerAnswerSchema = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('accept') }),
    z.strictObject({ action: z.literal('decline'), reason: text(2000).describe('Why: the centre refers elsewhere') }),
    z.strictObject({ action: z.literal('complete'), outcome: text(5000).describe('What came of it') }),
  ])
  .openapi('PartnerAnswer');
export type PartnerAnswerBody = z.infer<typeof PartnerAnswerSchema>;

/** What a partner's system reads on its link (Accept: application/json); the page shows the same. */
export const PartnerReferralSchema = z
  .object({
    ref: z.string(),
    service: z.string(),
    reason: z.string(),
    status: z.enum(REFERRAL_STATUSES),
    respondBy: z.iso.datetime().nullable(),
    sharedData: z.record(z.string(), z.unknown()).describe('Exactly what the person consented to share'),
    actions: z.array(z.enum(PARTNER_ACTIONS)).describe('What the link can do now'),
  })
  .openapi('PartnerReferral');
export type PartnerReferral = z.infer<typeof PartnerReferralSchema>;
