// Contacts (issue 27): calls, visits and conversations, their history, and the callbacks promised
// on them. Every change is written with its history event in one transaction; writes are
// idempotent (an Idempotency-Key names one contact, a contact one case, a callback step is taken once).
import type { Principal } from '../domain/access';
import type { RiskDecision } from '../domain/case';
import type { Callback, CallbackRecord, Contact, ContactEvent, ContactOutcome, NewContact } from '../domain/contacts';
import type { Deadline } from '../domain/deadlines';
import type { Bilingual } from '../domain/stages';
import { jsonb, type Sql, type Tx } from './connect';
import { insertNotifications } from './notifications';
import { contactVisibleTo } from './scope';

/** What a contact's row keeps in `body`: the facts as recorded and corrected. */
type ContactBody = Pick<NewContact, 'caller' | 'about' | 'topics' | 'concerns' | 'summary'>;

interface ContactRow {
  id: string;
  ref: string;
  province: string;
  unit_id: string | null;
  unit_name: string | null;
  recorded_by: string;
  recorder_name: string | null;
  channel: Contact['channel'];
  call_type: Contact['callType'];
  outcome: ContactOutcome;
  started_at: Date;
  duration_minutes: number | null;
  body: ContactBody;
  routing: RiskDecision | null;
  case_id: string | null;
  log_no: string | null;
  created_at: Date;
  updated_at: Date;
  cb_due_at: Date | null;
  cb_supervisor_at: Date | null;
  cb_manager_at: Date | null;
  cb_policy_version: number | null;
  cb_fired: string[] | null;
  cb_recorded_at: Date | null;
  cb_reached_person: boolean | null;
  cb_summary: string | null;
  cb_outcome: string | null;
}

/** A contact as stored, before the reader's possible client is looked up. */
export type StoredContact = Contact & { province: string };

function callbackOf(r: ContactRow): Callback | null {
  if (!r.cb_due_at || !r.cb_supervisor_at || !r.cb_manager_at) return null;
  return {
    dueAt: r.cb_due_at.toISOString(),
    supervisorAt: r.cb_supervisor_at.toISOString(),
    managerAt: r.cb_manager_at.toISOString(),
    policyVersion: r.cb_policy_version ?? 0,
    status: !r.cb_recorded_at ? 'open' : r.cb_recorded_at <= r.cb_due_at ? 'kept' : 'late',
    escalated: (r.cb_fired ?? []).filter((l): l is Callback['escalated'][number] => l === 'reminder' || l === 'supervisor' || l === 'manager'),
    recordedAt: r.cb_recorded_at?.toISOString() ?? null,
    reachedPerson: r.cb_reached_person,
    summary: r.cb_summary,
    outcome: r.cb_outcome,
  };
}

