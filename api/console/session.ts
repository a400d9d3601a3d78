// The console's session: the same signed session token as the API's bearer, kept in an HttpOnly,
// SameSite=Lax cookie (Secure when PUBLIC_URL is https), renewed while it is used so a hotline
// worker is not logged out in the middle of an intake; and a CSRF token on every form (a cookie
// the form repeats in a hidden field, compared on every post).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { principalForStaff } from '../../db/directory';
import { findProfile } from '../../db/profiles';
import { checkSessionToken, issueSessionToken } from '../../security/session-tokens';
import type { ApiDeps, AppEnv } from '../context';

const SESSION = 'cf_session';
const CSRF = 'cf_csrf';

const secure = (deps: ApiDeps) => deps.publicUrl.startsWith('https:');

export function setSession(c: Context, deps: ApiDeps, token: string): void {
  setCookie(c, SESSION, token, { httpOnly: true, sameSite: 'Lax', secure: secure(deps), path: '/', maxAge: deps.tokenTtlMinutes * 60 });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION, { path: '/' });
}

/** The form's CSRF token: the cookie's, made when there is none. */
export function csrfToken(c: Context, deps: ApiDeps): string {
  const existing = getCookie(c, CSRF);
  if (existing) return existing;
  const fresh = randomBytes(24).toString('base64url');
  setCookie(c, CSRF, fresh, { httpOnly: true, sameSite: 'Lax', secure: secure(deps), path: '/app' });
  return fresh;
}

/** Whether a posted form carries the CSRF token its cookie holds. */
export function csrfMatches(c: Context, posted: unknown): boolean {
  const cookie = getCookie(c, CSRF);
  if (!cookie || typeof posted !== 'string' || posted.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(posted));
}

/**
 * Pages behind the login: the session's person becomes the principal (the same as the API's), or
 * the browser is sent to the login page with where it wanted to go. A session past half its life
 * is renewed.
 */
export function consoleSession(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION);
    const check = token ? await checkSessionToken(token, deps.authSecret) : undefined;
    const principal = check?.ok ? await principalForStaff(deps.sql, check.staffId, check) : undefined;
    if (!check?.ok || !principal) {
      if (token) endSession(c);
      const back = encodeURIComponent(c.req.path);
      return c.redirect(`/app/login?next=${back}`, 303);
    }
    c.set('principal', principal);
    let current = token!;
    if (Date.now() / 1000 > check.issuedAt + (check.expiresAt - check.issuedAt) / 2) {
      current = (await issueSessionToken(principal.id, deps.authSecret, deps.tokenTtlMinutes)).token;
      setSession(c, deps, current);
    }
    c.set('sessionToken', current);
    // The person's own language, kept with their profile (PATCH /me), not the browser's.
    const me = await findProfile(deps.sql, principal.id);
    c.set('language', me?.language ?? 'vi');
    c.set('displayName', me?.displayName ?? principal.name);
    await next();
  };
}
