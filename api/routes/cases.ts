// /cases: intake (created and routed at once) and reading within the caller's scope. Erasure is a
// staff action (api/routes/case-actions.ts).
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { findCase, listCases, toStatus } from '../../db/cases';
import { idempotentReplay, reserveIdempotencyKey } from '../../db/idempotency';
import type { Principal } from '../../domain/access';
import { dueWindow } from '../../domain/deadlines';
import { isUuid } from '../../domain/ids';
import { draftForScoring, IntakeDraftSchema, keptIntake, recordedAtProblem, type Intake } from '../../domain/intake';
import { evaluateRisk } from '../../rules/engine';
import { routingFacts } from '../../rules/facts';
import { factsAtIntake } from '../../rules/intake-facts';
import { publishedRulesets } from '../../rules/ruleset-source';
import { hashJson } from '../../db/canonical-json';
import { startCase } from '../case-start';
import { presentCase, presentCases } from '../case-view';
import { caseInScope } from '../case-scope';
import { newRouter, type ApiDeps } from '../context';
import { decodeCursor, encodeCursor } from '../cursor';
import { ApiError } from '../errors';
import { IdParam, CaseListQuery, CaseListSchema, CaseView, errorResponses, IdempotencyHeaders, IntakeSchema, jsonContent, RiskDecision } from '../schemas';

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
  summary: 'Cases in your scope, newest first, filtered by path, risk level, stage, assignee, client or what falls due',
  request: { query: CaseListQuery },
  responses: { 200: jsonContent(CaseListSchema, 'A page of cases'), ...errorResponses(400, 401, 422) },
});

const previewRoute = createRoute({
  method: 'post',
  path: '/preview',
  summary: 'The routing an intake would get now, explained, while it is being written (nothing is stored)',
  description:
    'Scored by the published ruleset on what is filled in so far; a missing part counts as unknown. Earlier cases of the client count as at intake, except for collaborators, who see no other case.',
  request: { body: { required: true, content: { 'application/json': { schema: IntakeDraftSchema.openapi('IntakeDraft') } } } },
  responses: {
    200: jsonContent(
      z.object({ decision: RiskDecision, priorCases: z.int().nullable().describe('Earlier cases of the client counted; null when not looked up') }),
      'The routing it would get',
    ),
    ...errorResponses(400, 401, 413, 415, 422, 429, 503),
  },
});

export function casesRouter(deps: ApiDeps) {
  const router = newRouter();
  const rulesets = publishedRulesets(deps.sql);

  const route = (caseId: string, intake: Intake, p: Principal) => startCase(deps, caseId, intake, p);

  router.openapi(createCase, async (c) => {
    const intake = keptIntake(c.req.valid('json'));
    const key = c.req.valid('header')['idempotency-key'];
    const p = c.get('principal');
    c.set('audit', { action: 'case.create', detail: { idempotencyKey: key ?? null } });
    // Keys are per reporter: two integrations choosing the same key never meet.
    const keyOf = (k: string) => `${p.id}:${k}`;
    // When the report was written (issue 30) is bounded by the clock when it is first received; a
    // retry of an intake already taken answers its case however long it waited.
    const late = intake.recordedAt === undefined ? undefined : recordedAtProblem(intake.recordedAt, new Date());
    if (late && (key === undefined || !(await idempotentReplay(deps.sql, 'intake', keyOf(key), hashJson(intake))))) {
      throw new ApiError('validation_failed', [{ path: 'recordedAt', message: late }]);
    }
    // I4: the reporter sees the case as GET /cases/{id} would show it to them; a case they may
    // not see (a restricted child's, one moved away) answers with its status only.
    const answer = async (caseId: string, status: 200 | 201) => {
      const visible = await findCase(deps.sql, caseId, p);
      c.set('audit', { action: 'case.create', caseId, detail: { idempotencyKey: key ?? null, replay: status === 200, outOfScope: !visible } });
      const created = visible ?? (await findCase(deps.sql, caseId));
      if (!created) throw new Error(`case ${caseId} was routed but is not in the database`);
      if (status === 201) deps.metrics?.intakeRouted(created.risk.path);
      return c.json(visible ? await presentCase(deps.sql, visible, p, { justCreated: status === 201 }) : toStatus(created), status);
    };
    if (key === undefined) return answer(await route(randomUUID(), intake, p), 201);

    const reservation = await reserveIdempotencyKey(deps.sql, 'intake', keyOf(key), hashJson(intake), randomUUID());
    if (reservation.kind === 'conflict') {
      throw new ApiError('idempotency_key_reused', [
        { path: 'Idempotency-Key', message: { vi: 'đã dùng cho một báo cáo khác', en: 'already used for another intake' } },
      ]);
    }
    if (reservation.kind === 'replay') {
      // An earlier attempt may have stopped before its case was routed: finish that same case.
      return answer((await findCase(deps.sql, reservation.id))?.id ?? (await route(reservation.id, intake, p)), 200);
    }
    return answer(await route(reservation.id, intake, p), 201);
  });

  router.openapi(previewRoute, async (c) => {
    const p = c.get('principal');
    const intake = draftForScoring(c.req.valid('json'));
    const now = new Date();
    // I4: whether a person has earlier cases is not a collaborator's to learn.
    const facts = p.role === 'collaborator' ? routingFacts(intake, now) : await factsAtIntake(deps.sql, p.province, intake, now);
    const decision = await evaluateRisk(await rulesets.published(p.province), facts);
    return c.json({ decision, priorCases: p.role === 'collaborator' ? null : facts.priorCases }, 200);
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
    const { due, assignedTo, pendingRisk, ...rest } = query;
    const page = await listCases(deps.sql, p, {
      ...rest,
      after,
      assignedTo: assignedTo === 'me' ? p.id : assignedTo,
      due: due === undefined ? undefined : dueWindow(due, new Date()),
      pendingRisk: pendingRisk === 'true',
    });
    const { cursor: _cursor, ...filter } = query;
    c.set('audit', { action: 'case.list', detail: { filter, count: page.items.length } });
    return c.json({ items: await presentCases(deps.sql, page.items, p), nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
  });

  return router;
}
