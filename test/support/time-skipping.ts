// A time-skipping Temporal environment with one case worker for a whole test file: the server
// skips time only while no workflow task waits, so every case a file starts needs a worker for as
// long as time is skipped. Real activities, real PostgreSQL.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { connectDatabase, type Sql } from '../../db/connect';
import { caseWorker, testCodec, uniqueQueue } from './cases';

export interface TimeSkippingCases {
  sql: Sql;
  env: TestWorkflowEnvironment;
  taskQueue: string;
  close(): Promise<void>;
}

export async function timeSkippingCases(name: string): Promise<TimeSkippingCases> {
  const sql = connectDatabase(inject('databaseUrl'));
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    client: { dataConverter: testCodec(sql).dataConverter },
  });
  const taskQueue = uniqueQueue(name);
  const worker = await caseWorker(env.nativeConnection, sql, taskQueue);
  const running = worker.run();
  return {
    sql,
    env,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
      await sql.end();
    },
  };
}
