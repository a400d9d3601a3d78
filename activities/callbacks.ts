// A promised callback's ladder steps (issue 27): the notice of each step, written once by
// db/contacts.ts under the callback's lock, with the contact's reference in its words.
import type { Sql } from '../db/connect';
import { callbackStep, type CallbackLevel } from '../db/contacts';
import { deadlineStep } from './notices';

export function createCallbackActivities(deps: { sql: Sql; clock: () => Date }) {
  return {
    /** Takes one step of the callback's ladder; answers whether the callback is still open. */
    async callbackStep(input: { contactId: string; level: CallbackLevel }): Promise<boolean> {
      return await callbackStep(deps.sql, input.contactId, input.level, deps.clock(), (ref) => {
        const words = deadlineStep('callback', input.level);
        return { vi: `${ref}: ${words.vi}`, en: `${ref}: ${words.en}` };
      });
    },
  };
}
