// Shared steps of the workflow and end-to-end tests: real activities, real workers, real servers.
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ApiDeps } from '../../api/context';
import { DEFAULT_REQUEST_DEADLINE_MS, temporalWaits } from '../../api/deadline';
import type { Sql } from '../../db/connect';
import type { Intake } from '../../domain/intake';
import { CaseCodec } from '../../security/case-codec';
import { CaseKeyStore } from '../../security/case-keys';
import { clientDataConverter } from '../../security/data-converter';
import { parseMasterKeys } from '../../security/master-keys';
import { referralLinks } from '../../security/referral-links';
import type { Channels } from '../../activities/channels';
import { createCaseWorker } from '../../system/case-worker';
import { DEMO_PROVINCE } from '../../system/demo-directory';
import { caseWorkflow, routedUpdate } from '../../workflows/case';

export function uniqueQueue(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}`;
}

/** The codec the product uses, with this run's master key. */
export function testCodec(sql: Sql) {
  const masterKeys = parseMasterKeys(inject('masterKeys'));
  const caseKeys = new CaseKeyStore(sql, masterKeys);
  const codec = new CaseCodec(caseKeys, masterKeys);
  return { masterKeys, caseKeys, codec, dataConverter: clientDataConverter(codec) };
}

/** The API's services as the tests run them: this run's secrets, limits that stay out of the way. */
export function testApiDeps(sql: Sql, temporal: Client, taskQueue: string, overrides: Partial<ApiDeps> = {}): ApiDeps {
  return {
    sql,
    temporal,
    taskQueue,
    // As `npm start` has them: within the request's deadline (api/deadline.ts).
    ...temporalWaits(DEFAULT_REQUEST_DEADLINE_MS),
    authSecret: inject('authSecret'),
    tokenTtlMinutes: 60,
    caseKeys: testCodec(sql).caseKeys,
    writeRateLimitPerMinute: 10_000,
    trustProxy: true,
    corsOrigins: [],
    referralLinks: testReferralLinks(),
    publicUrl: 'http://127.0.0.1:3999',
    webhookAllowedHosts: ['127.0.0.1', 'localhost'],
    ...overrides,
  };
}

/** The partners' links as this run's API and workers make them. */
export function testReferralLinks() {
  return referralLinks(inject('authSecret'), 'http://127.0.0.1:3999');
}

export async function caseWorker(connection: NativeConnection, sql: Sql, taskQueue: string, channels?: Channels): Promise<Worker> {
  return await createCaseWorker({
    connection,
    taskQueue,
    sql,
    codec: testCodec(sql).codec,
    referralLinks: testReferralLinks(),
    channels,
    publicUrl: 'http://127.0.0.1:3999',
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
}

export async function staffId(sql: Sql, username: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`select id from staff where username = ${username}`;
  if (!row) throw new Error(`no demo account ${username}`);
  return row.id;
}

/** The case workflow's input as the API builds it, reported by a demo account. */
export async function caseInput(sql: Sql, caseId: string, intake: Intake, reporter = 'worker1') {
  return { caseId, province: DEMO_PROVINCE.code, reportedBy: await staffId(sql, reporter), intake, receivedAt: new Date().toISOString() };
}

/** What the API does on POST /cases: start the case (or find it running) and wait for its routing. */
export async function routeCase(client: Client, sql: Sql, taskQueue: string, caseId: string, intake: Intake) {
  return await client.workflow.executeUpdateWithStart(routedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: caseId,
      taskQueue,
      args: [await caseInput(sql, caseId, intake)],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

export async function routingRows(sql: Sql, caseId: string) {
  return await sql<{ seq: number; path: string; level: string; ruleset_version: number }[]>`
    select seq, path, level, ruleset_version from routing_decisions where case_id = ${caseId}`;
}

export async function caseRowCount(sql: Sql, caseId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from cases where id = ${caseId}`;
  return row?.n ?? 0;
}
