// The deadline policy: when each step of a case is due and when it escalates. Durations are
// ISO-8601 elapsed times ("PT12H", "P14D", even "PT5S" for a live demonstration) or
// { workingDays: n }, counted in Vietnam's time (UTC+7, no daylight saving) skipping weekends
// and the policy's holidays — by arithmetic, never by the machine's local time.
import type { Path, RiskLevel } from './stages';
import { PATHS, RISK_LEVELS } from './stages';
import { calendarDay } from './input';
import { DAY_MS, VIETNAM_OFFSET_MS } from './vietnam-time';
import { z } from './zod';

export const DEADLINE_STEPS = [
  'emergency_response',
  'assessment',
  'planning',
  'plan_approval',
  'review',
  'closure_approval',
  'referral_response',
  'callback',
  // Issue 28: a temporary separation's legal limit (P1) and the rhythm of a placement's monitoring visits.
  'separation_limit',
  'placement_visit',
  // Issue 29: a session the programme's schedule held, recorded by its facilitators.
  'session_record',
] as const;
export type DeadlineStep = (typeof DEADLINE_STEPS)[number];

export const ISO_DURATION = /^P(?:(\d{1,3})W)?(?:(\d{1,3})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,6})M)?(?:(\d{1,8})S)?)?$/;
/** A deadline further away than a year is no deadline (and a huge one would overflow the calendar). */
const MAX_DURATION_MS = 366 * 24 * 60 * 60 * 1000;

export const DurationSchema = z.union([
  z
    .string()
    .regex(ISO_DURATION, 'an ISO-8601 elapsed duration such as "PT12H", "P14D" or "PT30S"')
    .refine((v) => v !== 'P' && !v.endsWith('T'), 'an empty duration')
    .refine((v) => !ISO_DURATION.test(v) || durationMs(v) <= MAX_DURATION_MS, 'at most a year (366 days)'),
  z.strictObject({ workingDays: z.int().min(1).max(365) }),
]);
export type Duration = z.infer<typeof DurationSchema>;

export const DeadlineRuleSchema = z.strictObject({
  step: z.enum(DEADLINE_STEPS),
  path: z.enum(PATHS).optional(),
  level: z.enum(RISK_LEVELS).optional(),
  child: z.boolean().optional().describe('Only for clients under 16 (true) or 16 and over (false)'),
  due: DurationSchema,
  supervisorGrace: DurationSchema.describe('After the due time, before the unit supervisor is called'),
  managerGrace: DurationSchema.describe('After the due time, before every manager of the province is called'),
  warning: z
    .string()
    .regex(ISO_DURATION, 'an ISO-8601 elapsed duration such as "P2D"')
    .refine((v) => v !== 'P' && !v.endsWith('T'), 'an empty duration')
    .optional()
    .describe('Before the due time, when the worker and the unit supervisor are told it is coming (a temporary separation’s limit: P2D)'),
});
export type DeadlineRule = z.infer<typeof DeadlineRuleSchema>;

/** P1 (Decree 56/2017): a child's temporary separation lasts at most 15 days unless a new decision extends it. */
export const SEPARATION_LIMIT_MAX = 'P15D';

export const DeadlinePolicySchema = z.strictObject({
  holidays: z.array(calendarDay()).max(1000),
  rules: z.array(DeadlineRuleSchema).min(1).max(500),
});
export type DeadlinePolicy = z.infer<typeof DeadlinePolicySchema>;

export const DeadlineSchema = z.object({
  /** Unique within the case: escalations are keyed by it. */
  key: z.string(),
  step: z.enum(DEADLINE_STEPS),
  /** When the step began: the clock the policy's durations count from. */
  startedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  supervisorAt: z.iso.datetime(),
  managerAt: z.iso.datetime(),
  /** When those concerned are told it is coming, for a rule with a warning. */
  warningAt: z.iso.datetime().optional(),
  policyVersion: z.int().describe('The deadline policy version that set it'),
});
export type Deadline = z.infer<typeof DeadlineSchema>;

export { vietnamDay, dayStartInVietnam } from './vietnam-time';

/** Windows a work list asks for: past due, due before the end of today, or of this week, in Vietnam. */
export const DUE_WINDOWS = ['overdue', 'today', 'week'] as const;
export type DueWindow = (typeof DUE_WINDOWS)[number];

/** The instants a due window spans at `now`: [from, until), from undefined for overdue. */
export function dueWindow(window: DueWindow, now: Date): { from?: Date; until: Date } {
  if (window === 'overdue') return { until: now };
  const local = now.getTime() + VIETNAM_OFFSET_MS;
  const midnight = local - (local % DAY_MS);
  // Monday is day 1; the week ends at the midnight that begins the next Monday.
  const daysLeft = window === 'today' ? 1 : 8 - (new Date(midnight).getUTCDay() || 7);
  return { from: now, until: new Date(midnight + daysLeft * DAY_MS - VIETNAM_OFFSET_MS) };
}

