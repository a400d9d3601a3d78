// /clients: the people the centre serves, found by name (accents and case folded), phone or birth
// year before a new report is written, so the same person is not opened twice. A client exists for
// a person only through a case in their scope (I4); collaborators, who see status only, find none.
import { createRoute, z } from '@hono/zod-openapi';
import { findClient, searchClients } from '../../db/clients';
import { ROLES } from '../../domain/access';
import { isUuid } from '../../domain/ids';
import { text } from '../../domain/input';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const ClientSchema = z
  .object({
    id: z.uuid(),
    fullName: z.string(),
    birthYear: z.int().nullable(),
    phone: z.string().nullable().describe('As stored: digits, 0… for Vietnamese numbers'),
    district: z.string().nullable(),
    commune: z.string().nullable(),
    cases: z.int().describe('Cases of this client you may see (GET /cases?clientId=…)'),
    lastCaseAt: z.string().describe('When the newest of them was reported'),
  })
  .openapi('Client');

const SearchQuery = z.strictObject({
  name: text(200).optional().openapi({ description: 'Part of the name; accents and case do not matter' }),
  phone: z
    .string()
    .regex(/^\+?[0-9][0-9 ().-]{7,24}$/, 'a phone number of 8 digits or more')
    .optional(),
  birthYear: z.coerce.number().int().min(1900).max(2100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const STAFF = ROLES.filter((r) => r !== 'collaborator');

export function clientsRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Clients with a case in your scope, by name, phone or birth year (none given: the most recent), newest case first; not for collaborators',
      middleware: [allow(...STAFF)] as const,
      request: { query: SearchQuery },
      responses: { 200: jsonContent(z.object({ items: z.array(ClientSchema) }), 'Clients found'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await searchClients(deps.sql, c.get('principal'), q);
      // What was searched is personal data: the trail keeps which fields were used, and how many were found.
      const fields = Object.keys(q).filter((k) => k !== 'limit');
      c.set('audit', { action: 'client.search', detail: { fields, count: items.length } });
      return c.json({ items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'One client (404 when none of their cases is in your scope); their cases are GET /cases?clientId=…',
      middleware: [allow(...STAFF)] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(ClientSchema, 'The client'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'client.read', detail: { clientId: isUuid(id) ? id : null } });
      const client = isUuid(id) ? await findClient(deps.sql, id, c.get('principal')) : undefined;
      if (!client) {
        throw new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
          vi: `Không có người được trợ giúp ${id}`,
          en: `No client with id ${id}`,
        });
      }
      return c.json(client, 200);
    },
  );
  return router;
}
