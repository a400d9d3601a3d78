// A worker process for the crash test: it records the intake, then hangs as if the machine had
// frozen before it could report the activity done. The test kills it with SIGKILL.
import './quiet-logs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { connectDatabase } from '../../db/connect';
import { defaultRulesetSource } from '../../rules/ruleset-source';

const { DATABASE_URL, TEMPORAL_ADDRESS, TASK_QUEUE, WORKFLOW_BUNDLE } = process.env;
if (!DATABASE_URL || !TEMPORAL_ADDRESS || !TASK_QUEUE || !WORKFLOW_BUNDLE) throw new Error('stalling worker: missing env');

const sql = connectDatabase(DATABASE_URL);
const real = createActivities({ sql, rulesets: defaultRulesetSource(), clock: () => new Date() });
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address: TEMPORAL_ADDRESS }),
  taskQueue: TASK_QUEUE,
  workflowBundle: { codePath: WORKFLOW_BUNDLE },
  activities: {
    ...real,
    async recordIntake(input: Parameters<typeof real.recordIntake>[0]) {
      await real.recordIntake(input);
      console.log('recorded');
      await new Promise(() => {});
    },
  },
});
console.log('ready');
await worker.run();
