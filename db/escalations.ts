// The escalation ladder's writes and reads: a step taken on an overdue deadline (a reminder to the
// assignee, an escalation to the unit's supervisor or to every manager of the province), and the
// list staff read. Keyed by (case, deadline, level), so nothing escalates twice.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/access';
import type { Deadline } from '../domain/deadlines';
import type { Bilingual } from '../domain/stages';
import { visibleTo } from './scope';
import { jsonb, type Sql } from './connect';
import { insertNotifications } from './notifications';

export type LadderLevel = 'reminder' | 'supervisor' | 'manager';

export interface LadderStep {
  caseId: string;
  /** The case event this step is recorded as. */
  seq: number;
  at: string;
  deadline: Deadline;
  level: LadderLevel;
}

/** Records the step once: its timeline event, the escalation row, and a notice to each person it reaches. */
export async function recordLadderStep(sql: Sql, step: LadderStep, message: Bilingual): Promise<void> {
  const { caseId, deadline, level, at } = step;
  await sql.begin(async (tx) => {
    const [c] = await tx<{ province: string; unit_id: string | null; assigned_worker_id: string | null }[]>`
      select province, unit_id, assigned_worker_id from cases where id = ${caseId}`;
    if (!c) throw new Error(`case ${caseId} is not in the database`);
    const inserted = await tx`
      insert into case_events (case_id, seq, at, kind, data)
      values (${caseId}, ${step.seq}, ${at}, ${`deadline.${level}`}, ${jsonb(tx, { deadline: deadline.key, step: deadline.step, dueAt: deadline.dueAt })})
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
    await insertNotifications(
      tx,
      caseId,
      at,
      recipients.map((recipientId) => ({ key: `${caseId}:${deadline.key}:${level}:${recipientId}`, recipientId, kind: `deadline.${level}`, message })),
    );
  });
}

export interface Escalation {
  id: string;
  caseId: string;
  caseRef: string;
  deadlineKey: string;
  step: string;
  level: 'supervisor' | 'manager';
  status: 'open' | 'resolved';
  dueAt: string;
  policyVersion: number;
  openedAt: string;
  resolvedAt: string | null;
  /** Who holds the case now, and where. */
  unit: { id: string; name: string } | null;
  assignedWorker: { id: string; displayName: string } | null;
}

/** Escalations of the cases the viewer may see, newest first. */
export async function listEscalations(sql: Sql, viewer: Principal, f: { status?: 'open' | 'resolved'; caseId?: string; limit: number }): Promise<Escalation[]> {
  const rows = await sql<
    {
      id: string;
      case_id: string;
      case_ref: string;
      deadline_key: string;
      step: string;
      level: 'supervisor' | 'manager';
      status: 'open' | 'resolved';
      due_at: Date;
      policy_version: number;
      opened_at: Date;
      resolved_at: Date | null;
      unit_id: string | null;
      unit_name: string | null;
      worker_id: string | null;
      worker_name: string | null;
    }[]
  >`
    select e.*, c.ref as case_ref, c.unit_id, u.name as unit_name, c.assigned_worker_id as worker_id, w.display_name as worker_name
    from escalations e join cases c on c.id = e.case_id
    left join units u on u.id = c.unit_id left join staff w on w.id = c.assigned_worker_id
    where ${visibleTo(sql, viewer)}
      ${f.status ? sql`and e.status = ${f.status}` : sql``}
      ${f.caseId ? sql`and e.case_id = ${f.caseId}` : sql``}
    order by e.opened_at desc limit ${f.limit}`;
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseRef: r.case_ref,
    deadlineKey: r.deadline_key,
    step: r.step,
    level: r.level,
    status: r.status,
    dueAt: r.due_at.toISOString(),
    policyVersion: r.policy_version,
    openedAt: r.opened_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    unit: r.unit_id ? { id: r.unit_id, name: r.unit_name ?? '' } : null,
    assignedWorker: r.worker_id ? { id: r.worker_id, displayName: r.worker_name ?? '' } : null,
  }));
}
