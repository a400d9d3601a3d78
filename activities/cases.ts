// The case's record in PostgreSQL: the case itself at intake, then every event of its life with
// the state it leaves the case in, and the notices it sends.
import { insertCaseWithRouting, type NewCase } from '../db/cases';
import type { Sql } from '../db/connect';
import { staffDisplayName } from '../db/directory';
import { recordCaseEvent, type CaseEvent } from '../db/lifecycle';
import { caseAssigned, type NoticeDraft } from './notices';

export type CaseEventInput = Omit<CaseEvent, 'notify'> & { notify: NoticeDraft[] };

export function createCaseActivities(deps: { sql: Sql; clock: () => Date }) {
  return {
    // A retry finds the rows of the first attempt and keeps them, decision time included.
    async recordIntake(input: Omit<NewCase, 'decidedAt'>): Promise<{ unitId: string | null; assigneeId: string | null }> {
      return await insertCaseWithRouting(deps.sql, { ...input, decidedAt: deps.clock() });
    },

    async recordCaseEvent(event: CaseEventInput): Promise<void> {
      let notify: CaseEvent['notify'] = [];
      if (event.notify.length > 0 && event.assigneeId) {
        // An assignment is the one event with notices: both workers hear who has the case now.
        const message = caseAssigned((await staffDisplayName(deps.sql, event.assigneeId)) ?? event.assigneeId);
        notify = event.notify.map((n) => ({ ...n, message }));
      }
      await recordCaseEvent(deps.sql, { ...event, notify });
    },
  };
}
