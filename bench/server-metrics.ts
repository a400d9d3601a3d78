// The Temporal server's own Prometheus metrics (and the worker's SDK metrics) sampled over a run
// (issue 33): every BENCH_METRICS_EVERY seconds (default 10) both endpoints are read and the
// series that say where a workflow task waits are kept — persistence latency by operation,
// matching (tasks handed over or spooled, backlog, schedule-to-start on the normal and the sticky
// queue, sticky timeouts), the history service's task queues, shard lock and shard I/O semaphore
// (one write per shard at a time by default: issue 33's stall), service latency by operation, and
// the worker's own view. At the end: a compact time series (at most MAX_ROWS rows) and the series whose mean moved
// most between the run's first minute and its worst window, so a stall names its queue.
// BENCH_METRICS_DUMP=FILE also writes every sample as a line of JSON, for reading afterwards.
import { appendFileSync } from 'node:fs';

/** Series kept from the server's endpoint (histograms as _sum/_count; gauges and counters as they are). */
const SERVER_KEEP =
  /^(persistence_(latency|requests|errors|error_with_type)|service_(latency|requests|errors\w*)|task_schedule_to_start_latency|poll_(success|success_sync|timeouts|latency)|syncmatch_latency|asyncmatch_latency|task_write_latency|task_write_throttle_count|approximate_backlog_count|approximate_backlog_age_seconds|task_lag_per_tl|no_poller_tasks|task_dispatch_latency|task_latency(_queue|_load|_schedule|_processing)?|task_requests|task_errors\w*|lock_latency|lock_requests|pending_tasks|history_workflow_execution_cache_\w+|cache_(latency|requests|miss)|acquire_lock_failed|(local|remote)_to_(local|remote)_matches|forwarded_per_tl|priority_backlog_forwarded|forward_task_errors|pending_polls|tasks_added|semaphore_latency|schedule_to_start_timeout|start_to_close_timeout|sync_throttle_count|buffer_throttle_count|workflow_task_\w+|queue_latency_schedule|task_scheduler_throttled|dynamic_worker_pool_scheduler_\w+|namespace_rate_limit_poll_wait_latency|persistence_shard_rps)$/;
/** Series kept from the worker's endpoint. */
const WORKER_KEEP =
  /^temporal_(workflow_task_(schedule_to_start_latency|execution_latency|replay_latency|execution_failed)|sticky_cache_(hit|miss|size)|request_latency|request|long_request_latency|local_activity_execution_latency|worker_task_slots_available|num_pollers|workflow_active_thread_count)$/;
/** Labels that never tell series apart here. */
const DROP_LABELS = new Set([
  'namespace',
  'namespace_id',
  'namespace_state',
  'worker_build_id',
  'worker_deployment_name',
  'worker_version',
  'versioning_behavior',
  'archetype',
  'queue_reader_id',
  'task_priority',
  'instance',
  'job',
]);
/** Rows of the printed series at most; longer runs merge neighbouring samples. */
const MAX_ROWS = 36;

type Series = Map<string, number>;
interface Sample {
  /** Seconds since the sampler started. */
  t: number;
  server: Series;
  worker: Series;
  /** What the bench says at that moment (open cases, escalations). */
  context: Record<string, number>;
}

/** `name{a="x",b="y"}` → the series' name, its labels and the value; `keep` filters by name (without _sum/_count/_bucket). */
export function parsePrometheus(text: string, keep: RegExp): Series {
  const out: Series = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    if (!m) continue;
    const full = m[1]!;
    if (full.endsWith('_bucket')) continue;
    const base = full.replace(/_(sum|count)$/, '');
    if (!keep.test(base) && !keep.test(full)) continue;
    const labels: string[] = [];
    for (const l of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) if (!DROP_LABELS.has(l[1]!)) labels.push(`${l[1]}=${l[2]}`);
    labels.sort();
    const key = labels.length ? `${full}{${labels.join(',')}}` : full;
    const value = Number(m[4]);
    if (Number.isFinite(value)) out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}

function nameOf(key: string): string {
  const i = key.indexOf('{');
  return i < 0 ? key : key.slice(0, i);
}
function label(key: string, name: string): string | undefined {
  return new RegExp(`[{,]${name}=([^,}]*)`).exec(key)?.[1];
}

