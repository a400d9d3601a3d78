// Client records: who a case is about. Matched on phone, or on name with birth year (or age)
// and location; a match links the case, it never merges cases by itself.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/access';
import type { Intake } from '../domain/intake';
import type { Sql, Tx } from './connect';
import { normaliseArea } from './directory';
import { visibleTo } from './scope';

export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Vietnamese numbers written as +84…, 84… or 0…, with any spacing, become 0…. */
export function phoneKey(phone: string | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return null;
  return digits.startsWith('84') ? `0${digits.slice(2)}` : digits;
}

function birthYearOf(client: Intake['client'], receivedAt: Date): number | null {
  if (client.birthYear !== undefined) return client.birthYear;
  return client.age !== undefined ? receivedAt.getUTCFullYear() - client.age : null;
}

/** The known client this intake is about, if any. */
export async function matchClient(sql: Sql | Tx, province: string, intake: Intake, receivedAt: Date): Promise<string | undefined> {
  const phone = phoneKey(intake.client.phone);
  if (phone) {
    const [byPhone] = await sql<{ id: string }[]>`select id from clients where province = ${province} and phone = ${phone} order by created_at limit 1`;
    if (byPhone) return byPhone.id;
  }
  const year = birthYearOf(intake.client, receivedAt);
  const { commune, district } = intake.client.location;
  if (year === null || (!commune && !district)) return undefined;
  // An age gives the birth year only to within one year.
  const [byName] = await sql<{ id: string }[]>`
    select id from clients
    where province = ${province} and name_key = ${nameKey(intake.client.fullName)}
      and birth_year between ${year - 1} and ${year + 1}
      and (${commune ? normaliseArea(commune) : null}::text = commune or ${district ? normaliseArea(district) : null}::text = district)
    order by created_at limit 1`;
  return byName?.id;
}

