// /partners: the partner agencies of the caller's province. Managers and administrators register
// and change them; everyone in the province reads them (to choose where to refer). A webhook may
// only point at a host the operator allowed (WEBHOOK_ALLOWED_HOSTS), so no request can make the
// product call an arbitrary address.
import { createRoute, z } from '@hono/zod-openapi';
import { findPartner, insertPartner, listPartners, updatePartner } from '../../db/partners';
import { isUuid } from '../../domain/ids';
import { partnerSchemas, PartnerSchema } from '../../domain/partners';
import { PARTNER_KINDS } from '../../domain/referrals';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const PartnerListQuery = z.object({ kind: z.enum(PARTNER_KINDS).optional() });

export function partnersRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;
  const { NewPartnerSchema, PartnerPatchSchema } = partnerSchemas(deps.webhookAllowedHosts);

  function checkWebhook(webhook: { url: string } | null | undefined) {
    if (!webhook) return;
    const host = new URL(webhook.url).hostname.toLowerCase();
    if (!deps.webhookAllowedHosts.includes(host)) {
      const allowed = deps.webhookAllowedHosts.join(', ') || '—';
      throw new ApiError('validation_failed', [
        {
          path: 'webhook.url',
          message: {
            vi: `máy chủ ${host} không nằm trong danh sách được phép (WEBHOOK_ALLOWED_HOSTS: ${allowed})`,
            en: `host ${host} is not one the operator allowed (WEBHOOK_ALLOWED_HOSTS: ${allowed})`,
          },
        },
      ]);
    }
  }

  const notFound = (id: string) =>
    new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
      vi: `Không có đối tác ${id} trong tỉnh của bạn`,
      en: `No partner ${id} in your province`,
    });

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Partner agencies of your province',
      request: { query: PartnerListQuery },
      responses: { 200: jsonContent(z.object({ items: z.array(PartnerSchema) }), 'Partners, by name'), ...errorResponses(401, 422) },
    }),
    async (c) => {
      const items = await listPartners(sql, c.get('principal').province, c.req.valid('query'));
      c.set('audit', { action: 'partner.list', detail: { count: items.length } });
      return c.json({ items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'One partner agency',
      request: { params: IdParam },
      responses: { 200: jsonContent(PartnerSchema, 'The partner'), ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'partner.read', detail: { partnerId: id } });
      const partner = isUuid(id) ? await findPartner(sql, id, c.get('principal').province) : undefined;
      if (!partner) throw notFound(id);
      return c.json(partner, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Register a partner agency',
      middleware: [allow('manager', 'admin')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: NewPartnerSchema } } } },
      responses: { 201: jsonContent(PartnerSchema, 'Registered'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      c.set('audit', { action: 'partner.create', detail: { name: body.name, kind: body.kind } });
      checkWebhook(body.webhook);
      const partner = await insertPartner(sql, c.get('principal').province, body);
      c.set('audit', { action: 'partner.create', detail: { partnerId: partner.id, name: body.name, kind: body.kind } });
      return c.json(partner, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      summary: 'Change a partner agency (webhook: null removes it; active: false keeps it from new referrals)',
      middleware: [allow('manager', 'admin')] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: PartnerPatchSchema } } } },
      responses: { 200: jsonContent(PartnerSchema, 'Changed'), ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      // The secret never reaches the audit trail.
      c.set('audit', { action: 'partner.update', detail: { partnerId: id, fields: Object.keys(patch) } });
      checkWebhook(patch.webhook);
      const partner = isUuid(id) ? await updatePartner(sql, id, c.get('principal').province, patch) : undefined;
      if (!partner) throw notFound(id);
      return c.json(partner, 200);
    },
  );

  return router;
}
