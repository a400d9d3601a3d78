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

export const FACT_NAMES = ['channel', 'age', 'isChild', 'gender', 'ethnicMinority', 'remote', 'categories', 'priorCases', ...CONCERN_KEYS] as const;
