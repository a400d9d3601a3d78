// Short-lived signed session tokens (JWT, HS256) for staff; integrations use API tokens instead,
// which start with a recognisable prefix and are kept only as a hash.
import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';

export const API_TOKEN_PREFIX = 'cft_';

export async function issueSessionToken(staffId: string, secret: string, ttlMinutes: number, now = new Date()) {
  const exp = Math.floor(now.getTime() / 1000) + ttlMinutes * 60;
  const token = await sign({ sub: staffId, iat: Math.floor(now.getTime() / 1000), exp }, secret, 'HS256');
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** A valid token says whose it is and its life (seconds since the epoch), for renewing it while it is used. */
export type SessionCheck = { ok: true; staffId: string; issuedAt: number; expiresAt: number } | { ok: false; reason: 'expired' | 'invalid' };

export async function checkSessionToken(token: string, secret: string): Promise<SessionCheck> {
  try {
    const payload = await verify(token, secret, 'HS256');
    return typeof payload.sub === 'string' && typeof payload.iat === 'number' && typeof payload.exp === 'number'
      ? { ok: true, staffId: payload.sub, issuedAt: payload.iat, expiresAt: payload.exp }
      : { ok: false, reason: 'invalid' };
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
