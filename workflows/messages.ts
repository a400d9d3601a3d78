// The case workflow's messages: one Temporal update per staff action of the catalogue
// (domain/actions.ts), the create call's update and the state query. The API imports these very
// objects.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionInput } from '../domain/action-bodies';
import type { Role } from '../domain/access';
import { ACTION_NAMES, type ActionName, type ActionReply } from '../domain/actions';
import type { Intervention, PendingRisk, Plan, RiskDecision } from '../domain/case';
import type { Concerns } from '../domain/concerns';
import type { ClosureReason, GoalsMet } from '../domain/closure';
import type { Deadline } from '../domain/deadlines';
import type { PlacementRecord } from '../domain/placements';
import type { PartnerAction, ReferralRecord, ReferralStatus } from '../domain/referrals';
import type { RoutingFacts } from '../domain/routing-facts';
import type { Stage } from '../domain/stages';

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** The pending lower risk as the workflow keeps it: with the facts it was scored on, stored when confirmed. */
export type HeldRisk = PendingRisk & { facts: RoutingFacts };

/** What a merged report hands the case it was merged into (I3). */
export interface MergeNote {
  fromCaseId: string;
  concerns: Concerns;
  /** The report was on the emergency path and its safety never confirmed. */
  emergencyUnconfirmed: boolean;
  by: { id: string; name: string };
}
export const mergeReceivedSignal = defineSignal<[MergeNote]>('mergeReceived');

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
  /** Absent in states carried over from before restriction became an action: the database knows. */
  restricted?: boolean;
  /** Concerns known to be true (I1); absent in states carried over from before issue 9: the intake's. */
  concerns?: Concerns;
  /** A re-score that would lower the risk, waiting for a supervisor's or manager's decision (I1). */
  pendingRisk?: HeldRisk;
  plan?: Plan;
  /** Earlier versions of the plan (I6); absent in states from before issue 10. */
  planVersions?: Plan[];
  interventions: Intervention[];
  /** Referrals to partner agencies, each with its own answer clock; absent in states from before issue 13. */
  referrals?: ReferralRecord[];
  /** Where the person has been placed, each with its clock (P1, P4); absent in states from before issue 28. */
  placements?: PlacementRecord[];
  closure?: { reasonCode?: ClosureReason; reason: string; goalsMet?: GoalsMet; outcome: string; requestedBy: string };
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

export type { ImportedStart } from '../domain/admission';

/** A partner's answer through its link: the partner is known by the link, not by a staff session. */
export interface PartnerAnswer {
  referralId: string;
  action: PartnerAction;
  reason?: string;
  outcome?: string;
  partner: { id: string; name: string };
}
/** `changed: false` when the answer repeats the referral's last one: nothing happens twice. */
export const partnerAnswerUpdate = defineUpdate<{ status: ReferralStatus; changed: boolean }, [PartnerAnswer]>('partnerAnswer');
export const stateQuery = defineQuery<CaseState & { caseId: string }>('state');

export type ActionUpdate<K extends ActionName> = UpdateDefinition<ActionReply, [Actor, ActionInput<K>], K>;

const updates = new Map(ACTION_NAMES.map((name) => [name, defineUpdate<ActionReply, [Actor, unknown], ActionName>(name)]));

/** The update of a staff action, named as the action. */
export function actionUpdate<K extends ActionName>(name: K): ActionUpdate<K> {
  // Built from the catalogue's names above; TypeScript cannot follow a name to its own type.
  return updates.get(name) as unknown as ActionUpdate<K>;
}
