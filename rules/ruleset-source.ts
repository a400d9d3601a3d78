// Where the ruleset in force comes from: the version published for the case's province, in
// PostgreSQL. The shipped file becomes a province's version 1 the first time it is needed.
import type { Sql } from '../db/connect';
import { ensureFirstVersion, publishedVersion } from '../db/policies';
import { RulesetDocumentSchema, type VersionedRuleset } from '../domain/ruleset';
import { loadDefaultRuleset } from './default-ruleset';

export interface RulesetSource {
  /** The ruleset new routing decisions in this province must use now. */
  published(province: string): Promise<VersionedRuleset>;
}

export function publishedRulesets(sql: Sql): RulesetSource {
  const shipped = loadDefaultRuleset().document;
  // Parsed documents by version and checksum: the same object each time, so its engines are reused.
  const parsed = new Map<string, VersionedRuleset>();
  return {
    async published(province) {
      let current = await publishedVersion(sql, province, 'routing');
      if (!current) {
        await ensureFirstVersion(sql, province, 'routing', shipped);
        current = await publishedVersion(sql, province, 'routing');
      }
      if (!current) throw new Error(`province ${province} has no published routing ruleset`);
      const key = `${province}:${current.version}:${current.checksum}`;
      let ruleset = parsed.get(key);
      if (!ruleset) {
        ruleset = { version: current.version, document: RulesetDocumentSchema.parse(current.document) };
        if (parsed.size > 100) parsed.clear();
        parsed.set(key, ruleset);
      }
      return ruleset;
    },
  };
}
