// Reading and writing cases in PostgreSQL. Writes are idempotent: a retried activity finds its
// rows already there and changes nothing.
import type { Principal } from '../domain/access';
import type { Case, CaseStatus, RiskDecision } from '../domain/case';
import type { ClosureReason, GoalsMet } from '../domain/closure';
import { known } from '../domain/concerns';
import { reportAgeGroup } from '../domain/reports';
import { REPORTING_DELAY } from './reports';
import { ageGroup } from '../domain/routing-facts';
import type { Deadline } from '../domain/deadlines';
import type { Intake } from '../domain/intake';
import type { Bilingual, Path, RiskLevel, Stage } from '../domain/stages';
import type { RoutingFacts } from '../domain/routing-facts';
import { jsonb, type Sql, type Tx } from './connect';
import { linkClient, type RepeatedCase } from './clients';
import { eraseContactsOfCase } from './contacts';
import { assignCase } from './directory';
import { recordCaseEventIn, type CaseEvent } from './lifecycle';
import { insertNotifications } from './notifications';
import { daysLeft } from '../domain/placements';
import { erasePlacements } from './placements';
import { eraseEnrolments } from './programmes';
import { eraseReferrals } from './referrals';
import { insertRoutingDecision } from './routing';
import { visibleTo } from './scope';

interface CaseRow {
  id: string;
  ref: string;
  intake: Intake | null;
  province: string;
  unit_id: string | null;
  unit_name: string | null;
  assigned_worker_id: string | null;
  assigned_worker_name: string | null;
  restricted: boolean;
  client_id: string | null;
  possible_repeat_of: string | null;
  merged_into: string | null;
  erased_at: Date | null;
  state: {
    deadline?: Case['deadline'];
    plan?: Case['plan'];
    planVersions?: Case['planVersions'];
    interventions?: Case['interventions'];
    concerns?: Case['concerns'];
    pendingRisk?: Case['pendingRisk'];
    closure?: { reasonCode?: ClosureReason; reason: string; goalsMet?: GoalsMet; outcome: string; requestedBy?: string } | null;
    placement?: (Omit<NonNullable<Case['placedNow']>, 'daysLeft' | 'warningAt'> & { warningAt?: string | null }) | null;
  };
  next_review_at: Date | null;
  stage: Stage;
  created_at: Date;
  updated_at: Date;
  score: number;
  level: RiskLevel;
  path: Path;
  reasons: RiskDecision['reasons'];
  ruleset_version: number;
}

/** The current placement as the case's state recorded it, with the days left counted today. */
function placedNow(p: CaseRow['state']['placement']): Case['placedNow'] {
  if (!p) return null;
  return { ...p, warningAt: p.warningAt ?? null, daysLeft: p.endsBy ? daysLeft(p.endsBy, new Date()) : null };
}

