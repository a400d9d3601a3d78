// The case workflow on the time-skipping test server, with real activities and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type Sql } from '../../db/connect';
import { stateQuery } from '../../workflows/case';
import { caseRowCount, caseWorker, routeCase, routingRows, testCodec, uniqueQueue } from '../support/cases';
import { abusedChild, lonelyOlderMan } from '../support/intakes';

let env: TestWorkflowEnvironment;
let sql: Sql;

beforeAll(async () => {
  sql = connectDatabase(inject('databaseUrl'));
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    client: { dataConverter: testCodec(sql).dataConverter },
  });
});

afterAll(async () => {
  await env?.teardown();
  await sql?.end();
});

describe('case workflow', () => {
  it('routes an abused child to emergency_response and records the case and its routing once', async () => {
    const taskQueue = uniqueQueue('wf-emergency');
    const worker = await caseWorker(env.nativeConnection, sql, taskQueue);
    const caseId = randomUUID();
    await worker.runUntil(async () => {
      const routed = await routeCase(env.client, sql, taskQueue, caseId, abusedChild());
      expect(routed.stage).toBe('emergency_response');
      expect(routed.risk).toMatchObject({ path: 'emergency', level: 'high', rulesetVersion: 1 });
      expect(routed.risk.reasons[0]?.rule).toBe('sexual_abuse');

      const [row] = await sql`select stage, path, risk_level, intake from cases where id = ${caseId}`;
      expect(row).toMatchObject({ stage: 'emergency_response', path: 'emergency', risk_level: 'high' });
      expect(row?.intake.client.fullName).toBe('Nguyễn Thị Hoa');
      expect(await routingRows(sql, caseId)).toEqual([{ seq: 1, path: 'emergency', level: 'high', ruleset_version: 1 }]);
    });
  });

  it('routes a lonely older man to assessment on the standard path', async () => {
    const taskQueue = uniqueQueue('wf-standard');
    const worker = await caseWorker(env.nativeConnection, sql, taskQueue);
    const caseId = randomUUID();
    await worker.runUntil(async () => {
      const routed = await routeCase(env.client, sql, taskQueue, caseId, lonelyOlderMan());
      expect(routed).toMatchObject({ stage: 'assessment', risk: { path: 'standard', level: 'medium', score: 25 } });
    });
  });

  it('answers a repeated create with the first decision and writes nothing twice', async () => {
    const taskQueue = uniqueQueue('wf-repeat');
    const worker = await caseWorker(env.nativeConnection, sql, taskQueue);
    const caseId = randomUUID();
    await worker.runUntil(async () => {
      const first = await routeCase(env.client, sql, taskQueue, caseId, abusedChild());
      // The same id with another body: the running case wins, nothing is re-scored.
      const again = await routeCase(env.client, sql, taskQueue, caseId, lonelyOlderMan());
      expect(again).toEqual(first);
      expect(await routingRows(sql, caseId)).toHaveLength(1);
      expect(await caseRowCount(sql, caseId)).toBe(1);
    });
  });

  it('keeps the case open and waiting in its stage while months pass', async () => {
    const taskQueue = uniqueQueue('wf-wait');
    const worker = await caseWorker(env.nativeConnection, sql, taskQueue);
    const caseId = randomUUID();
    await worker.runUntil(async () => {
      await routeCase(env.client, sql, taskQueue, caseId, lonelyOlderMan());
      await env.sleep('90 days');
      const handle = env.client.workflow.getHandle(caseId);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(await handle.query(stateQuery)).toMatchObject({ caseId, stage: 'assessment' });
    });
  });
});
