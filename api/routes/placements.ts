// GET /placements (issue 28): where the people of the reader's cases are placed — tonight with
// `active=true` — by kind and carer, under the scope of cases (I4: a restricted case's placement
// only for those who may see the case; collaborators never). Placing, moving, extending, ending
// and visits are staff actions of the catalogue (case-actions.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { listPlacements } from '../../db/placements';
import { PlacementQuery, PlacementSchema } from '../../domain/placement-view';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { errorResponses, jsonContent } from '../schemas';

export function placementsRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Placements of the cases you may see: current ones first, soonest to reach their limit first',
      middleware: [allow('social_worker', 'supervisor', 'manager')] as const,
      request: { query: PlacementQuery.extend({ limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict() },
      responses: { 200: jsonContent(z.object({ items: z.array(PlacementSchema) }), 'Placements'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await listPlacements(deps.sql, c.get('principal'), q);
      c.set('audit', { action: 'placement.list', detail: { filter: q, count: items.length } });
      return c.json({ items }, 200);
    },
  );
  return router;
}
