// A worker's memory budget (WORKER_MEMORY_MB, issue 33): the budget sizes the workflow cache and
// V8's heap limit, and a worker process started with it runs under that limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_WORKFLOW_CACHE } from '../../system/config';
import { workerMemoryPlan } from '../../system/worker-memory';
import { startWorkerProcess, type RunningWorker } from '../../system/worker-process';
import { uniqueQueue } from '../support/cases';

const dir = mkdtempSync(join(tmpdir(), 'case-flow-worker-memory-'));
let worker: RunningWorker | undefined;

afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a worker memory budget', () => {
  it('keeps today’s cache without a budget, and lets an explicit WORKFLOW_CACHE_SIZE win', () => {
    expect(workerMemoryPlan(undefined, undefined)).toEqual({ maxCachedWorkflows: DEFAULT_WORKFLOW_CACHE });
    expect(workerMemoryPlan(undefined, 50)).toEqual({ maxCachedWorkflows: 50 });
    expect(workerMemoryPlan(2048, 50).maxCachedWorkflows).toBe(50);
  });

  it('gives a bigger budget a bigger cache and heap, the heap half the budget', () => {
    const plans = [640, 1024, 2048, 4096].map((mb) => ({ mb, ...workerMemoryPlan(mb, undefined) }));
    for (const plan of plans) expect(plan.heapMb).toBe(plan.mb / 2);
    for (let i = 1; i < plans.length; i++) expect(plans[i]!.maxCachedWorkflows).toBeGreaterThan(plans[i - 1]!.maxCachedWorkflows);
    // 1 GiB holds on the order of the 1,000 cached cases a worker always had, not a tenth or ten times it.
    expect(workerMemoryPlan(1024, undefined).maxCachedWorkflows).toBeGreaterThan(500);
    expect(workerMemoryPlan(1024, undefined).maxCachedWorkflows).toBeLessThan(2000);
  });

  it('starts a worker process under the heap limit its budget gives, with the cache it gives', async () => {
    const plan = workerMemoryPlan(800, undefined);
    const { WORKFLOW_CACHE_SIZE: _cache, ...env } = process.env;
    worker = await startWorkerProcess({
      env: {
        ...env,
        APP_MODE: 'development',
        DATA_DIR: dir,
        DATABASE_URL: inject('databaseUrl'),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: uniqueQueue('memory'),
        WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
        MASTER_KEYS: inject('masterKeys'),
        AUTH_SECRET: inject('authSecret'),
        METRICS_PORT: '0',
        WORKER_MEMORY_MB: '800',
      },
      pidFile: join(dir, 'worker.pid'),
    });
    const heap = Number(/heap limit (\d+) MiB/.exec(worker.announced)?.[1]);
    const cache = Number(/workflow cache (\d+)/.exec(worker.announced)?.[1]);
    expect(cache).toBe(plan.maxCachedWorkflows);
    // V8's limit is the old space asked for plus its young generation.
    expect(heap).toBeGreaterThanOrEqual(plan.heapMb!);
    expect(heap).toBeLessThan(plan.heapMb! * 1.15);
  }, 120_000);
});
