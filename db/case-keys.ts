// The case_keys table: each case's data key, wrapped by a master key. Destroying a case's key
// keeps the row (with no key) so the erasure stays on record and the key is never recreated.
import type { Sql } from './connect';

/**
 * Stores a case's first wrapped key and answers the key the case has, in one statement: this one,
 * or the one a concurrent first use stored before it (or its erasure: wrappedKey null).
 */
export async function keepWrappedKey(
  sql: Sql,
  caseId: string,
  masterKeyId: string,
  wrappedKey: Buffer,
): Promise<{ masterKeyId: string; wrappedKey: Buffer | null }> {
  // The outer select cannot see the row the insert adds (one snapshot): it answers only when the insert did not.
  const [row] = await sql<{ master_key_id: string; wrapped_key: Buffer | null }[]>`
    with added as (
      insert into case_keys (case_id, master_key_id, wrapped_key)
      values (${caseId}, ${masterKeyId}, ${wrappedKey})
      on conflict (case_id) do nothing
      returning master_key_id, wrapped_key
    )
    select master_key_id, wrapped_key from added
    union all
    select master_key_id, wrapped_key from case_keys where case_id = ${caseId} and not exists (select 1 from added)`;
  if (!row) throw new Error(`case ${caseId}: its key was neither stored nor found`);
  return { masterKeyId: row.master_key_id, wrappedKey: row.wrapped_key };
}

/** The case's wrapped key and the master key that unwraps it; wrappedKey is null once destroyed, undefined means never created. */
export async function readWrappedKey(sql: Sql, caseId: string): Promise<{ masterKeyId: string; wrappedKey: Buffer | null } | undefined> {
  const [row] = await sql<{ master_key_id: string; wrapped_key: Buffer | null }[]>`
    select master_key_id, wrapped_key from case_keys where case_id = ${caseId}`;
  return row && { masterKeyId: row.master_key_id, wrappedKey: row.wrapped_key };
}

/**
 * Erases the case's key for good, keeping the first erasure time. A case erased before it ever
 * had a key gets a destroyed row, so no later use can create one (masterKeyId fills the column).
 */
export async function destroyWrappedKey(sql: Sql, caseId: string, masterKeyId: string): Promise<void> {
  await sql`
    insert into case_keys (case_id, master_key_id, wrapped_key, destroyed_at)
    values (${caseId}, ${masterKeyId}, null, now())
    on conflict (case_id) do update set wrapped_key = null, destroyed_at = coalesce(case_keys.destroyed_at, now())`;
}
