// C1's safety net (issue 27): a contact whose case was claimed — the emergency path opened it at
// once, or someone opened it — stores the case's id before the case's workflow starts, so a retry
// never makes two. If the start is cut short (Temporal down, the API killed between the commit and
// the start) and nobody retries, this sweep, in the worker process, starts it: a child in danger is
// never left as a contact with a case id and no case. Starting is idempotent (the workflow id is
// the case's); the case keeps the contact's time of receipt and its recorder as reporter.
import { caseStartOptions } from '../api/case-start';
import { caseIntakeOf } from '../api/contact-case';
import { contactsAwaitingCase } from '../db/contacts';
import { caseWorkflow } from '../workflows/case';
import { startSweep, type Sweep, type SweepOptions } from './sweep';

/** `graceMs` defaults to 30 s: the API's own start comes first. */
export function startContactCaseSweep(o: SweepOptions): Sweep {
  const say = o.say ?? ((line: string) => console.warn(`[contacts] ${line}`));
  return startSweep(
    o.sweepMs ?? 10_000,
    async () => {
      const waiting = await contactsAwaitingCase(o.sql, new Date(Date.now() - (o.graceMs ?? 30_000)), 50);
      for (const contact of waiting) {
        const reporter = { id: contact.recordedBy.id, name: contact.recordedBy.displayName, province: contact.province };
        const intake = await caseIntakeOf(o.sql, contact);
        await o.client.workflow.start(caseWorkflow, caseStartOptions(o.taskQueue, contact.caseId!, intake, reporter, contact.updatedAt));
        say(`started the case of contact ${contact.ref}, whose start had been cut short`);
      }
    },
    (err) => say(`cannot start waiting cases yet: ${err.message}`),
  );
}
