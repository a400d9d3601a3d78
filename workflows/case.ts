// The case workflow: one per case, workflowId = case id, alive for the whole life of the case.
// It routes the intake, then guards every stage (staff actions are updates with validators),
// keeps one deadline at a time as a durable timer and climbs the escalation ladder by itself
// when the deadline passes: reminder → supervisor → managers.
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import type { NoticeDraft } from '../activities/notices';
import type { ActionInput } from '../domain/action-bodies';
import { ROLE_LABELS } from '../domain/access';
import { ACTION_NAMES, ACTIONS, type ActionName, type ActionReply } from '../domain/actions';
import type { RiskDecision } from '../domain/case';
import type { Deadline, DeadlineStep } from '../domain/deadlines';
import type { RefusalCode } from '../domain/errors';
import type { Intake } from '../domain/intake';
import { firstStage, STAGE_LABELS, type Bilingual, type Stage } from '../domain/stages';
import { actionUpdate, routedUpdate, stateQuery, type Actor, type CaseState } from './messages';

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
const LADDER = ['reminder', 'supervisor', 'manager'] as const;

const STEP_OF_STAGE: Partial<Record<Stage, DeadlineStep>> = {
  emergency_response: 'emergency_response',
  assessment: 'assessment',
  planning: 'planning',
  plan_review: 'plan_approval',
  implementation: 'review',
  closure_review: 'closure_approval',
};

/** A refused action: the API answers with the code's status and the message in the caller's language. */
function refuse(code: RefusalCode, message: Bilingual): never {
  throw ApplicationFailure.create({ type: code, message: message.en, details: [message], nonRetryable: true });
}

