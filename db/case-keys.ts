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

/** How many live keys (not destroyed) each master key wraps, by master key id. */
export async function wrappedKeyCounts(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ master_key_id: string; count: number }[]>`
    select master_key_id, count(*)::int as count from case_keys where wrapped_key is not null group by master_key_id order by master_key_id`;
  return new Map(rows.map((r) => [r.master_key_id, r.count]));
}

export interface WrappedKey {
  caseId: string;
  masterKeyId: string;
  wrappedKey: Buffer;
}

/**
 * Re-wraps one batch of the live case keys not wrapped by `activeId`, those after `afterCaseId` in
 * case id order, in one transaction. The rows stay locked while `rewrap` works, so an erasure
 * meanwhile waits and then destroys the re-wrapped key (and a key destroyed first is not picked:
 * the lock re-reads the row), so a destroyed key never comes back. `rewrap` answers undefined for
 * a key it cannot open: that row is left as it is and the batch goes on past it. Run again, it
 * finds only what is still wrapped by another key.
 */
export async function rewrapCaseKeyBatch(
  sql: Sql,
  activeId: string,
  afterCaseId: string | null,
  limit: number,
  rewrap: (key: WrappedKey) => Buffer | undefined,
): Promise<{ rewrapped: WrappedKey[]; left: WrappedKey[]; lastCaseId: string | null }> {
  return await sql.begin(async (tx) => {
    const rows = await tx<{ case_id: string; master_key_id: string; wrapped_key: Buffer }[]>`
      select case_id, master_key_id, wrapped_key from case_keys
      where wrapped_key is not null and master_key_id <> ${activeId} ${afterCaseId ? tx`and case_id > ${afterCaseId}` : tx``}
      order by case_id limit ${limit}
      for update`;
    const rewrapped: WrappedKey[] = [];
    const left: WrappedKey[] = [];
    const updates: Array<Promise<unknown>> = [];
    for (const r of rows) {
      const key = { caseId: r.case_id, masterKeyId: r.master_key_id, wrappedKey: r.wrapped_key };
      const fresh = rewrap(key);
      if (!fresh) {
        left.push(key);
        continue;
      }
      rewrapped.push(key);
      // Sent together on the transaction's connection (pipelined), not one round trip each.
      updates.push(tx`update case_keys set master_key_id = ${activeId}, wrapped_key = ${fresh} where case_id = ${r.case_id} and wrapped_key is not null`);
    }
    await Promise.all(updates);
    return { rewrapped, left, lastCaseId: rows.at(-1)?.case_id ?? null };
  });
}
