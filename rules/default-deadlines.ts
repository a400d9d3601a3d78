// The deadline policy shipped with the product: version 1 for a province that has none.
import { readFileSync } from 'node:fs';
import { DeadlinePolicySchema, type DeadlinePolicy } from '../domain/deadlines';

export function loadDefaultDeadlinePolicy(): DeadlinePolicy {
  return DeadlinePolicySchema.parse(JSON.parse(readFileSync(new URL('./deadline-policy.json', import.meta.url), 'utf8')));
}
