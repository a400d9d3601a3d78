// /policies/deadlines: the deadline policy, versioned and published like the routing ruleset.
// Instead of a backtest, publishing reports which open cases would already be overdue under it.
import type { DeadlinePolicy } from '../../domain/deadlines';
import { casesOverdueUnder, diffDeadlinePolicies, validateDeadlinePolicy } from '../../rules/deadline-checks';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';
import type { ApiDeps } from '../context';
import { policyRoutes } from './policies';

export function deadlinePolicyRouter(deps: ApiDeps) {
  return policyRoutes<DeadlinePolicy>(deps, {
    kind: 'deadlines',
    noun: { vi: 'quy định thời hạn', en: 'deadline policy' },
    invalid: 'invalid_policy',
    audit: 'policy.deadlines',
    shipped: loadDefaultDeadlinePolicy(),
    validate: validateDeadlinePolicy,
    diff: diffDeadlinePolicies,
    publishReport: (d, province, published) => casesOverdueUnder(d.sql, province, { version: published.version, document: published.document }),
  }).router;
}
