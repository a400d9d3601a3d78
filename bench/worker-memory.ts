// What a cached case workflow costs the worker in memory, and what a case not cached costs it in
// time when it wakes (issue 33, WORKER_MEMORY_MB). On the dev server (the cost is the worker's,
// whatever the server): for each cache size C of BENCH_MEMORY_CACHES (default 500,1500,3000) a
// fresh worker process with WORKFLOW_CACHE_SIZE=C, C cases started (their deadlines days away, so
// they only sleep), the worker's resident memory once its cache holds them; the slope over the
// sizes is the memory of one cached case, the intercept the worker's own. Then the worker is
// restarted with an empty cache and BENCH_MEMORY_QUERIES cases (default 200) are asked their state
// one at a time: each answer is a cache miss (the history fetched and replayed); asked again, each
// is a hit. The worker's CPU is measured over each round.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Sql } from '../db/connect';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { parseMasterKeys } from '../security/master-keys';
import { freePort } from '../system/ports';
import { stateQuery } from '../workflows/case';
import { BENCH_MASTER_KEYS, startBenchCase, startBenchWorkerProcess } from './case-system';
import { cpuSnapshot, rssMiB } from './cpu';
import { benchProvince } from './lifecycle';
import { startBenchTemporal } from './temporal';

const CACHES = (process.env.BENCH_MEMORY_CACHES ?? '500,1500,3000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_MEMORY_QUERIES ?? 200);
const CONCURRENCY = 16;
const DAY_SECONDS = 24 * 3600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Least squares: memory = base + perCase × cached. */
function fit(points: Array<[number, number]>): { base: number; perCase: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const perCase = sxx > 0 ? sxy / sxx : 0;
  return { base: my - perCase * mx, perCase };
}

export async function benchWorkerMemory(sql: Sql, dir: string, databaseUrl: string) {
  console.log(`\nworker memory per cached case, and the cost of a cache miss (dev server; cache sizes ${CACHES.join(', ')})`);
  const temporal = await startBenchTemporal('dev', dir, 'worker-memory', databaseUrl);
  const masterKeys = parseMasterKeys(BENCH_MASTER_KEYS);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: clientDataConverter(new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys)) });
  const { province, staff } = await benchProvince(sql, DAY_SECONDS);
  const points: Array<[number, number]> = [];
  let last: { taskQueue: string; ids: string[]; cache: number } | undefined;
  try {
    for (const cache of CACHES) {
      const taskQueue = `bench-memory-${randomUUID().slice(0, 8)}`;
      const metricsPort = await freePort();
      const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      const worker = await startBenchWorkerProcess(dir, databaseUrl, temporal.address, taskQueue, metricsPort, { WORKFLOW_CACHE_SIZE: String(cache) });
      const ids: string[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < cache) {
            const n = next++;
            const caseId = await startBenchCase(client, { taskQueue, province, reportedBy: staff.worker, fullName: `Bộ nhớ ${n}` });
            ids.push(caseId);
            if (ids.length % 250 === 0) process.stdout.write(`\r  cache ${cache}: started ${ids.length} / ${cache}`);
          }
        }),
      );
      const startedIn = (performance.now() - t0) / 1000;
      // Settled: the cache holds them, the last tasks have finished, the heap has had time to collect.
      for (let waited = 0; waited < 30_000 && (await metric(metricsUrl, 'temporal_sticky_cache_size')) < cache * 0.98; waited += 500) await sleep(500);
      await sleep(5_000);
      const cached = await metric(metricsUrl, 'temporal_sticky_cache_size');
      const samples: number[] = [];
      for (let i = 0; i < 10; i++, await sleep(500)) samples.push(rssMiB(worker.pid!));
      const rss = Math.min(...samples);
      points.push([cached, rss]);
      process.stdout.write('\n');
      console.log(
        `  cache ${cache}: ${ids.length} cases started in ${startedIn.toFixed(1)} s, ${cached} cached, worker RSS ${rss.toFixed(0)} MiB (lowest of 10 samples over 5 s)`,
      );
      await worker.stop();
      last = { taskQueue, ids, cache };
    }
    const { base, perCase } = fit(points);
    console.log(
      `  fit: worker RSS ≈ ${base.toFixed(0)} MiB + ${(perCase * 1024).toFixed(0)} KiB × cached cases (${points.map(([c, r]) => `${c} → ${r.toFixed(0)}`).join(', ')})`,
    );
    console.log(
      `  so 1 GiB holds about ${Math.floor((1024 - base) / perCase).toLocaleString('en')} cached cases; 768 MiB about ${Math.floor((768 - base) / perCase).toLocaleString('en')}`,
    );

    // The cost of a miss: a worker with an empty cache asked about cases it has never held.
    const { taskQueue, ids } = last!;
    const metricsPort = await freePort();
    const worker = await startBenchWorkerProcess(dir, databaseUrl, temporal.address, taskQueue, metricsPort, { WORKFLOW_CACHE_SIZE: String(QUERIES * 2) });
    const asked = ids.slice(0, QUERIES);
    const round = async () => {
      const before = cpuSnapshot({ worker: worker.pid });
      const times: number[] = [];
      for (const id of asked) {
        const t = performance.now();
        await client.workflow.getHandle(id).query(stateQuery);
        times.push(performance.now() - t);
      }
      const cpuMs = (cpuSnapshot({ worker: worker.pid }).worker! - before.worker!) * 1000;
      times.sort((a, b) => a - b);
      return { p50: percentile(times, 50), p99: percentile(times, 99), cpuPer: cpuMs / asked.length };
    };
    const miss = await round();
    const hit = await round();
    await worker.stop();
    console.log(
      `  cache miss (a case's history fetched and replayed to answer): p50 ${miss.p50.toFixed(1)} ms, p99 ${miss.p99.toFixed(1)} ms, worker CPU ${miss.cpuPer.toFixed(1)} ms each`,
    );
    console.log(
      `  cache hit (the same ${asked.length} cases asked again): p50 ${hit.p50.toFixed(1)} ms, p99 ${hit.p99.toFixed(1)} ms, worker CPU ${hit.cpuPer.toFixed(1)} ms each; a miss costs ${(miss.p50 / hit.p50).toFixed(1)}× the time and ${(miss.cpuPer / Math.max(0.01, hit.cpuPer)).toFixed(1)}× the CPU`,
    );
  } finally {
    await connection.close();
    await temporal.stop();
  }
}
