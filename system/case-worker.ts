// The case worker, wired once: the workflows (bundled now, or a prebuilt bundle), the activities
// over their dependencies, and the data converter that seals payloads per case. `npm start`,
// `npm run worker`, the benchmark and the tests all build their worker here.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type CaseActivities } from '../activities';
import { createChannels, type Channels } from '../activities/channels';
import type { Sql } from '../db/connect';
import { publishedRulesets } from '../rules/ruleset-source';
import type { CaseCodec } from '../security/case-codec';
import type { ReferralLinks } from '../security/referral-links';
import { DEFAULT_WORKFLOW_CACHE } from './config';
import { FAILURE_CONVERTER_PATH, workerDataConverter } from '../security/data-converter';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * The modules of constants and pure functions the case workflow imports (the domain's catalogues
 * and rules, its message definitions, the review's reassessment), loaded once into the worker's
 * shared V8 context instead of once per workflow (the SDK's `preloadModules`; issue 19: less work
 * and memory per case). None holds state of its own or reads the workflow's context at load, and
 * the SDK freezes them, so no workflow can change what another sees. Their imports come with them.
 */
export const SHARED_WORKFLOW_MODULES = [
  ...[
    'actions',
    'admission',
    'access',
    'concerns',
    'errors',
    'placement-labels',
    'placements',
    'referrals',
    'risk',
    'snapshot',
    'stage-deadlines',
    'vietnam-time',
  ].map((m) => `../domain/${m}.ts`),
  '../workflows/messages.ts',
  '../workflows/reassess.ts',
].map((path) => fileURLToPath(new URL(path, import.meta.url)));

const BUNDLE_OPTIONS = { workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, preloadModules: SHARED_WORKFLOW_MODULES };

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  sql: Sql;
  /** Seals every payload with its case's key; the same codec as the API's client. */
  codec: CaseCodec;
  /** The partners' links, whose hashes the activities keep (the API shows the links themselves). */
  referralLinks: ReferralLinks;
  /** What deliveries leave by; without it every delivery is refused (none is configured). */
  channels?: Channels;
  /** Where people reach the product, for links in messages. */
  publicUrl?: string;
  /** A prebuilt bundle (bundleCaseWorkflows; tests and `npm start` build it once); otherwise the workflows are bundled now. */
  workflowBundle?: { codePath: string } | { code: string };
  /**
   * Case workflows kept in memory between their tasks (WORKFLOW_CACHE_SIZE). Each open case is a
   * workflow asleep until its deadline: bounding the cache bounds the worker's memory, and a case
   * not kept is replayed from its history when its timer or an action wakes it.
   */
  maxCachedWorkflows?: number;
  /** Wraps the real activities (the crash tests stall one); the real ones are used as they are otherwise. */
  wrapActivities?: (real: CaseActivities) => CaseActivities;
}

/** The workflows bundled once, for a process that may start its worker more than once. */
export async function bundleCaseWorkflows(): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ ...BUNDLE_OPTIONS, logger: quietBundler });
  return { code };
}

const quiet = () => {};
const quietBundler = {
  trace: quiet,
  debug: quiet,
  info: quiet,
  warn: (m: string) => console.warn(`[bundle] ${m}`),
  error: (m: string) => console.error(`[bundle] ${m}`),
  log: quiet,
};

export async function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  const { sql } = options;
  const activities = createActivities({
    sql,
    rulesets: publishedRulesets(sql),
    clock: () => new Date(),
    referralLinks: options.referralLinks,
    channels: options.channels ?? createChannels({ mailFrom: 'case-flow', webhookAllowedHosts: [] }),
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:3000',
  });
  return await Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } }),
    activities: options.wrapActivities ? options.wrapActivities(activities) : activities,
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_WORKFLOW_CACHE,
    dataConverter: workerDataConverter(options.codec),
  });
}
