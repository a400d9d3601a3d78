// The case's timeline: every event, written with the case's new state in one transaction, once.
// Every row has a natural key, so a retried activity changes nothing the first attempt wrote.
import { jsonb, type Sql, type Tx } from './connect';
import { insertNotifications, type NotificationDraft } from './notifications';
import type { PlanEnrolment } from '../domain/plan-enrolments';
import type { PlacementRecord } from '../domain/placements';
import type { ReferralRecord } from '../domain/referrals';
import { insertPartnerDeliveries } from './deliveries';
import { writePlacements } from './placements';
import { writePlanEnrolments } from './plan-enrolments';
import { upsertReferral } from './referrals';
import { insertRoutingDecision, type RoutingRecord } from './routing';

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
  /** Facts the event changes on the case row; absent ones stay as they are. */
  assigneeId?: string | null;
  unitId?: string;
  restricted?: boolean;
  mergedInto?: string;
  /** A routing decision this event puts in force (a re-assessment, a confirmed lower risk). */
  routing?: Omit<RoutingRecord, 'caseId'>;
  notify: NotificationDraft[];
  /** The referral the event created or moved, and the hash of its partner's link once sent. */
  referral?: { record: ReferralRecord; tokenHash: string | null };
  /** The placements the event began, changed or ended (a move: the one that ends, then the next). */
  placements?: PlacementRecord[];
  /** Enrolments in programmes the event makes (issue 29: a plan approved, a group intervention added). */
  enrolments?: PlanEnrolment[];
}

/** The event, the case's new state and its notifications, in one transaction, once. */
export async function recordCaseEvent(sql: Sql, e: CaseEvent): Promise<void> {
  await sql.begin((tx) => recordCaseEventIn(tx, e));
}

/** recordCaseEvent in the caller's transaction. */
export async function recordCaseEventIn(tx: Tx, e: CaseEvent): Promise<void> {
  const inserted = await tx`
    insert into case_events (case_id, seq, at, actor_id, actor, kind, data)
    values (${e.caseId}, ${e.seq}, ${e.at}, ${e.actor?.id ?? null}, ${e.actor?.name ?? null}, ${e.kind}, ${jsonb(tx, e.data)})
    on conflict (case_id, seq) do nothing
    returning seq`;
  if (inserted.length === 0) return;
  // First, and in order: a placement that takes a carer's last place may be refused (P3), and then nothing else is written.
  if (e.placements?.length) await writePlacements(tx, e.caseId, e.placements);
  // So may an enrolment that takes a programme's last place (or finds it closed, or the person in it).
  if (e.enrolments?.length) await writePlanEnrolments(tx, { caseId: e.caseId, at: e.at, actorId: e.actor?.id ?? null, enrolments: e.enrolments });
  // The rest is independent: sent together (postgres.js pipelines a transaction's queries issued
  // without waiting), run by PostgreSQL in this order, committed or undone together.
  const deadline = e.snapshot.deadline as { key: string; step: string; startedAt: string; dueAt: string } | null | undefined;
  await Promise.all([
    tx`
      update cases set stage = ${e.stage}, state = ${jsonb(tx, e.snapshot)}, due_at = ${e.dueAt}, next_review_at = ${e.nextReviewAt},
        assigned_worker_id = ${e.assigneeId === undefined ? tx`assigned_worker_id` : e.assigneeId},
        restricted = ${e.restricted === undefined ? tx`restricted` : e.restricted},
        unit_id = ${e.unitId === undefined ? tx`unit_id` : e.unitId},
        merged_into = ${e.mergedInto === undefined ? tx`merged_into` : e.mergedInto},
        updated_at = ${e.at}
      where id = ${e.caseId}`,
    e.routing && applyRouting(tx, e.caseId, e.routing),
    // Timeliness (issue 18): each deadline as it was set, and when it was met.
    deadline?.startedAt &&
      tx`
        insert into case_deadlines (case_id, key, step, started_at, due_at)
        values (${e.caseId}, ${deadline.key}, ${deadline.step}, ${deadline.startedAt}, ${deadline.dueAt})
        on conflict (case_id, key) do nothing`,
    e.resolves.length > 0 &&
      tx`
        update escalations set status = 'resolved', resolved_at = ${e.at}
        where case_id = ${e.caseId} and deadline_key in ${tx(e.resolves)} and status = 'open'`,
    e.resolves.length > 0 && tx`update case_deadlines set met_at = ${e.at} where case_id = ${e.caseId} and key in ${tx(e.resolves)} and met_at is null`,
    e.referral && upsertReferral(tx, e.caseId, e.referral.record, e.referral.tokenHash).then(() => insertPartnerDeliveries(tx, e.caseId, e.referral!.record)),
    insertNotifications(tx, e.caseId, e.at, e.notify),
  ]);
}

/** A decision the event puts in force: stored once, and the case's path and level follow it. */
async function applyRouting(tx: Tx, caseId: string, routing: Omit<RoutingRecord, 'caseId'>): Promise<void> {
  if (await insertRoutingDecision(tx, { ...routing, caseId })) {
    await tx`update cases set path = ${routing.decision.path}, risk_level = ${routing.decision.level} where id = ${caseId}`;
  }
}

/** The audit action of a form or file printed, shown on the case's timeline. */
export const PRINTED = 'case.printed';

export interface TimelineEvent {
  seq: number;
  at: string;
  actor: string | null;
  actorId: string | null;
  kind: string;
  data: Record<string, unknown>;
}

/**
 * Every event of a case, oldest first; with its prints (issue 31), which the audit trail holds
 * (a read writes no case event: the workflow numbers those): each after the event it followed.
 */
/** The kinds of event a case has had: which of its forms it can print (api/case-file/forms.ts). */
export async function caseEventKinds(sql: Sql, caseId: string): Promise<Set<string>> {
  const rows = await sql<{ kind: string }[]>`select distinct kind from case_events where case_id = ${caseId}`;
  return new Set(rows.map((r) => r.kind));
}

export async function caseTimeline(sql: Sql, caseId: string): Promise<TimelineEvent[]> {
  const rows = await sql<{ seq: number; at: Date; actor: string | null; actor_id: string | null; kind: string; data: Record<string, unknown> }[]>`
    select seq, at, actor, actor_id, kind, data, false as printed from case_events where case_id = ${caseId}
    union all
    select coalesce((select max(e.seq) from case_events e where e.case_id = ${caseId} and e.at <= a.at), 0),
           a.at, a.actor, a.actor_id, ${PRINTED}, a.detail, true
    from audit_log a
    where a.case_id = ${caseId} and a.action = ${PRINTED} and a.outcome = 200
    order by seq, printed, at`;
  return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), actor: r.actor, actorId: r.actor_id, kind: r.kind, data: r.data }));
}