type Match = (key: string) => boolean;
const all: Match = () => true;
const withLabel =
  (name: string, value: string | RegExp): Match =>
  (key) => {
    const v = label(key, name);
    return v !== undefined && (typeof value === 'string' ? v === value : value.test(v));
  };
const both =
  (...ms: Match[]): Match =>
  (key) =>
    ms.every((m) => m(key));

function total(series: Series, name: string, match: Match = all): number {
  let sum = 0;
  for (const [key, value] of series) if (nameOf(key) === name && match(key)) sum += value;
  return sum;
}

/** A window between two samples: rates, gauge values and means of histograms over it. */
class Window {
  constructor(
    readonly a: Sample,
    readonly b: Sample,
  ) {}
  get seconds() {
    return Math.max(1e-9, this.b.t - this.a.t);
  }
  delta(side: 'server' | 'worker', name: string, match: Match = all): number {
    return Math.max(0, total(this.b[side], name, match) - total(this.a[side], name, match));
  }
  rate(side: 'server' | 'worker', name: string, match: Match = all): number {
    return this.delta(side, name, match) / this.seconds;
  }
  /** Mean of a histogram over the window in ms (the server records seconds, the SDK milliseconds); NaN without observations. */
  mean(side: 'server' | 'worker', name: string, match: Match = all): number {
    const count = this.delta(side, `${name}_count`, match);
    if (count <= 0) return NaN;
    return (this.delta(side, `${name}_sum`, match) / count) * (side === 'server' ? 1000 : 1);
  }
  gauge(side: 'server' | 'worker', name: string, match: Match = all): number {
    return total(this.b[side], name, match);
  }
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? (Math.abs(v) >= 10_000 ? `${(v / 1000).toFixed(0)}k` : v.toFixed(digits)) : '–');

interface Column {
  head: string;
  value: (w: Window) => string;
}

function table(windows: Window[], columns: Column[]): string {
  const rows = windows.map((w) => columns.map((c) => c.value(w)));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => c.padStart(widths[i]!)).join(' ');
  return [line(columns.map((c) => c.head)), ...rows.map(line)].join('\n');
}

export interface MetricsSampler {
  /** Takes a last sample and stops. */
  stop(): Promise<void>;
  /** The compact time series and the movers, as printed lines. */
  report(): string;
}

/**
 * Samples `serverUrl` (the Temporal server's /metrics; optional: the dev server's is not read) and
 * `workerUrl` every `everyMs`, with what `context()` says at the time.
 */
export function sampleMetrics(options: {
  serverUrl?: string;
  workerUrl: string;
  context: () => Record<string, number>;
  everyMs?: number;
  dumpFile?: string;
}): MetricsSampler {
  const every = options.everyMs ?? Number(process.env.BENCH_METRICS_EVERY ?? 10) * 1000;
  const dump = options.dumpFile ?? process.env.BENCH_METRICS_DUMP;
  const t0 = performance.now();
  const samples: Sample[] = [];
  let failures = 0;
  const read = async (url: string | undefined, keep: RegExp): Promise<Series> => {
    if (!url) return new Map();
    try {
      return parsePrometheus(await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text(), keep);
    } catch {
      failures += 1;
      return new Map();
    }
  };
  let busy: Promise<void> = Promise.resolve();
  const take = () => {
    busy = busy.then(async () => {
      const t = (performance.now() - t0) / 1000;
      const [server, worker] = await Promise.all([read(options.serverUrl, SERVER_KEEP), read(options.workerUrl, WORKER_KEEP)]);
      const sample = { t, server, worker, context: options.context() };
      samples.push(sample);
      if (dump) {
        appendFileSync(dump, JSON.stringify({ t, context: sample.context, server: Object.fromEntries(server), worker: Object.fromEntries(worker) }) + '\n');
      }
    });
  };
  take();
  const timer = setInterval(take, every);
  let stopped = false;
  return {
    async stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        take();
      }
      await busy;
    },
    report() {
      if (samples.length < 2) return `  (fewer than two metric samples${failures ? `; ${failures} reads failed` : ''})`;
      return report(samples, Boolean(options.serverUrl), failures);
    },
  };
}

