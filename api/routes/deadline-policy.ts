// /policies/deadlines: the deadline policy, versioned and published like the routing ruleset.
// Instead of a backtest, publishing reports which open cases would already be overdue under it.
import type { DeadlinePolicy } from '../../domain/deadlines';
import { casesOverdueUnder, diffDeadlinePolicies, validateDeadlinePolicy } from '../../rules/deadline-checks';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';
import { createRoute, z } from '@hono/zod-openapi';
import { allow } from '../auth';
import type { ApiDeps } from '../context';
import { errorResponses, jsonContent } from '../schemas';
import { policyRoutes, VersionParam } from './policies';

export function deadlinePolicyRouter(deps: ApiDeps) {
  const { router, draft } = policyRoutes<DeadlinePolicy>(deps, {
    kind: 'deadlines',
    noun: { vi: 'quy định thời hạn', en: 'deadline policy' },
    invalid: 'invalid_policy',
    audit: 'policy.deadlines',
    shipped: loadDefaultDeadlinePolicy(),
    validate: validateDeadlinePolicy,
    diff: diffDeadlinePolicies,
    publishReport: (d, province, published) => casesOverdueUnder(d.sql, province, { version: published.version, document: published.document }),
  });

  // Before publishing: the open cases this draft would make overdue at once, as publishing would report.
  router.openapi(
    createRoute({
      method: 'post',
      path: '/drafts/{v}/overdue',
      summary: 'The open cases whose current step would already be overdue under this draft',
      middleware: [allow('manager')] as const,
      request: { params: VersionParam },
      responses: {
        200: jsonContent(z.object({ openCases: z.int(), overdueAtOnce: z.array(z.unknown()) }), 'What publishing would report'),
        ...errorResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { v } = c.req.valid('param');
      const p = c.get('principal');
      const d = await draft(p.province, v);
      return c.json(await casesOverdueUnder(deps.sql, p.province, { version: d.version, document: d.document }), 200);
    },
  );
  return router;
}
