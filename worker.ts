// `npm run worker`: one more worker process for case workflows and their activities, against a
// Temporal cluster (TEMPORAL_ADDRESS) and PostgreSQL (DATABASE_URL). `npm start` runs a worker
// inside the whole system; both are wired by system/case-worker.ts.
import { NativeConnection } from '@temporalio/worker';
import { connectDatabase } from './db/connect';
import { CaseCodec } from './security/case-codec';
import { CaseKeyStore } from './security/case-keys';
import { createCaseWorker } from './system/case-worker';
import { loadConfig } from './system/config';
import { loadSecrets } from './system/secrets';

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
      sql,
      codec: new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys),
    });
    console.log(`[worker] polling task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`);
    await worker.run();
  } finally {
    await connection.close();
    await sql.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
