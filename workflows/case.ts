// The case workflow: one per case, workflowId = case id. It scores the intake, records the case
// and its routing, and holds the case in the first stage of its path.
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { RiskDecision } from '../domain/case';
import type { Intake } from '../domain/intake';
import { firstStage, type Stage } from '../domain/stages';

const { scoreRisk, recordIntake } = proxyActivities<CaseActivities>({
  // Both are quick database or CPU work; a short timeout lets a crashed worker's attempt be
  // retried elsewhere within seconds, not minutes.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface CaseInput {
  caseId: string;
  /** The tenant the case belongs to: the reporter's province. */
  province: string;
  /** The staff member or integration token that reported it. */
  reportedBy: string;
  intake: Intake;
  /** When the centre received the report (ISO-8601), as recorded by the API. */
  receivedAt: string;
}

export interface CaseState {
  caseId: string;
  stage: Stage | 'intake';
  risk?: RiskDecision;
}

export interface Routed {
  stage: Stage;
  risk: RiskDecision;
}

/** Completes once the case is routed and recorded: the create call waits on it with update-with-start. */
export const routedUpdate = defineUpdate<Routed>('routed');
export const stateQuery = defineQuery<CaseState>('state');

export async function caseWorkflow(input: CaseInput): Promise<void> {
  let stage: Stage | 'intake' = 'intake';
  let risk: RiskDecision | undefined;

  setHandler(stateQuery, () => ({ caseId: input.caseId, stage, risk }));
  setHandler(routedUpdate, async () => {
    await condition(() => risk !== undefined);
    return { stage: stage as Stage, risk: risk as RiskDecision };
  });

  const scored = await scoreRisk({ province: input.province, intake: input.intake, receivedAt: input.receivedAt });
  const routedStage = firstStage(scored.decision.path);
  await recordIntake({
    caseId: input.caseId,
    province: input.province,
    reportedBy: input.reportedBy,
    restricted: scored.restricted,
    intake: input.intake,
    receivedAt: input.receivedAt,
    stage: routedStage,
    decision: scored.decision,
    facts: scored.facts,
  });
  stage = routedStage;
  risk = scored.decision;

  // The stages after the first come with the case lifecycle; until then the case waits here.
  await condition(() => false);
}
