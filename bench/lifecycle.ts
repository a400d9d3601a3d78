// Case lifecycle benchmark against the Temporal dev server: start N cases at a bounded rate
// with a deadline policy of seconds, and measure starts per second, escalations per second,
// the delay between a deadline and its escalation, worker memory and history per case.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Sql } from '../db/connect';
import { createDraft, ensureFirstVersion, publishDraft } from '../db/policies';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { parseMasterKeys } from '../security/master-keys';
import { createCaseWorker } from '../system/case-worker';
import { referralLinks } from '../security/referral-links';
import { freePort } from '../system/ports';
import { startTemporalDevServer } from '../system/temporal-dev-server';
import { ensureTools } from '../system/tools';
import { intake } from '../test/support/intakes';
import { caseWorkflow, routedUpdate } from '../workflows/case';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 40);
const CONCURRENCY = 16;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

export async function benchLifecycle(sql: Sql, dir: string) {
  console.log(`\ncase lifecycle on the Temporal dev server: ${CASES.toLocaleString('en')} cases, at most ${RATE} starts/s`);
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already
  }
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
  // Every first step due in 5 s, the supervisor after 2 more, the managers after 4.
  const policy = loadDefaultDeadlinePolicy();
  policy.rules = policy.rules.map((r) => (r.step === 'assessment' ? { ...r, due: 'PT5S', supervisorGrace: 'PT2S', managerGrace: 'PT4S' } : r));
  await ensureFirstVersion(sql, province, 'deadlines', loadDefaultDeadlinePolicy());
  const line = { province, kind: 'deadlines' as const };
  const draft = await createDraft(sql, line, { document: policy, author: { id: staff.manager, name: 'bench' }, comment: 'bench' });
  await publishDraft(sql, line, draft.version, 'bench', () => {});

  const temporal = await startTemporalDevServer({
    cliPath: ensureTools(['cli']).cli,
    dbFile: join(dir, 'temporal.sqlite'),
    logFile: join(dir, 'temporal.log'),
    port: await freePort(),
  });
  const masterKeys = parseMasterKeys(`bench:${Buffer.alloc(32, 3).toString('base64')}`);
  const codec = new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys);
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const taskQueue = 'bench';
  const worker = await createCaseWorker({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    sql,
    codec,
    referralLinks: referralLinks('bench', 'http://127.0.0.1'),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: clientDataConverter(codec) });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

  try {
    const ids: string[] = [];
    let started = 0;
    let failed = 0;
    const latencies: number[] = [];
    const t0 = performance.now();
    const next = async () => {
      for (;;) {
        const n = started++;
        if (n >= CASES) return;
        // Bounded rate: case n may not start before n / RATE seconds.
        const wait = t0 + (n / RATE) * 1000 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const caseId = randomUUID();
        const t = performance.now();
        try {
          await client.workflow.executeUpdateWithStart(routedUpdate, {
            startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
              workflowId: caseId,
              taskQueue,
              args: [
                { caseId, province, reportedBy: staff.worker, intake: intake({ client: { fullName: `Bench ${n}` } }), receivedAt: new Date().toISOString() },
              ],
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          });
          latencies.push(performance.now() - t);
          ids.push(caseId);
        } catch {
          failed += 1;
        }
        if (ids.length % 250 === 0) process.stdout.write(`\r  started ${ids.length.toLocaleString('en')} / ${CASES.toLocaleString('en')}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, next));
    const startSeconds = (performance.now() - t0) / 1000;
    process.stdout.write('\n');
    latencies.sort((a, b) => a - b);
    console.log(
      `  started ${ids.length.toLocaleString('en')} cases in ${startSeconds.toFixed(1)} s: ${(ids.length / startSeconds).toFixed(1)} cases/s (${failed} failed); create call p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    );

    // Wait for both ladder steps of every case.
    const expected = ids.length * 2;
    const until = Date.now() + 15 * 60_000;
    let count = 0;
    while (Date.now() < until) {
      [{ count = 0 } = { count: 0 }] = await sql<{ count: number }[]>`select count(*)::int as count from escalations where province = ${province}`;
      process.stdout.write(`\r  escalations ${count.toLocaleString('en')} / ${expected.toLocaleString('en')}`);
      if (count >= expected) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    process.stdout.write('\n');
    const rows = await sql<{ delay_ms: number; opened_at: Date }[]>`
      select extract(epoch from (opened_at - (due_at + case level when 'supervisor' then interval '2 seconds' else interval '4 seconds' end))) * 1000 as delay_ms, opened_at
      from escalations where province = ${province} order by opened_at`;
    const delays = rows.map((r) => Number(r.delay_ms)).sort((a, b) => a - b);
    const span = rows.length > 1 ? (rows.at(-1)!.opened_at.getTime() - rows[0]!.opened_at.getTime()) / 1000 : 0;
    console.log(
      `  ${rows.length.toLocaleString('en')} escalations (expected ${expected.toLocaleString('en')}), ${span > 0 ? (rows.length / span).toFixed(1) : '–'} escalations/s`,
    );
    console.log(
      `  delay from deadline to escalation: p50 ${(percentile(delays, 50) / 1000).toFixed(2)} s, p99 ${(percentile(delays, 99) / 1000).toFixed(2)} s`,
    );
    const sample = ids.slice(0, 20);
    const lengths = await Promise.all(sample.map(async (id) => (await client.workflow.getHandle(id).describe()).historyLength));
    console.log(
      `  history: ${(lengths.reduce((a, b) => a + b, 0) / lengths.length).toFixed(0)} events per case (sample of ${sample.length}: routing, deadline, 3 ladder steps)`,
    );
    console.log(`  process memory (worker, client and bench in one process): peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    worker.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();
    await temporal.stop();
  }
}
