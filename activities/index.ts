// Every activity the case workflow calls, built from the dependencies the caller hands in, so
// tests run them against their own database and clock. One file per concern.
import type { Sql } from '../db/connect';
import type { RulesetSource } from '../rules/ruleset-source';
import type { ReferralLinks } from '../security/referral-links';
import { createAdmissionActivities } from './admission';
import { createCallbackActivities } from './callbacks';
import { createCaseActivities } from './cases';
import type { Channels } from './channels';
import { createDeadlineActivities } from './deadlines';
import { createDeliveryActivities } from './deliveries';
import { withFailureRecord } from './failures';
import { createProgrammeSessionActivities } from './programme-sessions';
import { createRoutingActivities } from './routing';

export interface ActivityDeps {
  sql: Sql;
  rulesets: RulesetSource;
  clock: () => Date;
  /** The partners' links: the case activities keep the hash of each sent referral's. */
  referralLinks: ReferralLinks;
  /** E-mail, webhooks and SMS, as configured. */
  channels: Channels;
  /** Where people reach the product: links in messages start with it. */
  publicUrl: string;
}

export function createActivities(deps: ActivityDeps) {
  return withFailureRecord(deps.sql, {
    ...createRoutingActivities(deps),
    ...createAdmissionActivities(deps),
    ...createCaseActivities(deps),
    ...createDeadlineActivities(deps),
    ...createDeliveryActivities(deps),
    ...createCallbackActivities(deps),
    ...createProgrammeSessionActivities(deps),
  });
}

export type CaseActivities = ReturnType<typeof createActivities>;
