// Case lifecycle benchmark, on the dev server and on the real server (BENCH_SERVERS): start N cases
// at a steady BENCH_RATE (default 10/s) with an assessment due BENCH_DUE seconds later (default
// 100), each climbing its ladder (supervisor after 2 s, managers after 4 s) while all N stay open
// and intakes go on; measure starts per second, the delay between a ladder step's time and its
// escalation (p50, p99; goal p99 ≤ 2 s at 10,000 open cases — over the whole run and over the steps
// taken once all N were open), the worker's resident memory (a process of its own, as in
// production; goal ≤ 1 GiB), history events per case, and the CPU each part used (what limits it).
// Run at 1,000 and at BENCH_CASES (default 10,000), so the growth between them is printed with a
// projection to 100,000. Ten intakes a second is 864,000 a day, far above any province's, and
// leaves this 2-core machine (server, worker and PostgreSQL on it together) with CPU to spare, so
// a slow step shows a wait in the engine rather than the machine's limit; the worker's own SDK
// metrics, printed at the end, say where tasks waited. A higher rate and a short due time
// (BENCH_RATE=40 BENCH_DUE=5) measure the machine's capacity instead.
// Over each run both the worker's and (on the real server) the server's own Prometheus metrics are
// sampled every 10 s and printed as a time series at the end (bench/server-metrics.ts, issue 33):
// where a task waited — the shard's write lane, matching's backlog, the sticky queue's timeout.
// BENCH_SKIP_SMALL=1 leaves out the 1,000-case run; BENCH_TEMPORAL_* (bench/temporal.ts) set the
// real server's shards, pool and dynamic config for an experiment.
// BENCH_OPEN=N first opens N more cases as fast as the system takes them, in a province of their
// own whose deadlines are days away (a province's caseload asleep: issue 33), then measures the
// BENCH_CASES cases' ladder beside them — the delay at N open cases without N intakes at 10/s.
// BENCH_RESTART=S stops the Temporal server once every measured case is open, for S seconds, and
// starts it again on the same store (an upgrade, a reboot): how long the steps that fell due while
// it was down waited, and how soon the ladder was on time again.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Sql } from '../db/connect';
import { createDraft, ensureFirstVersion, publishDraft } from '../db/policies';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { parseMasterKeys } from '../security/master-keys';
import { workerMemoryPlanOf } from '../system/worker-memory';
import { BENCH_MASTER_KEYS, startBenchCase, startBenchWorkerProcess } from './case-system';
import { cpuPer, cpuShares, cpuSnapshot, rssMiB } from './cpu';
import { freePort } from '../system/ports';
import { BENCH_SERVERS, SERVER_NAMES, startBenchTemporal, type BenchServer, type BenchTemporal } from './temporal';
import { sampleMetrics } from './server-metrics';
import { workerTaskFigures } from './worker-metrics';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const DUE_SECONDS = Number(process.env.BENCH_DUE ?? 100);
const CONCURRENCY = 16;
/** Cases opened before the measured ones and left asleep (BENCH_OPEN). */
const OPEN = Number(process.env.BENCH_OPEN ?? 0);
/** The worker's cache and heap limit, as WORKER_MEMORY_MB and WORKFLOW_CACHE_SIZE in the bench's environment make them. */
const MEMORY = workerMemoryPlanOf(process.env);
const memorySettings = `workflow cache ${MEMORY.maxCachedWorkflows.toLocaleString('en')}${MEMORY.heapMb ? `, heap limit ${MEMORY.heapMb} MiB (WORKER_MEMORY_MB ${process.env.WORKER_MEMORY_MB})` : ''}`;
const DAY_SECONDS = 24 * 3600;
const SMALL = 1_000;
/** BENCH_SKIP_SMALL=1: only the BENCH_CASES run, not the 1,000 before it (a shorter experiment). */
const SKIP_SMALL = process.env.BENCH_SKIP_SMALL === '1';
/** BENCH_RESTART=S: the server down for S seconds once the measured cases are open (0: no restart). */
const RESTART_SECONDS = Number(process.env.BENCH_RESTART ?? 0);

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

