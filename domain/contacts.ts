// A contact (issue 27): one call, visit or conversation of the hotline, the office or the
// counselling café — most of a centre's work, which never becomes a case. The contract other
// clients depend on: extend, never rename.
//
// C1 — no danger filed as advice. A contact that carries enough facts to score (a person with an
// age or birth year, or any concern) is scored by the published ruleset as an intake would be; if
// the routing is the emergency path, the contact becomes a case at once, whatever outcome the
// operator chose: it records `case_opened`, and the case follows the emergency path with its
// deadline and notices. A standard-path contact stays a contact unless someone opens a case.
import { ConcernsSchema, CATEGORY_CODES, GENDERS, IntakeSchema, LocationSchema, ClientSchema, type Channel, type Intake } from './intake';
import { RiskDecisionSchema } from './case';
import { instant, said, text } from './input';
import { z } from './zod';

export const CONTACT_CHANNELS = ['hotline', 'walk_in', 'counselling_cafe', 'outreach', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CALLER_RELATIONS = ['self', 'family', 'neighbour', 'teacher', 'health_worker', 'police', 'commune_official', 'other'] as const;
export type CallerRelation = (typeof CALLER_RELATIONS)[number];

export const CALL_TYPES = [
  'information',
  'benefit_guidance',
  'counselling',
  'report_of_concern',
  'referral_request',
  'follow_up',
  'silent',
  'prank',
  'wrong_number',
  'other',
] as const;
export type CallType = (typeof CALL_TYPES)[number];

export const CONTACT_OUTCOMES = ['advice_given', 'referred', 'callback_promised', 'case_opened', 'no_action'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** What the operator may choose when recording or correcting a contact; a case is opened by C1 or POST /contacts/{id}/case. */
export const CHOSEN_OUTCOMES = ['advice_given', 'referred', 'callback_promised', 'no_action'] as const;

/** The intake channel a case opened from a contact is received by. */
export const INTAKE_CHANNEL_OF: Record<ContactChannel, Channel> = {
  hotline: 'hotline',
  walk_in: 'walk_in',
  counselling_cafe: 'counselling_cafe',
  outreach: 'outreach',
  // An intake has no "other" channel: a contact of another kind was met in person.
  other: 'walk_in',
};

/** A callback promised later than this is no promise a ladder should watch (and a typo of the year). */
const CALLBACK_HORIZON_MS = 90 * 86_400_000;

const CallerSchema = z.strictObject({
  anonymous: z.boolean().describe('The caller gave no name: then none may be recorded'),
  fullName: text(200).optional(),
  phone: text(30).optional(),
  relation: z.enum(CALLER_RELATIONS).optional().describe('Who the caller is to the person the contact is about'),
});

const AboutSchema = z.strictObject({
  fullName: text(200).optional(),
  age: z.int().min(0).max(130).optional(),
  birthYear: z.int().min(1900).max(2100).optional(),
  gender: z.enum(GENDERS).optional(),
  location: LocationSchema.partial().optional(),
});

/** A promised callback must lie ahead, within 90 days: `now` is read when the request is checked. */
const callbackTime = () => instant().describe('When the caller was promised a call back: required exactly when the outcome is callback_promised');

/** Checks across fields, shared by the create and the correction. */
function callbackRules(
  body: { outcome?: string; callbackBy?: string },
  ctx: z.RefinementCtx,
  /** The outcome the contact will have when the body does not say (a correction leaves it as it was). */
  outcome = body.outcome,
) {
  if (outcome === 'callback_promised' && body.callbackBy === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['callbackBy'],
      ...said({ vi: 'cần có khi hẹn gọi lại (callback_promised)', en: 'required when the outcome is callback_promised' }),
    });
  }
  if (outcome !== 'callback_promised' && body.callbackBy !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['callbackBy'],
      ...said({ vi: 'chỉ dùng khi kết quả là hẹn gọi lại (callback_promised)', en: 'only for the outcome callback_promised' }),
    });
  }
  if (body.callbackBy !== undefined) {
    const at = Date.parse(body.callbackBy);
    if (at < Date.now())
      ctx.addIssue({
        code: 'custom',
        path: ['callbackBy'],
        ...said({ vi: 'giờ này đã qua: hãy hẹn một giờ sắp tới', en: 'already past: promise a time ahead' }),
      });
    else if (at > Date.now() + CALLBACK_HORIZON_MS)
      ctx.addIssue({ code: 'custom', path: ['callbackBy'], ...said({ vi: 'xa hơn 90 ngày', en: 'more than 90 days ahead' }) });
  }
}