function toCase(row: CaseRow): Case {
  return {
    id: row.id,
    ref: row.ref,
    stage: row.stage,
    province: row.province,
    unit: row.unit_id ? { id: row.unit_id, name: row.unit_name ?? '' } : null,
    assignedWorker: row.assigned_worker_id ? { id: row.assigned_worker_id, displayName: row.assigned_worker_name ?? '' } : null,
    restricted: row.restricted,
    clientId: row.client_id,
    possibleRepeatOf: row.possible_repeat_of,
    possibleRepeat: row.possible_repeat_of !== null,
    mergedInto: row.merged_into,
    erasedAt: row.erased_at?.toISOString() ?? null,
    risk: {
      score: row.score,
      level: row.level,
      path: row.path,
      reasons: row.reasons,
      rulesetVersion: row.ruleset_version,
    },
    intake: row.erased_at ? null : row.intake,
    // Cases recorded before concerns accumulated know the intake's.
    concerns: row.erased_at ? {} : (row.state.concerns ?? known(row.intake?.concerns ?? {})),
    pendingRisk: row.state.pendingRisk ?? null,
    closure: row.state.closure
      ? {
          reasonCode: row.state.closure.reasonCode ?? null,
          reason: row.state.closure.reason,
          goalsMet: row.state.closure.goalsMet ?? null,
          outcome: row.state.closure.outcome,
          requestedBy: row.state.closure.requestedBy ?? null,
        }
      : null,
    deadline: row.state.deadline ?? null,
    nextReviewAt: row.next_review_at?.toISOString() ?? null,
    plan: row.state.plan ?? null,
    planVersions: row.state.planVersions ?? [],
    interventions: row.state.interventions ?? [],
    placedNow: placedNow(row.state.placement),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What a collaborator may know of a case they reported: that it is being handled, and where. */
export function toStatus(c: Case): CaseStatus {
  return { id: c.id, ref: c.ref, stage: c.stage, createdAt: c.createdAt, updatedAt: c.updatedAt };
}

export interface NewCase {
  caseId: string;
  province: string;
  reportedBy: string;
  restricted: boolean;
  intake: Intake;
  receivedAt: string;
  stage: Stage;
  decision: RiskDecision;
  facts: RoutingFacts;
  decidedAt: Date;
  /** Told to the supervisor of the client's open case when this report repeats it. */
  repeatNotice: Bilingual;
  /** A case from a past register: its number and row hash are kept, and no repeat notice is sent. */
  imported?: { registerNo: string; rowHash: string };
}

export interface RecordedIntake {
  unitId: string | null;
  assigneeId: string | null;
  /** Restricted at intake, or because it repeats a restricted case (I4). */
  restricted: boolean;
}

/**
 * Writes the case, its assignment and its intake routing decision together: never a case
 * without its routing. A report that repeats an open case is linked to it, restricted if that case
 * is, and its supervisor is told. A retry finds the case there and changes nothing.
 */
export async function insertCaseWithRouting(sql: Sql, c: NewCase): Promise<RecordedIntake> {
  const recorded = await sql.begin((tx) => insertCaseRows(tx, c));
  if (recorded) return recorded;
  const [row] = await sql<{ unit_id: string | null; assigned_worker_id: string | null; restricted: boolean }[]>`
    select unit_id, assigned_worker_id, restricted from cases where id = ${c.caseId}`;
  return { unitId: row?.unit_id ?? null, assigneeId: row?.assigned_worker_id ?? null, restricted: row?.restricted ?? c.restricted };
}

/** Where an admitted case stands, as stored: a retried admission answers this, not what it computed again. */
export interface StoredAdmission extends RecordedIntake {
  stage: Stage;
  decision: RiskDecision;
  facts: RoutingFacts;
  /** The first deadline, once the opening event has recorded it. */
  deadline?: Deadline;
}

/**
 * Admission (issue 19): the case, its assignment and intake routing (as insertCaseWithRouting),
 * then its opening event with the state and notices it leaves, all in one transaction, once. A
 * retry finds the rows there, writes nothing twice, and answers what the first attempt stored.
 */
export async function admitCase(sql: Sql, c: NewCase, opening: (tx: Tx, stored: StoredAdmission) => Promise<CaseEvent>): Promise<StoredAdmission> {
  return await sql.begin(async (tx) => {
    const recorded = await insertCaseRows(tx, c);
    // Written just now: what was written, without reading it back; a retry reads what the first attempt stored.
    const { score, level, path, reasons, rulesetVersion } = c.decision;
    const stored = recorded
      ? { ...recorded, stage: c.stage, decision: { score, level, path, reasons, rulesetVersion }, facts: c.facts }
      : await storedAdmission(tx, c.caseId);
    await recordCaseEventIn(tx, await opening(tx, stored));
    return stored;
  });
}

async function storedAdmission(tx: Tx, caseId: string): Promise<StoredAdmission> {
  const [row] = await tx<
    {
      stage: Stage;
      unit_id: string | null;
      assigned_worker_id: string | null;
      restricted: boolean;
      deadline: Deadline | null;
      score: number;
      level: RiskLevel;
      path: Path;
      reasons: RiskDecision['reasons'];
      ruleset_version: number;
      facts: RoutingFacts;
    }[]
  >`
    select c.stage, c.unit_id, c.assigned_worker_id, c.restricted, c.state -> 'deadline' as deadline,
           r.score, r.level, r.path, r.reasons, r.ruleset_version, r.facts
    from cases c join routing_decisions r on r.case_id = c.id and r.seq = 1
    where c.id = ${caseId}`;
  if (!row) throw new Error(`case ${caseId} was admitted but is not in the database`);
  return {
    stage: row.stage,
    unitId: row.unit_id,
    assigneeId: row.assigned_worker_id,
    restricted: row.restricted,
    decision: { score: row.score, level: row.level, path: row.path, reasons: row.reasons, rulesetVersion: row.ruleset_version },
    facts: row.facts,
    ...(row.deadline ? { deadline: row.deadline } : {}),
  };
}

/** The case's rows, in the caller's transaction, and its assignment; a case already there is left as it is (undefined). */
async function insertCaseRows(tx: Tx, c: NewCase): Promise<RecordedIntake | undefined> {
  const inserted = await tx`
      with ref as (${caseRef(tx, c.caseId, c.province, c.receivedAt)})
      insert into cases (id, ref, channel, intake, stage, path, risk_level, created_at, province, reported_by, restricted, register_no, imported_row_hash)
      select ${c.caseId}, ref.ref, ${c.intake.channel}, ${jsonb(tx, c.intake)}, ${c.stage},
             ${c.decision.path}, ${c.decision.level}, ${c.receivedAt}, ${c.province}, ${c.reportedBy}, ${c.restricted},
             ${c.imported?.registerNo ?? null}, ${c.imported?.rowHash ?? null}
      from ref
      on conflict (id) do nothing
      returning id`;
  if (inserted.length === 0) return undefined;
  // Three independent steps, sent together (postgres.js pipelines a transaction's queries issued
  // without waiting); each touches its own columns of the new row.
  const [repeatRestricted, assignment] = await Promise.all([
    linkClient(tx, c.caseId, c.province, c.intake, new Date(c.receivedAt)).then((repeat) => flagRepeat(tx, c, repeat)),
    assignCase(tx, c.province, c.intake.client.location, c.decision.path === 'emergency').then(async (assigned) => {
      await tx`update cases set unit_id = ${assigned.unitId}, assigned_worker_id = ${assigned.workerId} where id = ${c.caseId}`;
      return assigned;
    }),
    insertRoutingDecision(tx, { caseId: c.caseId, seq: 1, decision: c.decision, facts: c.facts, decidedAt: c.decidedAt }),
  ]);
  return { unitId: assignment.unitId, assigneeId: assignment.workerId, restricted: c.restricted || repeatRestricted };
}

/** I4 and I8 for a repeat report: restricted like the case it repeats (answers whether it is), whose supervisor hears of it. */
async function flagRepeat(tx: Tx, c: NewCase, repeat: RepeatedCase | undefined): Promise<boolean> {
  if (!repeat) return false;
  if (repeat.restricted) await tx`update cases set restricted = true where id = ${c.caseId}`;
  if (repeat.supervisorId && !c.imported) {
    await insertNotifications(tx, repeat.id, c.receivedAt, [
      { key: `${c.caseId}:repeat:${repeat.supervisorId}`, recipientId: repeat.supervisorId, kind: 'case.repeat_reported', message: c.repeatNotice },
    ]);
  }
  return repeat.restricted;
}

/**
 * A closed case from a past register, in one transaction: the case, its client link and imported
 * routing, and two events — brought in, and closed on the register's day. No workflow: nothing is
 * left to do; reopening it is not possible from here (it has no workflow to take the action).
 */
export async function importClosedCase(
  sql: Sql,
  c: Omit<NewCase, 'stage' | 'restricted' | 'repeatNotice' | 'decidedAt'> & {
    imported: { registerNo: string; rowHash: string };
    closedAt: string;
    closure: { reasonCode: ClosureReason; reason: string; goalsMet?: GoalsMet; outcome: string };
  },
): Promise<void> {
  await sql.begin(async (tx) => {
    const made = await insertCaseRows(tx, { ...c, stage: 'closed', restricted: false, decidedAt: new Date(c.receivedAt), repeatNotice: { vi: '', en: '' } });
    if (!made) return;
    await tx`update cases set assigned_worker_id = null, state = ${jsonb(tx, { closure: c.closure })}, updated_at = ${c.closedAt} where id = ${c.caseId}`;
    const events = [
      { seq: 1, at: c.receivedAt, kind: 'case.imported', data: { registerNo: c.imported.registerNo, stage: 'closed', risk: c.decision } },
      { seq: 2, at: c.closedAt, kind: 'case.closed_in_register', data: c.closure },
    ];
    for (const e of events) {
      await tx`insert into case_events (case_id, seq, at, actor_id, actor, kind, data)
               values (${c.caseId}, ${e.seq}, ${e.at}, ${c.reportedBy}, 'import', ${e.kind}, ${jsonb(tx, e.data)})`;
    }
  });
}

/** A case brought in from the register under this number, with the hash of the row it came from. */
export async function findImportedCase(sql: Sql, province: string, registerNo: string): Promise<{ id: string; rowHash: string | null } | undefined> {
  const [row] = await sql<{ id: string; imported_row_hash: string | null }[]>`
    select id, imported_row_hash from cases where province = ${province} and register_no = ${registerNo}`;
  return row && { id: row.id, rowHash: row.imported_row_hash };
}

/**
 * The case's reference, as a query for the insert to use: province, year of intake in Vietnam's
 * time, and its number in both (QN-2026-000123). A retry finds the case there: it takes no second
 * number (no row, so the insert that uses it adds nothing).
 */
function caseRef(tx: Tx, caseId: string, province: string, receivedAt: string) {
  const year = new Date(Date.parse(receivedAt) + 7 * 3600_000).getUTCFullYear();
  return tx`
    insert into case_ref_counters (province, year, last)
    select ${province}, ${year}, 1 where not exists (select 1 from cases where id = ${caseId})
    on conflict (province, year) do update set last = case_ref_counters.last + 1
    returning (select coalesce(ref_prefix, upper(code)) from provinces where code = ${province}) || '-' || ${String(year)} || '-' || lpad(last::text, greatest(6, length(last::text)), '0') as ref`;
}

// The newest routing decision of each case is the one in force.
const CASE_FROM = (sql: Sql) => sql`
  select c.id, c.ref, c.intake, c.stage, c.created_at, c.updated_at, c.province, c.unit_id, u.name as unit_name,
         c.assigned_worker_id, w.display_name as assigned_worker_name, c.restricted, c.erased_at, c.state, c.next_review_at,
         c.client_id, c.possible_repeat_of, c.merged_into,
         r.score, r.level, r.path, r.reasons, r.ruleset_version
  from cases c
  join lateral (
    select * from routing_decisions d where d.case_id = c.id order by d.seq desc limit 1
  ) r on true
  left join units u on u.id = c.unit_id
  left join staff w on w.id = c.assigned_worker_id`;

/** Which of these cases exist, and how many cases there are in all (for the fault injector's count). */
export async function caseCensus(sql: Sql, ids: string[]): Promise<{ found: Set<string>; total: number }> {
  const rows = ids.length === 0 ? [] : await sql<{ id: string }[]>`select id from cases where id in ${sql(ids)}`;
  const [all] = await sql<{ n: number }[]>`select count(*)::int as n from cases`;
  return { found: new Set(rows.map((r) => r.id)), total: all?.n ?? 0 };
}

/** Which of these cases the viewer may see. */
export async function visibleCaseIds(sql: Sql, ids: string[], viewer: Principal): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`select c.id from cases c where c.id in ${sql(ids)} and ${visibleTo(sql, viewer)}`;
  return new Set(rows.map((r) => r.id));
}

export async function findCase(sql: Sql, id: string, viewer?: Principal): Promise<Case | undefined> {
  const rows = await sql<CaseRow[]>`
    ${CASE_FROM(sql)} where c.id = ${id} ${viewer ? sql`and ${visibleTo(sql, viewer)}` : sql``}`;
  return rows[0] && toCase(rows[0]);
}

export interface CaseFilter {
  path?: Path;
  level?: RiskLevel;
  stage?: Stage;
  /** A social worker's id. */
  assignedTo?: string;
  clientId?: string;
  /** Open cases whose current deadline falls in [from, until). */
  due?: { from?: Date; until: Date };
  /** Only cases with a lower risk awaiting confirmation. */
  pendingRisk?: boolean;
  limit: number;
  after?: { createdAt: string; id: string };
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while cases arrive. */
export async function listCases(sql: Sql, viewer: Principal, f: CaseFilter): Promise<{ items: Case[]; next?: { createdAt: string; id: string } }> {
  const rows = await sql<CaseRow[]>`
    ${CASE_FROM(sql)}
    where ${visibleTo(sql, viewer)}
      ${f.path ? sql`and c.path = ${f.path}` : sql``}
      ${f.level ? sql`and c.risk_level = ${f.level}` : sql``}
      ${f.stage ? sql`and c.stage = ${f.stage}` : sql``}
      ${f.assignedTo ? sql`and c.assigned_worker_id = ${f.assignedTo}` : sql``}
      ${f.clientId ? sql`and c.client_id = ${f.clientId}` : sql``}
      ${f.due ? sql`and c.stage not in ('closed', 'erased') and c.due_at < ${f.due.until}` : sql``}
      ${f.due?.from ? sql`and c.due_at >= ${f.due.from}` : sql``}
      ${f.pendingRisk ? sql`and jsonb_typeof(c.state->'pendingRisk') = 'object'` : sql``}
      ${f.after ? sql`and (c.created_at, c.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)` : sql``}
    order by c.created_at desc, c.id desc
    limit ${f.limit + 1}`;
  const items = rows.slice(0, f.limit).map(toCase);
  const last = items.at(-1);
  return { items, next: rows.length > f.limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

/** Cases the viewer may see whose next review is due before a time, soonest first. */
export async function reviewsDue(sql: Sql, viewer: Principal, f: { before: string; limit: number }) {
  const rows = await sql<{ id: string; next_review_at: Date; stage: Stage; assigned_worker_id: string | null }[]>`
    select c.id, c.next_review_at, c.stage, c.assigned_worker_id from cases c
    where ${visibleTo(sql, viewer)} and c.next_review_at is not null and c.next_review_at < ${f.before}
    order by c.next_review_at limit ${f.limit}`;
  return rows.map((r) => ({ caseId: r.id, nextReviewAt: r.next_review_at.toISOString(), stage: r.stage, assignedWorkerId: r.assigned_worker_id }));
}

/**
 * I5: wipes what identifies the person — name, phone, birth year, every free text of the case and
 * its timeline — and keeps what statistics need, de-identified: channel, categories, gender, age
 * group, place, risk, path, dates and the stage history; so do the contacts it began as (issue 27).
 * The client record is wiped too unless the
 * client has another case that is not erased; the erased case no longer counts as an earlier case.
 * Safe to run twice.
 */
export async function eraseCaseData(sql: Sql, caseId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [c] = await tx<{ client_id: string | null; intake: Partial<Intake> | null; age: number | null }[]>`
      select c.client_id, c.intake,
             (select (facts->>'age')::int from routing_decisions d where d.case_id = c.id order by seq limit 1) as age
      from cases c where c.id = ${caseId} for update`;
    if (!c) return;
    const client = c.intake?.client;
    const remains = {
      channel: c.intake?.channel,
      categories: c.intake?.categories,
      client: client && { gender: client.gender, ageGroup: ageGroup(c.age), location: { ...client.location } },
    };
    await tx`
      update cases c set intake = ${c.intake?.client ? tx`${jsonb(tx, remains)} || jsonb_build_object('reportingDelay', ${REPORTING_DELAY(tx)})` : jsonb(tx, c.intake ?? {})}, state = '{}'::jsonb, stage = 'erased', due_at = null,
        next_review_at = null, client_id = null, erased_at = coalesce(erased_at, now()), updated_at = now()
      where id = ${caseId}`;
    await tx`
      update routing_decisions set facts = coalesce((
        select jsonb_object_agg(key, value) from jsonb_each(facts) where key in ('channel', 'categories', 'gender', 'isChild')
      ), '{}'::jsonb) || jsonb_build_object('ageGroup', ${ageGroup(c.age)}::text, 'reportAgeGroup', ${reportAgeGroup(c.age)}::text)
      where case_id = ${caseId}`;
    // Why it closed stays countable (codes only, no words).
    await tx`
      update case_events set data = case when kind in ('closure.proposed', 'case.closed_in_register')
        then jsonb_strip_nulls(jsonb_build_object('reasonCode', data->'reasonCode', 'goalsMet', data->'goalsMet')) else '{}'::jsonb end
      where case_id = ${caseId}`;
    await eraseReferrals(tx, caseId);
    await erasePlacements(tx, caseId);
    await eraseEnrolments(tx, caseId);
    await eraseContactsOfCase(tx, caseId);
    if (c.client_id) {
      await tx`
        update clients set full_name = '', name_key = '', phone = null, birth_year = null
        where id = ${c.client_id} and not exists (select 1 from cases o where o.client_id = ${c.client_id} and o.erased_at is null)`;
    }
  });
}
