// What the worker's own Temporal SDK metrics say about a run (its Prometheus endpoint, as
// `npm start` serves it): how long workflow tasks waited for the worker and ran in it, and how many
// found their case in the workflow cache — so a slow ladder names its limit.

/** Totals of each series' counters, summed over their labels; `name[operation]` for requests. */
function totals(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(temporal_[a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1]!.endsWith('_bucket')) continue;
    const operation = /operation="([^"]+)"/.exec(m[2] ?? '')?.[1];
    const key = operation ? `${m[1]}[${operation}]` : m[1]!;
    sums.set(key, (sums.get(key) ?? 0) + Number(m[3]));
  }
  return sums;
}

/** One line on the run's workflow tasks, or why there is none. */
export async function workerTaskFigures(url: string): Promise<string> {
  let text: string;
  try {
    text = await (await fetch(url)).text();
  } catch (err) {
    return `the worker's metrics at ${url} did not answer (${(err as Error).message})`;
  }
  const t = totals(text);
  const get = (key: string) => t.get(key) ?? 0;
  const mean = (name: string, operation?: string) => {
    const of = operation ? `[${operation}]` : '';
    return get(`${name}_sum${of}`) / Math.max(1, get(`${name}_count${of}`));
  };
  const tasks = get('temporal_workflow_task_schedule_to_start_latency_count');
  const hits = get('temporal_sticky_cache_hit');
  const misses = get('temporal_sticky_cache_miss');
  return (
    `${tasks.toLocaleString('en')} workflow tasks waited ${mean('temporal_workflow_task_schedule_to_start_latency').toFixed(0)} ms for the worker and ran ` +
    `${mean('temporal_workflow_task_execution_latency').toFixed(0)} ms on average (local activities ${mean('temporal_local_activity_execution_latency').toFixed(0)} ms, ` +
    `the server's answer to a completion ${mean('temporal_request_latency', 'RespondWorkflowTaskCompleted').toFixed(0)} ms); ` +
    `${hits.toLocaleString('en')} found their case in the workflow cache, ${misses.toLocaleString('en')} replayed it from its history` +
    (misses > 0 ? ` (fetched in ${mean('temporal_request_latency', 'GetWorkflowExecutionHistory').toFixed(0)} ms)` : '')
  );
}
