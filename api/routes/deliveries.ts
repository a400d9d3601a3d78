// /deliveries: what left the product by e-mail, webhook and SMS, for administrators: the dead
// letters with what went wrong, and a way to try one again (a new generation of its workflow).
import { createRoute, z } from '@hono/zod-openapi';
import { listDeliveries, retryDelivery } from '../../db/deliveries';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES } from '../../domain/channels';
import { isUuid } from '../../domain/ids';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const DeliverySchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid().nullable(),
    event: z.string().describe('The notice or referral event it carries'),
    channel: z.enum(DELIVERY_CHANNELS),
    recipientKind: z.enum(['staff', 'partner']),
    recipientId: z.uuid(),
    address: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int(),
    lastError: z.string().nullable(),
    generation: z.int().describe('0, then one more for each manual retry'),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    deadAt: z.iso.datetime().nullable(),
  })
  .openapi('Delivery');

const DeliveryQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  caseId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function deliveriesRouter(deps: ApiDeps) {
  const router = newRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Deliveries of your province, newest first; ?status=dead lists the dead letters',
      middleware: [allow('admin')] as const,
      request: { query: DeliveryQuery },
      responses: { 200: jsonContent(z.object({ items: z.array(DeliverySchema) }), 'Deliveries'), ...errorResponses(403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      c.set('audit', { action: 'delivery.list', detail: { status: q.status ?? null } });
      return c.json({ items: await listDeliveries(deps.sql, c.get('principal').province, q) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/retry',
      summary: 'Try a dead delivery again, from its first attempt',
      middleware: [allow('admin')] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(DeliverySchema, 'Pending again'), ...errorResponses(403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'delivery.retry', detail: { deliveryId: id } });
      const retried = isUuid(id) ? await retryDelivery(deps.sql, id, c.get('principal').province) : undefined;
      if (!retried) throw new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }]);
      if (retried === 'not_dead') {
        throw new ApiError('conflict', [{ path: 'id', message: { vi: 'chỉ thử lại được thư chết', en: 'only a dead delivery can be tried again' } }], {
          vi: 'Lần gửi này chưa hỏng hẳn',
          en: 'This delivery is not dead',
        });
      }
      return c.json(retried, 200);
    },
  );
  return router;
}
