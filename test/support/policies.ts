// The shipped deadline policy with one step's clock in seconds, so a ladder climbs while a test watches.
import type { DeadlinePolicy, DeadlineStep } from '../../domain/deadlines';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';

export function secondsPolicy(step: DeadlineStep, clock: { due: string; supervisorGrace: string; managerGrace: string; warning?: string }): DeadlinePolicy {
  const policy = loadDefaultDeadlinePolicy();
  return { holidays: policy.holidays, rules: policy.rules.map((r) => (r.step === step ? { ...r, ...clock } : r)) };
}
