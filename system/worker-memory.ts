// A worker's memory budget (WORKER_MEMORY_MB, issue 33) turned into the two settings that bound
// it: V8's heap limit for the worker process (each of its isolates — the main one, with the
// activities, and the SDK's workflow thread — may grow to it) and the number of case workflows
// kept in memory between their tasks. Without a limit V8 lets garbage grow to gigabytes before
// collecting hard, and a worker replaying cases all day (every timer of a case not cached is a
// replay) rose to 951 MiB at 10,000 open cases with a cache of 1,000.
import { DEFAULT_WORKFLOW_CACHE } from './config';

/**
 * Measured by `BENCH_ONLY=worker-memory npm run bench` (2026-12-07, this repository's case
 * workflow, caches of 500, 1,500 and 3,000 cases: 389, 530 and 845 MiB resident): a worker is
 * about 280 MiB and each cached case adds about 189 KiB (least squares; the last step was 215).
 */
export const WORKER_BASE_MIB = 280;
export const CACHED_CASE_KIB = 189;
/** The share of the budget the cache may fill; the rest is the replays' garbage between collections, the activities and the SDK's own. */
const CACHE_SHARE = 0.5;
/** Each isolate's heap limit, as a share of the budget: the workflow thread's holds the cache, the main one the activities. */
const HEAP_SHARE = 0.5;

export interface WorkerMemoryPlan {
  /** --max-old-space-size for the worker process; undefined: V8's own default. */
  heapMb?: number;
  maxCachedWorkflows: number;
}

/**
 * The plan from an environment not yet validated (the process that starts a worker, the bench):
 * `worker.ts` itself reads the same two settings through its checked config.
 */
export function workerMemoryPlanOf(env: NodeJS.ProcessEnv): WorkerMemoryPlan {
  const number = (value: string | undefined) => (value === undefined || value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value));
  return workerMemoryPlan(number(env.WORKER_MEMORY_MB), number(env.WORKFLOW_CACHE_SIZE));
}

/** An explicit WORKFLOW_CACHE_SIZE wins; without a budget, the cache is the default one (today's behaviour). */
export function workerMemoryPlan(budgetMb: number | undefined, cacheSize: number | undefined): WorkerMemoryPlan {
  if (budgetMb === undefined) return { maxCachedWorkflows: cacheSize ?? DEFAULT_WORKFLOW_CACHE };
  const fits = Math.floor(((budgetMb * CACHE_SHARE - WORKER_BASE_MIB) * 1024) / CACHED_CASE_KIB);
  return { heapMb: Math.floor(budgetMb * HEAP_SHARE), maxCachedWorkflows: cacheSize ?? Math.max(10, fits) };
}
