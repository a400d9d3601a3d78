// The API's services as configured, in one place for both ways the API runs: inside `npm start`'s
// own process (one replica) and as API_REPLICAS processes of their own (system/api-replica.ts).
import type { Client } from '@temporalio/client';
import type { ApiDeps } from '../api/context';
import { DEFAULT_REQUEST_DEADLINE_MS, temporalWaits } from '../api/deadline';
import type { Metrics } from '../api/metrics';
import { createLogger } from '../api/request-log';
import type { Sql } from '../db/connect';
import type { AuthSecrets } from '../security/auth-secrets';
import type { CaseKeyStore } from '../security/case-keys';
import { referralLinks } from '../security/referral-links';
import { publicUrl, webhookAllowedHosts, type Config } from './config';

/** The request deadline the API and its database pool hold to (REQUEST_DEADLINE_MS or the API's own default). */
export function requestDeadlineMs(config: Config): number {
  return config.REQUEST_DEADLINE_MS ?? DEFAULT_REQUEST_DEADLINE_MS;
}

export function apiDeps(
  config: Config,
  parts: { sql: Sql; temporal: Client; caseKeys: CaseKeyStore; auth: AuthSecrets; metrics?: Metrics; logName: string },
): ApiDeps {
  const deadline = requestDeadlineMs(config);
  return {
    metrics: parts.metrics,
    log: createLogger(config.LOG_LEVEL, parts.logName),
    sql: parts.sql,
    temporal: parts.temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    requestDeadlineMs: deadline,
    ...temporalWaits(deadline),
    authSecret: parts.auth,
    tokenTtlMinutes: config.TOKEN_TTL_MINUTES,
    caseKeys: parts.caseKeys,
    writeRateLimitPerMinute: config.WRITE_RATE_LIMIT_PER_MINUTE,
    programmeShortestInterval: config.PROGRAMME_SHORTEST_INTERVAL,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    referralLinks: referralLinks(parts.auth, publicUrl(config)),
    publicUrl: publicUrl(config),
    webhookAllowedHosts: webhookAllowedHosts(config),
  };
}
