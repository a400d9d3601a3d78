// The partner's link to one referral: `${PUBLIC_URL}/r/<token>`. The token is an HMAC of the
// referral's id under the product's secret, so staff can be shown the link again at any time,
// while PostgreSQL keeps only its SHA-256 (a copy of the database opens no referral). It does one
// thing: answer that referral, until the referral ends.
//
// A link opens only while the secret that made it is honoured: AUTH_SECRET, or after a rotation
// AUTH_SECRET_PREVIOUS. The stored hash stays the one of the link the partner was given (its
// first sending), so staff are shown that same link, made with whichever of the two made it;
// once the previous secret is dropped, links it made open nothing until they are re-issued
// (`npm run keys:rotate -- --reissue-links`).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { honouredSecrets, type AuthSecrets } from './auth-secrets';

/** Which honoured secret made a referral's link: the current one, the previous one, or neither (no longer opens). */
export type LinkSecret = 'current' | 'previous' | 'neither';

export interface ReferralLinks {
  /** The token of a referral's link under the current secret: what a newly sent referral gets. */
  tokenFor(referralId: string): string;
  /** What PostgreSQL keeps of a token, and looks a presented token up by. */
  hashOf(token: string): string;
  /** Whether a presented token is this referral's link under a secret still honoured. */
  opens(referralId: string, token: string): boolean;
  /** Which secret made the link whose hash is stored. */
  madeWith(referralId: string, storedHash: string): LinkSecret;
  /**
   * The link itself, under the public address: the one the partner has (the stored hash's), made
   * with the secret that made it; with the current secret when there is no stored hash yet, or
   * when no honoured secret made it (then it opens nothing until re-issued).
   */
  urlFor(referralId: string, storedHash?: string | null): string;
}

const hmac = (secret: string, referralId: string) => createHmac('sha256', secret).update(`referral-link:${referralId}`).digest('base64url');
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export function referralLinks(secrets: AuthSecrets, publicUrl: string): ReferralLinks {
  const [current, previous] = honouredSecrets(secrets) as [string, string | undefined];
  const base = publicUrl.replace(/\/+$/, '');
  const madeWith = (referralId: string, storedHash: string): LinkSecret => {
    if (sha256(hmac(current, referralId)) === storedHash) return 'current';
    if (previous !== undefined && sha256(hmac(previous, referralId)) === storedHash) return 'previous';
    return 'neither';
  };
  return {
    tokenFor: (referralId) => hmac(current, referralId),
    hashOf: sha256,
    opens(referralId, token) {
      const presented = Buffer.from(token);
      return [current, previous].some((secret) => {
        if (secret === undefined) return false;
        const expected = Buffer.from(hmac(secret, referralId));
        return expected.length === presented.length && timingSafeEqual(expected, presented);
      });
    },
    madeWith,
    urlFor(referralId, storedHash) {
      const secret = storedHash && madeWith(referralId, storedHash) === 'previous' ? previous! : current;
      return `${base}/r/${hmac(secret, referralId)}`;
    },
  };
}
