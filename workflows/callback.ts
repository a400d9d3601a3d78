// A promised callback's clock (issue 27): one small workflow per promise, `callback-<contact id>`,
// asleep until the time promised, then climbing the ladder (workflows/ladder.ts) — the operator,
// the unit supervisor, the managers — once per level, unless the call is recorded first.
import { defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import { climbLadder } from './ladder';

export interface CallbackInput {
  contactId: string;
  /** The ladder's times (ISO-8601), as the deadline policy's step `callback` set them. */
  dueAt: string;
  supervisorAt: string;
  managerAt: string;
}

/** Sent when the callback is recorded: the clock stops without waiting for its next step. */
export const callbackRecordedSignal = defineSignal('callbackRecorded');

const { callbackStep } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '10 seconds',
  // Nobody waits on it: it never gives up, and resumes soon after a dependency comes back.
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function callbackWorkflow(input: CallbackInput): Promise<'recorded' | 'escalated'> {
  let recorded = false;
  setHandler(callbackRecordedSignal, () => {
    recorded = true;
  });
  return await climbLadder(
    input,
    (level) => callbackStep({ contactId: input.contactId, level }),
    () => recorded,
  );
}
