// A programme's schedule, kept by a Temporal Schedule (issue 29): `programme-<id>` starts
// scheduledSessionWorkflow at each occurrence (workflows/programme-session.ts). Weekly rhythms are
// calendars in Vietnam's time zone; `{ every }` is an interval. The schedule lives within the
// programme's days and goes when the programme closes or loses its rhythm. Applied by the API
// after each change and, when Temporal could not be told then, by the worker's sweep
// (system/programme-schedules.ts): applying is idempotent.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleSpec } from '@temporalio/client';
import type { ScheduledProgramme } from '../db/programme-occurrences';
import { durationMs } from '../domain/deadlines';
import { PROGRAMME_TIME_ZONE, type ProgrammeScheduleSpec } from '../domain/programmes';
import { DAY_MS, dayStartInVietnam } from '../domain/vietnam-time';
import { scheduledSessionWorkflow } from '../workflows/programme-session';

export const programmeScheduleId = (programmeId: string) => `programme-${programmeId}`;

type DayOfWeek = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';

export function scheduleSpec(schedule: ProgrammeScheduleSpec, startsOn: string, endsOn: string | null): ScheduleSpec {
  const days = { startAt: dayStartInVietnam(startsOn), ...(endsOn ? { endAt: new Date(dayStartInVietnam(endsOn).getTime() + DAY_MS - 1) } : {}) };
  if ('every' in schedule) return { intervals: [{ every: durationMs(schedule.every) }], ...days };
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  return { calendars: [{ dayOfWeek: schedule.weekday.toUpperCase() as DayOfWeek, hour, minute }], timezone: PROGRAMME_TIME_ZONE, ...days };
}

/** Makes the Temporal Schedule what the programme says: created, changed, or taken down. */
export async function keepProgrammeSchedule(client: Client, taskQueue: string, p: ScheduledProgramme): Promise<'kept' | 'removed'> {
  const handle = client.schedule.getHandle(programmeScheduleId(p.id));
  if (!p.schedule || p.closed) {
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return 'removed';
  }
  const wanted = {
    spec: scheduleSpec(p.schedule, p.startsOn, p.endsOn),
    action: {
      type: 'startWorkflow' as const,
      workflowType: scheduledSessionWorkflow,
      // The server adds the occurrence's time to it: one workflow per occurrence.
      workflowId: `programme-session-${p.id}`,
      taskQueue,
      args: [{ programmeId: p.id }] as [{ programmeId: string }],
    },
    policies: {
      // Each occurrence's ladder runs for days, longer than a week: next week's must not wait for it.
      overlap: 'ALLOW_ALL' as const,
      // A session missed while Temporal was down for a weekend is still owed on Monday.
      catchupWindow: '7 days',
    },
    state: { note: `${p.name} (revision ${p.revision})`, paused: false },
  };
  try {
    await handle.update(() => wanted);
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await client.schedule.create({ scheduleId: handle.scheduleId, ...wanted }).catch(async (created: unknown) => {
      // Created meanwhile by the sweep or another request: make it what we want.
      if (!(created instanceof ScheduleAlreadyRunning)) throw created;
      await handle.update(() => wanted);
    });
  }
  return 'kept';
}
