// What every route can reach: the services (ApiDeps) and, per request, who is acting and what
// the audit trail should say about it.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import type { Sql } from '../db/connect';
import type { Principal } from '../domain/access';
import type { AuthSecrets } from '../security/auth-secrets';
import type { CaseKeyStore } from '../security/case-keys';
import type { ReferralLinks } from '../security/referral-links';
import { validationHook } from './errors';

export interface ApiDeps {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  /** How long a create call waits for routing before answering 503 (the case still gets routed). */
  routingTimeoutMs: number;
  /** How long any request may take before it answers 503 dependency_unavailable (api/deadline.ts; REQUEST_DEADLINE_MS). */
  requestDeadlineMs?: number;
  /** How long a staff action waits for its case to take it before answering 503 action_delayed. */
  actionTimeoutMs: number;
  /** Signs session tokens (the current secret) and checks them (also AUTH_SECRET_PREVIOUS, after a rotation). */
  authSecret: AuthSecrets;
  tokenTtlMinutes: number;
  caseKeys: CaseKeyStore;
  writeRateLimitPerMinute: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** Browser origins allowed to call the API; empty keeps CORS off. */
  corsOrigins: string[];
  /** The partners' links to their referrals, under PUBLIC_URL. */
  referralLinks: ReferralLinks;
  /** Where people reach the product (PUBLIC_URL): the console's cookies are Secure when it is https. */
  publicUrl: string;
  /** Hosts a partner's webhook may name (WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: string[];
  /** Prometheus metrics (api/metrics.ts); without them nothing is counted. */
  metrics?: Metrics;
  /** The shortest `{ every }` a programme's schedule may have (PROGRAMME_SHORTEST_INTERVAL; default PT1H). */
  programmeShortestInterval?: string;
  /** A JSON log line per request (api/request-log.ts); without it, only failures are written, to stderr. */
  log?: Logger;
}

/** What a route tells the audit trail; the trail adds who, when, from where and the outcome. */
export interface AuditNote {
  action: string;
  caseId?: string | null;
  detail?: Record<string, unknown>;
}

export type AppEnv = {
  Variables: {
    language: string;
    principal: Principal;
    audit: AuditNote | undefined;
    /** The console's session token (api/console/session.ts), which its calls to the API carry. */
    sessionToken: string;
    /** The console's person as they named themselves (GET /me). */
    displayName: string;
    /** This request's id (X-Request-Id), in its log line and its answer's header. */
    requestId: string;
    /** What failed a request that answered 500, for its log line. */
    failure: Error | undefined;
  };
};

export function newRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