/** Neighbouring samples merged so that at most MAX_ROWS windows remain. */
function windowsOf(samples: Sample[]): Window[] {
  const step = Math.max(1, Math.ceil((samples.length - 1) / MAX_ROWS));
  const out: Window[] = [];
  for (let i = 0; i + 1 < samples.length; i += step) out.push(new Window(samples[i]!, samples[Math.min(samples.length - 1, i + step)]!));
  return out;
}

const sticky = withLabel('partition', '__sticky__');
const normal = withLabel('partition', /^(?!__sticky__)/);
const workflowTasks = withLabel('task_type', /workflow/i);
const op = (name: string | RegExp) => withLabel('operation', name);
const service = (name: string) => withLabel('service_name', name);
/** The bench's task queue, not the server's own (temporal_sys_*, default_worker_tq). */
const ours: Match = (key) => !/^(temporal_sys|default_worker_tq)/.test(label(key, 'taskqueue') ?? '');

function report(samples: Sample[], withServer: boolean, failures: number): string {
  const windows = windowsOf(samples);
  const ctx = (name: string) => (w: Window) => fmt(w.b.context[name] ?? NaN);
  const perSecond = (name: string) => (w: Window) => fmt(((w.b.context[name] ?? 0) - (w.a.context[name] ?? 0)) / w.seconds, 1);
  const time: Column[] = [
    { head: 't s', value: (w) => fmt(w.b.t) },
    { head: 'open', value: ctx('open') },
    { head: 'esc/s', value: perSecond('escalations') },
  ];
  const memory: Column[] = [
    { head: 'RSS MiB', value: ctx('workerRssMiB') },
    { head: 'cached', value: (w) => fmt(w.gauge('worker', 'temporal_sticky_cache_size')) },
  ];
  const out: string[] = [];
  const worker: Column[] = [
    ...time,
    ...memory,
    { head: 'wft/s', value: (w) => fmt(w.rate('worker', 'temporal_workflow_task_schedule_to_start_latency_count'), 1) },
    { head: 'wait ms', value: (w) => fmt(w.mean('worker', 'temporal_workflow_task_schedule_to_start_latency')) },
    { head: 'run ms', value: (w) => fmt(w.mean('worker', 'temporal_workflow_task_execution_latency')) },
    { head: 'replay ms', value: (w) => fmt(w.mean('worker', 'temporal_workflow_task_replay_latency')) },
    { head: 'miss/s', value: (w) => fmt(w.rate('worker', 'temporal_sticky_cache_miss'), 1) },
    { head: 'LA ms', value: (w) => fmt(w.mean('worker', 'temporal_local_activity_execution_latency')) },
    { head: 'complete ms', value: (w) => fmt(w.mean('worker', 'temporal_request_latency', op('RespondWorkflowTaskCompleted'))) },
    { head: 'history ms', value: (w) => fmt(w.mean('worker', 'temporal_request_latency', op('GetWorkflowExecutionHistory'))) },
    {
      head: 'wf slots',
      value: (w) => fmt(w.gauge('worker', 'temporal_worker_task_slots_available', withLabel('worker_type', /workflow/i))),
    },
  ];
  out.push("  the worker's SDK metrics (wait: schedule-to-start as the worker sees it; run: a task's execution; miss: cache misses):");
  out.push(table(windows, worker));
  if (!withServer) return out.join('\n');

  // The persistence operations that took the most time over the run, by service where it tells.
  const last = samples.at(-1)!;
  const first = samples[0]!;
  const busiest = topKeys(first.server, last.server, 'persistence_latency_sum', (k) => label(k, 'operation') ?? '?', 5);
  const matching: Column[] = [
    ...time,
    { head: 'wft s2s ms', value: (w) => fmt(w.mean('server', 'task_schedule_to_start_latency', both(workflowTasks, normal))) },
    { head: 'normal/s', value: (w) => fmt(w.rate('server', 'task_schedule_to_start_latency_count', both(workflowTasks, normal)), 1) },
    { head: 'sticky s2s ms', value: (w) => fmt(w.mean('server', 'task_schedule_to_start_latency', both(workflowTasks, sticky))) },
    { head: 'sticky/s', value: (w) => fmt(w.rate('server', 'task_schedule_to_start_latency_count', both(workflowTasks, sticky)), 1) },
    { head: 'act s2s ms', value: (w) => fmt(w.mean('server', 'task_schedule_to_start_latency', withLabel('task_type', /activity/i))) },
    { head: 'wft added/s', value: (w) => fmt(w.rate('server', 'tasks_added', workflowTasks), 1) },
    {
      head: 'to backlog %',
      value: (w) => {
        const added = w.delta('server', 'tasks_added', workflowTasks);
        return added > 0 ? fmt((100 * w.delta('server', 'tasks_added', both(workflowTasks, withLabel('task_add_result', 'backlog')))) / added) : '–';
      },
    },
    {
      head: 'sticky→backlog/s',
      value: (w) => fmt(w.rate('server', 'tasks_added', both(workflowTasks, sticky, withLabel('task_add_result', 'backlog'))), 1),
    },
    { head: 'spooled/s', value: (w) => fmt(w.rate('server', 'persistence_requests', op('CreateTasks')), 1) },
    { head: 'wft polls waiting', value: (w) => fmt(w.gauge('server', 'pending_polls', both(workflowTasks, ours))) },
    { head: 'wft backlog', value: (w) => fmt(w.gauge('server', 'approximate_backlog_count', both(workflowTasks, ours))) },
    { head: 'oldest s', value: (w) => fmt(maxOf(w.b.server, 'approximate_backlog_age_seconds', both(workflowTasks, ours)), 1) },
    { head: 'fwd/s', value: (w) => fmt(w.rate('server', 'forwarded_per_tl') + w.rate('server', 'priority_backlog_forwarded'), 1) },
    { head: 'empty polls/s', value: (w) => fmt(w.rate('server', 'poll_timeouts'), 1) },
    { head: 's2s timeouts', value: (w) => fmt(w.delta('server', 'schedule_to_start_timeout')) },
  ];
  out.push(
    "  matching (s2s: a workflow task's schedule-to-start on the normal and the sticky queue, and an activity's; to backlog: tasks added with no poller waiting, " +
      'written to the store (spooled) and read back; polls waiting: workflow polls parked in matching; oldest: age of the oldest task in the backlog; fwd: tasks and polls forwarded between partitions; ' +
      's2s timeouts: sticky tasks moved to the normal queue after the sticky timeout):',
  );
  out.push(table(windows, matching));
  const history: Column[] = [
    ...time,
    { head: 'timer q ms', value: (w) => fmt(w.mean('server', 'task_latency_queue', op(/^Timer/))) },
    { head: 'transfer q ms', value: (w) => fmt(w.mean('server', 'task_latency_queue', op(/^Transfer/))) },
    { head: 'load ms', value: (w) => fmt(w.mean('server', 'task_latency_load')) },
    { head: 'sched ms', value: (w) => fmt(w.mean('server', 'task_latency_schedule')) },
    { head: 'shard lock ms', value: (w) => fmt(w.mean('server', 'lock_latency'), 1) },
    { head: 'shard io ms', value: (w) => fmt(w.mean('server', 'semaphore_latency'), 1) },
    { head: 'wf lock ms', value: (w) => fmt(w.mean('server', 'cache_latency', op('HistoryCacheGetOrCreate')), 1) },
    { head: 'complete ms', value: (w) => fmt(w.mean('server', 'service_latency', both(op('RespondWorkflowTaskCompleted'), service('history')))) },
    { head: 'recordStart ms', value: (w) => fmt(w.mean('server', 'service_latency', both(op('RecordWorkflowTaskStarted'), service('history')))) },
    { head: 'addTask ms', value: (w) => fmt(w.mean('server', 'service_latency', both(op('AddWorkflowTask'), service('matching')))) },
  ];
  out.push(
    '  history (timer/transfer q: a history task from its creation to done; load/sched: its wait to be read and to run; locks; service latency of the calls a workflow task makes):',
  );
  out.push(table(windows, history));
  const persistence: Column[] = [
    ...time,
    { head: 'pers req/s', value: (w) => fmt(w.rate('server', 'persistence_requests'), 0) },
    ...busiest.map((o) => ({ head: `${o} ms`, value: (w: Window) => fmt(w.mean('server', 'persistence_latency', op(o)), 1) })),
  ];
  out.push('  persistence latency of the operations that took the most time over the run (mean ms):');
  out.push(table(windows, persistence));
  out.push(movers(samples));
  if (failures) out.push(`  (${failures} metric reads failed)`);
  return out.join('\n');
}

