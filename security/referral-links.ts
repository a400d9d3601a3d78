// The partner's link to one referral: `${PUBLIC_URL}/r/<token>`. The token is an HMAC of the
// referral's id under the product's secret, so staff can be shown the link again at any time,
// while PostgreSQL keeps only its SHA-256 (a copy of the database opens no referral). It does one
// thing: answer that referral, until the referral ends. Rotating AUTH_SECRET ends every link.
import { createHash, createHmac } from 'node:crypto';

export interface ReferralLinks {
  /** The token of a referral's link. */
  tokenFor(referralId: string): string;
  /** What PostgreSQL keeps of a token, and looks a presented token up by. */
  hashOf(token: string): string;
  /** The link itself, under the public address. */
  urlFor(referralId: string): string;
}

export function referralLinks(secret: string, publicUrl: string): ReferralLinks {
  const tokenFor = (referralId: string) => createHmac('sha256', secret).update(`referral-link:${referralId}`).digest('base64url');
  return {
    tokenFor,
    hashOf: (token) => createHash('sha256').update(token).digest('hex'),
    urlFor: (referralId) => `${publicUrl.replace(/\/+$/, '')}/r/${tokenFor(referralId)}`,
  };
}