interface Run {
  cases: number;
  startRate: number;
  delayP50: number;
  delayP99: number;
  /** p99 of the steps taken once every case was open. */
  openP99: number;
  workerRss: number;
  serverRss: number;
  history: number;
}

/** The size of each database on the bench's PostgreSQL (the product's and, on the real server, Temporal's two), per open case. */
async function storageFigures(sql: Sql, openCases: number): Promise<string> {
  const rows = await sql<{ name: string; bytes: string }[]>`
    select datname as name, pg_database_size(datname)::text as bytes from pg_database where not datistemplate and datname <> 'postgres' order by pg_database_size(datname) desc`;
  const total = rows.reduce((n, r) => n + Number(r.bytes), 0);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  return `PostgreSQL: ${rows.map((r) => `${r.name} ${mib(Number(r.bytes))}`).join(', ')}; ${mib(total)} in all, ${(total / 1024 / openCases).toFixed(1)} KiB per open case`;
}

/** Opens `count` cases as fast as the system takes them, their deadlines a day away: the caseload the measured cases run beside. */
async function openAsleep(sql: Sql, client: Client, taskQueue: string, count: number): Promise<void> {
  const { province, staff } = await benchProvince(sql, DAY_SECONDS);
  const t0 = performance.now();
  let next = 0;
  let opened = 0;
  await Promise.all(
    Array.from({ length: 2 * CONCURRENCY }, async () => {
      while (next < count) {
        const n = next++;
        await startBenchCase(client, { taskQueue, province, reportedBy: staff.worker, fullName: `Ngủ ${n}` });
        if (++opened % 1000 === 0) {
          const seconds = (performance.now() - t0) / 1000;
          process.stdout.write(`\r  opened ${opened.toLocaleString('en')} / ${count.toLocaleString('en')} asleep (${(opened / seconds).toFixed(1)}/s)`);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write('\n');
  console.log(
    `  ${count.toLocaleString('en')} cases open and asleep (deadlines a day away) in ${seconds.toFixed(0)} s: ${(count / seconds).toFixed(1)} starts/s`,
  );
}

/** A province with one unit, its three people, and a policy whose assessment is due in `dueSeconds`. */
export async function benchProvince(sql: Sql, dueSeconds = DUE_SECONDS) {
  const province = `bench-${randomUUID().slice(0, 8)}`;
  await sql`insert into provinces (code, name) values (${province}, 'Benchmark')`;
  const unit = randomUUID();
  await sql`insert into units (id, province, name, is_default) values (${unit}, ${province}, 'Bench', true)`;
  const staff = { worker: randomUUID(), supervisor: randomUUID(), manager: randomUUID() };
  for (const [role, id] of [
    ['social_worker', staff.worker],
    ['supervisor', staff.supervisor],
    ['manager', staff.manager],
  ] as const) {
    await sql`insert into staff (id, province, username, display_name, role, unit_id, password_hash) values (${id}, ${province}, ${`${role}.${province}`}, ${role}, ${role}, ${role === 'manager' ? null : unit}, 'x')`;
  }
  await sql`update units set supervisor_id = ${staff.supervisor}, on_call_worker_id = ${staff.worker} where id = ${unit}`;
  const policy = loadDefaultDeadlinePolicy();
  policy.rules = policy.rules.map((r) => (r.step === 'assessment' ? { ...r, due: `PT${dueSeconds}S`, supervisorGrace: 'PT2S', managerGrace: 'PT4S' } : r));
  await ensureFirstVersion(sql, province, 'deadlines', loadDefaultDeadlinePolicy());
  const line = { province, kind: 'deadlines' as const };
  const draft = await createDraft(sql, line, { document: policy, author: { id: staff.manager, name: 'bench' }, comment: 'bench' });
  await publishDraft(sql, line, draft.version, 'bench', () => {});
  return { province, staff };
}

export async function benchLifecycle(sql: Sql, dir: string, databaseUrl: string) {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already
  }
  const sizes = CASES > SMALL && !SKIP_SMALL ? [SMALL, CASES] : [CASES];
  for (const server of BENCH_SERVERS) {
    const runs: Run[] = [];
    for (const cases of sizes) runs.push(await runOn(server, cases, sql, dir, databaseUrl));
    if (runs.length === 2) {
      const [small, large] = runs as [Run, Run];
      const perThousand = (a: number, b: number) => (b - a) / ((large.cases - small.cases) / 1_000);
      const rssGrowth = perThousand(small.workerRss, large.workerRss);
      console.log(
        `  growth ${small.cases.toLocaleString('en')} → ${large.cases.toLocaleString('en')} open cases: worker RSS ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} MiB per 1,000, ` +
          `escalation p99 ${small.delayP99.toFixed(2)} → ${large.delayP99.toFixed(2)} s (all open: ${small.openP99.toFixed(2)} → ${large.openP99.toFixed(2)} s), history ${small.history.toFixed(0)} → ${large.history.toFixed(0)} events per case`,
      );
      console.log(
        `  projection to 100,000 open cases if the growth stays linear: worker RSS about ${(large.workerRss + rssGrowth * ((100_000 - large.cases) / 1_000)).toFixed(0)} MiB ` +
          `(${memorySettings}), history ${large.history.toFixed(0)} events per case`,
      );
    }
  }
}

async function runOn(server: BenchServer, cases: number, sql: Sql, dir: string, databaseUrl: string): Promise<Run> {
  console.log(
    `\ncase lifecycle on ${SERVER_NAMES[server]}: ${cases.toLocaleString('en')} open cases, at most ${RATE} starts/s, assessment due ${DUE_SECONDS} s after each start, the worker a process of its own` +
      (OPEN > 0 ? `, beside ${OPEN.toLocaleString('en')} cases opened first and asleep` : ''),
  );
  const { province, staff } = await benchProvince(sql);
  const temporal = await startBenchTemporal(server, dir, `lifecycle-${server}-${cases}`, databaseUrl);
  const taskQueue = `bench-lifecycle-${randomUUID().slice(0, 8)}`;
  const metricsPort = await freePort();
  const worker = await startBenchWorkerProcess(dir, databaseUrl, temporal.address, taskQueue, metricsPort);
  const masterKeys = parseMasterKeys(BENCH_MASTER_KEYS);
  const codec = new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: clientDataConverter(codec) });
  let workerRss = 0;
  let workerRssNow = 0;
  let serverRss = 0;
  const sampler = setInterval(() => {
    if (worker.pid) workerRssNow = rssMiB(worker.pid);
    workerRss = Math.max(workerRss, workerRssNow);
    if (temporal.pid) serverRss = Math.max(serverRss, rssMiB(temporal.pid));
  }, 250);
  const parts = () => ({ temporal: temporal.pid, worker: worker.pid, 'bench client': process.pid });
  // The server's metrics (the real server's endpoint) and the worker's, sampled over the run (issue 33).
  const ids: string[] = [];
  let escalated = 0;
  const counting = setInterval(() => {
    void sql<{ count: number }[]>`select count(*)::int as count from escalations where province = ${province}`.then(
      ([row]) => (escalated = row?.count ?? escalated),
      () => {},
    );
  }, 2_000);
  const metrics = sampleMetrics({
    serverUrl: temporal.metricsUrl,
    workerUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    context: () => ({ open: ids.length, escalations: escalated, workerRssMiB: Math.round(workerRssNow) }),
  });

  try {
    if (OPEN > 0) await openAsleep(sql, client, taskQueue, OPEN);
    let started = 0;
    let failed = 0;
    const latencies: number[] = [];
    const cpuBefore = cpuSnapshot(parts());
    const t0 = performance.now();
    const next = async () => {
      for (;;) {
        const n = started++;
        if (n >= cases) return;
        // Bounded rate: case n may not start before n / RATE seconds.
        const wait = t0 + (n / RATE) * 1000 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t = performance.now();
        try {
          const caseId = await startBenchCase(client, { taskQueue, province, reportedBy: staff.worker, fullName: `Bench ${n}` });
          latencies.push(performance.now() - t);
          ids.push(caseId);
        } catch {
          failed += 1;
        }
        if (ids.length % 250 === 0) process.stdout.write(`\r  started ${ids.length.toLocaleString('en')} / ${cases.toLocaleString('en')}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, next));
    const allOpen = new Date();
    const startSeconds = (performance.now() - t0) / 1000;
    process.stdout.write('\n');
    latencies.sort((a, b) => a - b);
    console.log(
      `  started ${ids.length.toLocaleString('en')} cases in ${startSeconds.toFixed(1)} s: ${(ids.length / startSeconds).toFixed(1)} cases/s (${failed} failed); create call p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    );

    const restart = RESTART_SECONDS > 0 ? await restartServer(temporal, RESTART_SECONDS) : undefined;

    // Wait for both ladder steps of every case.
    const expected = ids.length * 2;
    const until = Date.now() + 20 * 60_000;
    let count = 0;
    while (Date.now() < until) {
      [{ count = 0 } = { count: 0 }] = await sql<{ count: number }[]>`select count(*)::int as count from escalations where province = ${province}`;
      process.stdout.write(`\r  escalations ${count.toLocaleString('en')} / ${expected.toLocaleString('en')}`);
      if (count >= expected) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    process.stdout.write('\n');
    const cpuAfter = cpuSnapshot(parts());
    const cpu = cpuShares(cpuBefore, cpuAfter, (performance.now() - t0) / 1000);
    // Per measured case (its start and its two ladder steps): how the cost of a case grows with the caseload asleep beside it.
    const cpuPerCase = cpuPer(cpuBefore, cpuAfter, ids.length, 'case (a start and two ladder steps)');
    const rows = await sql<{ delay_ms: number; opened_at: Date }[]>`
      select extract(epoch from (opened_at - (due_at + case level when 'supervisor' then interval '2 seconds' else interval '4 seconds' end))) * 1000 as delay_ms, opened_at
      from escalations where province = ${province} order by opened_at`;
    const delays = rows.map((r) => Number(r.delay_ms)).sort((a, b) => a - b);
    const whenAllOpen = rows
      .filter((r) => r.opened_at >= allOpen)
      .map((r) => Number(r.delay_ms))
      .sort((a, b) => a - b);
    if (restart) console.log(`  ${restartFigures(rows, restart)}`);
    const span = rows.length > 1 ? (rows.at(-1)!.opened_at.getTime() - rows[0]!.opened_at.getTime()) / 1000 : 0;
    console.log(
      `  ${rows.length.toLocaleString('en')} escalations (expected ${expected.toLocaleString('en')}), ${span > 0 ? (rows.length / span).toFixed(1) : '–'} escalations/s`,
    );
    const run: Run = {
      cases,
      startRate: ids.length / startSeconds,
      delayP50: percentile(delays, 50) / 1000,
      delayP99: percentile(delays, 99) / 1000,
      openP99: percentile(whenAllOpen, 99) / 1000,
      workerRss,
      serverRss,
      history: 0,
    };
    const mark = (seconds: number) => (seconds <= 2 ? '✓' : '✗ over 2 s');
    console.log(
      `  delay from a ladder step's time to its escalation: p50 ${run.delayP50.toFixed(2)} s, p99 ${run.delayP99.toFixed(2)} s ${mark(run.delayP99)}`,
    );
    console.log(
      whenAllOpen.length
        ? `  with all ${ids.length.toLocaleString('en')} cases open (${whenAllOpen.length.toLocaleString('en')} steps): p50 ${(percentile(whenAllOpen, 50) / 1000).toFixed(2)} s, p99 ${run.openP99.toFixed(2)} s ${mark(run.openP99)}`
        : `  no ladder step came after the last start (BENCH_DUE shorter than the start phase)`,
    );
    const sample = ids.slice(0, 20);
    const lengths = await Promise.all(sample.map(async (id) => (await client.workflow.getHandle(id).describe()).historyLength));
    run.history = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    console.log(`  history: ${run.history.toFixed(0)} events per case (sample of ${sample.length}: intake, deadline, 2 ladder steps)`);
    console.log(
      `  worker process: peak RSS ${workerRss.toFixed(0)} MiB ${workerRss <= 1024 ? '✓' : '✗ over 1 GiB'} with ${ids.length.toLocaleString('en')} open cases (${memorySettings}); Temporal server peak RSS ${serverRss.toFixed(0)} MiB`,
    );
    // A restarted server's CPU is its second process's alone: not comparable, so not printed.
    if (!restart) console.log(`  CPU over the run: ${cpu}; ${cpuPerCase}`);
    console.log(`  ${await storageFigures(sql, OPEN + ids.length)}`);
    console.log(`  the worker's view: ${await workerTaskFigures(`http://127.0.0.1:${metricsPort}/metrics`)}`);
    await metrics.stop();
    console.log(`  over the run, every ${process.env.BENCH_METRICS_EVERY ?? 10} s:\n${metrics.report()}`);
    return run;
  } finally {
    clearInterval(sampler);
    clearInterval(counting);
    await metrics.stop();
    await worker.stop();
    await connection.close();
    await temporal.stop();
  }
}

interface Restart {
  stoppedAt: number;
  backAt: number;
}

async function restartServer(temporal: BenchTemporal, downSeconds: number): Promise<Restart> {
  const stoppedAt = Date.now();
  console.log(`  stopping the server for ${downSeconds} s, then starting it on the same store`);
  await temporal.restart(downSeconds * 1000);
  const backAt = Date.now();
  console.log(`  the server answers again ${((backAt - stoppedAt) / 1000).toFixed(1)} s after it was stopped`);
  return { stoppedAt, backAt };
}

/** The steps that fell due while the server was away, and those after it came back. */
function restartFigures(rows: { delay_ms: number; opened_at: Date }[], r: Restart): string {
  const steps = rows.map((row) => ({ delay: Number(row.delay_ms), opened: row.opened_at.getTime(), due: row.opened_at.getTime() - Number(row.delay_ms) }));
  const away = steps.filter((s) => s.due >= r.stoppedAt && s.due < r.backAt);
  const after = steps.filter((s) => s.due >= r.backAt);
  const afterDelays = after.map((s) => s.delay).sort((a, b) => a - b);
  // When the ladder was on time again: the first step due after the server came back from which every later one took under 2 s.
  const late = after.filter((s) => s.delay > 2000);
  const lastLate = late.length ? Math.max(...late.map((s) => s.due)) : undefined;
  const caughtUp = away.length ? (Math.max(...away.map((s) => s.opened)) - r.backAt) / 1000 : 0;
  return [
    `${away.length} steps fell due while the server was away; the last of them escalated ${caughtUp.toFixed(1)} s after it answered again (longest wait ${(Math.max(0, ...away.map((s) => s.delay)) / 1000).toFixed(1)} s)`,
    `${after.length} due after it came back: p50 ${(percentile(afterDelays, 50) / 1000).toFixed(2)} s, p99 ${(percentile(afterDelays, 99) / 1000).toFixed(2)} s` +
      (lastLate === undefined ? ', every one within 2 s' : `; on time (under 2 s) from ${((lastLate - r.backAt) / 1000).toFixed(1)} s after it came back`),
  ].join('\n  ');
}
