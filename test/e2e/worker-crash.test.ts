// A worker dies after writing the routing but before Temporal heard it finished: the next worker
// completes the case, and the database holds exactly one case and one routing decision.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { connectDatabase, type Sql } from '../../db/connect';
import { caseWorkflow, routedUpdate } from '../../workflows/case';
import { caseInput, caseRowCount, caseWorker, routingRows, testCodec, uniqueQueue } from '../support/cases';
import { abusedChild } from '../support/intakes';

let sql: Sql;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  sql = connectDatabase(inject('databaseUrl'));
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, dataConverter: testCodec(sql).dataConverter });
});

afterAll(async () => {
  await connection?.close();
  await sql?.end();
});

function startStallingWorker(taskQueue: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/stalling-worker.ts', import.meta.url))], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      MASTER_KEYS: inject('masterKeys'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
  const saw = (line: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        if (lines.includes(line)) resolve();
        else if (child.exitCode !== null || Date.now() - started > timeoutMs) reject(new Error(`stalling worker never said "${line}"`));
        else return;
        clearInterval(tick);
      }, 50);
    });
  return { child, saw };
}

it('completes a case exactly once after its worker is killed mid-routing', { timeout: 120_000 }, async () => {
  const taskQueue = uniqueQueue('crash');
  const caseId = randomUUID();
  const stalling = startStallingWorker(taskQueue);
  await stalling.saw('ready');

  const handle = await client.workflow.start(caseWorkflow, {
    workflowId: caseId,
    taskQueue,
    args: [await caseInput(sql, caseId, abusedChild())],
  });
  await stalling.saw('recorded');
  expect(await routingRows(sql, caseId)).toHaveLength(1);
  stalling.child.kill('SIGKILL');

  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await caseWorker(nativeConnection, sql, taskQueue);
  try {
    // The activity's 10 s start-to-close timeout lets Temporal retry it on this worker.
    const routed = await worker.runUntil(handle.executeUpdate(routedUpdate));
    expect(routed).toMatchObject({ stage: 'emergency_response', risk: { path: 'emergency' } });
  } finally {
    await nativeConnection.close();
  }
  expect(await routingRows(sql, caseId)).toEqual([{ seq: 1, path: 'emergency', level: 'high', ruleset_version: 1 }]);
  expect(await caseRowCount(sql, caseId)).toBe(1);
  const history = await handle.fetchHistory();
  const attempts = history.events?.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes?.attempt);
  // scoreRisk once, recordIntake on its second attempt: the retry really happened.
  expect(attempts).toContain(2);
});
