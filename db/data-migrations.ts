// Migrations of data that SQL alone cannot write well: run by migrate() after the SQL files, once
// each, in the same transaction, recorded in schema_migrations under their names.
import { hashJson } from './canonical-json';
import { jsonb, type Tx } from './connect';

export interface DataMigration {
  name: string;
  run: (tx: Tx) => Promise<void>;
}

/**
 * Issue 13 added the deadline step `referral_response`; a policy without a general rule for a step
 * is not valid, so every province whose published policy lacks one gets a new published version:
 * the same document with the rules the product ships for that step (the emergency path in hours).
 * Written out here, not read from rules/, so the migration means the same thing forever.
 */
const REFERRAL_RESPONSE_RULES = [
  { step: 'referral_response', path: 'emergency', due: 'PT4H', supervisorGrace: 'PT2H', managerGrace: 'PT8H' },
  { step: 'referral_response', due: { workingDays: 3 }, supervisorGrace: { workingDays: 1 }, managerGrace: { workingDays: 3 } },
];

/**
 * Issue 27 added the step `callback`: a promised callback is due at the time promised (PT0S after
 * it), the unit supervisor is called 4 hours later and managers one working day later.
 */
const CALLBACK_RULES = [{ step: 'callback', due: 'PT0S', supervisorGrace: 'PT4H', managerGrace: { workingDays: 1 } }];

/** Publishes, in every province whose policy lacks the step, the same policy with the step's rules added. */
function addDeadlineStep(step: string, rules: Array<Record<string, unknown>>, comment: string) {
  return async (tx: Tx) => addRules(tx, step, rules, comment);
}

async function addRules(tx: Tx, step: string, rules: Array<Record<string, unknown>>, comment: string): Promise<void> {
  const published = await tx<{ province: string; version: number; document: { rules: Array<Record<string, unknown>> } }[]>`
    select province, version, document from policy_versions where kind = 'deadlines' and status = 'published'`;
  for (const p of published) {
    if (p.document.rules.some((r) => r.step === step)) continue;
    const document = { ...p.document, rules: [...p.document.rules, ...rules] };
    await tx`update policy_versions set status = 'retired', retired_at = now() where province = ${p.province} and kind = 'deadlines' and status = 'published'`;
    await tx`
      insert into policy_versions (province, kind, version, status, document, checksum, derived_from, author, comment, published_at)
      values (${p.province}, 'deadlines',
              (select max(version) + 1 from policy_versions where province = ${p.province} and kind = 'deadlines'),
              'published', ${jsonb(tx, document)}, ${hashJson(document)}, ${p.version}, 'system', ${comment}, now())`;
  }
}

export const DATA_MIGRATIONS: DataMigration[] = [
  {
    name: '007_referral_response_deadlines',
    run: addDeadlineStep(
      'referral_response',
      REFERRAL_RESPONSE_RULES,
      'migration 007: the new step referral_response (emergency path 4 hours, otherwise 3 working days)',
    ),
  },
  {
    name: '013_callback_deadlines',
    run: addDeadlineStep(
      'callback',
      CALLBACK_RULES,
      'migration 013: the new step callback (due at the time promised, supervisor +4 hours, managers +1 working day)',
    ),
  },
];