/** A staff action's own part: an extra check beyond role and stage, and what it does. */
interface ActionHandler<K extends ActionName> {
  check?: (actor: Actor, input: ActionInput<K>) => void;
  run: (actor: Actor, input: ActionInput<K>) => Promise<ActionReply>;
}
type ActionHandlers = { [K in ActionName]: ActionHandler<K> };

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

  /** Role first, then stage: who may never do this hears 403, whatever the case's stage. */
  function check(actor: Actor, name: ActionName) {
    const { roles, stages } = ACTIONS[name] as { roles: readonly string[]; stages: readonly string[] };
    if (!roles.includes(actor.role)) {
      const who = ROLE_LABELS[actor.role];
      refuse('forbidden', { vi: `Vai trò ${who.vi} không được làm việc này`, en: `the ${who.en} role may not do this` });
    }
    if (!stages.includes(state.stage)) {
      const label = (stage: string, lang: keyof Bilingual) => `"${STAGE_LABELS[stage as Stage]?.[lang] ?? stage}"`;
      refuse('out_of_stage', {
        vi: `Không thể làm khi trường hợp đang ở bước ${label(state.stage, 'vi')}; cần bước ${stages.map((s) => label(s, 'vi')).join(' hoặc ')}`,
        en: `not possible while the case is in ${state.stage}; it needs ${stages.join(' or ')}`,
      });
    }
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

  interface RecordExtra {
    /** Deadlines this event satisfied: their open escalations are resolved. */
    resolves?: string[];
    assigneeId?: string | null;
    restricted?: boolean;
    mergedInto?: string;
    notify?: NoticeDraft[];
  }

  /** Records what happened (and the case as it now is) before the action answers. */
  async function record(actor: { id: string; name: string } | null, kind: string, data: Record<string, unknown>, extra: RecordExtra = {}) {
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
      restricted: extra.restricted,
      mergedInto: extra.mergedInto,
      notify: extra.notify ?? [],
    });
    changes += 1;
  }

  /** Moves to a stage: the current deadline is met, the new stage's deadline starts. */
  async function advance(actor: Actor, to: Stage, kind: string, data: Record<string, unknown>, extra: RecordExtra = {}): Promise<ActionReply> {
    const met = state.deadline ? [state.deadline.key] : [];
    state.stage = to;
    await armDeadline();
    await record(actor, kind, data, { ...extra, resolves: met });
    return reply();
  }

  const reply = (): ActionReply => ({ stage: state.stage as Stage });

  setHandler(stateQuery, () => ({ caseId: input.caseId, ...state }));
  setHandler(routedUpdate, async () => {
    await condition(() => recorded);
    return { stage: state.stage as Stage, risk: state.risk as RiskDecision };
  });

  // Nobody approves their own request.
  const notOwn = (requester: string | undefined, actor: Actor) => {
    if (requester === actor.id)
      refuse('own_approval', { vi: 'Không thể tự duyệt đề xuất của chính mình', en: 'you cannot decide on a request you made yourself' });
  };

  // What each staff action does, beyond the role and stage the catalogue gives it.
  const handlers: ActionHandlers = {
    safetyConfirmed: { run: (actor, body) => advance(actor, 'assessment', 'safety.confirmed', body) },

    assessment: { run: (actor, body) => advance(actor, 'planning', 'assessment.recorded', body) },

    plan: {
      run: async (actor, body) => {
        state.plan = { goals: body.goals, submittedBy: actor.id };
        state.interventions = body.interventions.map((i) => ({ id: `i${++state.interventionSeq}`, ...i, status: 'planned' as const }));
        return await advance(actor, 'plan_review', 'plan.submitted', body);
      },
    },

    planDecision: {
      check: (actor) => notOwn(state.plan?.submittedBy, actor),
      run: async (actor, body) => {
        if (body.decision === 'approve') return await advance(actor, 'implementation', 'plan.approved', body);
        state.plan = { ...state.plan!, rejection: body.comment };
        return await advance(actor, 'planning', 'plan.rejected', body);
      },
    },

    addIntervention: {
      run: async (actor, body) => {
        const intervention = { id: `i${++state.interventionSeq}`, ...body, status: 'planned' as const };
        state.interventions = [...state.interventions, intervention];
        await record(actor, 'intervention.added', intervention);
        return { ...reply(), interventionId: intervention.id };
      },
    },

    updateIntervention: {
      check: (_actor, body) => {
        if (!state.interventions.some((i) => i.id === body.interventionId)) {
          refuse('validation_failed', {
            vi: `Trường hợp này không có hoạt động ${body.interventionId}`,
            en: `no intervention ${body.interventionId} in this case`,
          });
        }
      },
      run: async (actor, body) => {
        state.interventions = state.interventions.map((i) =>
          i.id === body.interventionId ? { ...i, ...(body.status ? { status: body.status } : {}), ...(body.outcome ? { outcome: body.outcome } : {}) } : i,
        );
        await record(actor, 'intervention.updated', body);
        return reply();
      },
    },

    review: {
      run: async (actor, body) => {
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
        return reply();
      },
    },

    closure: {
      run: async (actor, body) => {
        state.closure = { ...body, requestedBy: actor.id };
        return await advance(actor, 'closure_review', 'closure.proposed', body);
      },
    },

    closureDecision: {
      check: (actor) => notOwn(state.closure?.requestedBy, actor),
      run: async (actor, body) => {
        if (body.decision === 'approve') return await advance(actor, 'closed', 'closure.approved', body);
        state.closure = undefined;
        return await advance(actor, 'implementation', 'closure.rejected', body);
      },
    },

    reopen: {
      run: (actor, body) => {
        state.closure = undefined;
        return advance(actor, 'assessment', 'case.reopened', body);
      },
    },

    assign: {
      run: async (actor, body) => {
        const previous = state.assigneeId;
        state.assigneeId = body.workerId;
        // Both workers hear of it; the notice's words are composed with the notifications.
        const notify = [previous, body.workerId]
          .filter((id): id is string => !!id)
          .map((recipientId) => ({ key: `${input.caseId}:assign:${state.eventSeq + 1}:${recipientId}`, recipientId, kind: 'case.assigned' as const }));
        await record(actor, 'case.assigned', { from: previous, to: body.workerId }, { assigneeId: body.workerId, notify });
        return reply();
      },
    },

    // A repeat report merged into the client's open case ends here; the open case carries on.
    merge: { run: (actor, body) => advance(actor, 'closed', 'case.merged', body, { mergedInto: body.intoCaseId }) },

    restriction: {
      run: async (actor, body) => {
        state.restricted = body.restricted;
        await record(actor, 'case.restriction_changed', body, { restricted: body.restricted });
        return reply();
      },
    },

    note: {
      run: async (actor, body) => {
        await record(actor, 'case.note', body);
        return reply();
      },
    },
  };

  // Each action is an update: its validator refuses (changing nothing) when the role, the stage
  // or the request is wrong; its handler checks again under the lock, applies, records, answers.
  function register<K extends ActionName>(name: K, handler: ActionHandler<K>) {
    const validate = (actor: Actor, body: ActionInput<K>) => {
      check(actor, name);
      handler.check?.(actor, body);
    };
    type Args = [Actor, ActionInput<K>];
    setHandler<ActionReply, Args, UpdateDefinition<ActionReply, Args>>(
      actionUpdate(name),
      (actor, body) =>
        exclusive(async () => {
          validate(actor, body);
          return await handler.run(actor, body);
        }),
      { validator: validate },
    );
  }
  for (const name of ACTION_NAMES) register(name, handlers[name] as ActionHandler<typeof name>);

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
    state.restricted = scored.restricted;
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
