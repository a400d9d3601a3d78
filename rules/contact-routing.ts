// C1's scoring (issue 27), in one place for the hotline, its live preview and a past log's import:
// a contact whose facts are enough to score (domain/contacts.ts `scorable`) is scored by the
// published ruleset exactly as an intake with those facts would be, earlier cases of the person
// included; one with too few facts is not scored at all.
import type { Sql } from '../db/connect';
import type { RiskDecision } from '../domain/case';
import { contactIntake, scorable, type ContactDraft } from '../domain/contacts';
import { evaluateRisk } from './engine';
import { factsAtIntake } from './intake-facts';
import type { RulesetSource } from './ruleset-source';

export interface ContactRouting {
  /** null when the facts are too few to score. */
  routing: RiskDecision | null;
  /** Whether the person is a child, as the routing facts say (false when not scored). */
  child: boolean;
}

export async function routeContact(
  sql: Sql,
  rulesets: RulesetSource,
  where: { province: string; provinceName: string },
  contact: ContactDraft,
  at: Date,
): Promise<ContactRouting> {
  if (!scorable(contact)) return { routing: null, child: false };
  const facts = await factsAtIntake(sql, where.province, contactIntake({ ...contact, ref: '' }, where.provinceName), at);
  return { routing: await evaluateRisk(await rulesets.published(where.province), facts), child: facts.isChild };
}
