// The case workflow: one per case, workflowId = case id, alive for the whole life of the case.
// It routes the intake, then guards every stage (staff actions are updates with validators),
// keeps one deadline at a time as a durable timer and climbs the escalation ladder by itself
// when the deadline passes: reminder → supervisor → managers.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { Role } from '../domain/access';
import type { RiskDecision } from '../domain/case';
import type { Deadline, DeadlineStep } from '../domain/deadlines';
import type { Intake } from '../domain/intake';
import { firstStage, type Stage } from '../domain/stages';
import {
  addInterventionUpdate,
  assessmentUpdate,
  assignUpdate,
  closureDecisionUpdate,
  closureUpdate,
  mergeUpdate,
  planDecisionUpdate,
  planUpdate,
  REFUSALS,
  reopenUpdate,
  reviewUpdate,
  routedUpdate,
  safetyConfirmedUpdate,
  stateQuery,
  updateInterventionUpdate,
  type Actor,
  type CaseState,
} from './messages';

export * from './messages';

const { scoreRisk, recordIntake, planDeadline, recordCaseEvent, escalate, rescoreRisk } = proxyActivities<CaseActivities>({
  // Quick database or CPU work; a short timeout lets a crashed worker's attempt be retried
  // elsewhere within seconds, not minutes.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface CaseInput {
  caseId: string;
  /** The tenant the case belongs to: the reporter's province. */
  province: string;
  /** The staff member or integration token that reported it. */
  reportedBy: string;
  reportedByName?: string;
  intake: Intake;
  /** When the centre received the report (ISO-8601), as recorded by the API. */
  receivedAt: string;
  /** Set when the workflow continues as new: everything it knew, so nothing is done again. */
  carried?: CaseState;
  /** History events after which a run continues as new (tests lower it). */
  historyLimit?: number;
}

// Long-lived cases start a fresh run well before Temporal's own limits.
const HISTORY_EVENTS_BEFORE_CONTINUE = 5_000;
const CASE_WORKERS: Role[] = ['social_worker', 'supervisor', 'manager'];
const LEADS: Role[] = ['supervisor', 'manager'];
const LADDER = ['reminder', 'supervisor', 'manager'] as const;

const STEP_OF_STAGE: Partial<Record<Stage, DeadlineStep>> = {
  emergency_response: 'emergency_response',
  assessment: 'assessment',
  planning: 'planning',
  plan_review: 'plan_approval',
  implementation: 'review',
  closure_review: 'closure_approval',
};

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export async function caseWorkflow(input: CaseInput): Promise<void> {
  const state: CaseState = input.carried ?? {
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

  // Staff actions run one at a time: each re-checks the stage under this lock, so two actions
  // that passed their validators together cannot both apply.
  let lock: Promise<void> = Promise.resolve();
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

  function check(actor: Actor, stages: Stage[], roles: Role[]) {
    if (!stages.includes(state.stage as Stage)) {
      refuse(REFUSALS.outOfStage, `not possible while the case is in ${state.stage}; it needs ${stages.join(' or ')}`);
    }
    if (!roles.includes(actor.role)) refuse(REFUSALS.forbidden, `the ${actor.role} role may not do this`);
  }

  function snapshot() {
    return {
      deadline: state.deadline ?? null,
      plan: state.plan ?? null,
      interventions: state.interventions,
      closure: state.closure ?? null,
      reviews: state.reviews,
    };
  }

  /** The deadline of the stage the case is in now, planned under the policy published now. */
  async function armDeadline(): Promise<void> {
    const step = STEP_OF_STAGE[state.stage as Stage];
    if (!step || !state.risk) {
      state.deadline = undefined;
      return;
    }
    state.deadlineSeq += 1;
    // Ladder steps belong to one deadline; the new one starts with none taken.
    state.fired = [];
    state.deadline = await planDeadline({
      province: input.province,
      subject: { step, path: state.risk.path, level: state.risk.level, child: state.child },
      from: now(),
      key: `${step}:${state.deadlineSeq}`,
    });
  }

  /** Records what happened (and the case as it now is) before the action answers. */
  async function record(actor: { id: string; name: string } | null, kind: string, data: Record<string, unknown>, extra: { resolves?: string[]; assigneeId?: string | null; notify?: Array<{ key: string; recipientId: string; kind: string; message: { vi: string; en: string } }> } = {}) {
    state.eventSeq += 1;
    await recordCaseEvent({
      caseId: input.caseId,
      seq: state.eventSeq,
      at: now(),
      actor: actor && { id: actor.id, name: actor.name },
      kind,
      data,
      stage: state.stage,
      snapshot: snapshot(),
      dueAt: state.deadline?.dueAt ?? null,
      nextReviewAt: state.deadline?.step === 'review' ? state.deadline.dueAt : null,
      resolves: extra.resolves ?? [],
      assigneeId: extra.assigneeId,
      notify: extra.notify ?? [],
    });
    changes += 1;
  }

  /** Moves to a stage: the current deadline is met, the new stage's deadline starts. */
  async function advance(actor: Actor, to: Stage, kind: string, data: Record<string, unknown>) {
    const met = state.deadline ? [state.deadline.key] : [];
    state.stage = to;
    await armDeadline();
    await record(actor, kind, data, { resolves: met });
    return { stage: state.stage as Stage };
  }

  setHandler(stateQuery, () => ({ caseId: input.caseId, ...state }));
  setHandler(routedUpdate, async () => {
    await condition(() => recorded);
    return { stage: state.stage as Stage, risk: state.risk as RiskDecision };
  });

  // A staff action: its validator refuses (changing nothing) when the stage, the role or the
  // request is wrong; its handler checks again under the lock, applies, records, answers.
  const action = <B, R>(stages: Stage[], roles: Role[], extraCheck: (actor: Actor, body: B) => void, run: (actor: Actor, body: B) => Promise<R>) => ({
    validator: (actor: Actor, body: B) => {
      check(actor, stages, roles);
      extraCheck(actor, body);
    },
    handler: (actor: Actor, body: B) =>
      exclusive(async () => {
        check(actor, stages, roles);
        extraCheck(actor, body);
        return await run(actor, body);
      }),
  });
  const none = (_actor: Actor, _body: unknown) => {};

  const safety = action(['emergency_response'], CASE_WORKERS, none, (actor, body: { actions: string[] }) =>
    advance(actor, 'assessment', 'safety.confirmed', body),
  );
  setHandler(safetyConfirmedUpdate, safety.handler, { validator: safety.validator });

  const assess = action(['assessment'], CASE_WORKERS, none, (actor, body: { summary: string; needs: string[] }) =>
    advance(actor, 'planning', 'assessment.recorded', body),
  );
  setHandler(assessmentUpdate, assess.handler, { validator: assess.validator });

  const plan = action(['planning'], CASE_WORKERS, none, async (actor, body: { goals: string[]; interventions: Array<{ type: string; description: string }> }) => {
    state.plan = { goals: body.goals, submittedBy: actor.id };
    state.interventions = body.interventions.map((i) => ({ id: `i${++state.interventionSeq}`, ...i, status: 'planned' as const }));
    return await advance(actor, 'plan_review', 'plan.submitted', body);
  });
  setHandler(planUpdate, plan.handler, { validator: plan.validator });

  // Nobody approves their own request.
  const notOwn = (requester: () => string | undefined) => (actor: Actor, _body: unknown) => {
    if (requester() === actor.id) refuse(REFUSALS.ownApproval, 'you cannot decide on a request you made yourself');
  };

  const planDecision = action(['plan_review'], ['manager'], notOwn(() => state.plan?.submittedBy), async (actor, body: { decision: 'approve' | 'reject'; comment: string }) => {
    if (body.decision === 'approve') return await advance(actor, 'implementation', 'plan.approved', body);
    state.plan = { ...state.plan!, rejection: body.comment };
    return await advance(actor, 'planning', 'plan.rejected', body);
  });
  setHandler(planDecisionUpdate, planDecision.handler, { validator: planDecision.validator });

  const addIntervention = action(['implementation'], CASE_WORKERS, none, async (actor, body: { type: string; description: string }) => {
    const intervention = { id: `i${++state.interventionSeq}`, ...body, status: 'planned' as const };
    state.interventions = [...state.interventions, intervention];
    await record(actor, 'intervention.added', intervention);
    return { stage: state.stage as Stage, interventionId: intervention.id };
  });
  setHandler(addInterventionUpdate, addIntervention.handler, { validator: addIntervention.validator });

  const knownIntervention = (_actor: Actor, body: { interventionId: string }) => {
    if (!state.interventions.some((i) => i.id === body.interventionId)) refuse(REFUSALS.invalid, `no intervention ${body.interventionId} in this case`);
  };
  const updateIntervention = action(['implementation'], CASE_WORKERS, knownIntervention, async (actor, body: { interventionId: string; status?: 'planned' | 'in_progress' | 'done' | 'cancelled'; outcome?: string }) => {
    state.interventions = state.interventions.map((i) =>
      i.id === body.interventionId ? { ...i, ...(body.status ? { status: body.status } : {}), ...(body.outcome ? { outcome: body.outcome } : {}) } : i,
    );
    await record(actor, 'intervention.updated', body);
    return { stage: state.stage as Stage };
  });
  setHandler(updateInterventionUpdate, updateIntervention.handler, { validator: updateIntervention.validator });

  const review = action(['implementation'], CASE_WORKERS, none, async (actor, body: { summary: string; progress: string; concerns?: Intake['concerns'] }) => {
    state.reviews += 1;
    const met = state.deadline ? [state.deadline.key] : [];
    if (body.concerns) {
      state.routingSeq += 1;
      const before = state.risk!;
      state.risk = await rescoreRisk({ caseId: input.caseId, province: input.province, concerns: body.concerns, at: now(), routingSeq: state.routingSeq });
      // Safety first: a case whose new risk takes the emergency path starts over from there.
      if (before.path === 'standard' && state.risk.path === 'emergency') state.stage = 'emergency_response';
    }
    await armDeadline();
    await record(actor, 'review.recorded', { ...body, risk: state.risk }, { resolves: met });
    return { stage: state.stage as Stage };
  });
  setHandler(reviewUpdate, review.handler, { validator: review.validator });

  const closure = action(['implementation'], CASE_WORKERS, none, async (actor, body: { reason: string; outcome: string }) => {
    state.closure = { ...body, requestedBy: actor.id };
    return await advance(actor, 'closure_review', 'closure.proposed', body);
  });
  setHandler(closureUpdate, closure.handler, { validator: closure.validator });

  const closureDecision = action(['closure_review'], ['manager'], notOwn(() => state.closure?.requestedBy), async (actor, body: { decision: 'approve' | 'reject'; comment: string }) => {
    if (body.decision === 'approve') return await advance(actor, 'closed', 'closure.approved', body);
    state.closure = undefined;
    return await advance(actor, 'implementation', 'closure.rejected', body);
  });
  setHandler(closureDecisionUpdate, closureDecision.handler, { validator: closureDecision.validator });

  const reopen = action(['closed'], LEADS, none, (actor, body: { reason: string }) => {
    state.closure = undefined;
    return advance(actor, 'assessment', 'case.reopened', body);
  });
  setHandler(reopenUpdate, reopen.handler, { validator: reopen.validator });

  const openStages: Stage[] = ['emergency_response', 'assessment', 'planning', 'plan_review', 'implementation', 'closure_review'];
  const assign = action(openStages, LEADS, none, async (actor, body: { workerId: string; workerName: string }) => {
    const previous = state.assigneeId;
    state.assigneeId = body.workerId;
    const message = { vi: `Trường hợp được phân công lại cho ${body.workerName}`, en: `Case reassigned to ${body.workerName}` };
    const notify = [previous, body.workerId]
      .filter((id): id is string => !!id)
      .map((recipientId) => ({ key: `${input.caseId}:assign:${state.eventSeq + 1}:${recipientId}`, recipientId, kind: 'case.assigned', message }));
    await record(actor, 'case.assigned', { from: previous, to: body.workerId }, { assigneeId: body.workerId, notify });
    return { stage: state.stage as Stage };
  });
  setHandler(assignUpdate, assign.handler, { validator: assign.validator });

  // A repeat report merged into the client's open case ends here; the open case carries on.
  const merge = action(openStages, CASE_WORKERS, none, (actor, body: { intoCaseId: string }) =>
    advance(actor, 'closed', 'case.merged', body),
  );
  setHandler(mergeUpdate, merge.handler, { validator: merge.validator });

  if (!input.carried) {
    const scored = await scoreRisk({ province: input.province, intake: input.intake, receivedAt: input.receivedAt });
    const routedStage = firstStage(scored.decision.path);
    const assignment = await recordIntake({
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
    state.child = scored.facts.isChild;
    state.unitId = assignment.unitId;
    state.assigneeId = assignment.assigneeId;
    state.risk = scored.decision;
    state.stage = routedStage;
    await armDeadline();
    await record({ id: input.reportedBy, name: input.reportedByName ?? 'reporter' }, 'case.routed', { risk: scored.decision });
    recorded = true;
  }

  // The escalation ladder: sleep until the next step of the current deadline, or until an
  // action changes the case; then take the steps whose time has come.
  for (;;) {
    const next = nextStep(state);
    const seen = changes;
    const woke = await condition(() => changes !== seen, next ? Math.max(1, Date.parse(next.at) - Date.now()) : undefined);
    if (!woke && next && state.deadline?.key === next.deadline.key) {
      state.fired = [...state.fired, `${next.deadline.key}:${next.level}`];
      state.eventSeq += 1;
      await escalate({ caseId: input.caseId, seq: state.eventSeq, at: now(), deadline: next.deadline, level: next.level });
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? HISTORY_EVENTS_BEFORE_CONTINUE)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof caseWorkflow>({ ...input, carried: state });
    }
  }
}

function nextStep(state: CaseState): { deadline: Deadline; level: (typeof LADDER)[number]; at: string } | undefined {
  const d = state.deadline;
  if (!d) return undefined;
  const times = { reminder: d.dueAt, supervisor: d.supervisorAt, manager: d.managerAt };
  const level = LADDER.find((l) => !state.fired.includes(`${d.key}:${l}`));
  return level && { deadline: d, level, at: times[level] };
}
