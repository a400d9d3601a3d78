// Rule-by-rule differences between two ruleset documents, for people deciding to publish.
import type { Rule, RulesetDocument } from '../domain/ruleset';
import { canonicalJson } from '../db/canonical-json';

export interface RulesetDiff {
  added: string[];
  removed: string[];
  changed: Array<{ rule: string; fields: string[] }>;
  scoring: Array<{ field: string; from: unknown; to: unknown }>;
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

function changedFields(a: Rule, b: Rule): string[] {
  const fields: Array<[string, (r: Rule) => unknown]> = [
    ['conditions', (r) => r.conditions],
    ['points', (r) => r.event.params.points],
    ['forcePath', (r) => r.event.params.forcePath ?? null],
    ['suggestedReferrals', (r) => r.event.params.suggestedReferrals ?? []],
    ['priority', (r) => r.priority ?? 1],
    ['note', (r) => r.note],
  ];
  return fields.filter(([, get]) => !same(get(a), get(b))).map(([name]) => name);
}

export function diffRulesets(from: RulesetDocument, to: RulesetDocument): RulesetDiff {
  const before = new Map(from.rules.map((r) => [r.name, r]));
  const after = new Map(to.rules.map((r) => [r.name, r]));
  const scoring: RulesetDiff['scoring'] = [];
  for (const t of to.scoring.thresholds) {
    const old = from.scoring.thresholds.find((x) => x.level === t.level);
    if (old?.minPoints !== t.minPoints) scoring.push({ field: `thresholds.${t.level}`, from: old?.minPoints ?? null, to: t.minPoints });
  }
  const levels = (d: RulesetDocument) => [...d.scoring.emergencyLevels].sort();
  if (!same(levels(from), levels(to))) scoring.push({ field: 'emergencyLevels', from: levels(from), to: levels(to) });
  return {
    added: [...after.keys()].filter((name) => !before.has(name)),
    removed: [...before.keys()].filter((name) => !after.has(name)),
    changed: [...after.values()]
      .filter((r) => before.has(r.name))
      .map((r) => ({ rule: r.name, fields: changedFields(before.get(r.name)!, r) }))
      .filter((c) => c.fields.length > 0),
    scoring,
  };
}
