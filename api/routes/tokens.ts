// /tokens: API tokens for integrations (a hotline system). The token is shown once; only its
// hash is kept.
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { text } from '../../domain/input';
import { insertApiToken, listApiTokens, revokeApiToken, unitExistsInProvince } from '../../db/directory';
import { INTEGRATION_ROLES } from '../../domain/access';
import { isUuid } from '../../domain/ids';
import { newApiToken } from '../../security/session-tokens';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { NO_UNIT } from './staff';
import { errorResponses, IdParam, jsonContent } from '../schemas';

export const NewTokenSchema = z
  .strictObject({
    name: text(200),
    role: z.enum(INTEGRATION_ROLES),
    unitId: z.uuid().nullable().optional(),
  })
  .openapi('NewToken');
const IssuedTokenSchema = z
  .object({ id: z.uuid(), name: z.string(), role: z.enum(INTEGRATION_ROLES), token: z.string().describe('Shown only now') })
  .openapi('IssuedToken');
const RevokedSchema = z.object({ id: z.uuid(), revokedAt: z.iso.datetime() }).openapi('RevokedToken');
const TokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(INTEGRATION_ROLES),
    unitId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi('ApiToken');

export function tokensRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The integration tokens of your province, newest first (never the token itself)',
      middleware: [allow('admin')] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(TokenSchema) }), 'Tokens'), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const rows = await listApiTokens(sql, c.get('principal').province);
      c.set('audit', { action: 'token.list', detail: { count: rows.length } });
      const items = rows.map((r) => ({
        id: r.id,
        name: r.name,
        role: r.role as (typeof INTEGRATION_ROLES)[number],
        unitId: r.unitId,
        createdAt: r.createdAt.toISOString(),
        revokedAt: r.revokedAt?.toISOString() ?? null,
      }));
      return c.json({ items }, 200);
    },
  );

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
        if (!(await unitExistsInProvince(sql, body.unitId, p.province)))
          throw new ApiError('validation_failed', [{ path: 'unitId', message: NO_UNIT }], { vi: 'Không có đơn vị này', en: 'No such unit' });
      }
      const { token, hash } = newApiToken();
      await insertApiToken(sql, { id, province: p.province, name: body.name, role: body.role, unitId: body.unitId ?? null, tokenHash: hash, createdBy: p.id });
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
      const row = isUuid(id) ? await revokeApiToken(sql, id, c.get('principal').province) : undefined;
      if (!row)
        throw new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
          vi: `Không có mã truy cập ${id}`,
          en: `No token with id ${id}`,
        });
      return c.json({ id: row.id, revokedAt: row.revokedAt.toISOString() }, 200);
    },
  );

  return router;
}
