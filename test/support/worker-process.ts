// A worker in a process of its own, for the crash tests to kill with SIGKILL. With
// STALL_AFTER_RECORD_INTAKE=1 it records an intake, then hangs as if the machine had frozen
// before it could report the activity done.
import './quiet-logs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { connectDatabase } from '../../db/connect';
import { publishedRulesets } from '../../rules/ruleset-source';
import { CaseCodec } from '../../security/case-codec';
import { CaseKeyStore } from '../../security/case-keys';
import { workerDataConverter } from '../../security/data-converter';
import { parseMasterKeys } from '../../security/master-keys';

const { DATABASE_URL, TEMPORAL_ADDRESS, TASK_QUEUE, WORKFLOW_BUNDLE, MASTER_KEYS } = process.env;
if (!DATABASE_URL || !TEMPORAL_ADDRESS || !TASK_QUEUE || !WORKFLOW_BUNDLE || !MASTER_KEYS) throw new Error('stalling worker: missing env');

const sql = connectDatabase(DATABASE_URL);
const masterKeys = parseMasterKeys(MASTER_KEYS);
const real = createActivities({ sql, rulesets: publishedRulesets(sql), clock: () => new Date() });
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address: TEMPORAL_ADDRESS }),
  taskQueue: TASK_QUEUE,
  workflowBundle: { codePath: WORKFLOW_BUNDLE },
  dataConverter: workerDataConverter(new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys)),
  activities: {
    ...real,
    async recordIntake(input: Parameters<typeof real.recordIntake>[0]) {
      const result = await real.recordIntake(input);
      if (process.env.STALL_AFTER_RECORD_INTAKE !== '1') return result;
      console.log('recorded');
      return await new Promise<never>(() => {});
    },
  },
});
console.log('ready');
await worker.run();
