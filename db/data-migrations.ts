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

async function addReferralResponseStep(tx: Tx): Promise<void> {
  const published = await tx<{ province: string; version: number; document: { rules: Array<Record<string, unknown>> } }[]>`
    select province, version, document from policy_versions where kind = 'deadlines' and status = 'published'`;
  for (const p of published) {
    if (p.document.rules.some((r) => r.step === 'referral_response')) continue;
    const document = { ...p.document, rules: [...p.document.rules, ...REFERRAL_RESPONSE_RULES] };
    await tx`update policy_versions set status = 'retired', retired_at = now() where province = ${p.province} and kind = 'deadlines' and status = 'published'`;
    await tx`
      insert into policy_versions (province, kind, version, status, document, checksum, derived_from, author, comment, published_at)
      values (${p.province}, 'deadlines',
              (select max(version) + 1 from policy_versions where province = ${p.province} and kind = 'deadlines'),
              'published', ${jsonb(tx, document)}, ${hashJson(document)}, ${p.version}, 'system',
              'migration 007: the new step referral_response (emergency path 4 hours, otherwise 3 working days)', now())`;
  }
}

export const DATA_MIGRATIONS: DataMigration[] = [{ name: '007_referral_response_deadlines', run: addReferralResponseStep }];
