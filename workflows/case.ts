// The case workflow: one per case, workflowId = case id, alive for the whole life of the case.
// It routes the intake, then guards every stage (staff actions are updates with validators),
// keeps one deadline at a time as a durable timer and climbs the escalation ladder by itself
// when the deadline passes: reminder → supervisor → managers. Each referral sent to a partner
// has a clock of its own on the same ladder (domain/referrals.ts: R1–R3); the referrals live in
// this workflow's state, so a partner's answer and a staff action never race on one case. So do
// the person's placements with carers (domain/placements.ts: P1–P4), each with its clock: a
// temporary separation's legal limit, or the rhythm of monitoring visits.
//
// I7 The workflow and the database agree: every change is computed on a draft of the state,
// recorded in PostgreSQL, and only then becomes the workflow's state, so a refused or failed
// record leaves both as they were. Changes (actions, merges received, ladder steps) run one at a
// time. The clinical rules of risk (I1, I2) are in reassess.ts; I3 is in the merge handlers.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import type { ActionInput } from '../domain/action-bodies';
import { ROLE_LABELS, type Role } from '../domain/access';
import { ACTION_NAMES, ACTIONS, type ActionName, type ActionReply } from '../domain/actions';
import type { Intervention, RiskDecision } from '../domain/case';
import type { Deadline } from '../domain/deadlines';
import { STEP_OF_STAGE } from '../domain/stage-deadlines';
import { caseSnapshot, shownPendingRisk } from '../domain/snapshot';
import { caseRecord, openingEvent, openingNotices, type IntakeStart } from '../domain/admission';
import { BAD_DATA_FAILURE, ERRORS, type RefusalCode } from '../domain/errors';
import { known, type ConcernKey, type Concerns } from '../domain/concerns';
import {
  AWAITING_ANSWER,
  REFERRAL_MOVES,
  REFERRAL_STATUS_LABELS,
  referralMayMove,
  TERMINAL_REFERRAL_STATUSES,
  type ReferralMove,
  type ReferralRecord,
} from '../domain/referrals';
import {
  clockOf,
  CURRENT_PLACEMENT_STATUSES,
  dueInstead,
  PLACEMENT_STATUS_LABELS,
  visitClockFrom,
  type PlacementKind,
  type PlacementRecord,
} from '../domain/placements';
import { awaitingEnrolment, GROUP_INTERVENTION, type PlanEnrolment } from '../domain/plan-enrolments';
import { vietnamDay } from '../domain/vietnam-time';
import { REPORTING_COLLABORATOR, UNIT_SUPERVISOR, UNIT_SUPERVISOR_OF, type NoticeDraft } from '../domain/notices';
import { firstStage, interventionMayMove, OPEN_INTERVENTION_STATUSES, STAGE_LABELS, type Bilingual, type Stage } from '../domain/stages';
import {
  actionUpdate,
  mergeReceivedSignal,
  partnerAnswerUpdate,
  routedUpdate,
  stateQuery,
  type Actor,
  type CaseState,
  type ImportedStart,
  type MergeNote,
  type PartnerAnswer,
} from './messages';
import { reassess, type Applied, type Reassessment } from './reassess';

export * from './messages';

const ACTIVITY_OPTIONS = {
  // Quick database or CPU work; a short timeout lets a crashed worker's attempt be retried
  // elsewhere within seconds, not minutes.
  startToCloseTimeout: '10 seconds',
  // Retried until they succeed, at least every 30 s, so work resumes soon after a dependency comes
  // back; from the fifth attempt on each is listed at GET /stuck (activities/failures.ts).
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
} as const;
/** The case's own work (routing, deadlines, the ladder): nobody waits on it, so it never gives up. */
const patient = proxyActivities<CaseActivities>(ACTIVITY_OPTIONS);
/**
 * A staff action's work: someone waits for the answer, so data the database refuses fails the
 * action at once, and the case stays as it was (the draft is dropped, the transaction undone).
 */
const answering = proxyActivities<CaseActivities>({ ...ACTIVITY_OPTIONS, retry: { ...ACTIVITY_OPTIONS.retry, nonRetryableErrorTypes: [BAD_DATA_FAILURE] } });
/**
 * The intake's admission and the ladder's steps, run by the worker inside the workflow task that
 * started the case or that a timer woke: no round trip to the server in between, so the reporter
 * hears back, and an escalation lands, as fast as the engine allows. As idempotent as ever: a
 * worker that dies midway leaves the task to another, which runs them again and finds the rows.
 */
const localWork = proxyLocalActivities<CaseActivities>(ACTIVITY_OPTIONS);

export interface CaseInput extends IntakeStart {
  /** Set when the workflow continues as new: everything it knew, so nothing is done again. */
  carried?: CaseState;
  /** A case brought in from a past register (issue 15): it starts in the register's stage with its recorded risk, not re-scored. */
  imported?: ImportedStart;
  /** History events after which a run continues as new (tests lower it). */
  historyLimit?: number;
}

// Long-lived cases start a fresh run well before Temporal's own limits.
const HISTORY_EVENTS_BEFORE_CONTINUE = 5_000;
const LADDER = ['reminder', 'supervisor', 'manager'] as const;
const LEADS: readonly Role[] = ['supervisor', 'manager'];

// Behaviour changes, so that recorded histories replay the branch they took (README: patched).
const PATCHES = {
  /** Issue 9: concerns accumulate, lower risks wait for a decision, new danger reopens emergency. */
  concernsAccumulate: 'concerns-accumulate',
  /** Issue 9: a merge hands the report's concerns and emergency to the case it joins. */
  mergeCarriesRisk: 'merge-carries-risk',
  /** Issue 9: ladder steps wait for the change in progress, so drafts never overwrite them. */
  ladderTakesTurns: 'ladder-takes-turns',
  /** Issue 10: a re-submitted plan keeps, adds and cancels interventions by name, and keeps its versions. */
  planKeepsInterventions: 'plan-keeps-interventions',
  /** Issue 10: an intervention's status moves forward only. */
  interventionMovesForward: 'intervention-moves-forward',
  /** Issue 10: no closure while interventions are open. */
  closureAfterInterventions: 'closure-after-interventions',
  /** Issue 19: the intake's activities run as local activities, in the workflow's first task. */
  localIntake: 'local-intake',
  /** Issue 19: one local activity admits the case (scores, stores, assigns, plans, records) in one transaction. */
  oneAdmission: 'one-admission',
  /** Issue 19: a ladder step's escalation runs as a local activity, in the task its timer woke. */
  ladderLocal: 'ladder-local',
};

/** A refused action: the API answers with the code's status and the message in the caller's language. */
function refuse(code: RefusalCode, message: Bilingual): never {
  throw ApplicationFailure.create({ type: code, message: message.en, details: [message], nonRetryable: true });
}

/** A staff action's own part: extra checks beyond role and stage, and what it does to a draft of the state. */
interface ActionHandler<K extends ActionName> {
  /** Who may send this input at all, beyond the catalogue's roles: checked with the role, before the stage. */
  permit?: (actor: Actor, input: ActionInput<K>) => void;
  /** The action's own rules; `since(patch)` says whether a rule added later applies (see register). */
  check?: (actor: Actor, input: ActionInput<K>, since: (patch: string) => boolean) => void;
  run: (next: CaseState, actor: Actor, input: ActionInput<K>) => Promise<ActionReply>;
}
type ActionHandlers = { [K in ActionName]: ActionHandler<K> };