function toContact(r: ContactRow): StoredContact {
  const callback = callbackOf(r);
  return {
    id: r.id,
    ref: r.ref,
    province: r.province,
    channel: r.channel,
    startedAt: r.started_at.toISOString(),
    durationMinutes: r.duration_minutes,
    caller: r.body.caller,
    about: r.body.about ?? null,
    callType: r.call_type,
    topics: r.body.topics ?? [],
    concerns: r.body.concerns ?? {},
    summary: r.body.summary,
    outcome: r.outcome,
    callbackBy: callback?.dueAt ?? null,
    callback,
    caseId: r.case_id,
    routing: r.routing,
    recordedBy: { id: r.recorded_by, displayName: r.recorder_name ?? '' },
    unit: r.unit_id ? { id: r.unit_id, name: r.unit_name ?? '' } : null,
    logNo: r.log_no,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const CONTACT_FROM = (sql: Sql | Tx) => sql`
  select k.*, u.name as unit_name, s.display_name as recorder_name,
         cb.due_at as cb_due_at, cb.supervisor_at as cb_supervisor_at, cb.manager_at as cb_manager_at,
         cb.policy_version as cb_policy_version, cb.fired as cb_fired, cb.recorded_at as cb_recorded_at,
         cb.reached_person as cb_reached_person, cb.summary as cb_summary, cb.outcome as cb_outcome
  from contacts k
  left join units u on u.id = k.unit_id
  left join staff s on s.id = k.recorded_by
  left join contact_callbacks cb on cb.contact_id = k.id`;

export interface NewContactRow {
  id: string;
  province: string;
  recorder: Principal;
  contact: NewContact;
  /** The outcome it is stored with: the operator's, or case_opened by C1. */
  outcome: ContactOutcome;
  routing: RiskDecision | null;
  /** The case C1 opens for it, started after this commits. */
  caseId: string | null;
  callback: Deadline | null;
  at: Date;
  /** A row of a past hotline log: its number and hash, and who it is recorded as. */
  imported?: { logNo: string; rowHash: string };
}

/**
 * Records a contact with its first history event (and, by C1, the case it opens; or the callback it
 * promises), in one transaction. A contact already there (a retry) is left as it is.
 */
export async function insertContact(sql: Sql, c: NewContactRow): Promise<void> {
  await sql.begin(async (tx) => {
    const { contact } = c;
    const body: ContactBody = {
      caller: contact.caller,
      ...(contact.about ? { about: contact.about } : {}),
      topics: contact.topics ?? [],
      concerns: contact.concerns ?? {},
      summary: contact.summary,
    };
    const startedAt = contact.startedAt ?? c.at.toISOString();
    // A past log imported by an administrator (no unit) belongs to the province's default unit, so
    // its supervisor and workers see it, as they would have had it on paper.
    const unit = c.recorder.unitId ?? (c.imported ? tx`(select id from units where province = ${c.province} and is_default limit 1)` : null);
    const inserted = await tx`
      with ref as (${nextContactRef(tx, c.id, c.province, c.at)})
      insert into contacts (id, ref, province, unit_id, recorded_by, channel, call_type, outcome, started_at, duration_minutes, body,
                            routing, case_id, log_no, imported_row_hash, created_at, updated_at)
      select ${c.id}, ref.ref, ${c.province}, ${unit}, ${c.recorder.id}, ${contact.channel}, ${contact.callType}, ${c.outcome},
             ${startedAt}, ${contact.durationMinutes ?? null}, ${jsonb(tx, body)}, ${c.routing ? jsonb(tx, c.routing) : null}, ${c.caseId},
             ${c.imported?.logNo ?? null}, ${c.imported?.rowHash ?? null}, ${c.at}, ${c.at}
      from ref
      on conflict (id) do nothing
      returning id`;
    if (inserted.length === 0) return;
    await appendEvent(tx, c.id, c.at, c.recorder.id, c.imported ? 'contact.imported' : 'contact.recorded', {
      outcome: contact.outcome,
      ...(c.imported ? { logNo: c.imported.logNo } : {}),
    });
    if (c.caseId) {
      await appendEvent(tx, c.id, c.at, null, 'contact.case_opened', { caseId: c.caseId, rule: 'C1', chosenOutcome: contact.outcome });
    }
    if (c.callback) await insertCallback(tx, c.id, c.recorder.id, c.callback);
  });
}

async function insertCallback(tx: Tx, contactId: string, operatorId: string, d: Deadline): Promise<void> {
  await tx`
    insert into contact_callbacks (contact_id, operator_id, due_at, supervisor_at, manager_at, policy_version)
    values (${contactId}, ${operatorId}, ${d.dueAt}, ${d.supervisorAt}, ${d.managerAt}, ${d.policyVersion})
    on conflict (contact_id) do nothing`;
}

/**
 * The next event of a contact's history, numbered after the last. It takes the contact's row lock
 * itself: a correction (which locks the contact) and a callback's step or record (which lock the
 * callback) may write at once, and two writers must never read the same last number.
 */
async function appendEvent(tx: Tx, contactId: string, at: Date, actorId: string | null, kind: string, data: Record<string, unknown>): Promise<void> {
  await tx`select 1 from contacts where id = ${contactId} for update`;
  await tx`
    insert into contact_events (contact_id, seq, at, actor_id, kind, data)
    select ${contactId}, coalesce(max(seq), 0) + 1, ${at}, ${actorId}, ${kind}, ${jsonb(tx, data)}
    from contact_events where contact_id = ${contactId}`;
}

/** The contact's reference: province, TV (tư vấn), year in Vietnam, number (QN-TV-2026-000045); a retry takes no number. */
function nextContactRef(tx: Tx, contactId: string, province: string, at: Date) {
  const year = new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();
  return tx`
    insert into contact_ref_counters (province, year, last)
    select ${province}, ${year}, 1 where not exists (select 1 from contacts where id = ${contactId})
    on conflict (province, year) do update set last = contact_ref_counters.last + 1
    returning (select coalesce(ref_prefix, upper(code)) from provinces where code = ${province}) || '-TV-' || ${String(year)} || '-' || lpad(last::text, greatest(6, length(last::text)), '0') as ref`;
}

export async function findContact(sql: Sql, id: string, viewer: Principal): Promise<StoredContact | undefined> {
  const [row] = await sql<ContactRow[]>`${CONTACT_FROM(sql)} where k.id = ${id} and ${contactVisibleTo(sql, viewer)}`;
  return row && toContact(row);
}

export interface ContactFilter {
  from?: Date;
  until?: Date;
  callType?: string;
  channel?: string;
  outcome?: string;
  /** Only contacts this person recorded. */
  recordedBy?: string;
  /** Only contacts with a promised callback not yet recorded. */
  openCallback?: boolean;
  limit: number;
  after?: { createdAt: string; id: string };
}

/** Newest first, keyset-paginated on (created_at, id) like the case list. */
export async function listContacts(
  sql: Sql,
  viewer: Principal,
  f: ContactFilter,
): Promise<{ items: StoredContact[]; next?: { createdAt: string; id: string } }> {
  const rows = await sql<ContactRow[]>`
    ${CONTACT_FROM(sql)}
    where ${contactVisibleTo(sql, viewer)}
      ${f.from ? sql`and k.created_at >= ${f.from}` : sql``}
      ${f.until ? sql`and k.created_at < ${f.until}` : sql``}
      ${f.callType ? sql`and k.call_type = ${f.callType}` : sql``}
      ${f.channel ? sql`and k.channel = ${f.channel}` : sql``}
      ${f.outcome ? sql`and k.outcome = ${f.outcome}` : sql``}
      ${f.recordedBy ? sql`and k.recorded_by = ${f.recordedBy}` : sql``}
      ${f.openCallback ? sql`and cb.contact_id is not null and cb.recorded_at is null` : sql``}
      ${f.after ? sql`and (k.created_at, k.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)` : sql``}
    order by k.created_at desc, k.id desc
    limit ${f.limit + 1}`;
  const items = rows.slice(0, f.limit).map(toContact);
  const last = items.at(-1);
  return { items, next: rows.length > f.limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

export async function contactHistory(sql: Sql, contactId: string): Promise<ContactEvent[]> {
  const rows = await sql<{ seq: number; at: Date; actor_id: string | null; actor_name: string | null; kind: string; data: Record<string, unknown> }[]>`
    select e.seq, e.at, e.actor_id, s.display_name as actor_name, e.kind, e.data
    from contact_events e left join staff s on s.id = e.actor_id
    where e.contact_id = ${contactId} order by e.seq`;
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at.toISOString(),
    actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name ?? '' } : null,
    kind: r.kind,
    data: r.data,
  }));
}

