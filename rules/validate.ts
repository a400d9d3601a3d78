// Checks a ruleset document before anything stores or runs it: its shape (zod), then what
// json-rules-engine would only discover at run time, or never: unknown facts and operators,
// values a fact can never take, rules that can never fire, and scoring that makes no sense.
import { formatPath } from '../domain/paths';
import { CATEGORY_CODES, CHANNELS, GENDERS } from '../domain/intake';
import { RulesetDocumentSchema, type Condition, type RulesetDocument } from '../domain/ruleset';
import { RISK_LEVELS } from '../domain/stages';
import { FACT_NAMES } from '../domain/routing-facts';

export const MAX_RULES = 2_000;
export const MAX_CONDITION_DEPTH = 8;
export const MAX_CONDITIONS_PER_RULE = 200;
// Whole-document bounds, checked without recursion before anything else walks it.
const MAX_JSON_DEPTH = 32;
const MAX_JSON_NODES = 500_000;

export interface ValidationError {
  path: string;
  message: string;
}

export type Validation = { ok: true; document: RulesetDocument } | { ok: false; errors: ValidationError[] };

type FactType = { kind: 'boolean' } | { kind: 'number' } | { kind: 'enum'; values: readonly string[] } | { kind: 'list'; values: readonly string[] };

const CONCERN_FACTS = FACT_NAMES.filter((f) => !['channel', 'age', 'isChild', 'gender', 'ethnicMinority', 'remote', 'categories', 'priorCases'].includes(f));

export const FACT_TYPES: Record<string, FactType> = {
  channel: { kind: 'enum', values: CHANNELS },
  age: { kind: 'number' },
  isChild: { kind: 'boolean' },
  gender: { kind: 'enum', values: GENDERS },
  ethnicMinority: { kind: 'boolean' },
  remote: { kind: 'boolean' },
  categories: { kind: 'list', values: CATEGORY_CODES },
  priorCases: { kind: 'number' },
  ...Object.fromEntries(CONCERN_FACTS.map((f) => [f, { kind: 'boolean' } as FactType])),
};

const OPERATORS: Record<FactType['kind'], readonly string[]> = {
  boolean: ['equal', 'notEqual'],
  number: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn'],
  enum: ['equal', 'notEqual', 'in', 'notIn'],
  list: ['contains', 'doesNotContain'],
};
export const KNOWN_OPERATORS = [...new Set(Object.values(OPERATORS).flat())];

/** Depth and size of a parsed JSON value, walked with an explicit stack (no recursion). */
export function jsonShape(value: unknown, maxDepth = MAX_JSON_DEPTH): { tooDeep: boolean; nodes: number } {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    nodes += 1;
    if (depth > maxDepth) return { tooDeep: true, nodes };
    if (nodes > MAX_JSON_NODES) return { tooDeep: false, nodes };
    if (node !== null && typeof node === 'object') {
      for (const child of Object.values(node as object)) stack.push([child, depth + 1]);
    }
  }
  return { tooDeep: false, nodes };
}

function checkValue(fact: string, type: FactType, operator: string, value: unknown, at: string, errors: ValidationError[]) {
  const fits = (v: unknown) =>
    type.kind === 'boolean'
      ? typeof v === 'boolean'
      : type.kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : typeof v === 'string' && type.values.includes(v);
  const expected = type.kind === 'boolean' ? 'true or false' : type.kind === 'number' ? 'a number' : `one of ${type.values.map((v) => `"${v}"`).join(', ')}`;
  if (operator === 'in' || operator === 'notIn') {
    if (!Array.isArray(value) || value.length === 0) {
      errors.push({ path: `${at}.value`, message: `"${operator}" needs a non-empty list` });
      return;
    }
    value.forEach((v, i) => {
      if (!fits(v)) errors.push({ path: `${at}.value[${i}]`, message: `${JSON.stringify(v)} is never a value of ${fact}: expected ${expected}` });
    });
  } else if (!fits(value)) {
    errors.push({ path: `${at}.value`, message: `${JSON.stringify(value)} is never a value of ${fact}: expected ${expected}` });
  }
}

/** Obvious contradictions among the direct children of an `all`: the rule can never fire. */
function contradictions(children: Condition[], at: string, errors: ValidationError[]) {
  const equals = new Map<string, unknown>();
  const ranges = new Map<string, { low: number; high: number }>();
  for (const c of children) {
    if (!c.fact || c.path) continue;
    if (c.operator === 'equal') {
      if (equals.has(c.fact) && equals.get(c.fact) !== c.value) {
        errors.push({
          path: at,
          message: `this rule can never fire: ${c.fact} cannot equal both ${JSON.stringify(equals.get(c.fact))} and ${JSON.stringify(c.value)}`,
        });
      }
      equals.set(c.fact, c.value);
    }
    if (typeof c.value === 'number') {
      const r = ranges.get(c.fact) ?? { low: -Infinity, high: Infinity };
      if (c.operator === 'lessThan') r.high = Math.min(r.high, c.value - Number.EPSILON);
      if (c.operator === 'lessThanInclusive') r.high = Math.min(r.high, c.value);
      if (c.operator === 'greaterThan') r.low = Math.max(r.low, c.value + Number.EPSILON);
      if (c.operator === 'greaterThanInclusive') r.low = Math.max(r.low, c.value);
      ranges.set(c.fact, r);
      if (r.low > r.high) errors.push({ path: at, message: `this rule can never fire: no ${c.fact} is in the range its conditions ask for` });
    }
  }
}

