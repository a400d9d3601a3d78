// Login attempts, kept so repeated guessing at one account or from one address is refused.
//
// The rule: an attempt is counted *before* its password is checked, under a lock on its account
// and its address, so however many guesses arrive at once, at most the limit of them is ever
// checked. A successful login takes its own attempt back and forgives its account's failures.
import type { Sql } from './connect';

export interface LoginLimits {
  windowMinutes: number;
  perAccount: number;
  perAddress: number;
}

/**
 * Counts an attempt at `username` from `address` if both are under their limits; answers its id,
 * or undefined when the attempt must be refused without looking at the password.
 */
export async function reserveLoginAttempt(sql: Sql, username: string, address: string, limits: LoginLimits): Promise<string | undefined> {
  return await sql.begin(async (tx) => {
    // Always the account's lock before the address's: two attempts never wait on each other in a ring.
    await tx`select pg_advisory_xact_lock(hashtextextended(${`login-account:${username}`}, 0))`;
    await tx`select pg_advisory_xact_lock(hashtextextended(${`login-address:${address}`}, 0))`;
    const [counts] = await tx<{ account: number; address: number }[]>`
      select count(*) filter (where username = ${username})::int as account,
             count(*) filter (where address = ${address})::int as address
      from login_failures
      where at > now() - make_interval(mins => ${limits.windowMinutes}) and (username = ${username} or address = ${address})`;
    if ((counts?.account ?? 0) >= limits.perAccount || (counts?.address ?? 0) >= limits.perAddress) return undefined;
    const [row] = await tx<{ id: string }[]>`insert into login_failures (username, address) values (${username}, ${address}) returning id::text`;
    return row!.id;
  });
}

/** The password was right: the attempt was not a failure, and the account's earlier failures are forgiven. */
export async function forgiveLoginFailures(sql: Sql, username: string, attemptId: string): Promise<void> {
  await sql`delete from login_failures where id = ${attemptId} or username = ${username}`;
}
