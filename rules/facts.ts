// The facts a routing rule may test, derived from an intake. Kept flat and explicit so that a
// manager writing a rule sees plain names, and so that the exact facts can be stored with each
// decision and replayed later against a new ruleset.
import { CONCERN_KEYS, type ConcernKey } from '../domain/concerns';
import type { Intake } from '../domain/intake';
import type { RoutingFacts } from '../domain/routing-facts';

// Law on Children 2016: a child is anyone under 16.
export const CHILD_AGE_LIMIT = 16;

// Vietnam has no daylight saving: UTC+7 all year.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export function ageAt(client: Intake['client'], receivedAt: Date): number | null {
  if (client.birthYear !== undefined) {
    const year = new Date(receivedAt.getTime() + VIETNAM_OFFSET_MS).getUTCFullYear();
    // A birth year alone leaves the age one of two values; take the younger one, so that a
    // client on the edge of 16 is protected as a child rather than missed.
    return Math.max(0, year - client.birthYear - 1);
  }
  return client.age ?? null;
}

export function routingFacts(intake: Intake, receivedAt: Date, priorCases = 0): RoutingFacts {
  const age = ageAt(intake.client, receivedAt);
  const concerns = Object.fromEntries(CONCERN_KEYS.map((key) => [key, intake.concerns[key] === true])) as Record<ConcernKey, boolean>;
  return {
    channel: intake.channel,
    age,
    // With no age given, the reporter's choice of a child category is the best evidence.
    isChild: age !== null ? age < CHILD_AGE_LIMIT : intake.categories.some((c) => c.startsWith('child_')),
    gender: intake.client.gender,
    ethnicMinority: intake.client.ethnicMinority === true,
    remote: intake.client.location.remote === true,
    categories: [...intake.categories],
    priorCases,
    ...concerns,
  };
}
