// /cases: intake (created and routed at once) and reading within the caller's scope. Erasure is a
// staff action (api/routes/case-actions.ts).
import { randomUUID } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { findCase, listCases, reserveIdempotencyKey, toStatus } from '../../db/cases';
import type { Principal } from '../../domain/access';
import type { Case } from '../../domain/case';
import { isUuid } from '../../domain/ids';
import type { Intake } from '../../domain/intake';
import { hashJson } from '../../db/canonical-json';
import { caseWorkflow, routedUpdate } from '../../workflows/case';
import { presentCase, presentCases } from '../case-view';
import { caseInScope } from '../case-scope';
import { newRouter, type ApiDeps } from '../context';
import { decodeCursor, encodeCursor } from '../cursor';
import { ApiError } from '../errors';
import { IdParam, CaseListQuery, CaseListSchema, CaseView, errorResponses, IdempotencyHeaders, IntakeSchema, jsonContent } from '../schemas';

const createCase = createRoute({
  method: 'post',
  path: '/',
  summary: 'Register an intake; answers with its routing',
  request: { headers: IdempotencyHeaders, body: { required: true, content: { 'application/json': { schema: IntakeSchema } } } },
  responses: {
    201: jsonContent(CaseView, 'Case created and routed'),
    200: jsonContent(CaseView, 'The case an earlier request with this Idempotency-Key created'),
    ...errorResponses(400, 401, 409, 413, 415, 422, 429, 503),
  },
});

const getCase = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'One case (404 when it is outside your scope)',
  request: { params: IdParam },
  responses: { 200: jsonContent(CaseView, 'The case'), ...errorResponses(401, 404) },
});

const listCasesRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Cases in your scope, newest first, filtered by path, risk level or stage',
  request: { query: CaseListQuery },
  responses: { 200: jsonContent(CaseListSchema, 'A page of cases'), ...errorResponses(400, 401, 422) },
});

export function casesRouter(deps: ApiDeps) {
  const router = newRouter();

  /** Starts the case workflow (or finds it running) and waits for its routing, in one round trip. */
  async function route(caseId: string, intake: Intake, p: Principal): Promise<Case> {
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
    const stored = await findCase(deps.sql, caseId);
    if (!stored) throw new Error(`case ${caseId} was routed but is not in the database`);
    return stored;
  }

  router.openapi(createCase, async (c) => {
    const intake = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const p = c.get('principal');
    c.set('audit', { action: 'case.create', detail: { idempotencyKey: key ?? null } });
    // I4: the reporter sees the case as GET /cases/{id} would show it to them; a case they may
    // not see (a restricted child's, one moved away) answers with its status only.
    const answer = async (created: Case, status: 200 | 201) => {
      const visible = await findCase(deps.sql, created.id, p);
      c.set('audit', { action: 'case.create', caseId: created.id, detail: { idempotencyKey: key ?? null, replay: status === 200, outOfScope: !visible } });
      return c.json(visible ? await presentCase(deps.sql, visible, p) : toStatus(created), status);
    };
    if (key === undefined) return answer(await route(randomUUID(), intake, p), 201);

    // Keys are per reporter: two integrations choosing the same key never meet.
    const reservation = await reserveIdempotencyKey(deps.sql, `${p.id}:${key}`, hashJson(intake), randomUUID());
    if (reservation.kind === 'conflict') {
      throw new ApiError('idempotency_key_reused', [
        { path: 'Idempotency-Key', message: { vi: 'đã dùng cho một báo cáo khác', en: 'already used for another intake' } },
      ]);
    }
    if (reservation.kind === 'replay') {
      // An earlier attempt may have stopped before its case was routed: finish that same case.
      return answer((await findCase(deps.sql, reservation.caseId)) ?? (await route(reservation.caseId, intake, p)), 200);
    }
    return answer(await route(reservation.caseId, intake, p), 201);
  });

  router.openapi(getCase, async (c) => {
    const { id } = c.req.valid('param');
    const p = c.get('principal');
    c.set('audit', { action: 'case.read', caseId: isUuid(id) ? id : null });
    return c.json(await presentCase(deps.sql, await caseInScope(deps.sql, id, p), p), 200);
  });

  router.openapi(listCasesRoute, async (c) => {
    const query = c.req.valid('query');
    const p = c.get('principal');
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const page = await listCases(deps.sql, p, { ...query, after });
    const { cursor: _cursor, ...filter } = query;
    c.set('audit', { action: 'case.list', detail: { filter, count: page.items.length } });
    return c.json({ items: await presentCases(deps.sql, page.items, p), nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
  });

  return router;
}
