// The case workflow's messages: staff actions (updates, each with a validator), the create
// call's update and the state query. The API imports these very objects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Role } from '../domain/access';
import type { RiskDecision } from '../domain/case';
import type { Deadline } from '../domain/deadlines';
import type { Concerns } from '../domain/intake';
import type { Stage } from '../domain/stages';

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

export interface Intervention {
  id: string;
  type: string;
  description: string;
  status: 'planned' | 'in_progress' | 'done' | 'cancelled';
  outcome?: string;
}

export interface Routed {
  stage: Stage;
  risk: RiskDecision;
}

/** What the workflow knows of its case; carried over when it continues as new. */
export interface CaseState {
  stage: Stage | 'intake';
  risk?: RiskDecision;
  child: boolean;
  unitId: string | null;
  assigneeId: string | null;
  plan?: { goals: string[]; submittedBy: string; rejection?: string };
  interventions: Intervention[];
  closure?: { reason: string; outcome: string; requestedBy: string };
  deadline?: Deadline;
  /** Ladder steps already taken, by `${deadline.key}:${level}`. */
  fired: string[];
  reviews: number;
  /** Counters that make event and deadline keys unique and stable across retries. */
  eventSeq: number;
  deadlineSeq: number;
  routingSeq: number;
  interventionSeq: number;
}

export const routedUpdate = defineUpdate<Routed>('routed');
export const stateQuery = defineQuery<CaseState & { caseId: string }>('state');

export interface StageReply {
  stage: Stage;
}

export const safetyConfirmedUpdate = defineUpdate<StageReply, [Actor, { actions: string[] }]>('safetyConfirmed');
export const assessmentUpdate = defineUpdate<StageReply, [Actor, { summary: string; needs: string[] }]>('assessment');
export const planUpdate = defineUpdate<StageReply, [Actor, { goals: string[]; interventions: Array<{ type: string; description: string }> }]>('plan');
export const planDecisionUpdate = defineUpdate<StageReply, [Actor, { decision: 'approve' | 'reject'; comment: string }]>('planDecision');
export const addInterventionUpdate = defineUpdate<StageReply & { interventionId: string }, [Actor, { type: string; description: string }]>('addIntervention');
export const updateInterventionUpdate = defineUpdate<StageReply, [Actor, { interventionId: string; status?: Intervention['status']; outcome?: string }]>('updateIntervention');
export const reviewUpdate = defineUpdate<StageReply, [Actor, { summary: string; progress: 'on_track' | 'at_risk' | 'off_track'; concerns?: Concerns }]>('review');
export const closureUpdate = defineUpdate<StageReply, [Actor, { reason: string; outcome: string }]>('closure');
export const closureDecisionUpdate = defineUpdate<StageReply, [Actor, { decision: 'approve' | 'reject'; comment: string }]>('closureDecision');
export const reopenUpdate = defineUpdate<StageReply, [Actor, { reason: string }]>('reopen');
export const mergeUpdate = defineUpdate<StageReply, [Actor, { intoCaseId: string }]>('merge');
export const assignUpdate = defineUpdate<StageReply, [Actor, { workerId: string; workerName: string }]>('assign');

/** The ApplicationFailure types a refused action carries; the API maps them to 409, 403, 422. */
export const REFUSALS = { outOfStage: 'OutOfStage', forbidden: 'Forbidden', ownApproval: 'OwnApproval', invalid: 'Invalid' } as const;
