// What needs doing: a case's timeline, reviews coming due, open escalations, and one's own
// notifications (the outbox the workflows write).
import { createRoute, z } from '@hono/zod-openapi';
import { visibleTo } from '../../db/cases';
import { isUuid } from '../../domain/ids';
import { caseInScope } from '../case-scope';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const EventSchema = z
  .object({ seq: z.number(), at: z.string(), actor: z.string().nullable(), actorId: z.string().nullable(), kind: z.string(), data: z.record(z.string(), z.unknown()) })
  .openapi('CaseEvent');
const EscalationSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    deadlineKey: z.string(),
    step: z.string(),
    level: z.enum(['supervisor', 'manager']),
    status: z.enum(['open', 'resolved']),
    dueAt: z.string(),
    policyVersion: z.number(),
    openedAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('Escalation');
const NotificationSchema = z
  .object({ id: z.uuid(), caseId: z.string().nullable(), kind: z.string(), message: z.object({ vi: z.string(), en: z.string() }), createdAt: z.string(), readAt: z.string().nullable() })
  .openapi('Notification');

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function workRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  router.openapi(
    createRoute({
      method: 'get',
      path: '/cases/{id}/timeline',
      summary: 'Every event of a case: who, when, what',
      request: { params: IdParam },
      responses: { 200: jsonContent(z.object({ items: z.array(EventSchema) }), 'Events, oldest first'), ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'case.timeline', caseId: isUuid(id) ? id : null });
      const p = c.get('principal');
      await caseInScope(sql, id, p);
      if (p.role === 'collaborator') throw new ApiError(404, 'not_found', `No case with id ${id}`);
      const rows = await sql<{ seq: number; at: Date; actor: string | null; actor_id: string | null; kind: string; data: Record<string, unknown> }[]>`
        select seq, at, actor, actor_id, kind, data from case_events where case_id = ${id} order by seq`;
      return c.json({ items: rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), actor: r.actor, actorId: r.actor_id, kind: r.kind, data: r.data })) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/reviews/due',
      summary: 'Cases in your scope whose next review is due before a time (default: in 7 days)',
      request: { query: z.object({ before: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(z.object({ caseId: z.uuid(), nextReviewAt: z.string(), stage: z.string(), assignedWorkerId: z.string().nullable() })) }), 'Reviews due'), ...errorResponses(401, 422) },
    }),
    async (c) => {
      const { before, limit } = c.req.valid('query');
      const p = c.get('principal');
      const until = before ?? new Date(Date.now() + 7 * 86_400_000).toISOString();
      const rows = await sql<{ id: string; next_review_at: Date; stage: string; assigned_worker_id: string | null }[]>`
        select c.id, c.next_review_at, c.stage, c.assigned_worker_id from cases c
        where ${visibleTo(sql, p)} and c.next_review_at is not null and c.next_review_at < ${until}
        order by c.next_review_at limit ${limit}`;
      c.set('audit', { action: 'review.due', detail: { before: until, count: rows.length } });
      return c.json({ items: rows.map((r) => ({ caseId: r.id, nextReviewAt: r.next_review_at.toISOString(), stage: r.stage, assignedWorkerId: r.assigned_worker_id })) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/escalations',
      summary: 'Escalations of the cases in your scope, newest first',
      request: { query: z.object({ status: z.enum(['open', 'resolved']).optional(), caseId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(EscalationSchema) }), 'Escalations'), ...errorResponses(401, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const p = c.get('principal');
      const rows = await sql<
        { id: string; case_id: string; deadline_key: string; step: string; level: 'supervisor' | 'manager'; status: 'open' | 'resolved'; due_at: Date; policy_version: number; opened_at: Date; resolved_at: Date | null }[]
      >`
        select e.* from escalations e join cases c on c.id = e.case_id
        where ${visibleTo(sql, p)}
          ${q.status ? sql`and e.status = ${q.status}` : sql``}
          ${q.caseId ? sql`and e.case_id = ${q.caseId}` : sql``}
        order by e.opened_at desc limit ${q.limit}`;
      c.set('audit', { action: 'escalation.list', caseId: q.caseId ?? null, detail: { status: q.status ?? null, count: rows.length } });
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            caseId: r.case_id,
            deadlineKey: r.deadline_key,
            step: r.step,
            level: r.level,
            status: r.status,
            dueAt: r.due_at.toISOString(),
            policyVersion: r.policy_version,
            openedAt: r.opened_at.toISOString(),
            resolvedAt: iso(r.resolved_at),
          })),
        },
        200,
      );
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
      const rows = await sql<{ id: string; case_id: string | null; kind: string; message: { vi: string; en: string }; created_at: Date; read_at: Date | null }[]>`
        select * from notifications where recipient_id = ${c.get('principal').id}
          ${q.unread === 'true' ? sql`and read_at is null` : sql``}
        order by created_at desc limit ${q.limit}`;
      return c.json({ items: rows.map((r) => ({ id: r.id, caseId: r.case_id, kind: r.kind, message: r.message, createdAt: r.created_at.toISOString(), readAt: iso(r.read_at) })) }, 200);
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
      const [row] = isUuid(id)
        ? await sql<{ id: string; read_at: Date }[]>`
            update notifications set read_at = coalesce(read_at, now())
            where id = ${id} and recipient_id = ${c.get('principal').id} returning id, read_at`
        : [];
      if (!row) throw new ApiError(404, 'not_found', `No notification ${id} of yours`, [{ path: 'id', message: 'not found' }]);
      return c.json({ id: row.id, readAt: row.read_at.toISOString() }, 200);
    },
  );

  return router;
}
