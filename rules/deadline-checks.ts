// Validation, differences and the publish report of the deadline policy.
import type { Sql } from '../db/connect';
import { openCaseDeadlines } from '../db/routing-history';
import { DeadlinePolicySchema, deadlinePolicyProblems, planDeadline, type DeadlinePolicy, type DeadlineRule } from '../domain/deadlines';
import { formatPath } from '../domain/paths';
import { jsonShape, type ValidationError } from './validate';

export function validateDeadlinePolicy(raw: unknown): { ok: true; document: DeadlinePolicy } | { ok: false; errors: ValidationError[] } {
  const shape = jsonShape(raw, 12);
  if (shape.tooDeep) return { ok: false, errors: [{ path: '(document)', message: 'nested deeper than 12 levels' }] };
  const parsed = DeadlinePolicySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ path: formatPath(i.path) || '(document)', message: i.message })) };
  const problems = deadlinePolicyProblems(parsed.data);
  return problems.length ? { ok: false, errors: problems } : { ok: true, document: parsed.data };
}

const ruleKey = (r: DeadlineRule) => [r.step, r.path ?? '*', r.level ?? '*', r.child === undefined ? '*' : r.child ? 'child' : 'adult'].join('/');

export function diffDeadlinePolicies(from: DeadlinePolicy, to: DeadlinePolicy) {
  const before = new Map(from.rules.map((r) => [ruleKey(r), r]));
  const after = new Map(to.rules.map((r) => [ruleKey(r), r]));
  const text = (r: DeadlineRule) => JSON.stringify({ due: r.due, supervisorGrace: r.supervisorGrace, managerGrace: r.managerGrace, warning: r.warning });
  return {
    added: [...after.keys()].filter((k) => !before.has(k)),
    removed: [...before.keys()].filter((k) => !after.has(k)),
    changed: [...after.entries()]
      .filter(([k, r]) => before.has(k) && text(before.get(k)!) !== text(r))
      .map(([k, r]) => ({ rule: k, from: JSON.parse(text(before.get(k)!)), to: JSON.parse(text(r)) })),
    holidaysAdded: to.holidays.filter((d) => !from.holidays.includes(d)),
    holidaysRemoved: from.holidays.filter((d) => !to.holidays.includes(d)),
  };
}

/**
 * Open cases whose current step would already be overdue had this policy set its deadline.
 * Their deadlines stay as set (each records its policy version); the report says who is
 * exposed, so managers are not surprised by the next round of deadlines.
 */
export async function casesOverdueUnder(sql: Sql, province: string, policy: { version: number; document: DeadlinePolicy }, now = new Date()) {
  const rows = await openCaseDeadlines(sql, province);
  const overdue = [];
  for (const r of rows) {
    if (!r.deadline.startedAt) continue;
    const planned = planDeadline(
      policy,
      { step: r.deadline.step, path: r.path, level: r.level, child: r.isChild ?? false },
      new Date(r.deadline.startedAt),
      r.deadline.key,
    );
    if (Date.parse(planned.dueAt) <= now.getTime()) {
      overdue.push({ caseId: r.caseId, step: r.deadline.step, currentDueAt: r.deadline.dueAt, dueUnderThisPolicy: planned.dueAt });
    }
  }
  return { openCases: rows.length, overdueAtOnce: overdue };
}
