// Idempotency-Keys: a key claims the id of what its create makes (a case, a contact), or finds the
// id it already names. The key row is the guarantee: Temporal's workflow-id policy only covers a
// workflow while it runs, and a contact has no workflow at all.
import type { Sql } from './connect';

/** Where each kind of create keeps its keys, and the column of the id a key names. */
const TABLES = {
  intake: { table: 'intake_requests', id: 'case_id' },
  contact: { table: 'contact_requests', id: 'contact_id' },
} as const;

export type Reservation = { kind: 'new'; id: string } | { kind: 'replay'; id: string } | { kind: 'conflict' };

/** Claims `key` for `id`; the same key with the same request answers the id it named, with another request a conflict. */
export async function reserveIdempotencyKey(sql: Sql, of: keyof typeof TABLES, key: string, requestHash: string, id: string): Promise<Reservation> {
  const { table, id: column } = TABLES[of];
  const inserted = await sql<{ id: string }[]>`
    insert into ${sql(table)} (idempotency_key, request_hash, ${sql(column)})
    values (${key}, ${requestHash}, ${id})
    on conflict (idempotency_key) do nothing
    returning ${sql(column)} as id`;
  if (inserted[0]) return { kind: 'new', id };
  const [existing] = await sql<{ id: string; request_hash: string }[]>`
    select ${sql(column)} as id, request_hash from ${sql(table)} where idempotency_key = ${key}`;
  if (!existing) throw new Error(`idempotency key ${key} vanished while being read`);
  return existing.request_hash === requestHash ? { kind: 'replay', id: existing.id } : { kind: 'conflict' };
}

/** The id `key` already names for this very request, without claiming anything; undefined when it names none (or another request). */
export async function idempotentReplay(sql: Sql, of: keyof typeof TABLES, key: string, requestHash: string): Promise<string | undefined> {
  const { table, id: column } = TABLES[of];
  const [existing] = await sql<{ id: string }[]>`
    select ${sql(column)} as id from ${sql(table)} where idempotency_key = ${key} and request_hash = ${requestHash}`;
  return existing?.id;
}
