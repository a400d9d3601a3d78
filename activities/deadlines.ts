// Deadlines and the escalation ladder: when each step of a case is due under the policy the
// province has published, and what happens when it passes.
import type { Sql } from '../db/connect';
import { recordLadderStep, type LadderStep } from '../db/escalations';
import { ensureFirstVersion, publishedVersion } from '../db/policies';
import { DeadlinePolicySchema, planDeadline, type Deadline, type DeadlineSubject } from '../domain/deadlines';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { deadlineStep } from './notices';

export function createDeadlineActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  const shipped = loadDefaultDeadlinePolicy();

  return {
    /** The deadline for a step under the policy published now; the case records its version. */
    async planDeadline(input: { province: string; subject: DeadlineSubject; from: string; key: string }): Promise<Deadline> {
      let published = await publishedVersion(sql, input.province, 'deadlines');
      if (!published) {
        await ensureFirstVersion(sql, input.province, 'deadlines', shipped);
        published = await publishedVersion(sql, input.province, 'deadlines');
      }
      if (!published) throw new Error(`province ${input.province} has no published deadline policy`);
      const policy = { version: published.version, document: DeadlinePolicySchema.parse(published.document) };
      return planDeadline(policy, input.subject, new Date(input.from), input.key);
    },

    /** One ladder step: a reminder to the assignee, or an escalation to the supervisor or the managers. */
    async escalate(step: LadderStep): Promise<void> {
      await recordLadderStep(sql, step, deadlineStep(step.deadline.step, step.level));
    },
  };
}
