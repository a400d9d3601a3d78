// The ladder of something owed that is not a case — a promised callback, a scheduled session to
// record: asleep until each step's time, then that step (an activity that writes its notices once
// and answers whether the thing is still owed), unless it is done first. Not the case workflow's
// ladder: these have no stages, actions or continue-as-new to share; their history is bounded
// by construction (three timers, three activities). The database decides: recording it there
// stops every later step even if no signal arrives.
import { condition } from '@temporalio/workflow';

export type LadderLevel = 'reminder' | 'supervisor' | 'manager';

export interface LadderTimes {
  /** ISO-8601 instants, as the deadline policy set them. */
  dueAt: string;
  supervisorAt: string;
  managerAt: string;
}

export async function climbLadder(
  times: LadderTimes,
  step: (level: LadderLevel) => Promise<boolean>,
  done: () => boolean = () => false,
): Promise<'recorded' | 'escalated'> {
  const ladder = [
    ['reminder', times.dueAt],
    ['supervisor', times.supervisorAt],
    ['manager', times.managerAt],
  ] as const;
  for (const [level, at] of ladder) {
    if (await condition(done, Math.max(1, Date.parse(at) - Date.now()))) return 'recorded';
    if (!(await step(level))) return 'recorded';
  }
  return 'escalated';
}
