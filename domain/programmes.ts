// Group and community work (issue 29): programmes — a club, vocational training, a life-skills
// class, a parenting group, community communication, carers' training — the people enrolled in
// them, tied to their case when there is one, the sessions held and who came.
//
// G1 The people who stop coming are the ones at risk: a participant with an open case who misses
//    three sessions in a row is flagged to their case's worker (the unit's supervisor while the
//    case has none), once per run of absences; a session attended ends the run.
// G2 A session is stored whole or not at all: its attendance names enrolments of its own
//    programme only, each once.
// G3 Scope: a programme belongs to a unit and its province's staff read it; a member's name is
//    seen by the programme's facilitators and by those who may see the member's case (or, with no
//    case, the programme's unit and the managers); anyone else reads "a participant".
//    Collaborators see nothing.
//
// The contract other clients depend on: extend, never rename.
import { durationMs, ISO_DURATION } from './deadlines';
import { calendarDay, text } from './input';
import { DAY_MS, dayStartInVietnam, VIETNAM_OFFSET_MS } from './vietnam-time';
import type { Bilingual } from './stages';
import { z } from './zod';

export const PROGRAMME_KINDS = [
  'club',
  'vocational_training',
  'life_skills',
  'parenting',
  'therapy_group',
  'community_communication',
  'carer_training',
  'other',
] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

export const ENROLMENT_OUTCOMES = ['completed', 'employed', 'apprenticeship', 'returned_to_school', 'dropped_out', 'moved_away', 'other'] as const;
export type EnrolmentOutcome = (typeof ENROLMENT_OUTCOMES)[number];

/** G1: absences in a row that flag a participant to their case's worker. */
export const ABSENCES_FLAGGED = 3;

export const PROGRAMME_KIND_LABELS: Record<ProgrammeKind, Bilingual> = {
  club: { vi: 'Câu lạc bộ', en: 'Club' },
  vocational_training: { vi: 'Dạy nghề', en: 'Vocational training' },
  life_skills: { vi: 'Kỹ năng sống', en: 'Life skills' },
  parenting: { vi: 'Kỹ năng làm cha mẹ', en: 'Parenting' },
  therapy_group: { vi: 'Nhóm trị liệu', en: 'Therapy group' },
  community_communication: { vi: 'Truyền thông cộng đồng', en: 'Community communication' },
  carer_training: { vi: 'Tập huấn gia đình nhận chăm sóc', en: 'Carer training' },
  other: { vi: 'Khác', en: 'Other' },
};

export const ENROLMENT_OUTCOME_LABELS: Record<EnrolmentOutcome, Bilingual> = {
  completed: { vi: 'Hoàn thành', en: 'Completed' },
  employed: { vi: 'Có việc làm', en: 'Employed' },
  apprenticeship: { vi: 'Học nghề, học việc', en: 'Apprenticeship' },
  returned_to_school: { vi: 'Đi học trở lại', en: 'Returned to school' },
  dropped_out: { vi: 'Bỏ dở', en: 'Dropped out' },
  moved_away: { vi: 'Chuyển đi nơi khác', en: 'Moved away' },
  other: { vi: 'Khác', en: 'Other' },
};

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const WeeklySchema = z.strictObject({
  weekday: z.enum(WEEKDAYS),
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour')
    .describe('In Vietnam’s time'),
});
/** An interval's shortest: a live demonstration's few seconds; a programme meets weekly or fortnightly. */
export const SHORTEST_INTERVAL = 'PT2S';
const IntervalSchema = z.strictObject({
  every: z
    .string()
    .regex(ISO_DURATION, 'an ISO-8601 elapsed duration such as "P14D" (or "PT30S" for a live demonstration)')
    .refine((v) => v !== 'P' && !v.endsWith('T'), 'an empty duration')
    .refine((v) => !ISO_DURATION.test(v) || (durationMs(v) >= durationMs(SHORTEST_INTERVAL) && durationMs(v) <= 366 * DAY_MS), 'from 2 seconds to 366 days')
    .describe('Counted from the start of 1970 in UTC, as Temporal counts an interval: "P7D" meets on Thursdays at 07:00 Vietnam time'),
});
export const ScheduleSchema = z.union([WeeklySchema, IntervalSchema]).openapi('ProgrammeSchedule');
export type ProgrammeScheduleSpec = z.infer<typeof ScheduleSchema>;

