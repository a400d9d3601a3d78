// Short-lived signed session tokens (JWT, HS256) for staff; integrations use API tokens instead,
// which start with a recognisable prefix and are kept only as a hash.
import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { currentSecret, honouredSecrets, type AuthSecrets } from './auth-secrets';

export const API_TOKEN_PREFIX = 'cft_';

/**
 * A session token. Besides JWT's `iat` (whole seconds) it carries `iatMs`, the same instant in
 * milliseconds: ending a person's sessions (POST /staff/{id}/sessions/revoke) refuses the tokens
 * issued up to that instant, and a login in the same second, just after it, must still work.
 */
export async function issueSessionToken(staffId: string, secrets: AuthSecrets, ttlMinutes: number, now = new Date()) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlMinutes * 60;
  // Always the current secret: a rotation's previous one only keeps what it signed alive.
  const token = await sign({ sub: staffId, iat, iatMs: now.getTime(), exp }, currentSecret(secrets), 'HS256');
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * A valid token says whose it is and its life (seconds since the epoch), for renewing it while it
 * is used; and when it was issued to the millisecond (`issuedAtMs`), for revocation. A token from
 * before `iatMs` counts as issued at the start of its second, so a revoke in that second ends it.
 */
export type SessionCheck =
  { ok: true; staffId: string; issuedAt: number; issuedAtMs: number; expiresAt: number } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Checks a token against the current secret and, after a rotation, the previous one
 * (AUTH_SECRET_PREVIOUS): a session signed before the rotation lives out its TOKEN_TTL_MINUTES.
 */
export async function checkSessionToken(token: string, secrets: AuthSecrets): Promise<SessionCheck> {
  const honoured = honouredSecrets(secrets);
  for (const [i, secret] of honoured.entries()) {
    try {
      const payload = await verify(token, secret, 'HS256');
      if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' };
      const { iatMs } = payload;
      const issuedAtMs = typeof iatMs === 'number' && Math.floor(iatMs / 1000) === payload.iat ? iatMs : payload.iat * 1000;
      return { ok: true, staffId: payload.sub, issuedAt: payload.iat, issuedAtMs, expiresAt: payload.exp };
    } catch (err) {
      const name = (err as Error).name;
      // Only a signature made with another secret is worth trying the next one on; anything else
      // (expired, malformed) is the same answer whichever secret signed it.
      if (name === 'JwtTokenSignatureMismatched' && i < honoured.length - 1) continue;
      return { ok: false, reason: name === 'JwtTokenExpired' ? 'expired' : 'invalid' };
    }
  }
  return { ok: false, reason: 'invalid' };
}

export function newApiToken(): { token: string; hash: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
