// Logging in, once for the API (POST /auth/login) and the console (/app/login): attempts are
// counted per account and per address before the password is checked (db/logins.ts); past the
// limit the answer is a refusal whatever the password, however many arrive at once.
import type { Context } from 'hono';
import { findStaffByUsername } from '../db/directory';
import { forgiveLoginFailures, reserveLoginAttempt } from '../db/logins';
import { DUMMY_HASH, verifyPassword } from '../security/passwords';
import { issueSessionToken } from '../security/session-tokens';
import { clientAddress } from './auth';
import type { ApiDeps, AppEnv } from './context';
import { ApiError } from './errors';

export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/** A session token for the right password of an active account; ApiError too_many_attempts or invalid_credentials otherwise. */
export async function logIn(deps: ApiDeps, c: Context<AppEnv>, username: string, password: string): Promise<{ token: string; expiresAt: string }> {
  const address = clientAddress(c, deps.trustProxy);
  c.set('audit', { action: 'auth.login', detail: { username } });
  const attemptId = await reserveLoginAttempt(deps.sql, username, address, {
    windowMinutes: LOGIN_WINDOW_MINUTES,
    perAccount: MAX_FAILURES_PER_ACCOUNT,
    perAddress: MAX_FAILURES_PER_ADDRESS,
  });
  if (attemptId === undefined) {
    c.header('Retry-After', String(LOGIN_WINDOW_MINUTES * 60));
    throw new ApiError('too_many_attempts', [], {
      vi: `Đăng nhập sai quá nhiều lần; hãy thử lại sau ${LOGIN_WINDOW_MINUTES} phút`,
      en: `Too many failed logins; try again in ${LOGIN_WINDOW_MINUTES} minutes`,
    });
  }
  const staff = await findStaffByUsername(deps.sql, username);
  const matches = await verifyPassword(password, staff?.password_hash ?? DUMMY_HASH);
  // The attempt stays counted as a failure unless the password was right for an active account.
  if (!staff || !matches || !staff.active) throw new ApiError('invalid_credentials');
  await forgiveLoginFailures(deps.sql, username, attemptId);
  c.set('principal', { id: staff.id, kind: 'staff', name: staff.username, role: staff.role, province: staff.province, unitId: staff.unit_id });
  return await issueSessionToken(staff.id, deps.authSecret, deps.tokenTtlMinutes);
}
