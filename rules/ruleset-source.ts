// Where the ruleset in force comes from: the version published for the case's province, in
// PostgreSQL. The shipped file becomes a province's version 1 the first time it is needed.
import type { Sql } from '../db/connect';
import { RulesetDocumentSchema, type VersionedRuleset } from '../domain/ruleset';
import { loadDefaultRuleset } from './default-ruleset';
import { publishedPolicies } from './published-policy';

export interface RulesetSource {
  /** The ruleset new routing decisions in this province must use now. */
  published(province: string): Promise<VersionedRuleset>;
}

export function publishedRulesets(sql: Sql): RulesetSource {
  const shipped = loadDefaultRuleset().document;
  return {
    published: publishedPolicies(
      sql,
      'routing',
      () => shipped,
      (document) => RulesetDocumentSchema.parse(document),
    ),
  };
}