export async function caseWorkflow(input: CaseInput): Promise<void> {
  let state: CaseState = input.carried ?? {
    stage: 'intake',
    child: false,
    unitId: null,
    assigneeId: null,
    interventions: [],
    fired: [],
    reviews: 0,
    eventSeq: 0,
    deadlineSeq: 0,
    routingSeq: 1,
    interventionSeq: 0,
  };
  // Bumped by every change, so the main loop wakes to re-arm its timer.
  let changes = 0;
  // The create call answers once the case, its routing and its first deadline are written.
  let recorded = input.carried !== undefined;
  const now = () => new Date(Date.now()).toISOString();
  /** What is known to endanger the person; states from before issue 9 know the intake's concerns. */
  const knownConcerns = (s: CaseState): Concerns => s.concerns ?? known(input.intake.concerns);

  // Changes run one at a time: each re-checks under this lock, so two actions that passed their
  // validators together cannot both apply.
  let lock: Promise<void> = Promise.resolve();
  // The activities of the change under way: a staff action's while one runs under the lock.
  let acts = patient;
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const previous = lock;
    let release!: () => void;
    lock = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** I7: a change works on a draft; the draft becomes the state once everything it did is recorded. */
  async function change<T>(fn: (next: CaseState) => Promise<T>): Promise<T> {
    const next = JSON.parse(JSON.stringify(state)) as CaseState;
    const result = await fn(next);
    state = next;
    changes += 1;
    return result;
  }

  /** Role first, then stage: who may never do this hears 403, whatever the case's stage. */
  function check(actor: Actor, name: ActionName, permit: () => void) {
    const { roles, stages } = ACTIONS[name] as { roles: readonly string[]; stages: readonly string[] };
    if (!roles.includes(actor.role)) {
      const who = ROLE_LABELS[actor.role];
      refuse('forbidden', { vi: `Vai trò ${who.vi} không được làm việc này`, en: `the ${who.en} role may not do this` });
    }
    permit();
    // An erasure racing this action won: the case is gone, not merely at another step.
    if (state.stage === 'erased') refuse('case_erased', ERRORS.case_erased.message);
    if (!stages.includes(state.stage)) {
      const label = (stage: string, lang: keyof Bilingual) => `"${STAGE_LABELS[stage as Stage]?.[lang] ?? stage}"`;
      refuse('out_of_stage', {
        vi: `Không thể làm khi trường hợp đang ở bước ${label(state.stage, 'vi')}; cần bước ${stages.map((s) => label(s, 'vi')).join(' hoặc ')}`,
        en: `not possible while the case is in ${state.stage}; it needs ${stages.join(' or ')}`,
      });
    }
  }

  /** The state as staff may read it in PostgreSQL. */
  const snapshot = (s: CaseState) => caseSnapshot(s, knownConcerns(s));

  /** The deadline of the stage the draft is in, planned under the policy published now. */
  async function armDeadline(next: CaseState): Promise<void> {
    const step = STEP_OF_STAGE[next.stage as Stage];
    if (!step || !next.risk) {
      next.deadline = undefined;
      return;
    }
    next.deadlineSeq += 1;
    // Ladder steps belong to one deadline; the new one starts with none taken.
    next.fired = [];
    next.deadline = await acts.planDeadline({
      province: input.province,
      subject: { step, path: next.risk.path, level: next.risk.level, child: next.child },
      from: now(),
      key: `${step}:${next.deadlineSeq}`,
    });
  }

  interface RecordExtra {
    /** Deadlines this event satisfied: their open escalations are resolved. */
    resolves?: string[];
    assigneeId?: string | null;
    unitId?: string;
    restricted?: boolean;
    mergedInto?: string;
    /** A routing decision this event puts in force. */
    routing?: Applied;
    notify?: NoticeDraft[];
    /** The referral this event created or moved, recorded as the draft now has it. */
    referral?: ReferralRecord;
    /** The placements this event began, changed or ended, in that order. */
    placements?: PlacementRecord[];
    /** Enrolments in programmes this event makes (issue 29): written with it, or the event is refused. */
    enrolments?: PlanEnrolment[];
  }

  /** Records what happened, and the case as the draft now is, before the change commits. */
  async function record(next: CaseState, actor: { id: string; name: string } | null, kind: string, data: Record<string, unknown>, extra: RecordExtra = {}) {
    next.eventSeq += 1;
    let routing;
    if (extra.routing) {
      next.routingSeq += 1;
      routing = { seq: next.routingSeq, decision: extra.routing.decision, facts: extra.routing.facts, decidedAt: now() };
    }
    await acts.recordCaseEvent({
      caseId: input.caseId,
      seq: next.eventSeq,
      at: now(),
      actor: actor && { id: actor.id, name: actor.name },
      kind,
      data,
      stage: next.stage,
      snapshot: snapshot(next),
      dueAt: next.deadline?.dueAt ?? null,
      nextReviewAt: next.deadline?.step === 'review' ? next.deadline.dueAt : null,
      resolves: extra.resolves ?? [],
      assigneeId: extra.assigneeId,
      unitId: extra.unitId,
      restricted: extra.restricted,
      mergedInto: extra.mergedInto,
      routing,
      notify: extra.notify ?? [],
      referral: extra.referral,
      ...(extra.placements ? { placements: extra.placements } : {}),
      ...(extra.enrolments?.length ? { enrolments: extra.enrolments } : {}),
    });
  }

  /** Moves the draft to a stage: the current deadline is met, the new stage's deadline starts. */
  async function advance(next: CaseState, actor: Actor, to: Stage, kind: string, data: Record<string, unknown>, extra: RecordExtra = {}): Promise<ActionReply> {
    const met = next.deadline ? [next.deadline.key] : [];
    next.stage = to;
    await armDeadline(next);
    await record(next, actor, kind, data, { ...extra, resolves: met });
    return reply(next);
  }

  const reply = (s: CaseState): ActionReply => ({ stage: s.stage as Stage });

  const referralIn = (s: CaseState, id: string) => s.referrals?.find((r) => r.id === id);
  /** Whoever hears of a referral's answer: the case's worker, or its unit's supervisor while it has none. */
  const referralAudience = (s: CaseState) => (s.assigneeId ? [s.assigneeId] : [UNIT_SUPERVISOR]);

  /** The referral a message names, when it may make this move; refuses with `closed` when it has ended. */
  function movable(id: string, move: ReferralMove, closed: 'invalid_transition' | 'referral_closed'): ReferralRecord {
    const r = referralIn(state, id);
    if (!r) refuse('not_found', { vi: `Trường hợp này không có chuyển gửi ${id}`, en: `no referral ${id} in this case` });
    if (!referralMayMove(r.status, move)) {
      const label = REFERRAL_STATUS_LABELS[r.status];
      refuse(TERMINAL_REFERRAL_STATUSES.includes(r.status) ? closed : 'invalid_transition', {
        vi: `Chuyển gửi đang ở trạng thái "${label.vi}": không thể làm việc này`,
        en: `the referral is ${r.status}: it cannot ${move.replace('_', ' ')}`,
      });
    }
    return r;
  }

  /** R2: a sent referral's answer clock, under the policy published now. */
  async function armReferral(next: CaseState, r: ReferralRecord): Promise<void> {
    r.fired = [];
    r.deadline = await acts.planDeadline({
      province: input.province,
      subject: { step: 'referral_response', path: next.risk!.path, level: next.risk!.level, child: next.child },
      from: now(),
      key: `referral:${r.id}`,
    });
  }

  /** Moves a referral of the draft, records it as a case event, and answers with it. */
  async function moveReferral(
    next: CaseState,
    id: string,
    move: ReferralMove,
    actor: { id: string; name: string } | null,
    change: Partial<Pick<ReferralRecord, 'declineReason' | 'outcome' | 'revokeReason'>>,
    notify: NoticeDraft[] = [],
  ): Promise<ActionReply> {
    const r = referralIn(next, id)!;
    const met = r.status === 'sent' && r.deadline ? [r.deadline.key] : [];
    Object.assign(r, change, { status: REFERRAL_MOVES[move].to, updatedAt: now() });
    if (move === 'send') await armReferral(next, r);
    else r.deadline = undefined;
    await record(next, actor, `referral.${r.status}`, { referralId: id, partnerId: r.partnerId, ...change }, { resolves: met, referral: r, notify });
    return { ...reply(next), referralId: id };
  }

  /** What a partner's answer does: nothing when it repeats the last one, otherwise the move it makes. */
  function partnerMove(answer: PartnerAnswer): ReferralMove | 'repeat' {
    if (state.stage === 'erased') refuse('case_erased', ERRORS.case_erased.message);
    const r = referralIn(state, answer.referralId);
    if (r && REFERRAL_MOVES[answer.action].to === r.status) return 'repeat';
    return movable(answer.referralId, answer.action, 'referral_closed') && answer.action;
  }

  // Placements (issue 28): at most one current at a time (P2), each with the clock of its kind.
  const placementIn = (s: CaseState, id: string) => s.placements?.find((p) => p.id === id);
  const placementNow = (s: CaseState) => s.placements?.find((p) => CURRENT_PLACEMENT_STATUSES.includes(p.status));
  /** Who hears of a placement's clock: the case's worker, and the unit's supervisor. */
  const placementAudience = (s: CaseState) => [...(s.assigneeId ? [s.assigneeId] : []), UNIT_SUPERVISOR];
  /** How far ahead of the workflow's clock a time may be and still be "now" (clocks of phones differ). */
  const CLOCK_SLACK_MS = 5 * 60_000;

  /** A refusal of a request field, named first as in the API's other answers. */
  const refuseField = (code: RefusalCode, path: string, vi: string, en: string): never => refuse(code, { vi: `${path}: ${vi}`, en: `${path}: ${en}` });
  function notAhead(path: string, at: string) {
    if (Date.parse(at) > Date.now() + CLOCK_SLACK_MS) refuseField('validation_failed', path, 'không được ở tương lai', 'cannot be in the future');
  }

  /** P2: no second placement while one is current. */
  function noPlacementNow(s: CaseState) {
    const current = placementNow(s);
    if (current) {
      refuse('active_placement', {
        vi: `Người được trợ giúp đang ở nơi chăm sóc ${current.id}: hãy kết thúc hoặc chuyển nơi đó trước`,
        en: `the person is in placement ${current.id}: end it or move them first`,
      });
    }
  }

  /** The placement a message names, when it is still current. */
  function currentPlacement(id: string): PlacementRecord {
    const p = placementIn(state, id);
    if (!p) refuse('not_found', { vi: `Trường hợp này không có nơi chăm sóc ${id}`, en: `no placement ${id} in this case` });
    if (p.status === 'ended') {
      refuse('invalid_transition', {
        vi: `Nơi chăm sóc này ở trạng thái "${PLACEMENT_STATUS_LABELS.ended.vi}"`,
        en: 'this placement has ended',
      });
    }
    return p;
  }

  /**
   * A placement's clock from `from` under the policy published now: P1's limit (or the earlier end
   * `until` gives, never a later one), or P4's visit rhythm; none for the other kinds.
   */
  async function armPlacement(next: CaseState, p: PlacementRecord, from: string, until?: string): Promise<void> {
    const step = clockOf(p.kind);
    p.fired = [];
    if (!step) {
      p.deadline = undefined;
      return;
    }
    p.clockSeq += 1;
    const planned = await acts.planDeadline({
      province: input.province,
      subject: { step, path: next.risk!.path, level: next.risk!.level, child: next.child },
      from,
      key: `placement:${p.id}:${p.clockSeq}`,
    });
    if (step === 'separation_limit' && until !== undefined && Date.parse(until) > Date.parse(planned.dueAt)) {
      refuseField(
        'validation_failed',
        'until',
        `tạm thời cách ly kéo dài tối đa đến ${planned.dueAt} (P1); muốn lâu hơn cần quyết định gia hạn của Ban Giám đốc`,
        `a temporary separation lasts until ${planned.dueAt} at most (P1); longer needs a manager's extension by a new decision`,
      );
    }
    p.deadline = step === 'separation_limit' && until !== undefined ? dueInstead(planned, until) : planned;
  }

  /** A new placement on the draft, its clock armed; the caller records it. */
  async function beginPlacement(
    next: CaseState,
    actor: Actor,
    body: { carerId: string; kind: PlacementKind; startsAt: string; decision?: PlacementRecord['decision']; until?: string; reason: string },
  ): Promise<PlacementRecord> {
    const at = now();
    const p: PlacementRecord = {
      id: uuid4(),
      carerId: body.carerId,
      kind: body.kind,
      status: 'active',
      startsAt: new Date(Date.parse(body.startsAt)).toISOString(),
      endsBy: null,
      reason: body.reason,
      ...(body.decision ? { decision: body.decision } : {}),
      extensions: [],
      visits: 0,
      createdBy: actor.id,
      createdAt: at,
      updatedAt: at,
      fired: [],
      clockSeq: 0,
    };
    await armPlacement(next, p, p.startsAt, body.until);
    p.endsBy = p.kind === 'temporary_separation' ? p.deadline!.dueAt : body.until ? new Date(Date.parse(body.until)).toISOString() : null;
    next.placements = [...(next.placements ?? []), p];
    return p;
  }

  /** Ends a placement of the draft; its clock stops and its open escalations are resolved. */
  function finishPlacement(p: PlacementRecord, fields: Pick<PlacementRecord, 'outcome' | 'note'> & { endedAt: string }): string[] {
    const met = p.deadline ? [p.deadline.key] : [];
    Object.assign(p, fields, {
      status: 'ended',
      endedAt: new Date(Date.parse(fields.endedAt)).toISOString(),
      updatedAt: now(),
      deadline: undefined,
      fired: [],
    });
    return met;
  }

  /** P1, P4 on one placement: a step of its clock; at a temporary separation's limit it is overdue first. */
  async function placementLadderStep(step: PlacementStep) {
    const p = placementIn(state, step.placementId);
    // An end, an extension or a visit may have stopped or re-armed this clock while the step waited.
    if (!p || p.status === 'ended' || p.deadline?.key !== step.deadline.key || p.fired.includes(step.level)) return;
    await change(async (next) => {
      const taken = placementIn(next, step.placementId)!;
      taken.fired = [...taken.fired, step.level];
      const data = { placementId: taken.id, kind: taken.kind, endsBy: taken.endsBy, dueAt: step.deadline.dueAt };
      if (step.level === 'warning') {
        await record(next, null, 'placement.limit_near', data, {
          placements: [taken],
          notify: [{ kind: 'placement.limit_near', to: placementAudience(next) }],
        });
        return;
      }
      if (step.level === 'reminder' && taken.kind === 'temporary_separation') {
        taken.status = 'overdue';
        taken.overdueAt ??= now();
        taken.updatedAt = now();
        await record(next, null, 'placement.overdue', data, { placements: [taken] });
      }
      next.eventSeq += 1;
      await ladderWork().escalate({ caseId: input.caseId, seq: next.eventSeq, at: now(), deadline: step.deadline, level: step.level });
    });
  }

  /**
   * I1 and I2 on a draft: applies the report's concerns, and when new danger takes the emergency
   * path, sends the case back to emergency response with a fresh deadline and tells its worker
   * and the unit's supervisor at once. The caller arms the new deadline and records the event.
   */
  async function applyReport(next: CaseState, report: { added: Concerns; cleared: ConcernKey[]; by: string; forceEmergency?: boolean }) {
    const outcome: Reassessment = await reassess(next, { ...report, at: now(), knownBefore: knownConcerns(next) }, (concerns) =>
      acts.assessRisk({ caseId: input.caseId, province: input.province, concerns }),
    );
    const met = next.deadline ? [next.deadline.key] : [];
    const toEmergency = (outcome.backToEmergency || report.forceEmergency === true) && next.stage !== 'closed' && next.stage !== 'erased';
    const notify = [...outcome.notify];
    if (toEmergency) {
      next.stage = 'emergency_response';
      notify.push({ kind: 'risk.emergency', to: [...(next.assigneeId ? [next.assigneeId] : []), UNIT_SUPERVISOR] });
    }
    return { outcome, toEmergency, met, notify };
  }

  setHandler(stateQuery, () => ({ caseId: input.caseId, ...state }));
  setHandler(routedUpdate, async () => {
    await condition(() => recorded);
    return { stage: state.stage as Stage, risk: state.risk as RiskDecision };
  });

  // Group work (issue 29, domain/plan-enrolments.ts). No patch: only inputs that carry a programmeId
  // take these branches, and no recorded history has one (the bodies were strict objects without
  // it), so old histories replay the same commands; uuid4() is called only on these branches.
  const groupOf = (i: { programmeId?: string; consent?: { givenBy: string } }) =>
    i.programmeId !== undefined && i.consent ? { programmeId: i.programmeId, consent: i.consent } : {};

  /** Gives each of the draft's `interventions` its enrolment id; the event that records them writes the enrolments. */
  function enrol(next: CaseState, interventions: readonly Intervention[]): PlanEnrolment[] {
    return interventions.flatMap((i) => {
      const held = next.interventions.find((x) => x.id === i.id)!;
      if (held.programmeId === undefined || !held.consent || held.enrolmentId !== undefined) return [];
      held.enrolmentId = uuid4();
      return [{ id: held.enrolmentId, interventionId: held.id, programmeId: held.programmeId, consent: held.consent }];
    });
  }

  /**
   * A kept intervention keeps its programme and its consent (they are on its enrolment, or will be):
   * sending them back as they are is fine; another programme, or a type other than "group", is
   * refused — cancel it and add a new one instead.
   */
  function keepsItsProgramme(item: ActionInput<'plan'>['interventions'][number], n: number) {
    const held = item.id === undefined ? undefined : state.interventions.find((i) => i.id === item.id);
    if (!held) return;
    if (item.programmeId !== undefined && item.programmeId !== held.programmeId)
      refuseField(
        'validation_failed',
        `interventions[${n}].programmeId`,
        'hoạt động giữ lại giữ nguyên chương trình của nó; hãy huỷ và thêm hoạt động mới',
        'a kept intervention keeps its programme; cancel it and add a new one',
      );
    if (item.consent !== undefined && item.consent.givenBy !== held.consent?.givenBy)
      refuseField(
        'validation_failed',
        `interventions[${n}].consent`,
        'hoạt động giữ lại giữ nguyên sự đồng ý đã ghi',
        'a kept intervention keeps the consent it has',
      );
    if (held.programmeId !== undefined && item.type !== GROUP_INTERVENTION)
      refuseField(
        'validation_failed',
        `interventions[${n}].type`,
        `hoạt động sinh hoạt nhóm giữ loại "${GROUP_INTERVENTION}"`,
        `a place in a programme stays of type "${GROUP_INTERVENTION}"`,
      );
  }

  // Nobody approves their own request.
  const notOwn = (requester: string | null | undefined, actor: Actor) => {
    if (requester === actor.id)
      refuse('own_approval', { vi: 'Không thể tự duyệt đề xuất của chính mình', en: 'you cannot decide on a request you made yourself' });
  };

  // What each staff action does, beyond the role and stage the catalogue gives it.
  const handlers: ActionHandlers = {
    safetyConfirmed: { run: (next, actor, body) => advance(next, actor, 'assessment', 'safety.confirmed', body) },

    // I8: the collaborator who reported it hears that it is being handled, nothing more.
    assessment: {
      run: (next, actor, body) =>
        advance(next, actor, 'planning', 'assessment.recorded', body, { notify: [{ kind: 'report.in_progress', to: [REPORTING_COLLABORATOR] }] }),
    },

    // I6 The record stays whole: a re-submitted plan names what happens to every intervention still
    // open (kept by its id, or cancelled with a reason); done and cancelled ones stay as they are.
    plan: {
      check: (_actor, body, since) => {
        if (!since(PATCHES.planKeepsInterventions)) return;
        const ids = new Set(state.interventions.map((i) => i.id));
        // An id the case does not have, or an open intervention left unnamed: the case's state (409).
        const refuseAt = (code: RefusalCode, path: string, vi: string, en: string) => refuse(code, { vi: `${path}: ${vi}`, en: `${path}: ${en}` });
        body.interventions.forEach((item, n) => {
          if (item.id !== undefined && !ids.has(item.id))
            refuseAt('unknown_reference', `interventions[${n}].id`, `không có hoạt động ${item.id}`, `no intervention ${item.id} in this case`);
          keepsItsProgramme(item, n);
        });
        (body.cancel ?? []).forEach((item, n) => {
          if (!ids.has(item.id)) refuseAt('unknown_reference', `cancel[${n}].id`, `không có hoạt động ${item.id}`, `no intervention ${item.id} in this case`);
        });
        const named = new Set([...body.interventions.map((i) => i.id), ...(body.cancel ?? []).map((c) => c.id)]);
        const forgotten = state.interventions.filter((i) => OPEN_INTERVENTION_STATUSES.includes(i.status) && !named.has(i.id)).map((i) => i.id);
        if (forgotten.length > 0) {
          refuseAt(
            'open_interventions',
            'interventions',
            `hãy giữ hoặc huỷ (kèm lý do) hoạt động ${forgotten.join(', ')}`,
            `keep or cancel (with a reason) intervention ${forgotten.join(', ')}`,
          );
        }
      },
      run: async (next, actor, body) => {
        if (!patched(PATCHES.planKeepsInterventions)) {
          next.plan = { goals: body.goals, submittedBy: actor.id };
          next.interventions = body.interventions.map((i) => ({
            id: `i${++next.interventionSeq}`,
            type: i.type,
            description: i.description,
            status: 'planned' as const,
          }));
          return await advance(next, actor, 'plan_review', 'plan.submitted', body);
        }
        if (next.plan) next.planVersions = [...(next.planVersions ?? []), next.plan];
        next.plan = { goals: body.goals, submittedBy: actor.id, version: (next.planVersions?.length ?? 0) + 1, submittedAt: now() };
        const cancelled = new Map((body.cancel ?? []).map((c) => [c.id, c.reason]));
        const kept = new Map(body.interventions.filter((i) => i.id !== undefined).map((i) => [i.id!, i]));
        next.interventions = [
          ...next.interventions.map((i) => {
            const keep = kept.get(i.id);
            if (keep) return { ...i, type: keep.type, description: keep.description };
            const reason = cancelled.get(i.id);
            return reason !== undefined && OPEN_INTERVENTION_STATUSES.includes(i.status) ? { ...i, status: 'cancelled' as const, cancelReason: reason } : i;
          }),
          ...body.interventions
            .filter((i) => i.id === undefined)
            .map((i) => ({ id: `i${++next.interventionSeq}`, type: i.type, description: i.description, status: 'planned' as const, ...groupOf(i) })),
        ];
        return await advance(next, actor, 'plan_review', 'plan.submitted', body);
      },
    },

    planDecision: {
      check: (actor) => notOwn(state.plan?.submittedBy, actor),
      run: async (next, actor, body) => {
        if (body.decision === 'approve') {
          // Group work (issue 29): the plan's places in programmes are taken now that it is approved.
          const enrolments = enrol(next, awaitingEnrolment(next.interventions));
          const data = enrolments.length ? { ...body, enrolments: enrolments.map(({ consent: _c, ...e }) => e) } : body;
          return await advance(next, actor, 'implementation', 'plan.approved', data, { enrolments });
        }
        next.plan = { ...next.plan!, rejection: body.comment };
        return await advance(next, actor, 'planning', 'plan.rejected', body);
      },
    },

    // Group work (issue 29): a place in a programme added during implementation is taken at once.
    addIntervention: {
      run: async (next, actor, body) => {
        const { programmeId: _p, consent: _c, ...plain } = body;
        const intervention: Intervention = { id: `i${++next.interventionSeq}`, ...plain, status: 'planned' as const, ...groupOf(body) };
        next.interventions = [...next.interventions, intervention];
        const enrolments = enrol(next, [intervention]);
        await record(next, actor, 'intervention.added', intervention, { enrolments });
        return { ...reply(next), interventionId: intervention.id };
      },
    },

    updateIntervention: {
      check: (_actor, body, since) => {
        const intervention = state.interventions.find((i) => i.id === body.interventionId);
        if (!intervention) {
          refuse('not_found', { vi: `Trường hợp này không có hoạt động ${body.interventionId}`, en: `no intervention ${body.interventionId} in this case` });
        }
        if (body.status && !interventionMayMove(intervention.status, body.status) && since(PATCHES.interventionMovesForward)) {
          refuse('invalid_transition', {
            vi: `Hoạt động ${intervention.id} đang "${intervention.status}": không thể chuyển về "${body.status}"`,
            en: `intervention ${intervention.id} is ${intervention.status}: it cannot go to ${body.status}`,
          });
        }
      },
      run: async (next, actor, body) => {
        next.interventions = next.interventions.map((i) =>
          i.id === body.interventionId ? { ...i, ...(body.status ? { status: body.status } : {}), ...(body.outcome ? { outcome: body.outcome } : {}) } : i,
        );
        await record(next, actor, 'intervention.updated', body);
        return reply(next);
      },
    },

    review: {
      // Clearing a concern lowers what is known to endanger a person: supervisors and managers only.
      permit: (actor, body) => {
        if ((body.resolvedConcerns?.length ?? 0) > 0 && !LEADS.includes(actor.role)) {
          refuse('forbidden', {
            vi: 'Chỉ trưởng phòng hoặc Ban Giám đốc được gỡ một mối lo ngại',
            en: 'only a supervisor or a manager may clear a concern',
          });
        }
      },
      run: async (next, actor, body) => {
        next.reviews += 1;
        if (!patched(PATCHES.concernsAccumulate)) return await reviewBeforeIssue9(next, actor, body);
        const cleared = (body.resolvedConcerns ?? []).map((r) => r.concern);
        if (!body.concerns && cleared.length === 0) {
          const met = next.deadline ? [next.deadline.key] : [];
          await armDeadline(next);
          await record(next, actor, 'review.recorded', { ...body, risk: next.risk }, { resolves: met });
          return reply(next);
        }
        const { outcome, met, notify } = await applyReport(next, { added: body.concerns ?? {}, cleared, by: actor.id });
        await armDeadline(next);
        await record(
          next,
          actor,
          'review.recorded',
          { ...body, risk: next.risk, newConcerns: outcome.newly, pendingRisk: shownPendingRisk(next.pendingRisk) },
          { resolves: met, routing: outcome.applied, notify },
        );
        return reply(next);
      },
    },

    riskDecision: {
      check: (actor) => {
        if (!state.pendingRisk)
          refuse('no_pending_risk', { vi: 'Không có mức nguy cơ nào đang chờ xác nhận', en: 'there is no lower risk waiting for a decision' });
        notOwn(state.pendingRisk.resolvedBy, actor);
      },
      run: async (next, actor, body) => {
        const pending = next.pendingRisk!;
        next.pendingRisk = undefined;
        if (body.decision === 'reject') {
          await record(next, actor, 'risk.rejected', { ...body, decision: pending.decision });
          return reply(next);
        }
        next.risk = pending.decision;
        next.concerns = pending.concerns;
        // The lower risk brings its own deadline and review rhythm, from now.
        const met = next.deadline ? [next.deadline.key] : [];
        await armDeadline(next);
        await record(
          next,
          actor,
          'risk.confirmed',
          { ...body, risk: pending.decision, cleared: Object.keys(pending.concerns) },
          { resolves: met, routing: { decision: pending.decision, facts: pending.facts } },
        );
        return reply(next);
      },
    },

    closure: {
      check: (_actor, _body, since) => {
        // P2, as R3: no case recorded before issue 28 has placements, so no history takes another branch.
        noPlacementNow(state);
        // R3; no case recorded before issue 13 has referrals, so no history takes another branch.
        const waiting = (state.referrals ?? []).filter((r) => AWAITING_ANSWER.includes(r.status)).map((r) => r.id);
        if (waiting.length > 0) {
          refuse('open_referrals', {
            vi: `Còn chuyển gửi đang chờ đối tác trả lời: ${waiting.join(', ')}`,
            en: `referrals still waiting for their partner's answer: ${waiting.join(', ')}`,
          });
        }
        const open = state.interventions.filter((i) => OPEN_INTERVENTION_STATUSES.includes(i.status)).map((i) => i.id);
        if (open.length > 0 && since(PATCHES.closureAfterInterventions)) {
          refuse('open_interventions', {
            vi: `Còn hoạt động chưa xong hoặc chưa huỷ: ${open.join(', ')}`,
            en: `interventions still planned or in progress: ${open.join(', ')}`,
          });
        }
      },
      run: async (next, actor, body) => {
        next.closure = { ...body, requestedBy: actor.id };
        return await advance(next, actor, 'closure_review', 'closure.proposed', body);
      },
    },

    closureDecision: {
      check: (actor) => notOwn(state.closure?.requestedBy, actor),
      run: async (next, actor, body) => {
        if (body.decision === 'approve') {
          return await advance(next, actor, 'closed', 'closure.approved', body, { notify: [{ kind: 'report.closed', to: [REPORTING_COLLABORATOR] }] });
        }
        next.closure = undefined;
        return await advance(next, actor, 'implementation', 'closure.rejected', body);
      },
    },

    reopen: {
      run: (next, actor, body) => {
        next.closure = undefined;
        return advance(next, actor, 'assessment', 'case.reopened', body);
      },
    },

    assign: {
      run: async (next, actor, body) => {
        const previous = next.assigneeId;
        next.assigneeId = body.workerId;
        // Both workers hear of it; the notice's words are composed with the notifications.
        const to = [previous, body.workerId].filter((id): id is string => !!id);
        await record(
          next,
          actor,
          'case.assigned',
          { from: previous, to: body.workerId },
          { assigneeId: body.workerId, notify: [{ kind: 'case.assigned', to }] },
        );
        return reply(next);
      },
    },

    // I3 No emergency is lost in a merge: the report ends here, and hands what it knows (its
    // concerns, and an emergency whose safety was never confirmed) to the case it joins.
    merge: {
      // P2: the report that ends here must not leave a person placed under it.
      check: () => noPlacementNow(state),
      run: async (next, actor, body) => {
        if (patched(PATCHES.mergeCarriesRisk)) {
          const note: MergeNote = {
            fromCaseId: input.caseId,
            concerns: knownConcerns(next),
            emergencyUnconfirmed: next.stage === 'emergency_response',
            by: { id: actor.id, name: actor.name },
          };
          try {
            await getExternalWorkflowHandle(body.intoCaseId).signal(mergeReceivedSignal, note);
          } catch {
            refuse('validation_failed', { vi: 'Trường hợp gộp vào không còn hoạt động', en: 'the case to merge into is not running' });
          }
        }
        return await advance(next, actor, 'closed', 'case.merged', body, {
          mergedInto: body.intoCaseId,
          notify: [{ kind: 'report.closed', to: [REPORTING_COLLABORATOR] }],
        });
      },
    },

    // The case moves to another unit of the province: its supervisor assigns it there.
    transfer: {
      run: async (next, actor, body) => {
        const from = next.unitId;
        next.unitId = body.unitId;
        next.assigneeId = null;
        const notify: NoticeDraft[] = [{ kind: 'case.transferred', to: [UNIT_SUPERVISOR, `${UNIT_SUPERVISOR_OF}${body.unitId}`] }];
        await record(next, actor, 'case.transferred', { from, to: body.unitId, reason: body.reason }, { unitId: body.unitId, assigneeId: null, notify });
        return reply(next);
      },
    },

    restriction: {
      run: async (next, actor, body) => {
        next.restricted = body.restricted;
        await record(next, actor, 'case.restriction_changed', body, { restricted: body.restricted });
        return reply(next);
      },
    },

    note: {
      run: async (next, actor, body) => {
        await record(next, actor, 'case.note', body);
        return reply(next);
      },
    },

    // R1: the consent's scope is kept as given (once each path); the partner sees that subset only.
    refer: {
      run: async (next, actor, body) => {
        const at = now();
        const r: ReferralRecord = {
          id: uuid4(),
          partnerId: body.partnerId,
          service: body.service,
          reason: body.reason,
          consent: { givenBy: body.consent.givenBy, scope: [...new Set(body.consent.scope)] },
          status: 'draft',
          createdBy: actor.id,
          createdAt: at,
          updatedAt: at,
          fired: [],
        };
        next.referrals = [...(next.referrals ?? []), r];
        if (!body.draft) return await moveReferral(next, r.id, 'send', actor, {});
        await record(next, actor, 'referral.drafted', { referralId: r.id, partnerId: r.partnerId }, { referral: r });
        return { ...reply(next), referralId: r.id };
      },
    },

    sendReferral: {
      check: (_actor, body) => void movable(body.referralId, 'send', 'invalid_transition'),
      run: (next, actor, body) => moveReferral(next, body.referralId, 'send', actor, {}),
    },

    revokeReferral: {
      check: (_actor, body) => void movable(body.referralId, 'revoke', 'invalid_transition'),
      run: (next, actor, body) => moveReferral(next, body.referralId, 'revoke', actor, { revokeReason: body.reason }),
    },

    referralProgress: {
      check: (_actor, body) => void movable(body.referralId, body.status === 'completed' ? 'complete' : 'in_service', 'invalid_transition'),
      run: (next, actor, body) =>
        moveReferral(next, body.referralId, body.status === 'completed' ? 'complete' : 'in_service', actor, body.outcome ? { outcome: body.outcome } : {}),
    },

    // P2: one placement at a time; P3 is the database's (db/placements.ts), under the carer's lock.
    place: {
      check: (_actor, body) => {
        noPlacementNow(state);
        notAhead('startsAt', body.startsAt);
      },
      run: async (next, actor, body) => {
        const p = await beginPlacement(next, actor, body);
        const data = { placementId: p.id, carerId: p.carerId, kind: p.kind, startsAt: p.startsAt, endsBy: p.endsBy, reason: p.reason, decision: p.decision };
        await record(next, actor, 'placement.started', data, { placements: [p] });
        return { ...reply(next), placementId: p.id };
      },
    },

    // P2: one step ends the placement and begins the next. A temporary separation that goes on
    // elsewhere keeps its limit, its extensions and its ladder (P1 counts the separation, not the carer).
    movePlacement: {
      check: (_actor, body) => {
        const p = currentPlacement(body.placementId);
        notAhead('startsAt', body.startsAt);
        if (Date.parse(body.startsAt) < Date.parse(p.startsAt))
          refuseField('validation_failed', 'startsAt', 'trước lúc bắt đầu nơi chăm sóc hiện tại', 'before the current placement began');
        if (body.carerId === p.carerId)
          refuseField('validation_failed', 'carerId', 'người được trợ giúp đang ở nơi này', 'the person is already with this carer');
        const separation = p.kind === 'temporary_separation' && (body.kind ?? p.kind) === 'temporary_separation';
        if (separation && body.until !== undefined && Date.parse(body.until) > Date.parse(p.endsBy!)) {
          refuseField(
            'validation_failed',
            'until',
            `tạm thời cách ly vẫn có thời hạn ${p.endsBy}; muốn lâu hơn cần quyết định gia hạn`,
            `the separation's limit stays ${p.endsBy}; longer needs an extension`,
          );
        }
      },
      run: async (next, actor, body) => {
        const old = placementIn(next, body.placementId)!;
        const kind = body.kind ?? old.kind;
        const carried = old.kind === 'temporary_separation' && kind === 'temporary_separation' ? { ...old } : undefined;
        const met = finishPlacement(old, { endedAt: body.startsAt, outcome: 'moved', note: body.reason });
        const p = await beginPlacement(next, actor, { ...body, kind, ...(carried ? { until: undefined } : {}) });
        if (carried) {
          const until = body.until ?? carried.endsBy!;
          Object.assign(p, {
            status: carried.status,
            endsBy: new Date(Date.parse(until)).toISOString(),
            deadline: dueInstead(carried.deadline!, until),
            fired: carried.fired,
            clockSeq: carried.clockSeq,
            extensions: carried.extensions,
            ...(carried.overdueAt ? { overdueAt: carried.overdueAt } : {}),
            ...(body.decision ? {} : carried.decision ? { decision: carried.decision } : {}),
          });
        }
        const data = { fromPlacementId: old.id, fromCarerId: old.carerId, placementId: p.id, carerId: p.carerId, kind, startsAt: p.startsAt, endsBy: p.endsBy };
        await record(next, actor, 'placement.moved', { ...data, reason: body.reason }, { placements: [old, p], resolves: carried ? [] : met });
        return { ...reply(next), placementId: p.id };
      },
    },

    // P1: a manager's new decision moves the limit, at most one separation limit past the current one.
    extendPlacement: {
      check: (_actor, body) => {
        const p = currentPlacement(body.placementId);
        if (p.kind !== 'temporary_separation')
          refuse('invalid_transition', { vi: 'Chỉ tạm thời cách ly mới có thời hạn để gia hạn', en: 'only a temporary separation has a limit to extend' });
        if (Date.parse(body.until) <= Math.max(Date.now(), Date.parse(p.endsBy!)))
          refuseField('validation_failed', 'until', 'phải sau thời hạn hiện tại và sau lúc này', 'must be after the current limit, and after now');
      },
      run: async (next, actor, body) => {
        const p = placementIn(next, body.placementId)!;
        const met = p.deadline ? [p.deadline.key] : [];
        await armPlacement(next, p, new Date(Math.max(Date.now(), Date.parse(p.endsBy!))).toISOString(), body.until);
        p.endsBy = p.deadline!.dueAt;
        p.status = 'active';
        p.extensions = [...p.extensions, { decision: body.decision, until: p.endsBy, reason: body.reason, by: actor.id, at: now() }];
        p.updatedAt = now();
        await record(
          next,
          actor,
          'placement.extended',
          { placementId: p.id, decision: body.decision, until: p.endsBy, reason: body.reason },
          { placements: [p], resolves: met },
        );
        return { ...reply(next), placementId: p.id };
      },
    },

    endPlacement: {
      check: (_actor, body) => {
        const p = currentPlacement(body.placementId);
        notAhead('endedAt', body.endedAt);
        if (Date.parse(body.endedAt) < Date.parse(p.startsAt))
          refuseField('validation_failed', 'endedAt', 'trước lúc bắt đầu nơi chăm sóc', 'before the placement began');
      },
      run: async (next, actor, body) => {
        const p = placementIn(next, body.placementId)!;
        const met = finishPlacement(p, body);
        await record(
          next,
          actor,
          'placement.ended',
          { placementId: p.id, endedAt: p.endedAt, outcome: p.outcome, note: p.note },
          { placements: [p], resolves: met },
        );
        return { ...reply(next), placementId: p.id };
      },
    },

    // P4: a visit that saw the person starts the rhythm again; one that did not tells the supervisor.
    placementVisit: {
      check: (_actor, body) => {
        const p = currentPlacement(body.placementId);
        if (body.visitedOn < vietnamDay(new Date(p.startsAt)))
          refuseField('validation_failed', 'visitedOn', 'trước ngày bắt đầu nơi chăm sóc', 'before the placement began');
        if (body.visitedOn > vietnamDay(new Date(Date.now() + CLOCK_SLACK_MS)))
          refuseField('validation_failed', 'visitedOn', 'không được ở tương lai', 'cannot be in the future');
      },
      run: async (next, actor, body) => {
        const p = placementIn(next, body.placementId)!;
        p.visits += 1;
        p.updatedAt = now();
        // A visit recorded late, before the last one, does not move the rhythm back.
        const latest = p.lastVisitOn === undefined || body.visitedOn >= p.lastVisitOn;
        if (latest) p.lastVisitOn = body.visitedOn;
        let met: string[] = [];
        if (body.seen && latest && clockOf(p.kind) === 'placement_visit') {
          met = p.deadline ? [p.deadline.key] : [];
          await armPlacement(next, p, visitClockFrom(body.visitedOn, new Date(Date.now())).toISOString());
        }
        const notify: NoticeDraft[] = body.seen ? [] : [{ kind: 'placement.not_seen', to: [UNIT_SUPERVISOR] }];
        await record(next, actor, 'placement.visited', body, { placements: [p], resolves: met, notify });
        return { ...reply(next), placementId: p.id };
      },
    },

    // I5 Erasure erases: the case records that it ends here, with no deadline and nothing pending,
    // then the workflow completes; only then does the API destroy the case's key and its data.
    erase: {
      run: async (next, actor, body) => {
        next.pendingRisk = undefined;
        // The carer's place is free again; the database keeps only what the reports count.
        const placed = placementNow(next);
        if (placed) finishPlacement(placed, { endedAt: now(), outcome: 'other' });
        return await advance(next, actor, 'erased', 'case.erased', { reason: body.reason }, placed ? { placements: [placed] } : {});
      },
    },
  };

  /** A review as cases recorded before issue 9 replay it: its concerns replaced the intake's. */
  async function reviewBeforeIssue9(next: CaseState, actor: Actor, body: ActionInput<'review'>): Promise<ActionReply> {
    const met = next.deadline ? [next.deadline.key] : [];
    if (body.concerns) {
      next.routingSeq += 1;
      const before = next.risk!;
      next.risk = await acts.rescoreRisk({ caseId: input.caseId, province: input.province, concerns: body.concerns, at: now(), routingSeq: next.routingSeq });
      if (before.path === 'standard' && next.risk.path === 'emergency') next.stage = 'emergency_response';
    }
    await armDeadline(next);
    await record(next, actor, 'review.recorded', { ...body, risk: next.risk }, { resolves: met });
    return reply(next);
  }

  // Each action is an update: its validator refuses (changing nothing) when the role, the stage
  // or the request is wrong; its handler checks again under the lock, applies, records, answers.
  // Validators never run on replay, so a rule added later always applies there; in the handler it
  // applies only past its patch, so recorded histories keep the answers they had.
  function register<K extends ActionName>(name: K, handler: ActionHandler<K>) {
    const validate = (actor: Actor, body: ActionInput<K>, since: (patch: string) => boolean = () => true) => {
      check(actor, name, () => handler.permit?.(actor, body));
      handler.check?.(actor, body, since);
    };
    type Args = [Actor, ActionInput<K>];
    setHandler<ActionReply, Args, UpdateDefinition<ActionReply, Args>>(
      actionUpdate(name),
      (actor, body) =>
        exclusive(async () => {
          validate(actor, body, patched);
          acts = answering;
          try {
            return await change((next) => handler.run(next, actor, body));
          } finally {
            acts = patient;
          }
        }),
      { validator: validate },
    );
  }
  for (const name of ACTION_NAMES) register(name, handlers[name] as ActionHandler<typeof name>);

  // I3, on the case a report was merged into: its concerns add to what is known here (risk only
  // rises, I1), and an emergency it never confirmed safe brings this case back to emergency response.
  setHandler(mergeReceivedSignal, (note) =>
    exclusive(() =>
      change(async (next) => {
        const { outcome, toEmergency, met, notify } = await applyReport(next, {
          added: note.concerns,
          cleared: [],
          by: note.by.id,
          forceEmergency: note.emergencyUnconfirmed,
        });
        // Back in emergency response, with a fresh deadline; otherwise the deadline running stands.
        if (toEmergency) await armDeadline(next);
        await record(
          next,
          note.by,
          'case.merge_received',
          {
            fromCaseId: note.fromCaseId,
            concerns: note.concerns,
            emergencyUnconfirmed: note.emergencyUnconfirmed,
            risk: next.risk,
            newConcerns: outcome.newly,
          },
          { resolves: toEmergency ? met : [], routing: outcome.applied, notify },
        );
      }),
    ),
  );

  // A partner's answer through its link (api/routes/partner-link.ts): checked like an action, and
  // applied under the same lock, so it never races a staff action on this case.
  const ANSWER_NOTICES = { accept: 'referral.accepted', decline: 'referral.declined', complete: 'referral.completed' } as const;
  setHandler(
    partnerAnswerUpdate,
    (answer) =>
      exclusive(async () => {
        const move = partnerMove(answer);
        if (move === 'repeat') return { status: referralIn(state, answer.referralId)!.status, changed: false };
        const fields = answer.action === 'decline' ? { declineReason: answer.reason } : answer.action === 'complete' ? { outcome: answer.outcome } : {};
        await change((next) =>
          moveReferral(next, answer.referralId, move, answer.partner, fields, [{ kind: ANSWER_NOTICES[answer.action], to: referralAudience(next) }]),
        );
        return { status: referralIn(state, answer.referralId)!.status, changed: true };
      }),
    { validator: (answer) => void partnerMove(answer) },
  );

  /**
   * Where a ladder step's write runs: a local activity inside the task its timer woke (issue 19:
   * one workflow task a step instead of two and an activity task); histories from before keep theirs.
   */
  const ladderWork = () => (patched(PATCHES.ladderLocal) ? localWork : acts);

  /** R2 on one referral: a ladder step of its clock; the managers' step also ends it as expired. */
  async function referralLadderStep(step: LadderStep & { referralId: string }) {
    const r = referralIn(state, step.referralId);
    // An answer or a revocation may have stopped this clock while the step waited for its turn.
    if (r?.status !== 'sent' || r.deadline?.key !== step.deadline.key || r.fired.includes(step.level)) return;
    await change(async (next) => {
      const taken = referralIn(next, step.referralId)!;
      taken.fired = [...taken.fired, step.level];
      next.eventSeq += 1;
      await ladderWork().escalate({ caseId: input.caseId, seq: next.eventSeq, at: now(), deadline: step.deadline, level: step.level });
      if (step.level === 'manager') {
        await moveReferral(next, taken.id, 'expire', null, {}, [{ kind: 'referral.expired', to: [...referralAudience(next), UNIT_SUPERVISOR] }]);
      }
    });
  }

  if (!input.carried && patched(PATCHES.oneAdmission)) {
    const { caseId, province, reportedBy, reportedByName, intake, receivedAt, imported } = input;
    const a = await localWork.admitCase({ caseId, province, reportedBy, reportedByName, intake, receivedAt, imported, at: now() });
    // What the admission wrote, adopted as it stands: the opening event is the first, its deadline the first.
    state = {
      ...state,
      child: a.child,
      unitId: a.unitId,
      assigneeId: a.assigneeId,
      risk: a.decision,
      restricted: a.restricted,
      stage: a.stage,
      deadline: a.deadline,
      deadlineSeq: a.deadline ? 1 : 0,
      eventSeq: 1,
    };
    changes += 1;
    recorded = true;
  } else if (!input.carried) {
    // Before issue 19's admission: the same steps as separate activities (histories replay them).
    if (patched(PATCHES.localIntake)) acts = localWork;
    await change(async (next) => {
      const { imported } = input;
      const scored = imported
        ? await acts.importedRouting({ province: input.province, intake: input.intake, receivedAt: input.receivedAt, decision: imported.decision })
        : await acts.scoreRisk({ province: input.province, intake: input.intake, receivedAt: input.receivedAt });
      const routedStage = imported?.stage ?? firstStage(scored.decision.path);
      const assignment = await acts.recordIntake(caseRecord(input, scored, routedStage));
      next.child = scored.facts.isChild;
      next.unitId = assignment.unitId;
      next.assigneeId = assignment.assigneeId;
      next.risk = scored.decision;
      // A repeat of a restricted case is restricted too (older recorded intakes did not say).
      next.restricted = assignment.restricted ?? scored.restricted;
      next.stage = routedStage;
      await armDeadline(next);
      const by = { id: input.reportedBy, name: input.reportedByName ?? 'reporter' };
      const opening = openingEvent(routedStage, scored.decision, imported);
      await record(next, by, opening.kind, opening.data, { notify: openingNotices(routedStage, next.assigneeId, !!imported) });
    });
    acts = patient;
    recorded = true;
  }

  // The escalation ladder: sleep until the next step of the current deadline, or until a change;
  // then take the steps whose time has come.
  for (;;) {
    if (state.stage === 'erased') {
      await condition(allHandlersFinished);
      return;
    }
    const caseStep = nextStep(state);
    const referralStep = nextReferralStep(state);
    // The earliest of the case's step and its referrals'; with no referrals, the case's as before.
    const earlier: (LadderStep & { referralId?: string }) | undefined =
      referralStep && (!caseStep || Date.parse(referralStep.at) < Date.parse(caseStep.at)) ? referralStep : caseStep;
    // Then its placements' (none before issue 28).
    const placementStep = nextPlacementStep(state);
    const placementFirst = placementStep && (!earlier || Date.parse(placementStep.at) < Date.parse(earlier.at)) ? placementStep : undefined;
    const next = placementFirst ? undefined : earlier;
    const at = placementFirst?.at ?? next?.at;
    const seen = changes;
    const woke = await condition(() => changes !== seen, at ? Math.max(1, Date.parse(at) - Date.now()) : undefined);
    if (!woke && placementFirst) {
      await exclusive(() => placementLadderStep(placementFirst));
    } else if (!woke && next?.referralId !== undefined) {
      const referralId = next.referralId;
      await exclusive(() => referralLadderStep({ ...next, referralId }));
    } else if (!woke && next) {
      const step = async () => {
        // A change may have met this deadline while the step waited for its turn.
        if (state.deadline?.key !== next.deadline.key) return;
        state.fired = [...state.fired, `${next.deadline.key}:${next.level}`];
        state.eventSeq += 1;
        await ladderWork().escalate({ caseId: input.caseId, seq: state.eventSeq, at: now(), deadline: next.deadline, level: next.level });
      };
      await (patched(PATCHES.ladderTakesTurns) ? exclusive(step) : step());
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? HISTORY_EVENTS_BEFORE_CONTINUE)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof caseWorkflow>({ ...input, carried: state });
    }
  }
}

