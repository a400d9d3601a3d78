// Placements (issue 28): written with the case event that changes them (db/lifecycle.ts), read by
// the case, the carers' pages and GET /placements within the reader's scope of cases.
import type { Principal } from '../domain/access';
import { CURRENT_PLACEMENT_STATUSES, daysLeft, type PlacementRecord } from '../domain/placements';
import type { PlacementFilter, PlacementView } from '../domain/placement-view';
import { jsonb, type Sql, type Tx } from './connect';
import { visibleTo } from './scope';

/** P3: the carer has no free place for this placement; nothing of the event was written. */
export class CarerFullError extends Error {
  constructor(readonly carerId: string) {
    super(`carer ${carerId} has no free place`);
    this.name = 'CarerFullError';
  }
}

/** What the placement's row keeps beyond its columns: the workflow's record, as the reports and the case read it. */
function detailOf(p: PlacementRecord) {
  return {
    reason: p.reason,
    decision: p.decision,
    extensions: p.extensions,
    overdueAt: p.overdueAt,
    note: p.note,
    visits: p.visits,
    lastVisitOn: p.lastVisitOn,
    createdBy: p.createdBy,
    deadline: p.deadline,
  };
}

/**
 * Writes placements in order (a move: the one that ends, then the one that begins). A placement
 * new to the database takes a place with its carer: P3 counts the carer's current placements under
 * the carer's row lock, so two cases placing the last place at once do not both get it.
 */
export async function writePlacements(tx: Tx, caseId: string, placements: PlacementRecord[]): Promise<void> {
  for (const p of placements) {
    const [existing] = await tx<{ status: string }[]>`select status from placements where id = ${p.id} for update`;
    if (!existing && CURRENT_PLACEMENT_STATUSES.includes(p.status)) {
      // Lock first, count after: under READ COMMITTED a statement reads the data as it was when it
      // began, so a count in the locking statement itself would miss the placement of the
      // transaction it waited for (the model-based test found two people in a place for one).
      const [carer] = await tx<{ capacity: number }[]>`select capacity from carers where id = ${p.carerId} for update`;
      const [taken] = await tx<{ n: number }[]>`select count(*)::int as n from placements where carer_id = ${p.carerId} and status <> 'ended'`;
      if (!carer || taken!.n >= carer.capacity) throw new CarerFullError(p.carerId);
    }
    await tx`
      insert into placements (id, case_id, province, carer_id, kind, status, starts_at, ends_by, ended_at, outcome, detail, created_at, updated_at)
      select ${p.id}, ${caseId}, c.province, ${p.carerId}, ${p.kind}, ${p.status}, ${p.startsAt}, ${p.endsBy}, ${p.endedAt ?? null},
             ${p.outcome ?? null}, ${jsonb(tx, detailOf(p))}, ${p.createdAt}, ${p.updatedAt}
      from cases c where c.id = ${caseId}
      on conflict (id) do update set status = excluded.status, ends_by = excluded.ends_by, ended_at = excluded.ended_at,
        outcome = excluded.outcome, detail = excluded.detail, updated_at = excluded.updated_at`;
  }
}

/**
 * I5 on a case's placements: their words go (reason, decision, notes), what the reports count stays
 * (kind, dates, outcome, whether it was extended or overdue); one still current ends, freeing its place.
 */
export async function erasePlacements(tx: Tx, caseId: string): Promise<void> {
  await tx`
    update placements set
      status = 'ended', ended_at = coalesce(ended_at, now()), outcome = coalesce(outcome, 'other'),
      detail = jsonb_strip_nulls(jsonb_build_object(
        'overdueAt', detail->'overdueAt',
        'extensions', coalesce((select jsonb_agg(jsonb_build_object('until', e->'until')) from jsonb_array_elements(detail->'extensions') e), '[]'::jsonb),
        'visits', detail->'visits')),
      updated_at = now()
    where case_id = ${caseId}`;
}

