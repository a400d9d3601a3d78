// Side effects of the case lifecycle: deadlines from the published policy, timeline events,
// escalations up the line, and re-scoring the risk at a review.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/connect';
import { insertNotifications, recordCaseEvent, type CaseEvent } from '../db/lifecycle';
import { ensureFirstVersion, publishedVersion } from '../db/policies';
import type { RiskDecision } from '../domain/case';
import { DeadlinePolicySchema, planDeadline, type Deadline, type DeadlineSubject } from '../domain/deadlines';
import type { Concerns, Intake } from '../domain/intake';
import { STAGE_LABELS } from '../domain/stages';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { evaluateRisk } from '../rules/engine';
import { routingFacts } from '../rules/facts';
import type { RulesetSource } from '../rules/ruleset-source';

export type EscalationLevel = 'reminder' | 'supervisor' | 'manager';

const STEP_LABELS = {
  emergency_response: STAGE_LABELS.emergency_response,
  assessment: STAGE_LABELS.assessment,
  planning: STAGE_LABELS.planning,
  plan_approval: STAGE_LABELS.plan_review,
  review: { vi: 'Rà soát định kỳ', en: 'Periodic review' },
  closure_approval: STAGE_LABELS.closure_review,
};

export function createLifecycleActivities(deps: { sql: Sql; rulesets: RulesetSource; clock: () => Date }) {
  const { sql } = deps;
  const shippedDeadlines = loadDefaultDeadlinePolicy();

  return {
    /** The deadline for a step under the policy published now; the case records its version. */
    async planDeadline(input: { province: string; subject: DeadlineSubject; from: string; key: string }): Promise<Deadline> {
      let published = await publishedVersion(sql, input.province, 'deadlines');
      if (!published) {
        await ensureFirstVersion(sql, input.province, 'deadlines', shippedDeadlines);
        published = await publishedVersion(sql, input.province, 'deadlines');
      }
      if (!published) throw new Error(`province ${input.province} has no published deadline policy`);
      const policy = { version: published.version, document: DeadlinePolicySchema.parse(published.document) };
      return planDeadline(policy, input.subject, new Date(input.from), input.key);
    },

    async recordCaseEvent(event: CaseEvent): Promise<void> {
      await recordCaseEvent(sql, event);
    },

    /** One ladder step: a reminder to the assignee, or an escalation to the supervisor or the managers. */
    async escalate(input: { caseId: string; seq: number; at: string; deadline: Deadline; level: EscalationLevel }): Promise<void> {
      const { caseId, deadline, level, at } = input;
      const label = STEP_LABELS[deadline.step];
      await sql.begin(async (tx) => {
        const [c] = await tx<{ province: string; unit_id: string | null; assigned_worker_id: string | null }[]>`
          select province, unit_id, assigned_worker_id from cases where id = ${caseId}`;
        if (!c) throw new Error(`case ${caseId} is not in the database`);
        const inserted = await tx`
          insert into case_events (case_id, seq, at, kind, data)
          values (${caseId}, ${input.seq}, ${at}, ${`deadline.${level}`}, ${tx.json({ deadline: deadline.key, step: deadline.step, dueAt: deadline.dueAt } as never)})
          on conflict (case_id, seq) do nothing
          returning seq`;
        if (inserted.length === 0) return;
        let recipients: string[];
        if (level === 'reminder') {
          recipients = c.assigned_worker_id ? [c.assigned_worker_id] : [];
        } else {
          await tx`
            insert into escalations (id, case_id, province, deadline_key, step, level, status, due_at, policy_version, opened_at)
            values (${randomUUID()}, ${caseId}, ${c.province}, ${deadline.key}, ${deadline.step}, ${level}, 'open',
                    ${deadline.dueAt}, ${deadline.policyVersion}, ${at})
            on conflict (case_id, deadline_key, level) do nothing`;
          const rows =
            level === 'supervisor'
              ? await tx<{ id: string }[]>`select supervisor_id as id from units where id = ${c.unit_id} and supervisor_id is not null`
              : await tx<{ id: string }[]>`select id from staff where province = ${c.province} and role = 'manager' and active`;
          recipients = rows.map((r) => r.id);
        }
        const message =
          level === 'reminder'
            ? { vi: `Đã đến hạn "${label.vi}"`, en: `"${label.en}" is due now` }
            : { vi: `Quá hạn "${label.vi}": chuyển lên ${level === 'supervisor' ? 'trưởng phòng' : 'Ban Giám đốc'}`, en: `"${label.en}" is overdue: escalated to the ${level}` };
        await insertNotifications(
          tx as never,
          caseId,
          at,
          recipients.map((recipientId) => ({ key: `${caseId}:${deadline.key}:${level}:${recipientId}`, recipientId, kind: `deadline.${level}`, message })),
        );
      });
    },

    /** Scores the case again with the ruleset published now, from its intake with the new concerns. */
    async rescoreRisk(input: { caseId: string; province: string; concerns: Concerns; at: string; routingSeq: number }): Promise<RiskDecision> {
      const [c] = await sql<{ intake: Intake }[]>`select intake from cases where id = ${input.caseId}`;
      if (!c) throw new Error(`case ${input.caseId} is not in the database`);
      const facts = routingFacts({ ...c.intake, concerns: input.concerns }, new Date(input.at));
      const decision = await evaluateRisk(await deps.rulesets.published(input.province), facts);
      await sql.begin(async (tx) => {
        const inserted = await tx`
          insert into routing_decisions (case_id, seq, score, level, path, reasons, ruleset_version, facts, decided_at)
          values (${input.caseId}, ${input.routingSeq}, ${decision.score}, ${decision.level}, ${decision.path},
                  ${tx.json(decision.reasons as never)}, ${decision.rulesetVersion}, ${tx.json(facts as never)}, ${input.at})
          on conflict (case_id, seq) do nothing
          returning seq`;
        if (inserted.length > 0) await tx`update cases set path = ${decision.path}, risk_level = ${decision.level} where id = ${input.caseId}`;
      });
      // A retry answers the decision the first attempt stored.
      const [stored] = await sql<{ score: number; level: RiskDecision['level']; path: RiskDecision['path']; reasons: RiskDecision['reasons']; ruleset_version: number }[]>`
        select score, level, path, reasons, ruleset_version from routing_decisions where case_id = ${input.caseId} and seq = ${input.routingSeq}`;
      return { score: stored!.score, level: stored!.level, path: stored!.path, reasons: stored!.reasons, rulesetVersion: stored!.ruleset_version };
    },
  };
}
