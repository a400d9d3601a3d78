// The Temporal worker: runs case workflows and their activities. `npm run worker` runs it alone
// against TEMPORAL_ADDRESS and DATABASE_URL; `npm start` runs it inside the whole system.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { connectDatabase } from './db/connect';
import { publishedRulesets } from './rules/ruleset-source';
import { CaseCodec } from './security/case-codec';
import { CaseKeyStore } from './security/case-keys';
import { workerDataConverter } from './security/data-converter';
import { loadConfig } from './system/config';
import { loadSecrets } from './system/secrets';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export async function createCaseWorker(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Seals every payload with its case's key; the same codec as the API's client. */
  codec: CaseCodec;
  /** A prebuilt bundle (with FAILURE_CONVERTER_PATH) (tests build it once); otherwise the workflows are bundled now. */
  workflowBundle?: { codePath: string };
}): Promise<Worker> {
  return await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.deps),
    dataConverter: workerDataConverter(options.codec),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new Error('npm run worker needs DATABASE_URL and TEMPORAL_ADDRESS; npm start runs a worker with embedded servers');
  }
  const { masterKeys } = loadSecrets(config);
  const sql = connectDatabase(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await createCaseWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      deps: { sql, rulesets: publishedRulesets(sql), clock: () => new Date() },
      codec: new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys),
    });
    console.log(`[worker] polling task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`);
    await worker.run();
  } finally {
    await connection.close();
    await sql.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
