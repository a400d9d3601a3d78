// The ruleset shipped with the product: version 1 on an empty database.
import { readFileSync } from 'node:fs';
import { RulesetDocumentSchema, type VersionedRuleset } from '../domain/ruleset';

export const DEFAULT_RULESET_VERSION = 1;

export function loadDefaultRuleset(): VersionedRuleset {
  const raw = JSON.parse(readFileSync(new URL('./risk-routing.json', import.meta.url), 'utf8'));
  return { version: DEFAULT_RULESET_VERSION, document: RulesetDocumentSchema.parse(raw) };
}