/** Working days from one instant to a later one, counted by the days that end between them in Vietnam. */
export function workingDaysBetween(from: Date, to: Date, holidays: ReadonlySet<string>): number {
  let n = 0;
  for (
    let day = from.getTime() + VIETNAM_OFFSET_MS - ((from.getTime() + VIETNAM_OFFSET_MS) % DAY_MS) + DAY_MS;
    day <= to.getTime() + VIETNAM_OFFSET_MS;
    day += DAY_MS
  ) {
    const d = new Date(day);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !holidays.has(d.toISOString().slice(0, 10))) n += 1;
  }
  return n;
}

export function durationMs(iso: string): number {
  const m = ISO_DURATION.exec(iso);
  if (!m) throw new Error(`not an ISO-8601 elapsed duration: ${iso}`);
  const [, w, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}

/** n working days later, at the same time of day in Vietnam. */
export function addWorkingDays(from: Date, n: number, holidays: ReadonlySet<string>): Date {
  let local = from.getTime() + VIETNAM_OFFSET_MS;
  for (let added = 0; added < n;) {
    local += DAY_MS;
    const day = new Date(local);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(day.toISOString().slice(0, 10))) added += 1;
  }
  return new Date(local - VIETNAM_OFFSET_MS);
}

export function addDuration(from: Date, d: Duration, holidays: ReadonlySet<string>): Date {
  return typeof d === 'string' ? new Date(from.getTime() + durationMs(d)) : addWorkingDays(from, d.workingDays, holidays);
}

export interface DeadlineSubject {
  step: DeadlineStep;
  path: Path;
  level: RiskLevel;
  child: boolean;
}

/** The first rule that fits: a policy lists the specific rules before the general ones. */
export function ruleFor(policy: DeadlinePolicy, s: DeadlineSubject): DeadlineRule | undefined {
  return policy.rules.find((r) => r.step === s.step && (r.path ?? s.path) === s.path && (r.level ?? s.level) === s.level && (r.child ?? s.child) === s.child);
}

export function planDeadline(policy: { version: number; document: DeadlinePolicy }, subject: DeadlineSubject, from: Date, key: string): Deadline {
  const rule = ruleFor(policy.document, subject);
  if (!rule) throw new Error(`deadline policy v${policy.version} has no rule for ${subject.step}`);
  const holidays = new Set(policy.document.holidays);
  const due = addDuration(from, rule.due, holidays);
  return {
    key,
    step: subject.step,
    startedAt: from.toISOString(),
    dueAt: due.toISOString(),
    supervisorAt: addDuration(due, rule.supervisorGrace, holidays).toISOString(),
    managerAt: addDuration(due, rule.managerGrace, holidays).toISOString(),
    ...(rule.warning ? { warningAt: new Date(due.getTime() - durationMs(rule.warning)).toISOString() } : {}),
    policyVersion: policy.version,
  };
}

/** Checks zod cannot make: a fallback for every step, graces in order, the law's 12 hours. */
export function deadlinePolicyProblems(policy: DeadlinePolicy): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const step of DEADLINE_STEPS) {
    if (!policy.rules.some((r) => r.step === step && r.path === undefined && r.level === undefined && r.child === undefined)) {
      problems.push({ path: 'rules', message: `no rule for "${step}" without path, level or child: some cases would have no deadline` });
    }
  }
  const probe = new Date(Date.UTC(2026, 0, 5, 2));
  const holidays = new Set(policy.holidays);
  policy.rules.forEach((r, i) => {
    const sup = addDuration(probe, r.supervisorGrace, holidays).getTime();
    const mgr = addDuration(probe, r.managerGrace, holidays).getTime();
    if (mgr < sup)
      problems.push({ path: `rules[${i}].managerGrace`, message: 'managers are called before the supervisor; make managerGrace at least supervisorGrace' });
  });
  policy.rules.forEach((r, i) => {
    // P1: the law's limit of a temporary separation, counted in calendar days.
    if (r.step === 'separation_limit' && (typeof r.due !== 'string' || durationMs(r.due) > durationMs(SEPARATION_LIMIT_MAX))) {
      problems.push({
        path: `rules[${i}].due`,
        message: 'a temporary separation lasts at most 15 days unless a new decision extends it (Decree 56/2017): P15D at most, in calendar days',
      });
    }
    if (r.warning && typeof r.due === 'string' && durationMs(r.warning) >= durationMs(r.due)) {
      problems.push({ path: `rules[${i}].warning`, message: 'the warning comes before the due time: make it shorter than due' });
    }
  });
  // Decree 56/2017: emergency measures for a child within 12 hours, whatever the path and level.
  const flagged = new Set<number>();
  for (const path of PATHS) {
    for (const level of RISK_LEVELS) {
      const rule = ruleFor(policy, { step: 'emergency_response', path, level, child: true });
      const i = rule ? policy.rules.indexOf(rule) : -1;
      if (rule && !flagged.has(i) && (typeof rule.due !== 'string' || durationMs(rule.due) > 12 * 3600_000)) {
        flagged.add(i);
        problems.push({
          path: `rules[${i}].due`,
          message: 'this rule sets the emergency response for a child under 16, which is due within 12 hours (PT12H at most)',
        });
      }
    }
  }
  return problems;
}
