// How a case starts: the case workflow started (or found running) with the intake as received.
// One place for POST /cases, for a contact that becomes a case (issue 27), and for the sweep that
// starts a contact's case whose start was cut short (system/contact-cases.ts).
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Principal } from '../domain/access';
import type { CaseIntake } from '../domain/intake';
import { caseWorkflow, routedUpdate } from '../workflows/case';
import type { ApiDeps } from './context';
import { ApiError } from './errors';

/** The case workflow's start: its id is the case's, so starting it twice starts it once. */
export function caseStartOptions(
  taskQueue: string,
  caseId: string,
  intake: CaseIntake,
  reporter: Pick<Principal, 'id' | 'name' | 'province'>,
  receivedAt = new Date().toISOString(),
) {
  return {
    workflowId: caseId,
    taskQueue,
    args: [{ caseId, province: reporter.province, reportedBy: reporter.id, reportedByName: reporter.name, intake, receivedAt }] as [
      Parameters<typeof caseWorkflow>[0],
    ],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
  };
}

/** Starts the case workflow (or finds it running) and waits for its routing, in one round trip; answers the case's id. */
export async function startCase(
  deps: Pick<ApiDeps, 'temporal' | 'taskQueue' | 'routingTimeoutMs'>,
  caseId: string,
  intake: CaseIntake,
  p: Principal,
): Promise<string> {
  const start = new WithStartWorkflowOperation(caseWorkflow, caseStartOptions(deps.taskQueue, caseId, intake, p));
  try {
    await deps.temporal.withDeadline(Date.now() + deps.routingTimeoutMs, () =>
      deps.temporal.workflow.executeUpdateWithStart(routedUpdate, { startWorkflowOperation: start }),
    );
  } catch (err) {
    // The case is safe: its workflow routes it as soon as a worker runs. The caller retries
    // with the same Idempotency-Key and gets it.
    throw new ApiError('routing_delayed', [{ path: '(temporal)', message: err instanceof Error ? err.message : String(err) }]);
  }
  return caseId;
}

/** Starts the case workflow without waiting for its routing (nobody is waiting: a sweep). */
export async function startCaseQuietly(client: Client, ...args: Parameters<typeof caseStartOptions>): Promise<void> {
  await client.workflow.start(caseWorkflow, caseStartOptions(...args));
}
