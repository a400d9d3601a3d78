// /audit: the audit trail of your province, newest first, for managers.
import { createRoute, z } from '@hono/zod-openapi';
import { sequenceText } from '../../domain/input';
import { listAudit } from '../../db/audit';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { errorResponses } from '../schemas';

const AuditRecordSchema = z
  .object({
    seq: z.string(),
    at: z.iso.datetime(),
    actorId: z.string().nullable(),
    actor: z.string().nullable(),
    role: z.string().nullable(),
    action: z.string(),
    caseId: z.string().nullable(),
    address: z.string().nullable(),
    outcome: z.number().describe('HTTP status of the request'),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditRecord');

const AuditQuery = z.object({
  caseId: z.uuid().optional(),
  before: sequenceText().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function auditRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Audit rows, newest first; page with ?before=<seq of the last row>',
      middleware: [allow('manager')] as const,
      request: { query: AuditQuery },
      responses: {
        200: { description: 'Audit rows', content: { 'application/json': { schema: z.object({ items: z.array(AuditRecordSchema) }) } } },
        ...errorResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await listAudit(deps.sql, { province: c.get('principal').province, caseId: q.caseId, beforeSeq: q.before, limit: q.limit });
      c.set('audit', { action: 'audit.read', caseId: q.caseId ?? null, detail: { count: items.length } });
      return c.json({ items: items.map(({ province: _p, ...rest }) => rest) }, 200);
    },
  );
  return router;
}
