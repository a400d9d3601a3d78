// Failed login attempts, kept so repeated guessing at one account or from one address can be
// slowed down. A successful login clears its account's failures.
import type { Sql } from './connect';

/** How many failures the account and the address have had lately, to decide whether to refuse outright. */
export async function recentLoginFailures(sql: Sql, username: string, address: string, windowMinutes: number): Promise<{ account: number; address: number }> {
  const [counts] = await sql<{ account: number; address: number }[]>`
    select count(*) filter (where username = ${username})::int as account,
           count(*) filter (where address = ${address})::int as address
    from login_failures
    where at > now() - make_interval(mins => ${windowMinutes}) and (username = ${username} or address = ${address})`;
  return { account: counts?.account ?? 0, address: counts?.address ?? 0 };
}

/** Counts a failed attempt against both the account and the address it came from. */
export async function recordLoginFailure(sql: Sql, username: string, address: string): Promise<void> {
  await sql`insert into login_failures (username, address) values (${username}, ${address})`;
}

/** A successful login forgives the account's failures; failures at other accounts still count against their address. */
export async function clearLoginFailures(sql: Sql, username: string): Promise<void> {
  await sql`delete from login_failures where username = ${username}`;
}
