// /carers (issue 28): the register of where a person can be placed — foster families, kin,
// shelters, residential centres, health facilities. Managers and administrators keep it; everyone
// of the province reads it (a worker looking for a place tonight), with each carer's free places.
// A carer's page lists its current placements whose case the reader may see.
import { createRoute, z } from '@hono/zod-openapi';
import { currentPlacementsOf, findCarer, insertCarer, listCarers, updateCarer } from '../../db/carers';
import { CARER_KINDS, CarerPatchSchema, CarerPlacementSchema, CarerSchema, NewCarerSchema } from '../../domain/carers';
import { isUuid } from '../../domain/ids';
import { text } from '../../domain/input';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const CarerListQuery = z.strictObject({
  kind: z.enum(CARER_KINDS).optional(),
  commune: text(100).optional().describe('As written anywhere (“Xã Hoành Bồ” finds “Hoành Bồ”)'),
  available: z.enum(['true']).optional().describe('Only carers that can take a placement now'),
});

const CarerDetail = CarerSchema.extend({
  placements: z.array(CarerPlacementSchema).describe('Its current placements whose case you may see (collaborators: none)'),
}).openapi('CarerDetail');

const notFound = (id: string) =>
  new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
    vi: `Không có nơi chăm sóc ${id} trong tỉnh của bạn`,
    en: `No carer ${id} in your province`,
  });

export function carersRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Carers of your province, by kind, commune and whether they can take a placement now',
      request: { query: CarerListQuery },
      responses: { 200: jsonContent(z.object({ items: z.array(CarerSchema) }), 'Carers, by name'), ...errorResponses(401, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await listCarers(sql, c.get('principal').province, { kind: q.kind, commune: q.commune, available: q.available === 'true' });
      c.set('audit', { action: 'carer.list', detail: { filter: q, count: items.length } });
      return c.json({ items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'One carer, with its current placements you may see',
      request: { params: IdParam },
      responses: { 200: jsonContent(CarerDetail, 'The carer'), ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const p = c.get('principal');
      c.set('audit', { action: 'carer.read', detail: { carerId: id } });
      const carer = isUuid(id) ? await findCarer(sql, id, p.province) : undefined;
      if (!carer) throw notFound(id);
      return c.json({ ...carer, placements: await currentPlacementsOf(sql, id, p) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Register a carer',
      middleware: [allow('manager', 'admin')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: NewCarerSchema } } } },
      responses: { 201: jsonContent(CarerSchema, 'Registered'), ...errorResponses(401, 403, 413, 415, 422, 429) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const carer = await insertCarer(sql, c.get('principal').province, body);
      c.set('audit', { action: 'carer.create', detail: { carerId: carer.id, kind: body.kind } });
      return c.json(carer, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      summary: 'Change a carer (active: false deactivates it: no new placement, its current ones go on)',
      middleware: [allow('manager', 'admin')] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: CarerPatchSchema } } } },
      responses: { 200: jsonContent(CarerSchema, 'Changed'), ...errorResponses(401, 403, 404, 413, 415, 422, 429) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      c.set('audit', { action: 'carer.update', detail: { carerId: id, fields: Object.keys(patch) } });
      const carer = isUuid(id) ? await updateCarer(sql, id, c.get('principal').province, patch) : undefined;
      if (!carer) throw notFound(id);
      return c.json(carer, 200);
    },
  );

  return router;
}