interface LadderStep {
  deadline: Deadline;
  level: (typeof LADDER)[number];
  at: string;
}

/** The next ladder step of a deadline, given the levels already taken. */
function stepOf(d: Deadline, taken: (level: string) => boolean): LadderStep | undefined {
  const level = LADDER.find((l) => !taken(l));
  return level && { deadline: d, level, at: stepTime(d, level) };
}

/** When a deadline's ladder reaches a level. */
function stepTime(d: Deadline, level: (typeof LADDER)[number]): string {
  return { reminder: d.dueAt, supervisor: d.supervisorAt, manager: d.managerAt }[level];
}

function nextStep(state: CaseState): LadderStep | undefined {
  const d = state.deadline;
  return d && stepOf(d, (l) => state.fired.includes(`${d.key}:${l}`));
}

/** A step of a placement's clock: P1's warning comes before the ladder's levels. */
interface PlacementStep {
  deadline: Deadline;
  level: 'warning' | (typeof LADDER)[number];
  at: string;
  placementId: string;
}

/** P1, P4: the earliest next step among the current placements' clocks. */
function nextPlacementStep(state: CaseState): PlacementStep | undefined {
  let earliest: PlacementStep | undefined;
  for (const p of state.placements ?? []) {
    const d = p.deadline;
    if (!d || !CURRENT_PLACEMENT_STATUSES.includes(p.status)) continue;
    const levels = [...(d.warningAt ? [{ level: 'warning' as const, at: d.warningAt }] : []), ...LADDER.map((level) => ({ level, at: stepTime(d, level) }))];
    const step = levels.find((l) => !p.fired.includes(l.level));
    if (step && (!earliest || Date.parse(step.at) < Date.parse(earliest.at))) earliest = { deadline: d, ...step, placementId: p.id };
  }
  return earliest;
}

/** R2: the earliest next step among the referrals awaiting an answer. */
function nextReferralStep(state: CaseState): (LadderStep & { referralId: string }) | undefined {
  let earliest: (LadderStep & { referralId: string }) | undefined;
  for (const r of state.referrals ?? []) {
    const step = r.status === 'sent' && r.deadline ? stepOf(r.deadline, (l) => r.fired.includes(l)) : undefined;
    if (step && (!earliest || Date.parse(step.at) < Date.parse(earliest.at))) earliest = { ...step, referralId: r.id };
  }
  return earliest;
}