interface Row {
  id: string;
  case_id: string;
  ref: string;
  carer_id: string;
  carer_name: string;
  carer_kind: PlacementView['carer']['kind'];
  carer_commune: string;
  carer_contact: { phone?: string };
  kind: PlacementView['kind'];
  status: PlacementView['status'];
  starts_at: Date;
  ends_by: Date | null;
  ended_at: Date | null;
  outcome: PlacementView['outcome'];
  detail: Partial<ReturnType<typeof detailOf>>;
  created_at: Date;
  updated_at: Date;
}

function toView(r: Row, now: Date): PlacementView {
  const d = r.detail;
  const current = r.status !== 'ended';
  return {
    id: r.id,
    caseId: r.case_id,
    caseRef: r.ref,
    carer: { id: r.carer_id, name: r.carer_name, kind: r.carer_kind, commune: r.carer_commune, phone: r.carer_contact.phone ?? null },
    kind: r.kind,
    status: r.status,
    startsAt: r.starts_at.toISOString(),
    endsBy: r.ends_by?.toISOString() ?? null,
    daysLeft: current && r.ends_by ? daysLeft(r.ends_by.toISOString(), now) : null,
    warningAt: (current && d.deadline?.warningAt) || null,
    nextVisitBy: current && d.deadline?.step === 'placement_visit' ? d.deadline.dueAt : null,
    reason: d.reason ?? '',
    decision: d.decision ?? null,
    extensions: d.extensions ?? [],
    overdueAt: d.overdueAt ?? null,
    endedAt: r.ended_at?.toISOString() ?? null,
    outcome: r.outcome,
    note: d.note ?? null,
    visits: d.visits ?? 0,
    lastVisitOn: d.lastVisitOn ?? null,
    createdBy: d.createdBy ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const PLACEMENTS = (sql: Sql) => sql`
  select p.id, p.case_id, c.ref, p.carer_id, r.name as carer_name, r.kind as carer_kind, r.commune as carer_commune, r.contact as carer_contact,
         p.kind, p.status, p.starts_at, p.ends_by, p.ended_at, p.outcome, p.detail, p.created_at, p.updated_at
  from placements p join cases c on c.id = p.case_id join carers r on r.id = p.carer_id`;

/** A case's placements, the first first (the case's scope is checked by its caller). */
export async function casePlacements(sql: Sql, caseId: string): Promise<PlacementView[]> {
  const now = new Date();
  const rows = await sql<Row[]>`${PLACEMENTS(sql)} where p.case_id = ${caseId} order by p.starts_at, p.created_at`;
  return rows.map((r) => toView(r, now));
}

export async function findCasePlacement(sql: Sql, caseId: string, id: string): Promise<PlacementView | undefined> {
  const [row] = await sql<Row[]>`${PLACEMENTS(sql)} where p.case_id = ${caseId} and p.id = ${id}`;
  return row && toView(row, new Date());
}

/**
 * Placements of the cases the viewer may see (I4: a restricted case's only to those who may see
 * it; collaborators none): the current ones soonest to reach their limit first, then the rest.
 */
export async function listPlacements(sql: Sql, viewer: Principal, f: PlacementFilter & { limit: number }): Promise<PlacementView[]> {
  if (viewer.role === 'collaborator') return [];
  const now = new Date();
  const rows = await sql<Row[]>`${PLACEMENTS(sql)}
    where ${visibleTo(sql, viewer)} and c.erased_at is null
      ${f.active === 'true' ? sql`and p.status <> 'ended'` : f.active === 'false' ? sql`and p.status = 'ended'` : sql``}
      ${f.status ? sql`and p.status = ${f.status}` : sql``}
      ${f.kind ? sql`and p.kind = ${f.kind}` : sql``}
      ${f.carerId ? sql`and p.carer_id = ${f.carerId}` : sql``}
      ${f.caseId ? sql`and p.case_id = ${f.caseId}` : sql``}
      ${f.assignedTo === 'me' ? sql`and c.assigned_worker_id = ${viewer.id}` : sql``}
    order by (p.status = 'ended'), p.ends_by nulls last, p.starts_at desc, p.id
    limit ${f.limit}`;
  return rows.map((r) => toView(r, now));
}
