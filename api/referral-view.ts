// A referral as staff see it: the row as the workflow recorded it, with the partner's link.
import type { ReferralRow } from '../db/referrals';
import type { ReferralView } from '../domain/referral-view';
import type { ReferralLinks } from '../security/referral-links';

export function presentReferral(r: ReferralRow, links: ReferralLinks): ReferralView {
  return {
    ...r,
    partner: { ...r.partner, kind: r.partner.kind as ReferralView['partner']['kind'] },
    partnerUrl: r.status === 'draft' ? null : links.urlFor(r.id),
  };
}
