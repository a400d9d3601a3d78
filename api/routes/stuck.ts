// /stuck: activities that keep failing (activities/failures.ts records them from the fifth
// attempt), so an administrator or manager sees work waiting on a person instead of a caller
// waiting forever. A row goes when its activity succeeds.
import { createRoute, z } from '@hono/zod-openapi';
import { listStuck } from '../../db/stuck';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { errorResponses, jsonContent } from '../schemas';

const StuckSchema = z
  .object({
    caseId: z.uuid().nullable(),
    activity: z.string().describe('The activity, e.g. recordCaseEvent'),
    attempts: z.int().describe('Attempts so far; it is still being retried, at least every 30 s'),
    lastError: z.string(),
    since: z.iso.datetime().describe('When it was first listed'),
    updatedAt: z.iso.datetime().describe('Its latest failed attempt'),
  })
  .openapi('StuckActivity');

export function stuckRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Activities that keep failing on the cases in your scope, longest first',
      middleware: [allow('admin', 'manager')] as const,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(StuckSchema) }), 'What keeps failing'), ...errorResponses(403) },
    }),
    async (c) => {
      const items = await listStuck(deps.sql, c.get('principal'), c.req.valid('query').limit);
      c.set('audit', { action: 'stuck.list', detail: { count: items.length } });
      return c.json({ items }, 200);
    },
  );
  return router;
}
