// Activities that keep failing, recorded by the activities themselves (activities/failures.ts)
// and listed for administrators and managers at GET /stuck.
import type { Principal } from '../domain/access';
import { isUuid } from '../domain/ids';
import type { Sql } from './connect';
import { visibleTo } from './scope';

export interface StuckAttempt {
  workflowId: string;
  activityId: string;
  activity: string;
  attempts: number;
  lastError: string;
}

/** Notes the latest failed attempt; `since` stays the time of the first one recorded. */
export async function recordStuck(sql: Sql, a: StuckAttempt): Promise<void> {
  const caseId = isUuid(a.workflowId) ? a.workflowId : null;
  await sql`
    insert into stuck_activities (workflow_id, activity_id, case_id, activity, attempts, last_error)
    values (${a.workflowId}, ${a.activityId}, ${caseId}, ${a.activity}, ${a.attempts}, ${a.lastError.slice(0, 1000)})
    on conflict (workflow_id, activity_id) do update
      set attempts = excluded.attempts, last_error = excluded.last_error, updated_at = now()`;
}

/** The activity succeeded at last: it no longer waits on anyone. */
export async function clearStuck(sql: Sql, workflowId: string, activityId: string): Promise<void> {
  await sql`delete from stuck_activities where workflow_id = ${workflowId} and activity_id = ${activityId}`;
}

export interface StuckRow {
  caseId: string | null;
  activity: string;
  attempts: number;
  lastError: string;
  since: string;
  updatedAt: string;
}

/** What keeps failing on the cases the viewer may see, longest first. */
export async function listStuck(sql: Sql, viewer: Principal, limit: number): Promise<StuckRow[]> {
  const rows = await sql<{ case_id: string | null; activity: string; attempts: number; last_error: string; since: Date; updated_at: Date }[]>`
    select s.case_id, s.activity, s.attempts, s.last_error, s.since, s.updated_at
    from stuck_activities s join cases c on c.id = s.case_id
    where ${visibleTo(sql, viewer)}
    order by s.since, s.workflow_id, s.activity_id
    limit ${limit}`;
  return rows.map((r) => ({
    caseId: r.case_id,
    activity: r.activity,
    attempts: r.attempts,
    lastError: r.last_error,
    since: r.since.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}
