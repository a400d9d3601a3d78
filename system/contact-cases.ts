// C1's safety net (issue 27): a contact whose case was claimed — the emergency path opened it at
// once, or someone opened it — stores the case's id before the case's workflow starts, so a retry
// never makes two. If the start is cut short (Temporal down, the API killed between the commit and
// the start) and nobody retries, this sweep, in the worker process, starts it: a child in danger is
// never left as a contact with a case id and no case. Starting is idempotent (the workflow id is
// the case's); the case keeps the contact's time of receipt and its recorder as reporter.
import type { Client } from '@temporalio/client';
import { caseStartOptions } from '../api/case-start';
import { caseIntakeOf } from '../api/contact-case';
import type { Sql } from '../db/connect';
import { contactsAwaitingCase } from '../db/contacts';
import { caseWorkflow } from '../workflows/case';

export interface ContactCaseSweepOptions {
  sql: Sql;
  client: Client;
  taskQueue: string;
  /** How often it looks (default 10 s). */
  sweepMs?: number;
  /** How long a claimed case may take to appear before the sweep starts it (default 30 s: the API's own start comes first). */
  graceMs?: number;
  say?: (line: string) => void;
}

export function startContactCaseSweep(o: ContactCaseSweepOptions): { stop(): Promise<void> } {
  const say = o.say ?? ((line: string) => console.warn(`[contacts] ${line}`));
  let running: Promise<void> | undefined;
  let complaining = false;

  async function sweep(): Promise<void> {
    const waiting = await contactsAwaitingCase(o.sql, new Date(Date.now() - (o.graceMs ?? 30_000)), 50);
    for (const contact of waiting) {
      const reporter = { id: contact.recordedBy.id, name: contact.recordedBy.displayName, province: contact.province };
      const intake = await caseIntakeOf(o.sql, contact);
      await o.client.workflow.start(caseWorkflow, caseStartOptions(o.taskQueue, contact.caseId!, intake, reporter, contact.updatedAt));
      say(`started the case of contact ${contact.ref}, whose start had been cut short`);
    }
  }

  const timer = setInterval(() => {
    running ??= sweep()
      .then(() => {
        complaining = false;
      })
      .catch((err: unknown) => {
        if (!complaining) say(`cannot start waiting cases yet: ${(err as Error).message}`);
        complaining = true;
      })
      .finally(() => {
        running = undefined;
      });
  }, o.sweepMs ?? 10_000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
