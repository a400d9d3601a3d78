// A programme's scheduled sessions (issue 29): the occurrence's session to record, written once
// with the facilitators' notice, and each step of its ladder under the policy's `session_record`.
import type { Sql } from '../db/connect';
import { occurrenceStep, openOccurrence, type OpenedOccurrence, type SessionRecordLevel } from '../db/programme-occurrences';
import { DeadlinePolicySchema, planDeadline } from '../domain/deadlines';
import type { Bilingual } from '../domain/stages';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { publishedPolicies } from '../rules/published-policy';
import { deadlineStep } from './notices';

/** "CLB Xanh lại ước mơ, 2026-12-05: …" — which session the words are about. */
const about = (name: string, day: string, words: Bilingual): Bilingual => ({ vi: `${name}, buổi ${day}: ${words.vi}`, en: `${name}, ${day}: ${words.en}` });

const SESSION_DUE: Bilingual = {
  vi: 'Hôm nay có buổi sinh hoạt theo lịch: ghi điểm danh sau buổi',
  en: 'A session is scheduled today: record who came afterwards',
};

export function createProgrammeSessionActivities(deps: { sql: Sql }) {
  const published = publishedPolicies(deps.sql, 'deadlines', loadDefaultDeadlinePolicy, (document) => DeadlinePolicySchema.parse(document));

  return {
    /** The session to record of one occurrence of a programme's schedule; undefined: none (closed, ended). */
    async openScheduledSession(input: { programmeId: string; scheduledFor: string }): Promise<OpenedOccurrence | undefined> {
      const from = new Date(input.scheduledFor);
      return await openOccurrence(
        deps.sql,
        input.programmeId,
        from,
        async (province) => {
          const policy = await published(province);
          // A programme's session is nobody's case: the policy's general rule for the step applies.
          const d = planDeadline(policy, { step: 'session_record', path: 'standard', level: 'low', child: false }, from, `session:${input.scheduledFor}`);
          return { dueAt: d.dueAt, supervisorAt: d.supervisorAt, managerAt: d.managerAt, policyVersion: d.policyVersion };
        },
        (name, day) => about(name, day, SESSION_DUE),
      );
    },

    /** One step of an unrecorded session's ladder; answers whether it is still unrecorded. */
    async sessionRecordStep(input: { programmeId: string; scheduledFor: string; level: SessionRecordLevel }): Promise<boolean> {
      return await occurrenceStep(deps.sql, input.programmeId, new Date(input.scheduledFor), input.level, (name, day) =>
        about(name, day, deadlineStep('session_record', input.level)),
      );
    },
  };
}
