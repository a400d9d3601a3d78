// Deadlines and the escalation ladder: when each step of a case is due under the policy the
// province has published, and what happens when it passes.
import type { Sql } from '../db/connect';
import { recordLadderStep, type LadderStep } from '../db/escalations';
import { DeadlinePolicySchema, planDeadline, type Deadline, type DeadlineSubject } from '../domain/deadlines';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { publishedPolicies } from '../rules/published-policy';
import { deadlineStep } from './notices';

export function createDeadlineActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  const published = publishedPolicies(sql, 'deadlines', loadDefaultDeadlinePolicy, (document) => DeadlinePolicySchema.parse(document));

  return {
    /** The deadline for a step under the policy published now; the case records its version. */
    async planDeadline(input: { province: string; subject: DeadlineSubject; from: string; key: string }): Promise<Deadline> {
      return planDeadline(await published(input.province), input.subject, new Date(input.from), input.key);
    },

    /** One ladder step: a reminder to the assignee, or an escalation to the supervisor or the managers. */
    async escalate(step: LadderStep): Promise<void> {
      await recordLadderStep(sql, step, deadlineStep(step.deadline.step, step.level));
    },
  };
}
