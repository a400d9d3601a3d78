// A referral as staff see it (the row as the workflow recorded it, with the partner's link), and
// what the routing in force suggests: kinds of partner, each with the partners that could take it.
import { normaliseArea } from '../db/directory';
import { listPartners } from '../db/partners';
import { suggestedKinds, type ReferralRow } from '../db/referrals';
import type { Sql } from '../db/connect';
import type { Case } from '../domain/case';
import type { ReferralView, Suggestion } from '../domain/referral-view';
import type { PartnerKind } from '../domain/referrals';
import type { ReferralLinks } from '../security/referral-links';

export function presentReferral(r: ReferralRow, links: ReferralLinks): ReferralView {
  return { ...r, partner: { ...r.partner, kind: r.partner.kind as PartnerKind }, partnerUrl: r.status === 'draft' ? null : links.urlFor(r.id) };
}

/** Whether a suggestion (a kind of partner, or a service) names what this partner is or offers. */
export const suggests = (suggestion: string, p: { kind: string; services: string[] }) =>
  p.kind === suggestion || p.services.some((s) => normaliseArea(s) === normaliseArea(suggestion));

/** The routing's suggestions, each with the active partners that fit it and serve the case's commune. */
export async function suggestionsFor(sql: Sql, c: Case): Promise<Suggestion[]> {
  const kinds = await suggestedKinds(sql, c.id);
  if (kinds.length === 0) return [];
  const commune = c.intake?.client.location.commune;
  const serves = (communes: string[]) => communes.length === 0 || (!!commune && communes.some((name) => normaliseArea(name) === normaliseArea(commune)));
  const partners = await listPartners(sql, c.province, { activeOnly: true });
  return kinds.map(({ kind, rules }) => ({
    kind,
    rules,
    partners: partners.filter((p) => suggests(kind, p) && serves(p.communes)).map((p) => ({ id: p.id, name: p.name, services: p.services })),
  }));
}