export const NewContactSchema = z
  .strictObject({
    channel: z.enum(CONTACT_CHANNELS),
    startedAt: instant().optional().describe('When the call or visit began; now when not given'),
    durationMinutes: z
      .int()
      .min(0)
      .max(24 * 60)
      .optional(),
    caller: CallerSchema,
    about: AboutSchema.optional().describe('The person the contact is about, as far as known (the caller themselves when relation is self)'),
    callType: z.enum(CALL_TYPES),
    topics: z.array(z.enum(CATEGORY_CODES)).max(CATEGORY_CODES.length).optional().describe('The intake’s categories'),
    concerns: ConcernsSchema.optional().describe('The intake’s concerns: any concern makes the contact scored (C1)'),
    summary: text(10_000),
    outcome: z.enum(CHOSEN_OUTCOMES).describe('What the operator did; an emergency routing opens a case whatever is chosen (C1)'),
    callbackBy: callbackTime().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.caller.anonymous && body.caller.fullName !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['caller', 'fullName'],
        ...said({
          vi: 'người gọi giấu tên thì không ghi tên: bỏ tên hoặc bỏ đánh dấu giấu tên',
          en: 'an anonymous caller has no name: leave it out or set anonymous to false',
        }),
      });
    }
    if (body.startedAt !== undefined && Date.parse(body.startedAt) > Date.now() + 5 * 60_000) {
      ctx.addIssue({ code: 'custom', path: ['startedAt'], ...said({ vi: 'không được sau lúc này', en: 'not after now' }) });
    }
    callbackRules(body, ctx);
  });
export type NewContact = z.infer<typeof NewContactSchema>;

/** A correction of what was written: the summary, or the outcome (with its callback time). */
export const ContactCorrectionSchema = z
  .strictObject({
    summary: text(10_000).optional(),
    outcome: z.enum(CHOSEN_OUTCOMES).optional(),
    callbackBy: callbackTime().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.summary === undefined && body.outcome === undefined) {
      ctx.addIssue({ code: 'custom', path: [], ...said({ vi: 'hãy gửi nội dung hoặc kết quả', en: 'give summary or outcome' }) });
    }
    if (body.outcome !== undefined || body.callbackBy !== undefined) callbackRules(body, ctx);
  });
export type ContactCorrection = z.infer<typeof ContactCorrectionSchema>;

/** What was said when the promised call was made: it stops the callback's clock. */
export const CallbackRecordSchema = z.strictObject({
  reachedPerson: z.boolean().describe('Whether the person was reached'),
  summary: text(10_000),
  outcome: z.enum(['advice_given', 'referred', 'no_action']).describe('What came of the call; a case is opened with POST /contacts/{id}/case'),
});
export type CallbackRecord = z.infer<typeof CallbackRecordSchema>;

/**
 * What POST /contacts/{id}/case adds to the contact's facts: only what an intake needs and the
 * contact lacks (a name, a gender, a place); anything given here wins over the contact's.
 */
export const ContactCaseSchema = IntakeSchema.pick({ reporter: true, categories: true, concerns: true, summary: true, incidentDate: true })
  .partial()
  .extend({ client: ClientSchema.partial().extend({ location: LocationSchema.partial().optional() }).optional() });
export type ContactCase = z.infer<typeof ContactCaseSchema>;

/** The facts of a contact that make it scorable (C1): an age or birth year, or any concern. */
export function scorable(c: Pick<NewContact, 'about' | 'concerns'>): boolean {
  return c.about?.age !== undefined || c.about?.birthYear !== undefined || Object.values(c.concerns ?? {}).some((v) => v === true);
}

/**
 * The intake a contact's facts make, with what the caller adds: a nameless person gets a name
 * that says where they came from (so two unnamed people are never matched as one client), an
 * unknown gender, and the province they were reported in.
 */
