// Writes of the case lifecycle: timeline events, escalations and notifications. Every row has a
// natural key, so a retried activity changes nothing the first attempt already wrote.
import { randomUUID } from 'node:crypto';
import type { Bilingual } from '../domain/stages';
import type { Sql } from './connect';

export interface NotificationDraft {
  key: string;
  recipientId: string;
  kind: string;
  message: Bilingual;
}

export interface CaseEvent {
  caseId: string;
  seq: number;
  at: string;
  actor: { id: string; name: string } | null;
  kind: string;
  data: Record<string, unknown>;
  stage: string;
  /** The workflow's state as staff may read it (deadline, plan, interventions, next review). */
  snapshot: Record<string, unknown>;
  dueAt: string | null;
  nextReviewAt: string | null;
  /** Deadlines this event satisfied: their open escalations are resolved. */
  resolves: string[];
  assigneeId?: string | null;
  notify: NotificationDraft[];
}

export async function insertNotifications(tx: Sql, caseId: string | null, at: string, drafts: NotificationDraft[]): Promise<void> {
  for (const n of drafts) {
    await tx`
      insert into notifications (id, key, recipient_id, case_id, kind, message, created_at)
      values (${randomUUID()}, ${n.key}, ${n.recipientId}, ${caseId}, ${n.kind}, ${tx.json(n.message as never)}, ${at})
      on conflict (key) do nothing`;
  }
}

/** The event, the case's new state and its notifications, in one transaction, once. */
export async function recordCaseEvent(sql: Sql, e: CaseEvent): Promise<void> {
  await sql.begin(async (tx) => {
    const inserted = await tx`
      insert into case_events (case_id, seq, at, actor_id, actor, kind, data)
      values (${e.caseId}, ${e.seq}, ${e.at}, ${e.actor?.id ?? null}, ${e.actor?.name ?? null}, ${e.kind}, ${tx.json(e.data as never)})
      on conflict (case_id, seq) do nothing
      returning seq`;
    if (inserted.length === 0) return;
    await tx`
      update cases set stage = ${e.stage}, state = ${tx.json(e.snapshot as never)}, due_at = ${e.dueAt}, next_review_at = ${e.nextReviewAt},
        assigned_worker_id = ${e.assigneeId === undefined ? tx`assigned_worker_id` : e.assigneeId}, updated_at = ${e.at}
      where id = ${e.caseId}`;
    if (e.resolves.length > 0) {
      await tx`
        update escalations set status = 'resolved', resolved_at = ${e.at}
        where case_id = ${e.caseId} and deadline_key in ${tx(e.resolves)} and status = 'open'`;
    }
    await insertNotifications(tx as unknown as Sql, e.caseId, e.at, e.notify);
  });
}
