// What the delivery and import benchmarks run against: a Temporal dev server of their own, a case
// worker (with the channels given) and a client, sealed with a benchmark master key.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Channels } from '../activities/channels';
import { startApi } from '../api/server';
import type { Sql } from '../db/connect';
import type { Principal } from '../domain/access';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { parseMasterKeys } from '../security/master-keys';
import { referralLinks } from '../security/referral-links';
import { bundleCaseWorkflows, createCaseWorker } from '../system/case-worker';
import { startWorkerProcess } from '../system/worker-process';
import { intake } from '../test/support/intakes';
import { caseWorkflow, routedUpdate } from '../workflows/case';
import { startBenchTemporal, type BenchServer } from './temporal';

export async function startBenchCaseSystem(
  sql: Sql,
  dir: string,
  name: string,
  options: {
    channels?: Channels;
    server?: BenchServer;
    databaseUrl?: string;
    /** The worker a process of its own, as `npm start` runs it (needs databaseUrl), instead of in this process. */
    workerProcess?: boolean;
    /** With workerProcess: this many worker processes on the one task queue, as `WORKERS=N npm start` runs them. */
    workers?: number;
  } = {},
) {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already
  }
  const server = options.server ?? 'dev';
  if (server === 'cluster' && !options.databaseUrl) throw new Error('the cluster needs the database URL for its own databases');
  const temporal = await startBenchTemporal(server, dir, name, options.databaseUrl ?? '');
  const masterKeys = parseMasterKeys(BENCH_MASTER_KEYS);
  const caseKeys = new CaseKeyStore(sql, masterKeys);
  const codec = new CaseCodec(caseKeys, masterKeys);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: clientDataConverter(codec) });
  const taskQueue = `bench-${name}`;
  let stopWorker: () => Promise<void>;
  let workerPids: (number | undefined)[];
  if (options.workerProcess) {
    const databaseUrl = options.databaseUrl;
    if (!databaseUrl) throw new Error('a worker process needs the database URL');
    const workers = await Promise.all(
      Array.from({ length: options.workers ?? 1 }, (_, i) => startBenchWorkerProcess(dir, databaseUrl, temporal.address, taskQueue, undefined, {}, i + 1)),
    );
    workerPids = workers.map((w) => w.pid);
    stopWorker = async () => void (await Promise.all(workers.map((w) => w.stop())));
  } else {
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await createCaseWorker({
      connection: workerConnection,
      taskQueue,
      sql,
      codec,
      referralLinks: referralLinks('bench', 'http://127.0.0.1'),
      channels: options.channels,
    });
    const running = worker.run();
    workerPids = [process.pid];
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await workerConnection.close();
    };
  }
  return {
    address: temporal.address,
    serverPid: temporal.pid,
    client,
    taskQueue,
    caseKeys,
    workerPids,
    async stop() {
      await stopWorker();
      await connection.close();
      await temporal.stop();
    },
  };
}

export const BENCH_MASTER_KEYS = `bench:${Buffer.alloc(32, 3).toString('base64')}`;
let bundlePath: string | undefined;

/**
 * worker.ts as `npm start` runs it, with the benchmark's keys, on a task queue and the workflows
 * bundled once; with `metricsPort`, serving its SDK metrics there (a worker serves on METRICS_PORT
 * plus its index, 1).
 */
export async function startBenchWorkerProcess(
  dir: string,
  databaseUrl: string,
  address: string,
  taskQueue: string,
  metricsPort?: number,
  env: Record<string, string> = {},
  /** Which of several on the queue (its pid file's name). */
  index = 1,
) {
  if (!bundlePath) {
    bundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await bundleCaseWorkflows()).code);
  }
  return await startWorkerProcess({
    env: {
      ...process.env,
      APP_MODE: 'development',
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      MASTER_KEYS: BENCH_MASTER_KEYS,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      METRICS_PORT: String(metricsPort ? metricsPort - 1 : 0),
      LOG_LEVEL: 'error',
      ...env,
    },
    pidFile: join(dir, `worker-${taskQueue}${index > 1 ? `-${index}` : ''}.pid`),
  });
}

/** A province of the benchmark's own, with a default unit and an administrator to import as. */
export async function createBenchProvince(sql: Sql, prefix: string): Promise<{ province: string; admin: Principal }> {
  const province = `${prefix}-${randomUUID().slice(0, 8)}`;
  await sql`insert into provinces (code, name) values (${province}, 'Quảng Ninh')`;
  await sql`insert into units (id, province, name, is_default) values (${randomUUID()}, ${province}, 'Bench', true)`;
  const admin: Principal = { id: randomUUID(), kind: 'staff', name: 'bench', role: 'admin', province, unitId: null };
  await sql`insert into staff (id, province, username, display_name, role, password_hash) values (${admin.id}, ${province}, ${`admin.${province}`}, 'bench', 'admin', 'x')`;
  return { province, admin };
}

/** The API over the benchmark's case system, on a free loopback port, with no write limit in the way. */
export async function startBenchApi(sql: Sql, system: { client: Client; taskQueue: string; caseKeys: CaseKeyStore }) {
  const secret = randomBytes(32).toString('base64url');
  return await startApi(
    {
      sql,
      temporal: system.client,
      taskQueue: system.taskQueue,
      routingTimeoutMs: 60_000,
      actionTimeoutMs: 30_000,
      authSecret: secret,
      tokenTtlMinutes: 60,
      caseKeys: system.caseKeys,
      writeRateLimitPerMinute: 1_000_000,
      trustProxy: false,
      corsOrigins: [],
      referralLinks: referralLinks(secret, 'http://127.0.0.1'),
      publicUrl: 'http://127.0.0.1',
      webhookAllowedHosts: [],
    },
    { port: 0, host: '127.0.0.1' },
  );
}

/** Starts one case the way the API does (start and routing in one call) and answers its id once routed. */
export async function startBenchCase(client: Client, at: { taskQueue: string; province: string; reportedBy: string; fullName: string }): Promise<string> {
  const caseId = randomUUID();
  await client.workflow.executeUpdateWithStart(routedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: caseId,
      taskQueue: at.taskQueue,
      args: [
        {
          caseId,
          province: at.province,
          reportedBy: at.reportedBy,
          intake: intake({ client: { fullName: at.fullName } }),
          receivedAt: new Date().toISOString(),
        },
      ],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
  return caseId;
}
