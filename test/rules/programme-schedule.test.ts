// A programme's next session (issue 29), as its page says it: the same arithmetic as the Temporal
// Schedule (the e2e test compares the two on the dev server), within the programme's days.
import { describe, expect, it } from 'vitest';
import { NewProgrammeSchema, nextOccurrence } from '../../domain/programmes';

const club = { startsOn: '2026-01-01', endsOn: null, closedAt: null };

describe('the next session of a programme', () => {
  it('is the coming weekday at its time in Vietnam, today when the time is still ahead', () => {
    // Saturday 2026-12-05, 07:00 in Vietnam (00:00 UTC).
    const saturdayMorning = new Date('2026-12-05T00:00:00Z');
    expect(nextOccurrence({ ...club, schedule: { weekday: 'saturday', time: '08:00' } }, saturdayMorning)?.toISOString()).toBe('2026-12-05T01:00:00.000Z');
    // Just after: next Saturday.
    expect(nextOccurrence({ ...club, schedule: { weekday: 'saturday', time: '08:00' } }, new Date('2026-12-05T01:00:00Z'))?.toISOString()).toBe(
      '2026-12-12T01:00:00.000Z',
    );
    // Monday 05:00 in Vietnam is Sunday 22:00 UTC.
    expect(nextOccurrence({ ...club, schedule: { weekday: 'monday', time: '05:00' } }, saturdayMorning)?.toISOString()).toBe('2026-12-06T22:00:00.000Z');
    // Late on Saturday in UTC is already Sunday in Vietnam.
    expect(nextOccurrence({ ...club, schedule: { weekday: 'sunday', time: '06:30' } }, new Date('2026-12-05T20:00:00Z'))?.toISOString()).toBe(
      '2026-12-05T23:30:00.000Z',
    );
  });

  it('waits for the first day, stops after the last and when closed; none without a rhythm', () => {
    const now = new Date('2026-12-05T00:00:00Z');
    const weekly = { weekday: 'saturday', time: '08:00' } as const;
    expect(nextOccurrence({ ...club, startsOn: '2027-01-01', schedule: weekly }, now)?.toISOString()).toBe('2027-01-02T01:00:00.000Z');
    expect(nextOccurrence({ ...club, endsOn: '2026-12-05', schedule: weekly }, now)?.toISOString()).toBe('2026-12-05T01:00:00.000Z');
    expect(nextOccurrence({ ...club, endsOn: '2026-12-04', schedule: weekly }, now)).toBeUndefined();
    expect(nextOccurrence({ ...club, closedAt: '2026-12-01T00:00:00Z', schedule: weekly }, now)).toBeUndefined();
    expect(nextOccurrence({ ...club, schedule: null }, now)).toBeUndefined();
  });

  it('counts an interval from 1970 as Temporal does', () => {
    expect(nextOccurrence({ ...club, schedule: { every: 'P7D' } }, new Date('2026-12-05T00:00:00Z'))?.toISOString()).toBe('2026-12-10T00:00:00.000Z');
    expect(new Date('2026-12-10T00:00:00Z').getUTCDay()).toBe(4); // a Thursday, 07:00 in Vietnam
  });

  it('refuses an interval shorter than two seconds or longer than a year, naming the field', () => {
    const base = {
      name: 'x',
      kind: 'club',
      unitId: '00000000-0000-4000-8000-000000000000',
      facilitators: ['00000000-0000-4000-8000-000000000001'],
      startsOn: '2026-01-01',
    };
    for (const every of ['PT1S', 'P400D', 'PT', 'weekly']) {
      const parsed = NewProgrammeSchema.safeParse({ ...base, schedule: { every } });
      expect(parsed.success, every).toBe(false);
      expect(parsed.error!.issues[0]!.path.slice(0, 1)).toEqual(['schedule']);
    }
    expect(NewProgrammeSchema.safeParse({ ...base, schedule: { every: 'P14D' } }).success).toBe(true);
  });
});
