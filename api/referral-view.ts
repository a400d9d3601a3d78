// A referral as staff see it (the row as the workflow recorded it, with the partner's link), and
// what the routing in force suggests: kinds of partner, each with the partners that could take it.
import { normaliseArea } from '../db/directory';
import { listPartners } from '../db/partners';
import { referralLinkHashes, suggestedKinds, type ReferralRow } from '../db/referrals';
import type { Sql } from '../db/connect';
import type { Case } from '../domain/case';
import type { ReferralView, Suggestion } from '../domain/referral-view';
import type { PartnerKind } from '../domain/referrals';
import type { ReferralLinks } from '../security/referral-links';

/** A referral as staff see it; `linkHash` is its stored link's, so the link shown is the one the partner was given. */
export function presentReferral(r: ReferralRow, links: ReferralLinks, linkHash?: string | null): ReferralView {
  return { ...r, partner: { ...r.partner, kind: r.partner.kind as PartnerKind }, partnerUrl: r.status === 'draft' ? null : links.urlFor(r.id, linkHash) };
}

/**
 * Referrals as staff see them, with one query for their links' hashes: after an AUTH_SECRET
 * rotation a referral sent before it still shows the link its partner has (made with the
 * previous secret), not one that would open nothing.
 */
export async function presentReferrals(sql: Sql, rows: ReferralRow[], links: ReferralLinks): Promise<ReferralView[]> {
  const hashes = await referralLinkHashes(
    sql,
    rows.filter((r) => r.status !== 'draft').map((r) => r.id),
  );
  return rows.map((r) => presentReferral(r, links, hashes.get(r.id)));
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
