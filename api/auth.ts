// Who is calling, and may they call this at all.
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { principalForApiToken, principalForStaff } from '../db/directory';
import { ROLE_LABELS, type Role } from '../domain/access';
import { API_TOKEN_PREFIX, checkSessionToken, hashApiToken } from '../security/session-tokens';
import type { ApiDeps, AppEnv } from './context';
import { ApiError } from './errors';

/** Paths anyone may call: liveness, the API description, logging in, and the icon browsers ask for. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/health', '/live', '/ready', '/openapi.json', '/auth/login', '/favicon.ico']);
/** A partner's link to its referral: the token in the path is the credential (api/routes/partner-link.ts). */
const PUBLIC_PREFIXES = ['/r/'];
/** The console checks its own cookie session (api/console/session.ts), not a bearer token. */
const CONSOLE = /^\/(app(\/|$)|$)/;

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix)) || CONSOLE.test(path);
}

export function authenticate(deps: Pick<ApiDeps, 'sql' | 'authSecret'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path)) return await next();
    const header = c.req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new ApiError('unauthenticated');
    }
    let principal;
    if (token.startsWith(API_TOKEN_PREFIX)) {
      principal = await principalForApiToken(deps.sql, hashApiToken(token));
    } else {
      const check = await checkSessionToken(token, deps.authSecret);
      if (!check.ok && check.reason === 'expired') throw new ApiError('token_expired');
      principal = check.ok ? await principalForStaff(deps.sql, check.staffId, check) : undefined;
    }
    if (!principal) {
      throw new ApiError('unauthenticated', [], {
        vi: 'Mã truy cập không hợp lệ, hoặc tài khoản đã bị khoá',
        en: 'The token is not valid, or its account is disabled',
      });
    }
    c.set('principal', principal);
    await next();
  };
}

/** Roles that may use an endpoint at all; others get 403. (Case scope is checked per case: 404.) */
export function allow(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { role } = c.get('principal');
    if (!roles.includes(role)) {
      const who = ROLE_LABELS[role];
      throw new ApiError('forbidden', [], { vi: `Vai trò ${who.vi} không được dùng chức năng này`, en: `This is not open to the ${who.en} role` });
    }
    await next();
  };
}

export function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
