// A worker in a process of its own, for the crash tests to kill with SIGKILL. With
// STALL_AFTER_ADMISSION=1 it admits a case (its transaction committed), then hangs as if the machine had frozen
// before it could report the activity done; with STALL_AFTER_SEND=1 it sends each e-mail to
// SMTP_URL, says `sent <Message-ID>`, and hangs before recording it sent.
import './quiet-logs';
import { NativeConnection } from '@temporalio/worker';
import { connectDatabase } from '../../db/connect';
import { CaseCodec } from '../../security/case-codec';
import { CaseKeyStore } from '../../security/case-keys';
import { parseMasterKeys } from '../../security/master-keys';
import { createChannels, type Channels } from '../../activities/channels';
import { createCaseWorker } from '../../system/case-worker';
import { referralLinks } from '../../security/referral-links';

const { DATABASE_URL, TEMPORAL_ADDRESS, TASK_QUEUE, WORKFLOW_BUNDLE, MASTER_KEYS } = process.env;
if (!DATABASE_URL || !TEMPORAL_ADDRESS || !TASK_QUEUE || !WORKFLOW_BUNDLE || !MASTER_KEYS) throw new Error('stalling worker: missing env');

function stallingChannels(): Channels {
  const real = createChannels({ smtpUrl: process.env.SMTP_URL, mailFrom: 'crash test <crash@case-flow.local>', webhookAllowedHosts: [] });
  if (process.env.STALL_AFTER_SEND !== '1') return real;
  return {
    ...real,
    close: real.close,
    async email(m) {
      await real.email(m);
      console.log(`sent ${m.messageId}`);
      return await new Promise<never>(() => {});
    },
  };
}

const sql = connectDatabase(DATABASE_URL);
const masterKeys = parseMasterKeys(MASTER_KEYS);
const worker = await createCaseWorker({
  connection: await NativeConnection.connect({ address: TEMPORAL_ADDRESS }),
  taskQueue: TASK_QUEUE,
  sql,
  codec: new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys),
  referralLinks: referralLinks('test worker process', 'http://127.0.0.1'),
  channels: stallingChannels(),
  workflowBundle: { codePath: WORKFLOW_BUNDLE },
  wrapActivities: (real) => ({
    ...real,
    async admitCase(input) {
      const result = await real.admitCase(input);
      if (process.env.STALL_AFTER_ADMISSION !== '1') return result;
      console.log('admitted');
      return await new Promise<never>(() => {});
    },
  }),
});
console.log('ready');
await worker.run();
