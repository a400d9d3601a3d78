// Which cases are restricted from the moment they arrive: the sexual abuse of a child is seen
// only by the assigned worker, the unit's supervisor and managers.
import type { RoutingFacts } from '../domain/routing-facts';

export function restrictedAtIntake(facts: RoutingFacts): boolean {
  return facts.isChild && (facts.sexualAbuse || facts.categories.includes('sexual_abuse_victim'));
}
