// The notifications outbox: one row per notice to one person, keyed by a natural key, so a retried
// activity never notifies twice. It is the single source later channels (e-mail, SMS) read.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/access';
import type { Bilingual } from '../domain/stages';
import { insertStaffDeliveries } from './deliveries';
import { visibleTo } from './scope';
import { jsonb, type Sql, type Tx } from './connect';

export interface NotificationDraft {
  key: string;
  recipientId: string;
  kind: string;
  message: Bilingual;
}

export interface Notification {
  id: string;
  caseId: string | null;
  caseRef: string | null;
  kind: string;
  message: Bilingual;
  createdAt: string;
  readAt: string | null;
}

/**
 * Adds the notices the caller's transaction decided on, and their deliveries on the channels each
 * person gets them on; those already there are kept as they are.
 */
export async function insertNotifications(tx: Tx, caseId: string | null, at: string, drafts: NotificationDraft[]): Promise<void> {
  // Sent together (pipelined); a notice already there (a retry) adds nothing.
  const rows = await Promise.all(
    drafts.map(
      (n) => tx<{ id: string }[]>`
        insert into notifications (id, key, recipient_id, case_id, kind, message, created_at)
        values (${randomUUID()}, ${n.key}, ${n.recipientId}, ${caseId}, ${n.kind}, ${jsonb(tx, n.message)}, ${at})
        on conflict (key) do nothing
        returning id`,
    ),
  );
  const added = drafts.flatMap((n, i) => {
    const row = rows[i]![0];
    return row ? [{ id: row.id, recipientId: n.recipientId, kind: n.kind, caseId }] : [];
  });
  await insertStaffDeliveries(tx, added);
}

interface Row {
  id: string;
  case_id: string | null;
  kind: string;
  message: Bilingual;
  created_at: Date;
  read_at: Date | null;
}

/**
 * One person's notices, newest first. A notice about a case they may no longer see (moved or
 * restricted away) stays, its words being about the work, but without the case's id (I4).
 */
export async function listNotifications(sql: Sql, viewer: Principal, f: { unreadOnly: boolean; limit: number }): Promise<Notification[]> {
  const rows = await sql<Array<Row & { in_scope: boolean; case_ref: string | null }>>`
    select n.*, (n.case_id is null or exists (select 1 from cases c where c.id = n.case_id and ${visibleTo(sql, viewer)})) as in_scope,
           (select ref from cases c where c.id = n.case_id) as case_ref
    from notifications n
    where n.recipient_id = ${viewer.id}
      ${f.unreadOnly ? sql`and n.read_at is null` : sql``}
    order by n.created_at desc limit ${f.limit}`;
  return rows.map((r) => ({
    id: r.id,
    caseId: r.in_scope ? r.case_id : null,
    caseRef: r.in_scope ? r.case_ref : null,
    kind: r.kind,
    message: r.message,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
  }));
}

/** Marks one of the person's own notices read (the first reading time stays); undefined if not theirs. */
export async function markNotificationRead(sql: Sql, id: string, recipientId: string): Promise<{ id: string; readAt: string } | undefined> {
  const [row] = await sql<{ id: string; read_at: Date }[]>`
    update notifications set read_at = coalesce(read_at, now())
    where id = ${id} and recipient_id = ${recipientId} returning id, read_at`;
  return row && { id: row.id, readAt: row.read_at.toISOString() };
}