export type CorrectionResult = { kind: 'done' } | { kind: 'case_opened' } | { kind: 'callback_open' };

/**
 * A correction of the summary or the outcome, with what it was before on the contact's history.
 * A contact that became a case keeps its outcome; an open callback is recorded, not corrected away.
 */
export async function correctContact(
  sql: Sql,
  id: string,
  by: Principal,
  change: { summary?: string; outcome?: ContactOutcome; callback?: Deadline },
  at: Date,
): Promise<CorrectionResult> {
  return await sql.begin(async (tx) => {
    const [row] = await tx<{ outcome: ContactOutcome; summary: string; open_callback: boolean }[]>`
      select k.outcome, k.body->>'summary' as summary,
             exists (select 1 from contact_callbacks cb where cb.contact_id = k.id and cb.recorded_at is null) as open_callback
      from contacts k where k.id = ${id} for update`;
    if (!row) throw new Error(`contact ${id} vanished while being corrected`);
    const outcomeChanges = change.outcome !== undefined && change.outcome !== row.outcome;
    if (outcomeChanges && row.outcome === 'case_opened') return { kind: 'case_opened' };
    if (outcomeChanges && row.open_callback) return { kind: 'callback_open' };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (change.summary !== undefined && change.summary !== row.summary) {
      before.summary = row.summary;
      after.summary = change.summary;
      await tx`update contacts set body = jsonb_set(body, '{summary}', to_jsonb(${change.summary}::text)), updated_at = ${at} where id = ${id}`;
    }
    if (outcomeChanges) {
      before.outcome = row.outcome;
      after.outcome = change.outcome;
      await tx`update contacts set outcome = ${change.outcome!}, updated_at = ${at} where id = ${id}`;
      if (change.callback) {
        // A callback recorded earlier on this contact makes way for the new promise.
        await tx`delete from contact_callbacks where contact_id = ${id}`;
        await insertCallback(tx, id, by.id, change.callback);
        after.callbackBy = change.callback.dueAt;
      }
    }
    if (Object.keys(after).length > 0) await appendEvent(tx, id, at, by.id, 'contact.corrected', { before, after });
    return { kind: 'done' };
  });
}

