// A case's plan and group work (issue 29): an intervention of the plan may be a place in a
// programme — `{ type: "group", programmeId, consent: { givenBy } }` — and an enrolment with a
// case shows in that case's plan.
//
// When the enrolment is made: when a manager approves the plan, not when it is submitted. A plan
// is a proposal until then: a place taken at submission would hold one of the club's seats, and
// show the person to its facilitators as a member (G1 would count their absences), for a plan the
// centre may still send back. So the refusals of the programme (full, closed, the person enrolled
// already) are checked when the plan is submitted, to say so early, and decided when it is
// approved: the approving manager hears them and sends the plan back. An intervention added during
// implementation needs no approval: its enrolment is made at once.
//
// The enrolment is written with the case event that makes it (db/plan-enrolments.ts), under the
// programme's row lock, in the event's transaction: a refusal keeps nothing of the action, as a
// carer's last place does for a placement (P3).
//
// Library-free: the workflow bundle imports it.
import type { Intervention } from './case';
import type { ErrorCode } from './errors';
import { OPEN_INTERVENTION_STATUSES, type Bilingual } from './stages';

/** The type of an intervention that is a place in a programme. */
export const GROUP_INTERVENTION = 'group';
export const GROUP_WORK: Bilingual = { vi: 'Sinh hoạt nhóm', en: 'Group work' };

/** An enrolment a case event writes: its id (the workflow's), the intervention it is, the programme and the consent. */
export interface PlanEnrolment {
  id: string;
  interventionId: string;
  programmeId: string;
  consent: { givenBy: string };
}

/** Why the database refused an enrolment of a plan; each is an error code of the API. */
export const ENROLMENT_REFUSALS = ['programme_full', 'already_enrolled', 'programme_closed', 'unknown_reference'] as const satisfies readonly ErrorCode[];
export type EnrolmentRefusal = (typeof ENROLMENT_REFUSALS)[number];
/** The type of the activity failure by which the database refuses an enrolment: never retried, nothing of the action kept. */
export const ENROLMENT_REFUSED_FAILURE = 'enrolment_refused';
/** What that failure carries, for the API to name the field. */
export interface EnrolmentRefusalDetail {
  code: EnrolmentRefusal;
  interventionId: string;
  programmeId: string;
}

/** The interventions whose enrolment is still to be made: open, with a programme, not enrolled yet. */
export const awaitingEnrolment = (interventions: readonly Intervention[]) =>
  interventions.filter((i) => i.programmeId !== undefined && i.enrolmentId === undefined && OPEN_INTERVENTION_STATUSES.includes(i.status));
