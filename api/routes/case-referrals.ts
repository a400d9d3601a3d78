// GET /cases/{id}/referrals: a case's referrals, oldest first, each with its partner's link, and
// the partners its routing suggests (POST /cases/{id}/referrals/suggested drafts them).
// Sending, revoking and recording progress are staff actions of the catalogue (case-actions.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { listCaseReferrals } from '../../db/referrals';
import { ReferralSchema, SuggestionSchema } from '../../domain/referral-view';
import { allow } from '../auth';
import { caseInScope } from '../case-scope';
import { newRouter, type ApiDeps } from '../context';
import { presentReferrals, suggestionsFor } from '../referral-view';
import { errorResponses, IdParam, jsonContent } from '../schemas';

export function caseReferralsRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/referrals',
      summary: 'The referrals of a case, with each partner’s link, and the partners its routing suggests',
      middleware: [allow('social_worker', 'supervisor', 'manager')] as const,
      request: { params: IdParam },
      responses: {
        200: jsonContent(
          z.object({ items: z.array(ReferralSchema), suggested: z.array(SuggestionSchema).describe('From the routing rules that fired') }),
          'Referrals, oldest first, and suggestions',
        ),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'case.referrals', caseId: id });
      const subject = await caseInScope(deps.sql, id, c.get('principal'));
      const items = await presentReferrals(deps.sql, await listCaseReferrals(deps.sql, id), deps.referralLinks);
      return c.json({ items, suggested: await suggestionsFor(deps.sql, subject) }, 200);
    },
  );
  return router;
}