function checkCondition(c: Condition, at: string, depth: number, count: { n: number }, errors: ValidationError[]) {
  count.n += 1;
  if (depth > MAX_CONDITION_DEPTH) {
    errors.push({ path: at, message: `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels` });
    return;
  }
  if (c.all) {
    c.all.forEach((child, i) => checkCondition(child, `${at}.all[${i}]`, depth + 1, count, errors));
    contradictions(c.all, `${at}.all`, errors);
    return;
  }
  if (c.any) {
    c.any.forEach((child, i) => checkCondition(child, `${at}.any[${i}]`, depth + 1, count, errors));
    return;
  }
  if (c.not) {
    checkCondition(c.not, `${at}.not`, depth + 1, count, errors);
    return;
  }
  const type = c.fact ? FACT_TYPES[c.fact] : undefined;
  if (!type) {
    errors.push({ path: `${at}.fact`, message: `unknown fact "${c.fact}"; known facts: ${Object.keys(FACT_TYPES).join(', ')}` });
    return;
  }
  if (c.path) {
    errors.push({ path: `${at}.path`, message: `facts are flat values here: "path" does not apply to ${c.fact}` });
    return;
  }
  if (!KNOWN_OPERATORS.includes(c.operator ?? '')) {
    errors.push({ path: `${at}.operator`, message: `unknown operator "${c.operator}"; known operators: ${KNOWN_OPERATORS.join(', ')}` });
    return;
  }
  if (!OPERATORS[type.kind].includes(c.operator!)) {
    errors.push({
      path: `${at}.operator`,
      message: `operator "${c.operator}" does not apply to ${c.fact} (${type.kind}); use ${OPERATORS[type.kind].join(', ')}`,
    });
    return;
  }
  checkValue(c.fact!, type, c.operator!, c.value, at, errors);
}

function checkScoring(doc: RulesetDocument, errors: ValidationError[]) {
  const { thresholds, emergencyLevels } = doc.scoring;
  const byLevel = new Map<string, number>();
  thresholds.forEach((t, i) => {
    if (byLevel.has(t.level)) errors.push({ path: `scoring.thresholds[${i}].level`, message: `"${t.level}" appears twice` });
    byLevel.set(t.level, t.minPoints);
  });
  const missing = RISK_LEVELS.filter((l) => !byLevel.has(l));
  if (missing.length) errors.push({ path: 'scoring.thresholds', message: `every level needs a threshold; missing ${missing.join(', ')}` });
  if (byLevel.has('low') && byLevel.get('low') !== 0) {
    errors.push({ path: 'scoring.thresholds', message: 'low must start at 0 points, so every score has a level' });
  }
  for (let i = 0; i + 1 < RISK_LEVELS.length; i++) {
    const higher = byLevel.get(RISK_LEVELS[i]!);
    const lower = byLevel.get(RISK_LEVELS[i + 1]!);
    if (higher !== undefined && lower !== undefined && higher <= lower) {
      errors.push({ path: 'scoring.thresholds', message: `${RISK_LEVELS[i]} (${higher}) must need more points than ${RISK_LEVELS[i + 1]} (${lower})` });
    }
  }
  // If a level takes the emergency path, every more serious level must too.
  const worst = Math.max(...emergencyLevels.map((l) => RISK_LEVELS.length - RISK_LEVELS.indexOf(l)));
  RISK_LEVELS.forEach((level, i) => {
    if (RISK_LEVELS.length - i >= worst && !emergencyLevels.includes(level)) {
      errors.push({ path: 'scoring.emergencyLevels', message: `"${level}" is more serious than a level on the emergency path, so it must take that path too` });
    }
  });
}

export function validateRuleset(raw: unknown): Validation {
  const shape = jsonShape(raw);
  if (shape.tooDeep) return { ok: false, errors: [{ path: '(document)', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }] };
  if (shape.nodes > MAX_JSON_NODES) return { ok: false, errors: [{ path: '(document)', message: `more than ${MAX_JSON_NODES} values` }] };
  if (raw && typeof raw === 'object' && Array.isArray((raw as { rules?: unknown }).rules) && (raw as { rules: unknown[] }).rules.length > MAX_RULES) {
    return { ok: false, errors: [{ path: 'rules', message: `at most ${MAX_RULES} rules` }] };
  }
  const parsed = RulesetDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: formatPath(i.path) || '(document)', message: i.message })) };
  }
  const doc = parsed.data;
  const errors: ValidationError[] = [];
  const seen = new Map<string, number>();
  doc.rules.forEach((rule, i) => {
    const first = seen.get(rule.name);
    if (first !== undefined) errors.push({ path: `rules[${i}].name`, message: `"${rule.name}" is also the name of rules[${first}]` });
    else seen.set(rule.name, i);
    const count = { n: 0 };
    checkCondition(rule.conditions, `rules[${i}].conditions`, 1, count, errors);
    if (count.n > MAX_CONDITIONS_PER_RULE) errors.push({ path: `rules[${i}].conditions`, message: `more than ${MAX_CONDITIONS_PER_RULE} conditions` });
  });
  checkScoring(doc, errors);
  return errors.length ? { ok: false, errors } : { ok: true, document: doc };
}
