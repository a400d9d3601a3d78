// One occurrence of a programme's schedule (issue 29): the Temporal Schedule `programme-<id>`
// (api/programme-schedule.ts) starts this small workflow at each occurrence. It writes the
// session to record and tells the facilitators, then climbs the policy's `session_record` ladder
// — the facilitators, the unit's supervisor, the managers — until a session is recorded.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import { climbLadder } from './ladder';

export interface ScheduledSessionInput {
  programmeId: string;
}

const { openScheduledSession, sessionRecordStep } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '10 seconds',
  // Nobody waits on it: it never gives up, and resumes soon after a dependency comes back.
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * The occurrence's time as the schedule meant it (the server's TemporalScheduledStartTime), not
 * when the run happened to start: a run caught up after an outage is still that Saturday's session.
 */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

function scheduledFor(): string {
  const info = workflowInfo();
  return (info.typedSearchAttributes.get(SCHEDULED_START) ?? info.runStartTime).toISOString();
}

export async function scheduledSessionWorkflow(input: ScheduledSessionInput): Promise<'closed' | 'recorded' | 'escalated'> {
  const at = scheduledFor();
  const ladder = await openScheduledSession({ programmeId: input.programmeId, scheduledFor: at });
  if (!ladder) return 'closed';
  return await climbLadder(ladder, (level) => sessionRecordStep({ programmeId: input.programmeId, scheduledFor: at, level }));
}
