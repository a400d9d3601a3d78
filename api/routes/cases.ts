// /cases: intake (create, routed at once) and reading cases.
import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { findCase, listCases, reserveIdempotencyKey } from '../../db/cases';
import type { Case } from '../../domain/case';
import { isUuid } from '../../domain/ids';
import type { Intake } from '../../domain/intake';
import { caseWorkflow, routedUpdate } from '../../workflows/case';
import type { ApiDeps } from '../app';
import { hashJson } from '../canonical-json';
import { decodeCursor, encodeCursor } from '../cursor';
import { ApiError, ErrorSchema, validationHook } from '../errors';
import { CaseIdParam, CaseListQuery, CaseListSchema, CaseSchema, IdempotencyHeaders, IntakeSchema } from '../schemas';

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [code, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]),
  );

const createCase = createRoute({
  method: 'post',
  path: '/',
  summary: 'Register an intake; answers with its routing',
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: IntakeSchema } } },
  },
  responses: {
    201: { description: 'Case created and routed', content: { 'application/json': { schema: CaseSchema } } },
    200: { description: 'The case an earlier request with this Idempotency-Key created', content: { 'application/json': { schema: CaseSchema } } },
    ...errors(400, 413, 415, 422, 503),
  },
});

const getCase = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'One case with its stage and routing',
  request: { params: CaseIdParam },
  responses: {
    200: { description: 'The case', content: { 'application/json': { schema: CaseSchema } } },
    ...errors(404),
  },
});

const listCasesRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Cases, newest first, filtered by path, risk level or stage',
  request: { query: CaseListQuery },
  responses: {
    200: { description: 'A page of cases', content: { 'application/json': { schema: CaseListSchema } } },
    ...errors(400, 422),
  },
});

export function casesRouter(deps: ApiDeps) {
  const router = new OpenAPIHono({ defaultHook: validationHook });

  /** Starts the case workflow (or finds it running) and waits for its routing, in one round trip. */
  async function route(caseId: string, intake: Intake): Promise<Case> {
    const start = new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: caseId,
      taskQueue: deps.taskQueue,
      args: [{ caseId, intake, receivedAt: new Date().toISOString() }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    try {
      await deps.temporal.withDeadline(Date.now() + deps.routingTimeoutMs, () =>
        deps.temporal.workflow.executeUpdateWithStart(routedUpdate, { startWorkflowOperation: start }),
      );
    } catch (err) {
      // The case is safe: its workflow routes it as soon as a worker runs. The caller retries
      // with the same Idempotency-Key and gets it.
      throw new ApiError(503, 'routing_delayed', 'The case was received but its routing is not ready yet; repeat the request with the same Idempotency-Key', [
        { path: '(temporal)', message: err instanceof Error ? err.message : String(err) },
      ]);
    }
    const stored = await findCase(deps.sql, caseId);
    if (!stored) throw new Error(`case ${caseId} was routed but is not in the database`);
    return stored;
  }

  router.openapi(createCase, async (c) => {
    const intake = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    if (key === undefined) return c.json(await route(randomUUID(), intake), 201);

    const reservation = await reserveIdempotencyKey(deps.sql, key, hashJson(intake), randomUUID());
    if (reservation.kind === 'conflict') {
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different body', [
        { path: 'Idempotency-Key', message: 'already used for another intake' },
      ]);
    }
    if (reservation.kind === 'replay') {
      const existing = await findCase(deps.sql, reservation.caseId);
      // An earlier attempt may have stopped before its case was routed: finish that same case.
      return c.json(existing ?? (await route(reservation.caseId, intake)), 200);
    }
    return c.json(await route(reservation.caseId, intake), 201);
  });

  router.openapi(getCase, async (c) => {
    const { id } = c.req.valid('param');
    const found = isUuid(id) ? await findCase(deps.sql, id) : undefined;
    if (!found) throw new ApiError(404, 'not_found', `No case with id ${id}`, [{ path: 'id', message: 'not found' }]);
    return c.json(found, 200);
  });

  router.openapi(listCasesRoute, async (c) => {
    const query = c.req.valid('query');
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const page = await listCases(deps.sql, { ...query, after });
    return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
  });

  return router;
}
