// GET /cases/{id}/referrals: a case's referrals, oldest first, each with its partner's link.
// Sending, revoking and recording progress are staff actions of the catalogue (case-actions.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { listCaseReferrals } from '../../db/referrals';
import { ReferralSchema } from '../../domain/referral-view';
import { allow } from '../auth';
import { caseInScope } from '../case-scope';
import { newRouter, type ApiDeps } from '../context';
import { presentReferral } from '../referral-view';
import { errorResponses, IdParam, jsonContent } from '../schemas';

export function caseReferralsRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/referrals',
      summary: 'The referrals of a case, with each partner’s link',
      middleware: [allow('social_worker', 'supervisor', 'manager')] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(z.object({ items: z.array(ReferralSchema) }), 'Referrals, oldest first'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'case.referrals', caseId: id });
      await caseInScope(deps.sql, id, c.get('principal'));
      const items = (await listCaseReferrals(deps.sql, id)).map((r) => presentReferral(r, deps.referralLinks));
      return c.json({ items }, 200);
    },
  );
  return router;
}
