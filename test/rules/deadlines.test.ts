import { describe, expect, it } from 'vitest';
import { addWorkingDays, dueWindow, durationMs, planDeadline, workingDaysBetween } from '../../domain/deadlines';
import { validateDeadlinePolicy } from '../../rules/deadline-checks';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';

const policy = { version: 3, document: loadDefaultDeadlinePolicy() };
const noHolidays = new Set<string>();

describe('durations', () => {
  it('reads ISO-8601 elapsed durations, down to seconds', () => {
    expect(durationMs('PT12H')).toBe(12 * 3600_000);
    expect(durationMs('P14D')).toBe(14 * 86_400_000);
    expect(durationMs('P1W2DT3H4M5S')).toBe(((9 * 24 + 3) * 60 * 60 + 4 * 60 + 5) * 1000);
    expect(durationMs('PT5S')).toBe(5000);
  });
});

describe('working days, in Vietnam time', () => {
  it('skips the weekend: Friday 10:00 + 1 working day is Monday 10:00', () => {
    const friday = new Date('2026-11-20T03:00:00Z'); // 10:00 in Hà Nội
    expect(addWorkingDays(friday, 1, noHolidays).toISOString()).toBe('2026-11-23T03:00:00.000Z');
  });

  it('counts the day in UTC+7: late Friday UTC is already Saturday in Vietnam', () => {
    const saturdayMorningInVietnam = new Date('2026-11-20T23:30:00Z'); // Saturday 06:30 in Hà Nội
    // Monday 06:30 in Hà Nội is Sunday 23:30 UTC; counted in UTC it would be Monday 23:30.
    expect(addWorkingDays(saturdayMorningInVietnam, 1, noHolidays).toISOString()).toBe('2026-11-22T23:30:00.000Z');
  });

  it('skips the policy’s holidays: 5 working days over Tết 2026', () => {
    const before = new Date('2026-02-13T02:00:00Z'); // Friday before Tết
    const holidays = new Set(policy.document.holidays);
    // Mon 16 – Fri 20 February are holidays: the five days are 23–27 February.
    expect(addWorkingDays(before, 5, holidays).toISOString()).toBe('2026-02-27T02:00:00.000Z');
  });
});

describe('planning a deadline', () => {
  const from = new Date('2026-11-23T01:00:00Z');
  it('gives a child 12 hours and an adult 24 for the emergency response, with the supervisor and managers after', () => {
    const child = planDeadline(policy, { step: 'emergency_response', path: 'emergency', level: 'high', child: true }, from, 'emergency_response:1');
    expect(child).toEqual({
      key: 'emergency_response:1',
      step: 'emergency_response',
      startedAt: '2026-11-23T01:00:00.000Z',
      dueAt: '2026-11-23T13:00:00.000Z',
      supervisorAt: '2026-11-23T14:00:00.000Z',
      managerAt: '2026-11-23T16:00:00.000Z',
      policyVersion: 3,
    });
    const adult = planDeadline(policy, { step: 'emergency_response', path: 'emergency', level: 'high', child: false }, from, 'k');
    expect(adult.dueAt).toBe('2026-11-24T01:00:00.000Z');
  });

  it('sets the review rhythm by risk level', () => {
    const days = (level: 'critical' | 'high' | 'medium' | 'low') =>
      (Date.parse(planDeadline(policy, { step: 'review', path: 'standard', level, child: false }, from, 'k').dueAt) - from.getTime()) / 86_400_000;
    expect([days('critical'), days('high'), days('medium'), days('low')]).toEqual([7, 14, 30, 90]);
  });

  it('gives plan drafting 5 working days (Decree 56/2017)', () => {
    const monday = planDeadline(policy, { step: 'planning', path: 'standard', level: 'low', child: false }, from, 'k');
    expect(monday.dueAt).toBe('2026-11-30T01:00:00.000Z');
  });
});

