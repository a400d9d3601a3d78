// Short-lived signed session tokens (JWT, HS256) for staff; integrations use API tokens instead,
// which start with a recognisable prefix and are kept only as a hash.
import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';

export const API_TOKEN_PREFIX = 'cft_';

/**
 * A session token. Besides JWT's `iat` (whole seconds) it carries `iatMs`, the same instant in
 * milliseconds: ending a person's sessions (POST /staff/{id}/sessions/revoke) refuses the tokens
 * issued up to that instant, and a login in the same second, just after it, must still work.
 */
export async function issueSessionToken(staffId: string, secret: string, ttlMinutes: number, now = new Date()) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlMinutes * 60;
  const token = await sign({ sub: staffId, iat, iatMs: now.getTime(), exp }, secret, 'HS256');
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * A valid token says whose it is and its life (seconds since the epoch), for renewing it while it
 * is used; and when it was issued to the millisecond (`issuedAtMs`), for revocation. A token from
 * before `iatMs` counts as issued at the start of its second, so a revoke in that second ends it.
 */
export type SessionCheck =
  { ok: true; staffId: string; issuedAt: number; issuedAtMs: number; expiresAt: number } | { ok: false; reason: 'expired' | 'invalid' };

export async function checkSessionToken(token: string, secret: string): Promise<SessionCheck> {
  try {
    const payload = await verify(token, secret, 'HS256');
    if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' };
    const { iatMs } = payload;
    const issuedAtMs = typeof iatMs === 'number' && Math.floor(iatMs / 1000) === payload.iat ? iatMs : payload.iat * 1000;
    return { ok: true, staffId: payload.sub, issuedAt: payload.iat, issuedAtMs, expiresAt: payload.exp };
  } catch (err) {
    return { ok: false, reason: (err as Error).name === 'JwtTokenExpired' ? 'expired' : 'invalid' };
  }
}

export function newApiToken(): { token: string; hash: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
