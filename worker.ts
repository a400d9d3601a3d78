// `npm run worker`: a worker process for case workflows and their activities, against a Temporal
// cluster (TEMPORAL_ADDRESS) and PostgreSQL (DATABASE_URL). `npm start` runs one as a supervised
// child (with the bundle it built, WORKFLOW_BUNDLE_PATH); more can run beside it. Wired by
// system/case-worker.ts. SIGINT or SIGTERM drains it: activities under way finish first.
import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createLogger } from './api/request-log';
import { connectDatabase } from './db/connect';
import { CaseCodec } from './security/case-codec';
import { CaseKeyStore } from './security/case-keys';
import { createCaseWorker } from './system/case-worker';
import { Client, Connection } from '@temporalio/client';
import { createChannels } from './activities/channels';
import { clientDataConverter } from './security/data-converter';
import { channelConfig, loadConfig, publicUrl } from './system/config';
import { startContactCaseSweep } from './system/contact-cases';
import { startProgrammeScheduleSweep } from './system/programme-schedules';
import type { Sweep } from './system/sweep';
import { startDeliveryRelay } from './system/delivery-relay';
import { referralLinks } from './security/referral-links';
import { workerMemoryPlan } from './system/worker-memory';
import { authSecrets, loadSecrets } from './system/secrets';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new Error('npm run worker needs DATABASE_URL and TEMPORAL_ADDRESS; npm start runs a worker with embedded servers');
  }
  const secrets = loadSecrets(config);
  const { masterKeys } = secrets;
  // The SDK's INFO lines name every module of the bundle; warnings and errors are what matter here.
  // The SDK's worker metrics (task slots, polls, latencies, cache) for Prometheus, a port per worker process.
  const metricsAddress = config.METRICS_PORT ? `${config.METRICS_HOST}:${config.METRICS_PORT + config.WORKER_INDEX}` : undefined;
  // The SDK's own lines as JSON, like the API's (ids of workflows and activities; no payloads).
  const log = createLogger(config.LOG_LEVEL, `worker-${config.WORKER_INDEX}`);
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      log[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error')](meta ?? {}, message),
    ),
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
  const memory = workerMemoryPlan(config.WORKER_MEMORY_MB, config.WORKFLOW_CACHE_SIZE);
  const sql = connectDatabase(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const codec = new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys);
  let relay: Awaited<ReturnType<typeof startDeliveryRelay>> | undefined;
  let contactCases: Sweep | undefined;
  let programmeSchedules: Sweep | undefined;
  const channels = createChannels(channelConfig(config));
  try {
    const worker = await createCaseWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      sql,
      codec,
      // The previous secret too: a delivery sent after a rotation carries the link its partner already has.
      referralLinks: referralLinks(authSecrets(secrets), publicUrl(config)),
      channels,
      publicUrl: publicUrl(config),
      workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined,
      maxCachedWorkflows: memory.maxCachedWorkflows,
    });
    // The outbox relay hands each written delivery to a workflow of its own (system/delivery-relay.ts).
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: clientDataConverter(codec) });
    relay = await startDeliveryRelay({ sql, client, taskQueue: config.TEMPORAL_TASK_QUEUE });
    // C1's safety net: a contact's case whose start was cut short is started (system/contact-cases.ts).
    contactCases = startContactCaseSweep({ sql, client, taskQueue: config.TEMPORAL_TASK_QUEUE });
    // A programme's schedule the API could not pass on to Temporal is passed on (system/programme-schedules.ts).
    programmeSchedules = startProgrammeScheduleSweep({ sql, client, taskQueue: config.TEMPORAL_TASK_QUEUE });
    const heapMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
    if (memory.heapMb && heapMiB > memory.heapMb * 1.1) {
      console.warn(
        `[worker] WORKER_MEMORY_MB=${config.WORKER_MEMORY_MB} asks for a heap limit of ${memory.heapMb} MiB; this process has ${heapMiB} MiB (start it with --max-old-space-size=${memory.heapMb}, as npm start does)`,
      );
    }
    console.log(
      `[worker] polling task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}${metricsAddress ? ` (metrics http://${metricsAddress}/metrics)` : ''}; workflow cache ${memory.maxCachedWorkflows}, heap limit ${heapMiB} MiB`,
    );
    await worker.run();
  } finally {
    await relay?.stop();
    await contactCases?.stop();
    await programmeSchedules?.stop();
    channels.close();
    await clientConnection.close();
    await connection.close();
    await sql.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
