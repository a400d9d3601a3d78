// The intake contract: what a hotline operator, a collaborator or a partner agency sends when
// reporting a person at risk. Other clients depend on these names: extend, never rename.
import { CONCERN_KEYS, type ConcernKey } from './concerns';
import { calendarDay, said, text } from './input';
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
});

export type Intake = z.infer<typeof IntakeSchema>;

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
