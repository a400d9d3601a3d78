// Issue 29's safety net: a programme change whose schedule the API could not pass on to Temporal
// (Temporal down, the API killed between the commit and the call) is passed on by this sweep, in
// the worker process, a little later. Applying is idempotent and ordered by the programme's row
// lock (db/programme-occurrences.ts), so the API and the sweep may both do it.
import { keepProgrammeSchedule } from '../api/programme-schedule';
import { applyingSchedule, schedulesBehind } from '../db/programme-occurrences';
import { startSweep, type Sweep, type SweepOptions } from './sweep';

/** `graceMs` defaults to 10 s. */
export function startProgrammeScheduleSweep(o: SweepOptions): Sweep {
  const say = o.say ?? ((line: string) => console.warn(`[programmes] ${line}`));
  return startSweep(
    o.sweepMs ?? 10_000,
    async () => {
      for (const id of await schedulesBehind(o.sql, new Date(Date.now() - (o.graceMs ?? 10_000)), 50)) {
        await applyingSchedule(o.sql, id, async (p) =>
          say(`the schedule of programme "${p.name}" is ${await keepProgrammeSchedule(o.client, o.taskQueue, p)} now`),
        );
      }
    },
    (err) => say(`cannot keep programme schedules yet: ${err.message}`),
  );
}
