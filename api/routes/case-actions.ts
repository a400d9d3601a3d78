// Staff actions on a case. Each is a Temporal update whose validator refuses, changing nothing,
// an action out of stage (409), by the wrong role or approving one's own request (403); the
// body is checked here first (422). The answer is the case as it is after the action's write.
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import { findCase } from '../../db/cases';
import { ConcernsSchema } from '../../domain/intake';
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
  safetyConfirmedUpdate,
  updateInterventionUpdate,
  type Actor,
} from '../../workflows/messages';
import { caseInScope } from '../case-scope';
import { newRouter, type ApiDeps, type AppEnv } from '../context';
import { ApiError } from '../errors';
import { CaseSchema, errorResponses, IdParam, jsonContent } from '../schemas';
import type { Context } from 'hono';

const text = (max = 5000) => z.string().trim().min(1).max(max);
const list = z.array(text(1000)).max(100);
const Decision = z.object({ decision: z.enum(['approve', 'reject']), comment: text() }).openapi('Decision');

const BODIES = {
  safety: z.object({ actions: list.min(1) }).openapi('SafetyConfirmed'),
  assessment: z.object({ summary: text(20_000), needs: list }).openapi('Assessment'),
  plan: z
    .object({ goals: list.min(1), interventions: z.array(z.object({ type: text(100), description: text() })).max(100) })
    .openapi('Plan'),
  intervention: z.object({ type: text(100), description: text() }).openapi('NewIntervention'),
  interventionPatch: z
    .object({ status: z.enum(['planned', 'in_progress', 'done', 'cancelled']).optional(), outcome: text().optional() })
    .refine((b) => b.status !== undefined || b.outcome !== undefined, 'send a status or an outcome')
    .openapi('InterventionPatch'),
  review: z
    .object({ summary: text(20_000), progress: z.enum(['on_track', 'at_risk', 'off_track']), concerns: ConcernsSchema.optional() })
    .openapi('Review'),
  closure: z.object({ reason: text(), outcome: text() }).openapi('Closure'),
  reopen: z.object({ reason: text() }).openapi('Reopen'),
  assign: z.object({ workerId: z.uuid() }).openapi('Assignment'),
  merge: z.object({ intoCaseId: z.uuid() }).openapi('Merge'),
};

const STATUS_OF_REFUSAL: Record<string, 403 | 409 | 422> = {
  [REFUSALS.outOfStage]: 409,
  [REFUSALS.forbidden]: 403,
  [REFUSALS.ownApproval]: 403,
  [REFUSALS.invalid]: 422,
};

function post<B extends z.ZodType>(path: string, summary: string, body: B, method: 'post' | 'patch' = 'post') {
  return createRoute({
    method,
    path,
    summary,
    request: {
      params: path.includes('{iid}') ? IdParam.extend({ iid: z.string().openapi({ param: { name: 'iid', in: 'path' } }) }) : IdParam,
      body: { required: true, content: { 'application/json': { schema: body } } },
    },
    responses: { 200: jsonContent(CaseSchema, 'The case after the action'), ...errorResponses(400, 401, 403, 404, 409, 422) },
  });
}

