// Shared steps of the workflow and end-to-end tests: real activities, real workers, real servers.
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../activities';
import type { Sql } from '../../db/connect';
import type { Intake } from '../../domain/intake';
import { defaultRulesetSource } from '../../rules/ruleset-source';
import { caseWorkflow, routedUpdate } from '../../workflows/case';

export function uniqueQueue(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}`;
}

export async function caseWorker(connection: NativeConnection, sql: Sql, taskQueue: string): Promise<Worker> {
  return await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ sql, rulesets: defaultRulesetSource(), clock: () => new Date() }),
  });
}

/** What the API does on POST /cases: start the case (or find it running) and wait for its routing. */
export async function routeCase(client: Client, taskQueue: string, caseId: string, intake: Intake) {
  return await client.workflow.executeUpdateWithStart(routedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: caseId,
      taskQueue,
      args: [{ caseId, intake, receivedAt: new Date().toISOString() }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

export async function routingRows(sql: Sql, caseId: string) {
  return await sql<{ seq: number; path: string; level: string; ruleset_version: number }[]>`
    select seq, path, level, ruleset_version from routing_decisions where case_id = ${caseId}`;
}

export async function caseRowCount(sql: Sql, caseId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from cases where id = ${caseId}`;
  return row?.n ?? 0;
}
