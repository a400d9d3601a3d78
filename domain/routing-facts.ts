// The facts a routing rule may test, as stored with every routing decision: the vocabulary that
// rulesets, stored decisions and backtests share. How an intake becomes these facts is in
// rules/facts.ts.
import { CONCERN_KEYS, type ConcernKey } from './concerns';
import type { CategoryCode, Intake } from './intake';

export type RoutingFacts = {
  channel: Intake['channel'];
  age: number | null;
  isChild: boolean;
  gender: Intake['client']['gender'];
  ethnicMinority: boolean;
  remote: boolean;
  categories: CategoryCode[];
  /** Earlier cases of the same client: a repeat report raises the risk. */
  priorCases: number;
} & Record<ConcernKey, boolean>;

/** The age kept once a case is erased (I5): enough for statistics, not enough to find the person. */
export function ageGroup(age: number | null): string | null {
  if (age === null) return null;
  if (age < 6) return 'under 6';
  if (age < 16) return '6-15';
  if (age < 30) return '16-29';
  if (age < 60) return '30-59';
  return '60 and over';
}

export const FACT_NAMES = ['channel', 'age', 'isChild', 'gender', 'ethnicMinority', 'remote', 'categories', 'priorCases', ...CONCERN_KEYS] as const;
