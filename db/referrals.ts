// Referrals as the case workflow records them (with a case event, in its transaction), and as
// staff and partners read them. The workflow's state is the source: a retried write of the same
// event changes nothing (recordCaseEvent skips an event already there).
import { TERMINAL_REFERRAL_STATUSES, type ReferralRecord, type ReferralStatus, type ShareablePath } from '../domain/referrals';
import type { Deadline } from '../domain/deadlines';
import type { Intake } from '../domain/intake';
import { jsonb, type Sql, type Tx } from './connect';

/** Writes the referral as the event leaves it; the link's hash is kept from its first sending on. */
export async function upsertReferral(tx: Tx, caseId: string, r: ReferralRecord, tokenHash: string | null): Promise<void> {
  const detail = { declineReason: r.declineReason, outcome: r.outcome, revokeReason: r.revokeReason };
  await tx`
    insert into referrals (id, case_id, province, partner_id, service, reason, consent, status, respond_by, deadline, token_hash, detail, created_by, created_at, updated_at)
    select ${r.id}, ${caseId}, c.province, ${r.partnerId}, ${r.service}, ${r.reason}, ${jsonb(tx, r.consent)}, ${r.status},
           ${r.deadline?.dueAt ?? null}, ${r.deadline ? jsonb(tx, r.deadline) : null}, ${tokenHash}, ${jsonb(tx, detail)}, ${r.createdBy}, ${r.createdAt}, ${r.updatedAt}
    from cases c where c.id = ${caseId}
    on conflict (id) do update set status = excluded.status, respond_by = coalesce(excluded.respond_by, referrals.respond_by),
      deadline = excluded.deadline, token_hash = coalesce(referrals.token_hash, excluded.token_hash), detail = excluded.detail,
      updated_at = excluded.updated_at`;
}

export interface ReferralRow {
  id: string;
  caseId: string;
  caseRef: string;
  partner: { id: string; name: string; kind: string };
  service: string;
  reason: string;
  consent: { givenBy: string; scope: ShareablePath[] };
  status: ReferralStatus;
  respondBy: string | null;
  deadline: Deadline | null;
  declineReason: string | null;
  outcome: string | null;
  revokeReason: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  case_id: string;
  case_ref: string;
  partner_id: string;
  partner_name: string;
  partner_kind: string;
  service: string;
  reason: string;
  consent: ReferralRow['consent'];
  status: ReferralStatus;
  respond_by: Date | null;
  deadline: Deadline | null;
  detail: { declineReason?: string; outcome?: string; revokeReason?: string };
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const toReferral = (r: Row): ReferralRow => ({
  id: r.id,
  caseId: r.case_id,
  caseRef: r.case_ref,
  partner: { id: r.partner_id, name: r.partner_name, kind: r.partner_kind },
  service: r.service,
  reason: r.reason,
  consent: r.consent,
  status: r.status,
  respondBy: r.respond_by?.toISOString() ?? null,
  deadline: r.deadline,
  declineReason: r.detail.declineReason ?? null,
  outcome: r.detail.outcome ?? null,
  revokeReason: r.detail.revokeReason ?? null,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const REFERRAL_FROM = (sql: Sql) => sql`
  select f.*, c.ref as case_ref, p.name as partner_name, p.kind as partner_kind
  from referrals f join cases c on c.id = f.case_id join partners p on p.id = f.partner_id`;

/** A case's referrals, oldest first (the caller has checked the case is in the viewer's scope). */
export async function listCaseReferrals(sql: Sql, caseId: string): Promise<ReferralRow[]> {
  const rows = await sql<Row[]>`${REFERRAL_FROM(sql)} where f.case_id = ${caseId} order by f.created_at, f.id`;
  return rows.map(toReferral);
}

export async function findCaseReferral(sql: Sql, caseId: string, id: string): Promise<ReferralRow | undefined> {
  const [row] = await sql<Row[]>`${REFERRAL_FROM(sql)} where f.case_id = ${caseId} and f.id = ${id}`;
  return row && toReferral(row);
}

/** The referral a partner's link opens, with the case's intake (null once erased) to share from. */
export async function findReferralByTokenHash(sql: Sql, hash: string): Promise<(ReferralRow & { intake: Intake | null }) | undefined> {
  const [row] = await sql<Array<Row & { intake: Intake | null; erased_at: Date | null }>>`
    select f.*, c.ref as case_ref, c.intake, c.erased_at, p.name as partner_name, p.kind as partner_kind
    from referrals f join cases c on c.id = f.case_id join partners p on p.id = f.partner_id
    where f.token_hash = ${hash}`;
  return row && { ...toReferral(row), intake: row.erased_at ? null : row.intake };
}

/**
 * The hashes of referrals' links, by referral id (a draft has none): staff are shown the link the
 * partner was given, and which secret made it is known only by recomputing (security/referral-links.ts).
 */
export async function referralLinkHashes(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; token_hash: string }[]>`
    select id, token_hash from referrals where id = any(${ids}::uuid[]) and token_hash is not null`;
  return new Map(rows.map((r) => [r.id, r.token_hash]));
}

/** A referral whose link still opens something: sent and not ended, with the hash of its link. */
export interface OpenReferralLink {
  id: string;
  caseId: string;
  caseRef: string;
  province: string;
  partnerName: string;
  status: ReferralStatus;
  tokenHash: string;
}

/** Every referral a partner may still answer, oldest first: after an AUTH_SECRET rotation, which links the previous secret made. */
export async function openReferralLinks(sql: Sql): Promise<OpenReferralLink[]> {
  const rows = await sql<
    Array<{ id: string; case_id: string; case_ref: string; province: string; partner_name: string; status: ReferralStatus; token_hash: string }>
  >`
    select f.id, f.case_id, c.ref as case_ref, f.province, p.name as partner_name, f.status, f.token_hash
    from referrals f join cases c on c.id = f.case_id join partners p on p.id = f.partner_id
    where f.token_hash is not null and f.status <> 'draft' and f.status <> all(${[...TERMINAL_REFERRAL_STATUSES]}::text[])
    order by f.created_at, f.id`;
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseRef: r.case_ref,
    province: r.province,
    partnerName: r.partner_name,
    status: r.status,
    tokenHash: r.token_hash,
  }));
}

