// Group work in a case's plan at the API (issue 29, domain/plan-enrolments.ts). Before the
// workflow is asked, each programme a plan or a new intervention names is checked for the case's
// person, so a clear answer names the field: another province's (or none) 409 unknown_reference,
// closed 409 programme_closed, full 409 programme_full, the person in it already 409
// already_enrolled. These only say it early: the enrolment's own write (db/plan-enrolments.ts)
// decides under the programme's lock, and its refusal comes back here naming the same field.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { Context } from 'hono';
import { programmeStanding } from '../db/plan-enrolments';
import type { ActionInput } from '../domain/action-bodies';
import { ACTIONS, type ActionName } from '../domain/actions';
import type { Case } from '../domain/case';
import { ERRORS } from '../domain/errors';
import { awaitingEnrolment, ENROLMENT_REFUSED_FAILURE, type EnrolmentRefusal, type EnrolmentRefusalDetail } from '../domain/plan-enrolments';
import { OPEN_INTERVENTION_STATUSES, type Bilingual } from '../domain/stages';
import type { ApiDeps, AppEnv } from './context';
import { ApiError } from './errors';

const UNKNOWN: Bilingual = { vi: 'không có chương trình này trong tỉnh của bạn', en: 'no programme with this id in your province' };
const NO_CLIENT: Bilingual = { vi: 'trường hợp chưa gắn với hồ sơ người được trợ giúp', en: 'the case has no client record to enrol' };

const refusal = (code: EnrolmentRefusal, path: string, message: Bilingual) => new ApiError(code, [{ path, message }], message);

/** Words for a refusal, with the programme's name when it is known. */
function wordsOf(code: EnrolmentRefusal, name?: string): Bilingual {
  if (code === 'unknown_reference') return UNKNOWN;
  if (!name) return ERRORS[code].message;
  if (code === 'programme_closed') return { vi: `"${name}" đã kết thúc`, en: `"${name}" is closed` };
  if (code === 'programme_full') return { vi: `"${name}" đã đủ người`, en: `"${name}" is full` };
  return { vi: `người được trợ giúp đã tham gia "${name}"`, en: `the person is already enrolled in "${name}"` };
}

/** The programmes the case's open interventions hold or await: a second place in one is refused. */
const heldBy = (subject: Case, keep: (id: string) => boolean) =>
  new Set(
    subject.interventions.filter((i) => i.programmeId !== undefined && OPEN_INTERVENTION_STATUSES.includes(i.status) && keep(i.id)).map((i) => i.programmeId!),
  );

export function planEnrolmentChecks(deps: ApiDeps) {
  /** One programme for the case's person, refused naming `path` when it cannot take them now. */
  async function placeFor(c: Context<AppEnv>, subject: Case, programmeId: string, path: string, held: Set<string>) {
    const standing = await programmeStanding(deps.sql, programmeId, c.get('principal').province, subject.clientId);
    if (!standing) throw refusal('unknown_reference', path, UNKNOWN);
    if (!subject.clientId) throw refusal('unknown_reference', path, NO_CLIENT);
    if (standing.closed) throw refusal('programme_closed', path, wordsOf('programme_closed', standing.name));
    if (standing.enrolled || held.has(programmeId)) throw refusal('already_enrolled', path, wordsOf('already_enrolled', standing.name));
    if (standing.full) throw refusal('programme_full', path, wordsOf('programme_full', standing.name));
    held.add(programmeId);
  }

  /** Only where the action's stage is the case's: elsewhere the workflow answers out_of_stage, as for any action. */
  const inStage = (name: ActionName, subject: Case) => (ACTIONS[name].stages as readonly string[]).includes(subject.stage);

  return {
    // The new interventions' programmes, as at approval they will be enrolled; kept ones keep theirs (the workflow checks).
    async plan(c: Context<AppEnv>, subject: Case, input: ActionInput<'plan'>) {
      if (!inStage('plan', subject)) return;
      const kept = new Set(input.interventions.map((i) => i.id));
      const held = heldBy(subject, (id) => kept.has(id));
      for (const [n, item] of input.interventions.entries()) {
        if (item.id === undefined && item.programmeId !== undefined) await placeFor(c, subject, item.programmeId, `interventions[${n}].programmeId`, held);
      }
    },
    // Approval makes the enrolments: each is named by its place among the case's interventions.
    async planDecision(c: Context<AppEnv>, subject: Case, input: ActionInput<'planDecision'>) {
      if (!inStage('planDecision', subject) || input.decision !== 'approve' || subject.plan?.submittedBy === c.get('principal').id) return;
      const held = new Set<string>();
      for (const i of awaitingEnrolment(subject.interventions)) {
        await placeFor(c, subject, i.programmeId!, `interventions[${subject.interventions.indexOf(i)}].programmeId`, held);
      }
    },
    async addIntervention(c: Context<AppEnv>, subject: Case, input: ActionInput<'addIntervention'>) {
      if (!inStage('addIntervention', subject) || input.programmeId === undefined) return;
      await placeFor(
        c,
        subject,
        input.programmeId,
        'programmeId',
        heldBy(subject, () => true),
      );
    },
  };
}

/** The enrolment's write refused the action (the programme filled up, closed, or took the person since the check): the field, named. */
export function enrolmentRefusalOf(err: unknown, name: ActionName, before: Case): ApiError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError && err.cause instanceof ActivityFailure && err.cause.cause instanceof ApplicationFailure)) return undefined;
  if (err.cause.cause.type !== ENROLMENT_REFUSED_FAILURE) return undefined;
  const detail = err.cause.cause.details?.[0] as EnrolmentRefusalDetail | undefined;
  const at = before.interventions.findIndex((i) => i.id === detail?.interventionId);
  const path = name === 'addIntervention' ? 'programmeId' : at >= 0 ? `interventions[${at}].programmeId` : 'interventions';
  if (!detail) return new ApiError('conflict', [{ path, message: { vi: 'không ghi được lượt tham gia chương trình', en: err.cause.cause.message } }]);
  return refusal(detail.code, path, wordsOf(detail.code));
}
