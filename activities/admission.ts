// A case's admission (issue 19): scored, stored, assigned, given its first deadline and its opening
// event with its notices, by one activity in one transaction. The workflow runs it as a local
// activity inside the task that started the case, so the reporter hears back after one round trip
// through the worker, not four. Idempotent like every write here: a retry (the worker died after
// the commit) writes nothing twice and answers what the first attempt stored.
import { admitCase } from '../db/cases';
import { contactRef } from '../db/contacts';
import type { Sql } from '../db/connect';
import { caseRecord, openingEvent, openingNotices, type AdmissionInput, type Admitted } from '../domain/admission';
import { known } from '../domain/concerns';
import { STEP_OF_STAGE } from '../domain/stage-deadlines';
import { caseSnapshot } from '../domain/snapshot';
import { firstStage } from '../domain/stages';
import type { RulesetSource } from '../rules/ruleset-source';
import { noticesOf } from './cases';
import { createDeadlineActivities } from './deadlines';
import { noticeText } from './notices';
import { createRoutingActivities } from './routing';

export function createAdmissionActivities(deps: { sql: Sql; rulesets: RulesetSource; clock: () => Date }) {
  const routing = createRoutingActivities(deps);
  const deadlines = createDeadlineActivities(deps);

  return {
    async admitCase(input: AdmissionInput): Promise<Admitted> {
      const { imported, at } = input;
      const scored = imported
        ? await routing.importedRouting({ province: input.province, intake: input.intake, receivedAt: input.receivedAt, decision: imported.decision })
        : await routing.scoreRisk({ province: input.province, intake: input.intake, receivedAt: input.receivedAt });
      const stage = imported?.stage ?? firstStage(scored.decision.path);
      // Planned before the transaction, from what was scored; a retry keeps the deadline it recorded.
      const step = STEP_OF_STAGE[stage];
      const planned =
        step &&
        (await deadlines.planDeadline({
          province: input.province,
          subject: { step, path: scored.decision.path, level: scored.decision.level, child: scored.facts.isChild },
          from: at,
          key: `${step}:1`,
        }));
      const contact = input.intake.contactId ? await contactRef(deps.sql, input.intake.contactId) : undefined;
      const stored = await admitCase(
        deps.sql,
        { ...caseRecord(input, scored, stage), decidedAt: deps.clock(), repeatNotice: noticeText('case.repeat_reported', {}) },
        async (tx, s) => {
          const deadline = s.deadline ?? planned;
          const event = { caseId: input.caseId, seq: 1, notify: openingNotices(s.stage, s.assigneeId, !!imported) };
          return {
            ...event,
            ...openingEvent(s.stage, s.decision, imported, contact),
            at,
            actor: { id: input.reportedBy, name: input.reportedByName ?? 'reporter' },
            stage: s.stage,
            snapshot: caseSnapshot({ deadline, interventions: [], reviews: 0 }, known(input.intake.concerns)),
            dueAt: deadline?.dueAt ?? null,
            nextReviewAt: deadline?.step === 'review' ? deadline.dueAt : null,
            resolves: [],
            notify: await noticesOf(tx, event),
          };
        },
      );
      const { facts, ...answer } = stored;
      return { ...answer, child: facts.isChild, deadline: stored.deadline ?? planned };
    },
  };
}
