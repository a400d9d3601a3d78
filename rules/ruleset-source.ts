// Where the ruleset in force comes from. Today the shipped file; versioned rulesets in
// PostgreSQL will implement the same interface.
import type { VersionedRuleset } from '../domain/ruleset';
import { loadDefaultRuleset } from './default-ruleset';

export interface RulesetSource {
  /** The ruleset new routing decisions must use now. */
  published(): Promise<VersionedRuleset>;
}

export function defaultRulesetSource(): RulesetSource {
  const ruleset = loadDefaultRuleset();
  return { published: async () => ruleset };
}