/**
 * Claims a case for the contact: the case it already has, or `caseId`, recorded with its outcome
 * case_opened. Answers the case's id and whether it is the one just claimed.
 */
export async function claimCase(sql: Sql, id: string, caseId: string, by: Principal, at: Date): Promise<{ caseId: string; claimed: boolean }> {
  return await sql.begin(async (tx) => {
    const [row] = await tx<{ case_id: string | null; outcome: ContactOutcome }[]>`select case_id, outcome from contacts where id = ${id} for update`;
    if (!row) throw new Error(`contact ${id} vanished while a case was opened`);
    if (row.case_id) return { caseId: row.case_id, claimed: false };
    await tx`update contacts set case_id = ${caseId}, outcome = 'case_opened', updated_at = ${at} where id = ${id}`;
    await appendEvent(tx, id, at, by.id, 'contact.case_opened', { caseId, chosenOutcome: row.outcome });
    return { caseId, claimed: true };
  });
}

export type CallbackRecordResult = 'recorded' | 'none' | 'already';

/** Records the promised call; the callback's clock finds it recorded and takes no further step. */
export async function recordCallback(sql: Sql, id: string, by: Principal, record: CallbackRecord, at: Date): Promise<CallbackRecordResult> {
  return await sql.begin(async (tx) => {
    const [cb] = await tx<{ recorded_at: Date | null }[]>`select recorded_at from contact_callbacks where contact_id = ${id} for update`;
    if (!cb) return 'none';
    if (cb.recorded_at) return 'already';
    await tx`
      update contact_callbacks set recorded_at = ${at}, recorded_by = ${by.id}, reached_person = ${record.reachedPerson},
        summary = ${record.summary}, outcome = ${record.outcome}
      where contact_id = ${id}`;
    await tx`update contacts set outcome = ${record.outcome}, updated_at = ${at} where id = ${id}`;
    await appendEvent(tx, id, at, by.id, 'callback.recorded', { reachedPerson: record.reachedPerson, outcome: record.outcome });
    return 'recorded';
  });
}

export type CallbackLevel = 'reminder' | 'supervisor' | 'manager';