const fields = {
  name: text(200).min(1),
  kind: z.enum(PROGRAMME_KINDS),
  unitId: z.uuid().describe('The unit it belongs to'),
  description: text(5000),
  facilitators: z.array(z.uuid()).min(1).max(20).describe('Staff of the province who run it'),
  capacity: z.int().min(1).max(10_000).describe('How many people it can take; none: no limit'),
  startsOn: calendarDay(),
  endsOn: calendarDay(),
  schedule: ScheduleSchema.describe(
    'Weekly `{ weekday, time }` or `{ every }`: kept by a Temporal Schedule; each occurrence is a session to record, and the facilitators are reminded',
  ),
};

const endsAfterStart = (p: { startsOn?: string; endsOn?: string | null }) => !p.startsOn || !p.endsOn || p.endsOn >= p.startsOn;

export const NewProgrammeSchema = z
  .strictObject(fields)
  .partial({ description: true, capacity: true, endsOn: true, schedule: true })
  .refine(endsAfterStart, { message: 'endsOn must not be before startsOn', path: ['endsOn'] })
  .openapi('NewProgramme');
export type NewProgramme = z.infer<typeof NewProgrammeSchema>;

export const ProgrammePatchSchema = z
  .strictObject({
    ...fields,
    description: fields.description.nullable(),
    capacity: fields.capacity.nullable(),
    endsOn: fields.endsOn.nullable(),
    schedule: fields.schedule.nullable(),
    closed: z.boolean().describe('true closes it: no new enrolment or session'),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field')
  .refine(endsAfterStart, { message: 'endsOn must not be before startsOn', path: ['endsOn'] })
  .openapi({ minProperties: 1 })
  .openapi('ProgrammePatch');
export type ProgrammePatch = z.infer<typeof ProgrammePatchSchema>;

export const NewEnrolmentSchema = z
  .strictObject({
    clientId: z.uuid(),
    caseId: z.uuid().optional().describe('The person’s case, when the enrolment is part of its plan'),
    enrolledOn: calendarDay(),
    consent: z.strictObject({ givenBy: text(200).min(1).describe('The person, or their parent or guardian') }),
  })
  .openapi('NewEnrolment');
export type NewEnrolment = z.infer<typeof NewEnrolmentSchema>;

export const EnrolmentOutcomeSchema = z
  .strictObject({ outcome: z.enum(ENROLMENT_OUTCOMES), on: calendarDay(), note: text(2000).optional() })
  .openapi('EnrolmentOutcome');
export type EnrolmentOutcomeInput = z.infer<typeof EnrolmentOutcomeSchema>;

const count = z.int().min(0).max(100_000);
export const NewSessionSchema = z
  .strictObject({
    heldOn: calendarDay().describe('Not in the future'),
    topic: text(500).min(1),
    facilitator: z.uuid().describe('Staff of the province who ran it'),
    attendance: z
      .array(z.strictObject({ enrolmentId: z.uuid(), present: z.boolean() }))
      .max(1000)
      .describe('Enrolments of this programme, each once'),
    guests: z.strictObject({ female: count, male: count, children: count }).optional().describe('Anonymous participants: counted, never named'),
  })
  .openapi('NewSession');
export type NewSession = z.infer<typeof NewSessionSchema>;

export const ProgrammeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(PROGRAMME_KINDS),
    unit: z.object({ id: z.uuid(), name: z.string() }),
    description: z.string().nullable(),
    facilitators: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
    capacity: z.int().nullable(),
    members: z.int().describe('Enrolments without an outcome that ends them'),
    startsOn: z.string(),
    endsOn: z.string().nullable(),
    schedule: ScheduleSchema.nullable(),
    closedAt: z.iso.datetime().nullable(),
    sessions: z.int(),
    lastSessionOn: z.string().nullable(),
    nextSessionAt: z.iso.datetime().nullable().describe('The schedule’s next occurrence, within the programme’s days'),
    sessionsToRecord: z.int().describe('Occurrences of the schedule with no session recorded yet'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Programme');
export type Programme = z.infer<typeof ProgrammeSchema>;

export const EnrolmentSchema = z
  .object({
    id: z.uuid(),
    programmeId: z.uuid(),
    clientId: z.uuid().nullable().describe('null when you may not know who it is (G3)'),
    name: z.string().describe('The member’s name, or "a participant" (G3)'),
    caseId: z.uuid().nullable(),
    enrolledOn: z.string(),
    consent: z.object({ givenBy: z.string() }),
    outcome: z.enum(ENROLMENT_OUTCOMES).nullable(),
    outcomeOn: z.string().nullable(),
    outcomeNote: z.string().nullable(),
    absencesInARow: z.int().describe('Sessions missed since the last one attended (G1 flags 3)'),
    attended: z.int(),
    createdAt: z.iso.datetime(),
  })
  .openapi('Enrolment');
export type Enrolment = z.infer<typeof EnrolmentSchema>;

export const SessionSchema = z
  .object({
    id: z.uuid(),
    programmeId: z.uuid(),
    heldOn: z.string(),
    topic: z.string(),
    facilitator: z.object({ id: z.uuid(), displayName: z.string() }),
    guests: z.object({ female: z.int(), male: z.int(), children: z.int() }),
    present: z.int(),
    absent: z.int(),
    attendance: z.array(z.object({ enrolmentId: z.uuid(), present: z.boolean() })),
    recordedAt: z.iso.datetime(),
  })
  .openapi('Session');
export type Session = z.infer<typeof SessionSchema>;

/** The day of the week an instant falls on in Vietnam (1970-01-01 was a Thursday). */
export function vietnamWeekday(at: Date): Weekday {
  return WEEKDAYS[(Math.floor((at.getTime() + VIETNAM_OFFSET_MS) / DAY_MS) + 3) % 7]!;
}

/** The time zone a weekly schedule is kept in (UTC+7, no daylight saving). */
export const PROGRAMME_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/**
 * The next occurrence of a schedule after `now`, within the programme's days (undefined when
 * there is none): the same arithmetic as the Temporal Schedule, so a page can say when without
 * asking Temporal.
 */
export function nextOccurrence(
  p: { schedule: ProgrammeScheduleSpec | null; startsOn: string; endsOn: string | null; closedAt: string | null },
  now: Date,
): Date | undefined {
  if (!p.schedule || p.closedAt) return undefined;
  const from = Math.max(now.getTime() + 1, dayStartInVietnam(p.startsOn).getTime());
  let at: number;
  if ('every' in p.schedule) {
    const every = durationMs(p.schedule.every);
    at = Math.ceil(from / every) * every;
  } else {
    const [h, m] = p.schedule.time.split(':').map(Number) as [number, number];
    const localMidnight = from + VIETNAM_OFFSET_MS - ((from + VIETNAM_OFFSET_MS) % DAY_MS);
    const ahead = (WEEKDAYS.indexOf(p.schedule.weekday) - WEEKDAYS.indexOf(vietnamWeekday(new Date(from))) + 7) % 7;
    at = localMidnight + ahead * DAY_MS + (h * 60 + m) * 60_000 - VIETNAM_OFFSET_MS;
    if (at < from) at += 7 * DAY_MS;
  }
  if (p.endsOn && at >= dayStartInVietnam(p.endsOn).getTime() + DAY_MS) return undefined;
  return new Date(at);
}

export const SessionToRecordSchema = z
  .object({
    programme: z.object({ id: z.uuid(), name: z.string() }),
    scheduledFor: z.iso.datetime().describe('The occurrence of the schedule'),
    scheduledOn: z.string().describe('Its day in Vietnam: a session recorded on that day (or later) answers it'),
    dueAt: z.iso.datetime().describe('When the deadline policy’s `session_record` falls due'),
  })
  .openapi('SessionToRecord');
export type SessionToRecord = z.infer<typeof SessionToRecordSchema>;

/** G1's notice to the case's worker. */
export function absencesNotice(programmeName: string): Bilingual {
  return {
    vi: `Người được trợ giúp đã vắng ${ABSENCES_FLAGGED} buổi liên tiếp ở "${programmeName}": hãy liên hệ xem họ có ổn không`,
    en: `The person missed ${ABSENCES_FLAGGED} sessions in a row of "${programmeName}": get in touch to see that they are all right`,
  };
}

/** What a participant is called to someone who may not know who they are (G3). */
export const A_PARTICIPANT: Bilingual = { vi: 'Một thành viên', en: 'A participant' };