export function caseActionsRouter(deps: ApiDeps) {
  const router = newRouter();

  /** Runs an action on a case in the caller's scope and answers the case as it now is. */
  async function act<A extends unknown[], R>(c: Context<AppEnv>, name: string, update: UpdateDefinition<R, [Actor, ...A]>, ...args: A) {
    const id = c.req.param('id') ?? '';
    const p = c.get('principal');
    c.set('audit', { action: `case.${name}`, caseId: id, detail: { stage: null } });
    const before = await caseInScope(deps.sql, id, p);
    c.set('audit', { action: `case.${name}`, caseId: id, detail: { from: before.stage } });
    const actor: Actor = { id: p.id, name: p.name, role: p.role };
    try {
      await deps.temporal.workflow.getHandle(id).executeUpdate(update, { args: [actor, ...args] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const status = STATUS_OF_REFUSAL[err.cause.type ?? ''];
        if (status) throw new ApiError(status, err.cause.type === REFUSALS.ownApproval ? 'own_approval' : (err.cause.type ?? 'refused'), err.cause.message);
      }
      if (err instanceof WorkflowNotFoundError) throw new ApiError(409, 'case_not_running', 'This case takes no more actions (it was erased or its workflow ended)');
      throw err;
    }
    const after = (await findCase(deps.sql, id))!;
    c.set('audit', { action: `case.${name}`, caseId: id, detail: { from: before.stage, to: after.stage } });
    return c.json(after, 200);
  }

  router.openapi(post('/{id}/safety-confirmed', 'The person is safe: emergency response → assessment', BODIES.safety), (c) =>
    act(c, 'safety_confirmed', safetyConfirmedUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/assessment', 'Record the comprehensive assessment: → planning', BODIES.assessment), (c) =>
    act(c, 'assessment', assessmentUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/plan', 'Submit the intervention plan for approval: → plan review', BODIES.plan), (c) =>
    act(c, 'plan', planUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/plan/decision', 'Approve (→ implementation) or reject (→ planning) the plan; managers, not the plan’s author', Decision), (c) =>
    act(c, 'plan_decision', planDecisionUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/interventions', 'Add an intervention (implementation)', BODIES.intervention), (c) =>
    act(c, 'intervention_added', addInterventionUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/interventions/{iid}', 'Change an intervention’s status or outcome', BODIES.interventionPatch, 'patch'), (c) =>
    act(c, 'intervention_updated', updateInterventionUpdate, { interventionId: c.req.param('iid') ?? '', ...c.req.valid('json') }),
  );
  router.openapi(post('/{id}/reviews', 'Record a periodic review; new concerns re-score the risk', BODIES.review), (c) =>
    act(c, 'review', reviewUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/closure', 'Propose closure: → closure review', BODIES.closure), (c) =>
    act(c, 'closure', closureUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/closure/decision', 'Approve (→ closed) or reject (→ implementation) closure; managers, not the proposer', Decision), (c) =>
    act(c, 'closure_decision', closureDecisionUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/reopen', 'Reopen a closed case: → assessment', BODIES.reopen), (c) =>
    act(c, 'reopen', reopenUpdate, c.req.valid('json')),
  );
  router.openapi(post('/{id}/assign', 'Reassign the case (the unit supervisor or a manager)', BODIES.assign), async (c) => {
    const { workerId } = c.req.valid('json');
    const [worker] = await deps.sql<{ display_name: string }[]>`
      select display_name from staff where id = ${workerId} and province = ${c.get('principal').province} and role = 'social_worker' and active`;
    if (!worker) throw new ApiError(422, 'validation_failed', 'No such social worker', [{ path: 'workerId', message: 'no active social worker with this id in your province' }]);
    return act(c, 'assign', assignUpdate, { workerId, workerName: worker.display_name });
  });

  router.openapi(post('/{id}/merge', 'Merge a repeat report into the client’s open case: this one closes as merged', BODIES.merge), async (c) => {
    const { intoCaseId } = c.req.valid('json');
    const p = c.get('principal');
    const id = c.req.param('id') ?? '';
    const [source, target] = await Promise.all([caseInScope(deps.sql, id, p), caseInScope(deps.sql, intoCaseId, p)]);
    const refuse = (message: string) => new ApiError(422, 'validation_failed', message, [{ path: 'intoCaseId', message }]);
    if (source.id === target.id) throw refuse('a case cannot be merged into itself');
    if (!source.clientId || source.clientId !== target.clientId) throw refuse('the cases are about different clients');
    if (target.stage === 'closed' || target.mergedInto) throw refuse('the case to merge into is not open');
    await act(c, 'merge', mergeUpdate, { intoCaseId });
    await deps.sql`update cases set merged_into = ${intoCaseId} where id = ${id}`;
    return c.json((await findCase(deps.sql, id))!, 200);
  });

  return router;
}