describe('validating a deadline policy', () => {
  const base = () => structuredClone(policy.document);
  it('accepts the shipped policy', () => {
    expect(validateDeadlinePolicy(base())).toMatchObject({ ok: true });
  });

  it('refuses a child emergency response longer than 12 hours, a missing fallback, managers before the supervisor, a bad duration', () => {
    const doc = base() as any;
    doc.rules[0].due = 'PT13H';
    doc.rules = doc.rules.filter((r: { step: string }) => r.step !== 'closure_approval');
    doc.rules[4].managerGrace = { workingDays: 1 };
    doc.rules[4].supervisorGrace = { workingDays: 2 };
    const result = validateDeadlinePolicy(doc);
    expect(result.ok).toBe(false);
    const messages = (result as { errors: Array<{ path: string; message: string }> }).errors.map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\[0\]\.due: .*12 hours/),
        expect.stringMatching(/^rules: no rule for "closure_approval"/),
        expect.stringMatching(/^rules\[4\]\.managerGrace: managers are called before the supervisor/),
      ]),
    );
    const bad = base() as any;
    bad.rules[2].due = '3 days';
    expect(validateDeadlinePolicy(bad)).toMatchObject({ ok: false, errors: [expect.objectContaining({ path: expect.stringMatching(/^rules\[2\]\.due/) })] });
  });

  it('refuses a duration past a year, which no calendar arithmetic should be asked to carry (issue 11)', () => {
    for (const due of ['P367D', 'PT999999999S', 'P99999999999999999999W']) {
      const far = base() as any;
      far.rules[2].due = due;
      expect(validateDeadlinePolicy(far), due).toMatchObject({
        ok: false,
        errors: [expect.objectContaining({ path: expect.stringMatching(/^rules\[2\]\.due/) })],
      });
    }
    const year = base() as any;
    year.rules[2].due = 'P52W';
    expect(validateDeadlinePolicy(year).ok).toBe(true);
  });
});

describe('P1: a temporary separation’s legal limit (issue 28)', () => {
  const base = () => structuredClone(policy.document) as any;
  const limitRule = (doc: any) => doc.rules.findIndex((r: { step: string }) => r.step === 'separation_limit');

  it('ships 15 days, told 2 days before, supervisor and managers at the limit', () => {
    const start = new Date('2026-12-07T02:00:00Z');
    const d = planDeadline(policy, { step: 'separation_limit', path: 'emergency', level: 'critical', child: true }, start, 'placement:1');
    expect(d).toMatchObject({
      dueAt: '2026-12-22T02:00:00.000Z',
      warningAt: '2026-12-20T02:00:00.000Z',
      supervisorAt: '2026-12-22T02:00:00.000Z',
      managerAt: '2026-12-22T02:00:00.000Z',
    });
    // A step without a warning has none.
    expect(planDeadline(policy, { step: 'placement_visit', path: 'standard', level: 'low', child: true }, start, 'visit:1').warningAt).toBeUndefined();
  });

  it('refuses a limit past 15 days or in working days, and a warning that comes after the limit, naming the rule', () => {
    for (const due of ['P16D', 'P3W', { workingDays: 10 }]) {
      const doc = base();
      const i = limitRule(doc);
      doc.rules[i].due = due;
      const result = validateDeadlinePolicy(doc);
      expect(result, JSON.stringify(due)).toMatchObject({
        ok: false,
        errors: [expect.objectContaining({ path: `rules[${i}].due`, message: expect.stringContaining('15 days') })],
      });
    }
    const shorter = base();
    shorter.rules[limitRule(shorter)].due = 'P10D';
    expect(validateDeadlinePolicy(shorter).ok).toBe(true);
    const late = base();
    const i = limitRule(late);
    late.rules[i].warning = 'P15D';
    expect(validateDeadlinePolicy(late)).toMatchObject({ ok: false, errors: [expect.objectContaining({ path: `rules[${i}].warning` })] });
  });
});

describe('due windows and working days left, in Vietnam', () => {
  // Wednesday 2 December 2026, 22:00 in Vietnam (15:00 UTC).
  const wednesdayNight = new Date('2026-12-02T15:00:00Z');

  it('ends today at Vietnam’s midnight and the week at the midnight that begins Monday', () => {
    expect(dueWindow('overdue', wednesdayNight)).toEqual({ until: wednesdayNight });
    expect(dueWindow('today', wednesdayNight)).toEqual({ from: wednesdayNight, until: new Date('2026-12-02T17:00:00Z') });
    expect(dueWindow('week', wednesdayNight)).toEqual({ from: wednesdayNight, until: new Date('2026-12-06T17:00:00Z') });
    // On a Sunday the week ends that night; at 06:30 on Monday in Vietnam it is still Sunday in UTC.
    expect(dueWindow('week', new Date('2026-12-06T10:00:00Z')).until).toEqual(new Date('2026-12-06T17:00:00Z'));
    expect(dueWindow('week', new Date('2026-12-06T23:30:00Z')).until).toEqual(new Date('2026-12-13T17:00:00Z'));
  });

  it('counts the working days that end between two instants, skipping weekends and holidays', () => {
    const friday = new Date('2026-12-04T03:00:00Z');
    expect(workingDaysBetween(wednesdayNight, friday, new Set())).toBe(2);
    expect(workingDaysBetween(wednesdayNight, friday, new Set(['2026-12-03']))).toBe(1);
    // Friday to the next Tuesday: Monday and Tuesday.
    expect(workingDaysBetween(friday, new Date('2026-12-08T03:00:00Z'), new Set())).toBe(2);
    expect(workingDaysBetween(friday, friday, new Set())).toBe(0);
  });
});