export function contactIntake(contact: ContactDraft & { summary?: string; ref: string }, provinceName: string, added: ContactCase = {}): Intake {
  const about = contact.about ?? {};
  const { location: addedLocation, ...addedClient } = added.client ?? {};
  const caller = contact.caller ?? {};
  const reporter = added.reporter ?? (caller.fullName ? { name: caller.fullName, ...(caller.phone ? { phone: caller.phone } : {}) } : undefined);
  return {
    channel: INTAKE_CHANNEL_OF[contact.channel ?? 'hotline'],
    ...(reporter ? { reporter } : {}),
    client: {
      fullName: about.fullName ?? `Chưa rõ tên (${contact.ref})`,
      ...(about.age !== undefined ? { age: about.age } : {}),
      ...(about.birthYear !== undefined ? { birthYear: about.birthYear } : {}),
      gender: about.gender ?? 'unknown',
      ...(caller.relation === 'self' && caller.phone ? { phone: caller.phone } : {}),
      ...addedClient,
      location: { province: provinceName, ...about.location, ...addedLocation },
    },
    categories: added.categories ?? contact.topics ?? [],
    concerns: { ...contact.concerns, ...added.concerns },
    summary: added.summary ?? contact.summary ?? '',
    ...(added.incidentDate ? { incidentDate: added.incidentDate } : {}),
  };
}

export const CALLBACK_STATUSES = ['open', 'kept', 'late'] as const;

export const CallbackSchema = z.object({
  dueAt: z.iso.datetime().describe('The time promised'),
  supervisorAt: z.iso.datetime(),
  managerAt: z.iso.datetime(),
  policyVersion: z.int(),
  status: z.enum(CALLBACK_STATUSES).describe('open until recorded; kept when recorded by the time promised, late after it'),
  escalated: z.array(z.enum(['reminder', 'supervisor', 'manager'])).describe('The ladder’s steps taken'),
  recordedAt: z.iso.datetime().nullable(),
  reachedPerson: z.boolean().nullable(),
  summary: z.string().nullable(),
  outcome: z.string().nullable(),
});
export type Callback = z.infer<typeof CallbackSchema>;

/** The person a contact is about, matched to a known client within the reader's scope (repeat callers). */
export const PossibleClientSchema = z.object({
  clientId: z.uuid().nullable().describe('null when every case of theirs is restricted away from you'),
  cases: z.array(z.object({ id: z.uuid(), ref: z.string(), stage: z.string() })).describe('Their cases you may see, newest first'),
  restricted: z.boolean().describe('They have a restricted case you may not see: ask its supervisor'),
});
export type PossibleClient = z.infer<typeof PossibleClientSchema>;

export const ContactSchema = z.object({
  id: z.uuid(),
  ref: z.string().describe('The contact’s reference for people: province, TV, year, number (QN-TV-2026-000045)'),
  channel: z.enum(CONTACT_CHANNELS),
  startedAt: z.iso.datetime(),
  durationMinutes: z.int().nullable(),
  caller: CallerSchema,
  about: AboutSchema.nullable(),
  callType: z.enum(CALL_TYPES),
  topics: z.array(z.enum(CATEGORY_CODES)),
  concerns: ConcernsSchema,
  summary: z.string(),
  outcome: z.enum(CONTACT_OUTCOMES),
  callbackBy: z.iso.datetime().nullable(),
  callback: CallbackSchema.nullable(),
  caseId: z.uuid().nullable().describe('The case it became (C1, or opened from it)'),
  routing: RiskDecisionSchema.nullable().describe('How the published ruleset scored its facts (C1); null when it had too few to score'),
  recordedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  unit: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  logNo: z.string().nullable().describe('The number it had in a past hotline log it was imported from'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const ContactEventSchema = z.object({
  seq: z.int(),
  at: z.iso.datetime(),
  actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable().describe('null for the product itself (a callback’s clock)'),
  kind: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type ContactEvent = z.infer<typeof ContactEventSchema>;

/** A contact as it is being written, for the live preview: any part may be missing yet. */
export const ContactDraftSchema = z.strictObject({
  channel: z.enum(CONTACT_CHANNELS).optional(),
  caller: CallerSchema.partial().optional(),
  about: AboutSchema.optional(),
  topics: z.array(z.enum(CATEGORY_CODES)).max(CATEGORY_CODES.length).optional(),
  concerns: ConcernsSchema.optional(),
});
export type ContactDraft = z.infer<typeof ContactDraftSchema>;
