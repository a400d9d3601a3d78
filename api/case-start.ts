// How the API starts a case: the case workflow started (or found running) and its routing awaited
// in one round trip. One place for POST /cases and for a contact that becomes a case (issue 27).
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Principal } from '../domain/access';
import type { CaseIntake } from '../domain/intake';
import { caseWorkflow, routedUpdate } from '../workflows/case';
import type { ApiDeps } from './context';
import { ApiError } from './errors';

/** Starts the case workflow (or finds it running) and waits for its routing; answers the case's id. */
export async function startCase(deps: ApiDeps, caseId: string, intake: CaseIntake, p: Principal): Promise<string> {
  const start = new WithStartWorkflowOperation(caseWorkflow, {
    workflowId: caseId,
    taskQueue: deps.taskQueue,
    args: [{ caseId, province: p.province, reportedBy: p.id, reportedByName: p.name, intake, receivedAt: new Date().toISOString() }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
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