function maxOf(series: Series, name: string, match: Match = all): number {
  let max = NaN;
  for (const [key, value] of series) if (nameOf(key) === name && match(key) && !(value <= max)) max = value;
  return max;
}

/** The `n` groups (by `group(key)`) of `name` that grew most between two samples. */
function topKeys(a: Series, b: Series, name: string, group: (key: string) => string, n: number): string[] {
  const growth = new Map<string, number>();
  for (const [key, value] of b) {
    if (nameOf(key) !== name) continue;
    const g = group(key);
    growth.set(g, (growth.get(g) ?? 0) + value - (a.get(key) ?? 0));
  }
  return [...growth]
    .sort((x, y) => y[1] - x[1])
    .slice(0, n)
    .map(([g]) => g);
}

/**
 * Every histogram of the server (by name and operation or partition) whose mean over its worst
 * 30-s window rose most against its mean over the run's first 60 s with data: where the stall is.
 */
function movers(samples: Sample[]): string {
  const span = Math.max(1, Math.round(30 / Math.max(1, samples[1]!.t - samples[0]!.t)));
  const groups = new Map<string, Set<string>>();
  for (const key of samples.at(-1)!.server.keys()) {
    const name = nameOf(key);
    if (!name.endsWith('_count')) continue;
    const base = name.slice(0, -'_count'.length);
    // Times only: pending_tasks, task_attempt and the like count things.
    if (!/latency|duration/.test(base)) continue;
    const part = label(key, 'operation') ?? label(key, 'partition') ?? '';
    // Long polls wait by design.
    if (/Poll|GetTaskQueueUserData|LongPoll/.test(part)) continue;
    const g = `${base}${part ? `[${part}]` : ''}`;
    if (!groups.has(g)) groups.set(g, new Set());
    groups.get(g)!.add(key.slice(name.length));
  }
  const rows: { g: string; base: number; worst: number; at: number; rate: number }[] = [];
  for (const [g, suffixes] of groups) {
    const base = g.replace(/\[.*$/, '');
    const of = (s: Sample, what: 'sum' | 'count') => {
      let v = 0;
      for (const suffix of suffixes) v += s.server.get(`${base}_${what}${suffix}`) ?? 0;
      return v;
    };
    const mean = (a: Sample, b: Sample) => {
      const c = of(b, 'count') - of(a, 'count');
      return c >= 5 ? ((of(b, 'sum') - of(a, 'sum')) / c) * 1000 : NaN;
    };
    const startIndex = samples.findIndex((s) => of(s, 'count') > 0);
    if (startIndex < 0) continue;
    const early = samples[Math.min(samples.length - 1, startIndex + 2 * span)]!;
    const baseline = mean(samples[startIndex]!, early);
    let worst = NaN;
    let at = 0;
    for (let i = 0; i + span < samples.length; i++) {
      const m = mean(samples[i]!, samples[i + span]!);
      if (Number.isFinite(m) && !(m <= worst)) {
        worst = m;
        at = samples[i + span]!.t;
      }
    }
    const rate = (of(samples.at(-1)!, 'count') - of(samples[0]!, 'count')) / Math.max(1, samples.at(-1)!.t - samples[0]!.t);
    if (Number.isFinite(baseline) && Number.isFinite(worst) && worst > 1) rows.push({ g, base: baseline, worst, at, rate });
  }
  rows.sort((x, y) => y.worst / Math.max(0.5, y.base) - x.worst / Math.max(0.5, x.base));
  const lines = rows
    .slice(0, 12)
    .map(
      (r) =>
        `    ${r.g}: ${fmt(r.base, 1)} ms in the first minute → ${fmt(r.worst, 1)} ms in its worst 30 s (ending at t=${fmt(r.at)} s); ${fmt(r.rate, 1)}/s over the run`,
    );
  return [`  the server's means that rose most (worst 30 s against the first minute):`, ...lines].join('\n');
}
