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

/**
 * Issue 28 added a temporary separation's legal limit (P1: 15 days, told 2 days before, supervisor
 * and managers at once when it passes) and the rhythm of a placement's monitoring visits (7 days,
 * climbing like a review).
 */
const PLACEMENT_RULES = [
  { step: 'separation_limit', due: 'P15D', warning: 'P2D', supervisorGrace: 'PT0S', managerGrace: 'PT0S' },
  { step: 'placement_visit', due: 'P7D', supervisorGrace: 'P2D', managerGrace: 'P5D' },
];

/**
 * Issue 29 added the step `session_record`: a session a programme's schedule held is recorded
 * within 2 working days; then the unit supervisor is told (1 more), then the managers (5 more).
 */
const SESSION_RECORD_RULES = [{ step: 'session_record', due: { workingDays: 2 }, supervisorGrace: { workingDays: 1 }, managerGrace: { workingDays: 5 } }];

/**
 * Publishes, in every province whose policy lacks a step of these rules, the same policy with that
 * step's rules added (one new version for all of them); a province that has them all is left as it is.
 */
function addDeadlineSteps(rules: Array<Record<string, unknown>>, comment: string) {
  return async (tx: Tx): Promise<void> => {
    const published = await tx<{ province: string; version: number; document: { rules: Array<Record<string, unknown>> } }[]>`
      select province, version, document from policy_versions where kind = 'deadlines' and status = 'published'`;
    for (const p of published) {
      const lacking = rules.filter((rule) => !p.document.rules.some((r) => r.step === rule.step));
      if (lacking.length === 0) continue;
      const document = { ...p.document, rules: [...p.document.rules, ...lacking] };
      await tx`update policy_versions set status = 'retired', retired_at = now() where province = ${p.province} and kind = 'deadlines' and status = 'published'`;
      await tx`
        insert into policy_versions (province, kind, version, status, document, checksum, derived_from, author, comment, published_at)
        values (${p.province}, 'deadlines',
                (select max(version) + 1 from policy_versions where province = ${p.province} and kind = 'deadlines'),
                'published', ${jsonb(tx, document)}, ${hashJson(document)}, ${p.version}, 'system', ${comment}, now())`;
    }
  };
}

export const DATA_MIGRATIONS: DataMigration[] = [
  {
    name: '007_referral_response_deadlines',
    run: addDeadlineSteps(REFERRAL_RESPONSE_RULES, 'migration 007: the new step referral_response (emergency path 4 hours, otherwise 3 working days)'),
  },
  {
    name: '013_callback_deadlines',
    run: addDeadlineSteps(CALLBACK_RULES, 'migration 013: the new step callback (due at the time promised, supervisor +4 hours, managers +1 working day)'),
  },
  {
    name: '014_placement_deadlines',
    run: addDeadlineSteps(
      PLACEMENT_RULES,
      'migration 014: the new steps separation_limit (P1: 15 days, told 2 days before) and placement_visit (every 7 days)',
    ),
  },
  {
    name: '016_session_record_deadlines',
    run: addDeadlineSteps(SESSION_RECORD_RULES, 'migration 016: the new step session_record (2 working days, supervisor +1, managers +5)'),
  },
];
