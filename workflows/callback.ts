// A promised callback's clock (issue 27): one small workflow per promise, `callback-<contact id>`,
// asleep until the time promised, then climbing the ladder — the operator, the unit supervisor,
// the managers — once per level, unless the call is recorded first. Not the case workflow's
// ladder: a contact is not a case and has no stages, actions or continue-as-new to share; its
// history is bounded by construction (three timers, three activities). The database decides:
// recording the callback there stops every later step even if the signal never arrives.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';

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
  const ladder = [
    ['reminder', input.dueAt],
    ['supervisor', input.supervisorAt],
    ['manager', input.managerAt],
  ] as const;
  for (const [level, at] of ladder) {
    if (await condition(() => recorded, Math.max(1, Date.parse(at) - Date.now()))) return 'recorded';
    if (!(await callbackStep({ contactId: input.contactId, level }))) return 'recorded';
  }
  return 'escalated';
}
