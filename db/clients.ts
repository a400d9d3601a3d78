// Client records: who a case is about. Matched on phone, or on name with birth year (or age)
// and location; a match links the case, it never merges cases by itself.
import { randomUUID } from 'node:crypto';
import type { Intake } from '../domain/intake';
import type { Sql, Tx } from './connect';
import { normaliseArea } from './directory';

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

/** Links a new case to its client (creating the record if none matches) and flags a possible repeat. */
export async function linkClient(tx: Tx, caseId: string, province: string, intake: Intake, receivedAt: Date): Promise<void> {
  let clientId = await matchClient(tx, province, intake, receivedAt);
  if (!clientId) {
    clientId = randomUUID();
    const { location } = intake.client;
    await tx`
      insert into clients (id, province, full_name, name_key, birth_year, phone, district, commune)
      values (${clientId}, ${province}, ${intake.client.fullName}, ${nameKey(intake.client.fullName)}, ${birthYearOf(intake.client, receivedAt)},
              ${phoneKey(intake.client.phone)}, ${location.district ? normaliseArea(location.district) : null}, ${location.commune ? normaliseArea(location.commune) : null})`;
  }
  await tx`
    update cases set client_id = ${clientId},
      possible_repeat_of = (
        select id from cases o
        where o.client_id = ${clientId} and o.id <> ${caseId} and o.stage <> 'closed' and o.merged_into is null and o.erased_at is null
        order by o.created_at desc limit 1)
    where id = ${caseId}`;
}