/**
 * One step of a promised callback's ladder: a notice to the operator (reminder), the unit's
 * supervisor, or every manager of the province, and an event on the contact's history. Taken
 * once (a retry finds the level fired); none once the callback is recorded. Answers whether the
 * callback is still open.
 */
export async function callbackStep(sql: Sql, id: string, level: CallbackLevel, at: Date, message: (ref: string) => Bilingual): Promise<boolean> {
  return await sql.begin(async (tx) => {
    const [cb] = await tx<{ ref: string; province: string; unit_id: string | null; operator_id: string; fired: string[]; recorded_at: Date | null }[]>`
      select k.ref, k.province, k.unit_id, cb.operator_id, cb.fired, cb.recorded_at
      from contact_callbacks cb join contacts k on k.id = cb.contact_id
      where cb.contact_id = ${id} for update of cb`;
    if (!cb || cb.recorded_at) return false;
    if (cb.fired.includes(level)) return true;
    await tx`update contact_callbacks set fired = array_append(fired, ${level}::text) where contact_id = ${id}`;
    await appendEvent(tx, id, at, null, `callback.${level}`, {});
    const rows =
      level === 'reminder'
        ? [{ id: cb.operator_id }]
        : level === 'supervisor'
          ? await tx<{ id: string }[]>`select supervisor_id as id from units where id = ${cb.unit_id} and supervisor_id is not null`
          : await tx<{ id: string }[]>`select id from staff where province = ${cb.province} and role = 'manager' and active`;
    await insertNotifications(
      tx,
      null,
      at.toISOString(),
      rows.map((r) => ({ key: `callback:${id}:${level}:${r.id}`, recipientId: r.id, kind: `callback.${level}`, message: message(cb.ref) })),
    );
    return true;
  });
}

/** The contact's id, when it exists (whoever may read it): a replayed create finds it. */
export async function contactExists(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql`select 1 from contacts where id = ${id}`;
  return row !== undefined;
}

/** A contact's reference, for the timeline of the case it became. */
export async function contactRef(sql: Sql, id: string): Promise<{ id: string; ref: string } | undefined> {
  const [row] = await sql<{ ref: string }[]>`select ref from contacts where id = ${id}`;
  return row && { id, ref: row.ref };
}

/**
 * I5 for the contacts a case began as: when the case is erased, what identifies the person goes
 * from them too — names, phones, the free text of the contact, its corrections and its callback —
 * and what the reports count stays (channel, call type, outcome, topics, concerns, dates).
 */
export async function eraseContactsOfCase(tx: Tx, caseId: string): Promise<void> {
  const ids = await tx<{ id: string }[]>`
    update contacts set body = jsonb_build_object('caller', jsonb_build_object('anonymous', true), 'topics', coalesce(body->'topics', '[]'::jsonb),
                                                  'concerns', coalesce(body->'concerns', '{}'::jsonb), 'summary', ''),
                        updated_at = now()
    where case_id = ${caseId}
    returning id`;
  if (ids.length === 0) return;
  const contactIds = ids.map((r) => r.id);
  await tx`update contact_events set data = '{}'::jsonb where contact_id in ${tx(contactIds)} and kind in ('contact.corrected', 'callback.recorded')`;
  await tx`update contact_callbacks set summary = null where contact_id in ${tx(contactIds)}`;
}

/**
 * Contacts whose case was claimed (C1, or opened from them) but whose case row is not there a while
 * later: the start was cut short (Temporal down, a process killed between the commit and the
 * start). The sweep in the worker starts them (system/contact-cases.ts).
 */
export async function contactsAwaitingCase(sql: Sql, claimedBefore: Date, limit: number): Promise<StoredContact[]> {
  const rows = await sql<ContactRow[]>`
    ${CONTACT_FROM(sql)}
    where k.case_id is not null and k.updated_at < ${claimedBefore}
      and not exists (select 1 from cases c where c.id = k.case_id)
    order by k.updated_at limit ${limit}`;
  return rows.map(toContact);
}
