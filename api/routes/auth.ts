// /auth/login: a username and password for a short-lived session token. Attempts are counted per
// account and per address before the password is checked (db/logins.ts); past the limit the answer
// is 429 whatever the password, however many arrive at once.
import { createRoute, z } from '@hono/zod-openapi';
import { exact } from '../../domain/input';
import { findStaffByUsername } from '../../db/directory';
import { forgiveLoginFailures, reserveLoginAttempt } from '../../db/logins';
import { DUMMY_HASH, verifyPassword } from '../../security/passwords';
import { issueSessionToken } from '../../security/session-tokens';
import { clientAddress } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses } from '../schemas';

export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

const LoginSchema = z.strictObject({ username: exact(1, 100), password: exact(1, 200) }).openapi('Login');
const SessionSchema = z.object({ token: z.string(), expiresAt: z.iso.datetime() }).openapi('Session');

const login = createRoute({
  method: 'post',
  path: '/login',
  summary: 'Log in; answers a session token',
  request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
  responses: {
    200: { description: 'Logged in', content: { 'application/json': { schema: SessionSchema } } },
    ...errorResponses(400, 401, 422, 429),
  },
});

export function authRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json');
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
    return c.json(await issueSessionToken(staff.id, deps.authSecret, deps.tokenTtlMinutes), 200);
  });
  return router;
}
