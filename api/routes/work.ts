// What needs doing: a case's timeline, reviews coming due, open escalations, and one's own
// notifications (the outbox the workflows write).
import { createRoute, z } from '@hono/zod-openapi';
import { instant } from '../../domain/input';
import { reviewsDue } from '../../db/cases';
import { listEscalations } from '../../db/escalations';
import { caseTimeline } from '../../db/lifecycle';
import { listNotifications, markNotificationRead } from '../../db/notifications';
import { ROLES } from '../../domain/access';
import { CaseEventSchema } from '../../domain/case';
import { isUuid } from '../../domain/ids';
import { allow } from '../auth';
import { caseInScope, caseNotFound } from '../case-scope';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const EscalationSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    caseRef: z.string(),
    deadlineKey: z.string(),
    step: z.string(),
    level: z.enum(['supervisor', 'manager']),
    status: z.enum(['open', 'resolved']),
    dueAt: z.string(),
    policyVersion: z.number(),
    openedAt: z.string(),
    resolvedAt: z.string().nullable(),
    unit: z.object({ id: z.uuid(), name: z.string() }).nullable().describe('The case’s unit now'),
    assignedWorker: z.object({ id: z.uuid(), displayName: z.string() }).nullable().describe('Who holds the case now'),
  })
  .openapi('Escalation');
const NotificationSchema = z
  .object({
    id: z.uuid(),
    caseId: z.string().nullable(),
    caseRef: z.string().nullable().describe('The case’s reference, while the case is yours to see'),
    kind: z.string(),
    message: z.object({ vi: z.string(), en: z.string() }),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('Notification');

/** Who may read work lists: everyone but collaborators (I4: they see the status of what they reported, nothing more). */
const STAFF = ROLES.filter((r) => r !== 'collaborator');

export function workRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  router.openapi(
    createRoute({
      method: 'get',
      path: '/cases/{id}/timeline',
      summary: 'Every event of a case: who, when, what',
      request: { params: IdParam },
      responses: { 200: jsonContent(z.object({ items: z.array(CaseEventSchema) }), 'Events, oldest first'), ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'case.timeline', caseId: isUuid(id) ? id : null });
      const p = c.get('principal');
      await caseInScope(sql, id, p);
      if (p.role === 'collaborator') throw caseNotFound(id);
      return c.json({ items: await caseTimeline(sql, id) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/reviews/due',
      summary: 'Cases in your scope whose next review is due before a time (default: in 7 days); not for collaborators, who see status only',
      middleware: [allow(...STAFF)] as const,
      request: { query: z.object({ before: instant().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: {
        200: jsonContent(
          z.object({ items: z.array(z.object({ caseId: z.uuid(), nextReviewAt: z.string(), stage: z.string(), assignedWorkerId: z.string().nullable() })) }),
          'Reviews due',
        ),
        ...errorResponses(401, 422),
      },
    }),
    async (c) => {
      const { before, limit } = c.req.valid('query');
      const until = before ?? new Date(Date.now() + 7 * 86_400_000).toISOString();
      const items = await reviewsDue(sql, c.get('principal'), { before: until, limit });
      c.set('audit', { action: 'review.due', detail: { before: until, count: items.length } });
      return c.json({ items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/escalations',
      summary: 'Escalations of the cases in your scope, newest first; not for collaborators, who see status only',
      middleware: [allow(...STAFF)] as const,
      request: {
        query: z.object({
          status: z.enum(['open', 'resolved']).optional(),
          caseId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: { 200: jsonContent(z.object({ items: z.array(EscalationSchema) }), 'Escalations'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await listEscalations(sql, c.get('principal'), q);
      c.set('audit', { action: 'escalation.list', caseId: q.caseId ?? null, detail: { status: q.status ?? null, count: items.length } });
      return c.json({ items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/me/notifications',
      summary: 'Your notifications, newest first',
      request: { query: z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(NotificationSchema) }), 'Notifications'), ...errorResponses(401, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await listNotifications(sql, c.get('principal'), { unreadOnly: q.unread === 'true', limit: q.limit }) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/me/notifications/{id}/read',
      summary: 'Mark one of your notifications read',
      request: { params: IdParam },
      responses: { 200: jsonContent(z.object({ id: z.uuid(), readAt: z.string() }), 'Read'), ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const read = isUuid(id) ? await markNotificationRead(sql, id, c.get('principal').id) : undefined;
      if (!read)
        throw new ApiError('not_found', [{ path: 'id', message: 'not found' }], {
          vi: `Không có thông báo ${id} của bạn`,
          en: `No notification ${id} of yours`,
        });
      return c.json(read, 200);
    },
  );

  return router;
}