/**
 * Gives a referral a new link: the old one stops opening at once. Only from the hash it has, so a
 * second run (or a referral re-issued meanwhile) changes nothing; false when nothing changed.
 */
export async function replaceReferralLink(sql: Sql, id: string, fromHash: string, toHash: string): Promise<boolean> {
  const rows = await sql`update referrals set token_hash = ${toHash} where id = ${id} and token_hash = ${fromHash} returning id`;
  return rows.length > 0;
}

/** I5 for referrals: what staff wrote about the person goes with the rest of the case, and every link ends. */
export async function eraseReferrals(tx: Tx, caseId: string): Promise<void> {
  await tx`
    update referrals set reason = '', detail = '{}'::jsonb, consent = jsonb_build_object('givenBy', '', 'scope', consent->'scope'),
      status = case when status in ('declined', 'expired', 'completed', 'revoked') then status else 'revoked' end, updated_at = now()
    where case_id = ${caseId}`;
}

/**
 * What the routing in force suggests: the kinds of partner its fired rules name
 * (`suggestedReferrals` in the ruleset version that decided), each with the rules that named it.
 */
export async function suggestedKinds(sql: Sql, caseId: string): Promise<Array<{ kind: string; rules: string[] }>> {
  return await sql<Array<{ kind: string; rules: string[] }>>`
    with decision as (
      select d.ruleset_version, d.reasons, c.province from routing_decisions d join cases c on c.id = d.case_id
      where d.case_id = ${caseId} order by d.seq desc limit 1
    ), suggested as (
      select s.kind, r->>'name' as rule
      from decision
      join policy_versions v on v.province = decision.province and v.kind = 'routing' and v.version = decision.ruleset_version
      cross join jsonb_array_elements(v.document->'rules') r
      cross join jsonb_array_elements_text(coalesce(r->'event'->'params'->'suggestedReferrals', '[]'::jsonb)) as s(kind)
      where r->>'name' in (select jsonb_array_elements(decision.reasons)->>'rule')
    )
    select kind, array_agg(distinct rule order by rule) as rules from suggested group by kind order by kind`;
}
