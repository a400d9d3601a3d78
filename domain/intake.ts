// The intake contract: what a hotline operator, a collaborator or a partner agency sends when
// reporting a person at risk. Other clients depend on these names: extend, never rename.
import { CONCERN_KEYS, type ConcernKey } from './concerns';
import { calendarDay, instant, said, text } from './input';
import type { Bilingual } from './stages';
import { z } from './zod';

export const CHANNELS = ['hotline', 'walk_in', 'collaborator', 'referral', 'outreach', 'counselling_cafe'] as const;

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

// Groups the centres serve (../shared/DOMAIN.md, "Who is served").
export const CATEGORY_CODES = [
  'child_special_circumstances',
  'child_at_risk',
  'child_in_conflict_with_law',
  'post_sentence',
  'older_person',
  'older_person_alone',
  'disability',
  'deaf',
  'mental_illness',
  'mental_disorder',
  'autism',
  'depression',
  'domestic_violence_victim',
  'sexual_abuse_victim',
  'trafficking_victim',
  'homeless',
  'drug_use',
  'hiv',
  'poor_household',
  'agent_orange',
  'other',
] as const;

export type Channel = (typeof CHANNELS)[number];
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const ReporterSchema = z.strictObject({
  name: text(200),
  phone: text(30).optional(),
  organisation: text(200).optional(),
});

export const LocationSchema = z.strictObject({
  province: text(100),
  // Since the 2025 reform new addresses have no district: either may be given, or neither.
  district: text(100).optional(),
  commune: text(100).optional(),
  remote: z.boolean().optional().describe('Remote, mountain or island area (vùng sâu, vùng xa, miền núi, hải đảo)'),
});

export const ClientSchema = z.strictObject({
  fullName: text(200),
  birthYear: z.int().min(1900).max(2100).optional(),
  age: z.int().min(0).max(130).optional(),
  gender: z.enum(GENDERS),
  ethnicity: text(100).optional(),
  ethnicMinority: z.boolean().optional(),
  location: LocationSchema,
  phone: text(30).optional(),
});

export const ConcernsSchema = z.strictObject(
  Object.fromEntries(CONCERN_KEYS.map((key) => [key, z.boolean().optional()])) as Record<ConcernKey, z.ZodOptional<z.ZodBoolean>>,
);

export const IntakeSchema = z.strictObject({
  channel: z.enum(CHANNELS),
  reporter: ReporterSchema.optional(),
  client: ClientSchema,
  categories: z.array(z.enum(CATEGORY_CODES)).max(CATEGORY_CODES.length),
  concerns: ConcernsSchema,
  summary: text(10_000),
  incidentDate: calendarDay()
    // A day later than Vietnam's today (UTC+7, no daylight saving) has not happened yet.
    .refine((day) => day <= new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10), said({ vi: 'không được sau hôm nay', en: 'not after today' }))
    .optional()
    .describe('When what is reported happened, or began, as far as known (Vietnam’s day): the reports count how soon it was reported'),
  recordedAt: instant()
    .optional()
    .describe(
      'When the report was written, if before it was sent (offline, on a collaborator’s phone): not after now (2 minutes of clock skew allowed), at most 30 days back. Kept as an instant in UTC; the case’s deadlines still count from when the API received it',
    ),
});

export type Intake = z.infer<typeof IntakeSchema>;

/** How far a phone's clock may run ahead of the API's, for `recordedAt`. */
export const RECORDED_AT_SKEW_MS = 2 * 60_000;
/** How long a report may wait on a phone before it is sent, for `recordedAt`. */
export const RECORDED_AT_MAX_AGE_DAYS = 30;

/**
 * Why an intake's `recordedAt` cannot be taken at `now`, or undefined when it can. A bound that
 * moves with the clock, so it is checked when an intake is first received, never when a stored
 * one is read (nor on a replay of an intake already taken).
 */
export function recordedAtProblem(recordedAt: string, now: Date): Bilingual | undefined {
  const at = Date.parse(recordedAt);
  if (at > now.getTime() + RECORDED_AT_SKEW_MS) return { vi: 'không được sau lúc này', en: 'not after now' };
  if (at < now.getTime() - RECORDED_AT_MAX_AGE_DAYS * 86_400_000)
    return { vi: `không được quá ${RECORDED_AT_MAX_AGE_DAYS} ngày trước`, en: `not more than ${RECORDED_AT_MAX_AGE_DAYS} days ago` };
  return undefined;
}

/** The intake as it is kept: `recordedAt`, when given, as an instant in UTC (`2026-05-01T03:00:00.000Z`). */
export function keptIntake<T extends Intake>(intake: T): T {
  return intake.recordedAt === undefined ? intake : { ...intake, recordedAt: new Date(intake.recordedAt).toISOString() };
}

/** The intake a case keeps: as received, and the contact it began as (set by the product, never by a client). */
export const CaseIntakeSchema = IntakeSchema.extend({
  contactId: z.uuid().optional().describe('The contact (POST /contacts) this case began as'),
});
export type CaseIntake = z.infer<typeof CaseIntakeSchema>;

/**
 * An intake as it is being written, for the routing preview: any part may be missing yet. A
 * missing part counts as unknown (no concern, no category, age unknown), as at intake.
 */
export const IntakeDraftSchema = IntakeSchema.extend({
  client: ClientSchema.extend({ location: LocationSchema.partial() }).partial(),
}).partial();
export type IntakeDraft = z.infer<typeof IntakeDraftSchema>;

/** The intake the routing would score, the draft's gaps filled as unknown. */
export function draftForScoring(d: IntakeDraft): Intake {
  const { location, ...client } = d.client ?? {};
  return {
    channel: d.channel ?? 'hotline',
    client: { fullName: '?', gender: 'unknown', ...client, location: { province: '?', ...location } },
    categories: d.categories ?? [],
    concerns: d.concerns ?? {},
    summary: d.summary ?? '?',
    ...(d.reporter ? { reporter: d.reporter } : {}),
  };
}
