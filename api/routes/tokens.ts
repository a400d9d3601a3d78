// /tokens: API tokens for integrations (a hotline system). The token is shown once; only its
// hash is kept.
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { INTEGRATION_ROLES } from '../../domain/access';
import { isUuid } from '../../domain/ids';
import { newApiToken } from '../../security/session-tokens';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const NewTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.enum(INTEGRATION_ROLES),
    unitId: z.uuid().nullable().optional(),
  })
  .openapi('NewToken');
const IssuedTokenSchema = z
  .object({ id: z.uuid(), name: z.string(), role: z.enum(INTEGRATION_ROLES), token: z.string().describe('Shown only now') })
  .openapi('IssuedToken');
const RevokedSchema = z.object({ id: z.uuid(), revokedAt: z.iso.datetime() }).openapi('RevokedToken');

export function tokensRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Issue an API token for an integration',
      middleware: [allow('admin')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: NewTokenSchema } } } },
      responses: { 201: jsonContent(IssuedTokenSchema, 'Issued'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal');
      const id = randomUUID();
      c.set('audit', { action: 'token.issue', detail: { tokenId: id, name: body.name, role: body.role } });
      if (body.unitId) {
        const [unit] = await sql`select 1 from units where id = ${body.unitId} and province = ${p.province}`;
        if (!unit) throw new ApiError(422, 'validation_failed', 'No such unit', [{ path: 'unitId', message: 'no unit with this id in your province' }]);
      }
      const { token, hash } = newApiToken();
      await sql`
        insert into api_tokens (id, province, name, role, unit_id, token_hash, created_by)
        values (${id}, ${p.province}, ${body.name}, ${body.role}, ${body.unitId ?? null}, ${hash}, ${p.id})`;
      return c.json({ id, name: body.name, role: body.role, token }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      summary: 'Revoke an API token',
      middleware: [allow('admin')] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(RevokedSchema, 'Revoked'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'token.revoke', detail: { tokenId: id } });
      const [row] = isUuid(id)
        ? await sql<{ id: string; revoked_at: Date }[]>`
            update api_tokens set revoked_at = coalesce(revoked_at, now())
            where id = ${id} and province = ${c.get('principal').province}
            returning id, revoked_at`
        : [];
      if (!row) throw new ApiError(404, 'not_found', `No token with id ${id}`, [{ path: 'id', message: 'not found' }]);
      return c.json({ id: row.id, revokedAt: row.revoked_at.toISOString() }, 200);
    },
  );

  return router;
}