/** Earlier cases of the client this intake is about: a fact the routing rules may use. */
export async function priorCaseCount(sql: Sql, province: string, intake: Intake, receivedAt: Date): Promise<number> {
  const client = await matchClient(sql, province, intake, receivedAt);
  if (!client) return 0;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from cases where client_id = ${client} and merged_into is null and erased_at is null`;
  return row?.n ?? 0;
}

/** An open case of the same client that a new report may repeat: its restriction and its supervisor (I4, I8). */
export interface RepeatedCase {
  id: string;
  restricted: boolean;
  supervisorId: string | null;
}

/**
 * Links a new case to its client (creating the record if none matches) and flags a possible
 * repeat; answers the case it repeats, read in the same statement as the link.
 */
export async function linkClient(tx: Tx, caseId: string, province: string, intake: Intake, receivedAt: Date): Promise<RepeatedCase | undefined> {
  let clientId = await matchClient(tx, province, intake, receivedAt);
  if (!clientId) {
    clientId = randomUUID();
    const { location } = intake.client;
    await tx`
      insert into clients (id, province, full_name, name_key, birth_year, phone, district, commune)
      values (${clientId}, ${province}, ${intake.client.fullName}, ${nameKey(intake.client.fullName)}, ${birthYearOf(intake.client, receivedAt)},
              ${phoneKey(intake.client.phone)}, ${location.district ? normaliseArea(location.district) : null}, ${location.commune ? normaliseArea(location.commune) : null})`;
  }
  const [repeat] = await tx<{ id: string; restricted: boolean; supervisor_id: string | null }[]>`
    with linked as (
      update cases set client_id = ${clientId},
        possible_repeat_of = (
          select id from cases o
          where o.client_id = ${clientId} and o.id <> ${caseId} and o.stage <> 'closed' and o.merged_into is null and o.erased_at is null
          order by o.created_at desc limit 1)
      where id = ${caseId}
      returning possible_repeat_of)
    select o.id, o.restricted, u.supervisor_id
    from linked join cases o on o.id = linked.possible_repeat_of left join units u on u.id = o.unit_id`;
  return repeat && { id: repeat.id, restricted: repeat.restricted, supervisorId: repeat.supervisor_id };
}

export interface ClientSummary {
  id: string;
  fullName: string;
  birthYear: number | null;
  phone: string | null;
  district: string | null;
  commune: string | null;
  /** Cases of the client the viewer may see, and the newest one's time. */
  cases: number;
  lastCaseAt: string;
}

interface ClientRow {
  id: string;
  full_name: string;
  birth_year: number | null;
  phone: string | null;
  district: string | null;
  commune: string | null;
  cases: number;
  last_case_at: Date;
}

const toSummary = (r: ClientRow): ClientSummary => ({
  id: r.id,
  fullName: r.full_name,
  birthYear: r.birth_year,
  phone: r.phone,
  district: r.district,
  commune: r.commune,
  cases: r.cases,
  lastCaseAt: r.last_case_at.toISOString(),
});

/** `%` and `_` in what someone typed are letters, not wildcards. */
const literal = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Clients with at least one case the viewer may see (I4: a client is known to a person only
 * through a case in their scope), newest case first. The name matches anywhere, accents and case
 * folded; a phone matches however it is written; a birth year exactly.
 */
export async function searchClients(
  sql: Sql,
  viewer: Principal,
  f: { name?: string; phone?: string; birthYear?: number; limit: number },
): Promise<ClientSummary[]> {
  const name = f.name ? nameKey(f.name) : '';
  const phone = phoneKey(f.phone);
  const rows = await sql<ClientRow[]>`
    select cl.id, cl.full_name, cl.birth_year, cl.phone, cl.district, cl.commune, count(*)::int as cases, max(c.created_at) as last_case_at
    from clients cl join cases c on c.client_id = cl.id
    where cl.province = ${viewer.province} and cl.name_key <> '' and ${visibleTo(sql, viewer)}
      ${name ? sql`and cl.name_key like ${`%${literal(name)}%`}` : sql``}
      ${phone ? sql`and cl.phone = ${phone}` : sql``}
      ${f.birthYear !== undefined ? sql`and cl.birth_year = ${f.birthYear}` : sql``}
    group by cl.id
    order by max(c.created_at) desc
    limit ${f.limit}`;
  return rows.map(toSummary);
}

/** One client, if the viewer may see at least one of their cases. */
export async function findClient(sql: Sql, id: string, viewer: Principal): Promise<ClientSummary | undefined> {
  const [row] = await sql<ClientRow[]>`
    select cl.id, cl.full_name, cl.birth_year, cl.phone, cl.district, cl.commune, count(*)::int as cases, max(c.created_at) as last_case_at
    from clients cl join cases c on c.client_id = cl.id
    where cl.id = ${id} and cl.province = ${viewer.province} and ${visibleTo(sql, viewer)}
    group by cl.id`;
  return row && toSummary(row);
}

/**
 * The known client an intake (or a contact's facts) is about, as the viewer may know them (issue
 * 27, repeat callers): their cases in the viewer's scope; of their restricted cases outside it,
 * only that one exists; nothing at all when every case of theirs is simply outside the scope.
 */
export async function possibleClient(
  sql: Sql,
  viewer: Principal,
  intake: Intake,
  at: Date,
): Promise<{ clientId: string | null; cases: Array<{ id: string; ref: string; stage: string }>; restricted: boolean } | null> {
  if (viewer.role === 'collaborator') return null;
  const clientId = await matchClient(sql, viewer.province, intake, at);
  if (!clientId) return null;
  const rows = await sql<{ id: string; ref: string; stage: string; visible: boolean; restricted: boolean }[]>`
    select c.id, c.ref, c.stage, ${visibleTo(sql, viewer)} as visible, c.restricted
    from cases c where c.client_id = ${clientId} and c.erased_at is null and c.merged_into is null
    order by c.created_at desc`;
  const cases = rows.filter((r) => r.visible).map(({ id, ref, stage }) => ({ id, ref, stage }));
  const restricted = rows.some((r) => !r.visible && r.restricted);
  if (cases.length === 0 && !restricted) return null;
  return { clientId: cases.length > 0 ? clientId : null, cases, restricted };
}
