// `npm run cluster-smoke` (the end of `npm test`): the product as `npm run cluster` runs it — the real
// Temporal server on PostgreSQL, two worker processes and two API processes — booted from nothing,
// then: an intake routed, its deadline passing and escalating to the supervisor; intakes streaming
// in from clients that repeat each with its Idempotency-Key, one worker and one API process killed
// with -9 under them, the case going on with the others (an action taken, its next deadline
// escalating in turn), both killed processes back by themselves, and the count: every acknowledged
// intake in PostgreSQL and in Temporal, none doubled, the audit chain intact. Then a
// backup of the running cluster (`npm run backup`: Temporal's two databases and the product's),
// restored with `npm run restore -- --cluster` into a new folder, and a cluster started on it: the
// same number of cases, every case's workflow found in the restored server, and one of them taking
// an action. The server is built from its Go module the first time (minutes) and reused afterwards.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { databaseCounts } from '../db/backup';
import { escalationCounts } from '../db/metrics';
import { connectDatabase } from '../db/connect';
import type { DeadlinePolicy } from '../domain/deadlines';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { DEMO_PASSWORD } from './demo-directory';
import { casesNow, countHolds, countIntakes, printIntakeCount, startIntakeTraffic } from './intake-traffic';
import { freePort } from './ports';
import { ensureTemporalServer } from './temporal-cluster';
import { startThrowawaySystem, type ThrowawaySystem } from './throwaway-system';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string) => console.log(`[cluster-smoke] ${line}`);
const LIMIT_MS = 90_000;
/** Intakes under way before the kills, and after the killed processes are back. */
const TRAFFIC_MS = 4_000;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Assessment and planning due in seconds, the supervisor told two seconds later. */
function secondsPolicy(): DeadlinePolicy {
  const policy = loadDefaultDeadlinePolicy();
  const fast = { due: 'PT3S', supervisorGrace: 'PT2S', managerGrace: 'PT1H' };
  return { holidays: policy.holidays, rules: policy.rules.map((r) => (r.step === 'assessment' || r.step === 'planning' ? { ...r, ...fast } : r)) };
}

async function call(system: ThrowawaySystem, token: string | undefined, method: string, path: string, body?: unknown) {
  const res = await fetch(`${system.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(40_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

/** Runs `npm run backup` or `npm run restore` (node --import tsx system/<name>.ts, as the package's scripts do) with this environment. */
async function script(name: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, `system/${name}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', AUDIT_HEAD_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run ${name} exited with ${code}:\n${output}`);
  // Its own progress lines, but one per table would drown the smoke's.
  for (const line of output.trim().split('\n')) if (!/^\[\w+\] {3}(table|Temporal database)/.test(line)) say(`  ${line}`);
  return { output, ms: Date.now() - started };
}

/** Waits for `check` to answer something, or fails naming what did not happen (and the last error on the way). */
async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let lastError = '';
  for (;;) {
    // A request cut off by a killed API replica is asked again, as any client would.
    const value = await check().catch((err: unknown) => void (lastError = err instanceof Error ? err.message : String(err)));
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > LIMIT_MS) throw new Error(`${what}: not within ${LIMIT_MS / 1000} s${lastError ? ` (last error: ${lastError})` : ''}`);
    await sleep(250);
  }
}

async function main() {
  ensureTemporalServer(say);
  say('starting the system in cluster mode (the real Temporal server, PostgreSQL persistence, 2 workers, 2 API processes)…');
  const booted = Date.now();
  const system = await startThrowawaySystem({
    name: 'cluster-smoke',
    args: ['--cluster'],
    env: { WORKERS: '2', API_REPLICAS: '2', WRITE_RATE_LIMIT_PER_MINUTE: '1000000' },
    readyTimeoutMs: 300_000,
    say,
  });
  let ok = false;
  let backups: string | undefined;
  let restoredDir: string | undefined;
  let restored: ThrowawaySystem | undefined;
  try {
    say(`ready in ${((Date.now() - booted) / 1000).toFixed(1)} s`);
    const login = async (on: ThrowawaySystem, username: string) =>
      (await call(on, undefined, 'POST', '/auth/login', { username, password: DEMO_PASSWORD })).body.token as string;
    const [manager, worker] = [await login(system, 'manager1'), await login(system, 'worker1')];
    const draft = await call(system, manager, 'POST', '/policies/deadlines/drafts', { document: secondsPolicy(), comment: 'cluster smoke: seconds' });
    const published = await call(system, manager, 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'cluster smoke' });
    if (published.status !== 200) throw new Error(`publishing the policy answered ${published.status}: ${JSON.stringify(published.body)}`);

    const admit = async (fullName: string) => {
      const created = await call(system, worker, 'POST', '/cases', {
        channel: 'hotline',
        client: { fullName, age: 78, gender: 'male', location: { province: 'Quảng Ninh', commune: 'Hạ Long' } },
        categories: ['older_person_alone'],
        concerns: { livesAlone: true },
        summary: 'Cụ ở một mình, cần đánh giá',
      });
      if (created.status !== 201) throw new Error(`POST /cases answered ${created.status}: ${JSON.stringify(created.body)}`);
      return created.body;
    };
    const created = await admit('Người thử cụm');
    const id = created.id as string;
    say(`intake routed: ${created.ref}, ${created.risk.path} path, stage ${created.stage}`);
    // Two more for the backup below, admitted now so their deadlines have passed (and the system stands still) by then.
    const others = [(await admit('Người thử sao lưu một')).id as string, (await admit('Người thử sao lưu hai')).id as string];

    const escalated = (step: string) => async () => {
      const items = (await call(system, manager, 'GET', `/escalations?caseId=${id}`)).body.items as Array<{ level: string; step: string }> | undefined;
      return items?.find((e) => e.level === 'supervisor' && e.step === step);
    };
    const first = await until('the assessment deadline escalating to the supervisor', escalated('assessment'));
    say(`assessment deadline passed and escalated to the supervisor ${(first.ms / 1000).toFixed(1)} s after the intake answered`);

    // Intakes keep coming from clients that repeat each with its Idempotency-Key until acknowledged;
    // then one worker and one API process are killed with -9 at once, under that load.
    const otherCases = await casesNow(system);
    const traffic = startIntakeTraffic(system, worker, { clients: 3, giveUpMs: 30_000, name: 'cluster-smoke' });
    await sleep(TRAFFIC_MS);
    const { workers, apis } = system.pids();
    if (workers.length !== 2) throw new Error(`expected 2 worker processes, found ${workers.length}`);
    if (apis.length !== 2) throw new Error(`expected 2 API processes, found ${apis.length}`);
    const killedAt = Date.now();
    const acknowledgedBefore = traffic.acknowledged.size;
    process.kill(workers[0]!, 'SIGKILL');
    process.kill(apis[0]!, 'SIGKILL');
    say(
      `under load (${acknowledgedBefore} intakes acknowledged so far): killed worker 1 (pid ${workers[0]}) and API 1 (pid ${apis[0]}) with -9; worker 2 and API 2 carry on`,
    );
    const acted = Date.now();
    const assessed = await until('the assessment recorded after the kill', async () => {
      const res = await call(system, worker, 'POST', `/cases/${id}/assessment`, { summary: 'Đánh giá sau khi một worker dừng', needs: ['Chăm sóc tại nhà'] });
      return res.status === 200 ? res.body : undefined;
    });
    say(`assessment recorded ${((Date.now() - acted) / 1000).toFixed(1)} s after the kill: stage ${assessed.value.stage}`);
    const second = await until('the planning deadline escalating after the kill', escalated('planning'));
    say(`planning deadline escalated too, ${(second.ms / 1000).toFixed(1)} s after the assessment`);
    const replaced = await until('the killed worker and API process started again', async () => {
      const now = system.pids();
      return now.workers.length === 2 && now.apis.length === 2 && !now.workers.includes(workers[0]!) && !now.apis.includes(apis[0]!) ? now : undefined;
    });
    say(`both started again by the supervisor within ${seconds(Date.now() - killedAt)}`);
    await sleep(TRAFFIC_MS);
    await traffic.stop();
    const afterKill = [...traffic.acknowledged.values()].filter((a) => a.sentAt > killedAt).length;
    const count = await countIntakes(system, traffic, otherCases);
    console.log('');
    printIntakeCount(count);
    console.log(
      `  sent after the kills      ${afterKill} acknowledged; requests cut off or refused on the way: ${traffic.answers.filter((a) => a.status === 0 || a.status >= 500).length}`,
    );
    console.log('');
    if (!countHolds(count)) throw new Error('intakes were lost or doubled, or the audit chain is broken, after the kills');
    if (afterKill === 0) throw new Error('no intake sent after the kills was acknowledged');
    say(`nothing lost or doubled across the kills; now worker pids ${replaced.value.workers.join(', ')}, API pids ${replaced.value.apis.join(', ')}`);
    // One metrics endpoint for both API processes: what they count summed, what they read from PostgreSQL given once.
    // Escalations may still be opening: PostgreSQL's count read before and after the scrape brackets it.
    const metricsDb = connectDatabase(system.databaseUrl, { max: 1 });
    const supervisorEscalations = async () => (await escalationCounts(metricsDb)).find((r) => r.level === 'supervisor')?.total ?? 0;
    const heldBefore = await supervisorEscalations();
    const metrics = await (await fetch(system.metricsUrl, { signal: AbortSignal.timeout(10_000) })).text();
    const heldAfter = await supervisorEscalations().finally(() => metricsDb.end());
    const escalationsShown = Number(/^caseflow_escalations\{level="supervisor",state="all"\} (\d+)/m.exec(metrics)?.[1] ?? NaN);
    const intakesCounted = [...metrics.matchAll(/^caseflow_intakes_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    if (!(escalationsShown >= heldBefore && escalationsShown <= heldAfter)) {
      throw new Error(
        `the metrics show ${escalationsShown} supervisor escalations, PostgreSQL held ${heldBefore}–${heldAfter}: read once per replica and summed?`,
      );
    }
    if (intakesCounted === 0) throw new Error('the metrics endpoint counts no intake from either API process');
    say(
      `metrics of both API processes on one endpoint: ${intakesCounted} intakes counted since they started, ${escalationsShown} supervisor escalations (PostgreSQL: ${heldBefore}–${heldAfter})`,
    );

    // The intakes' own assessment deadlines fall due seconds after them: the backup is taken once
    // they have escalated and nothing moves (a backup beside a busy system is taken again and again).
    const db = connectDatabase(system.databaseUrl, { max: 1 });
    let previous = -1;
    const still = await until('the system standing still after the intakes', async () => {
      const events = (await databaseCounts(db)).caseEvents;
      const same = events === previous;
      previous = events;
      if (!same) await sleep(2_750);
      return same ? events : undefined;
    }).finally(() => db.end());
    say(`the system stands still (${still.value} case events) ${seconds(still.ms)} after the intakes stopped`);

    const backupStep = Date.now();
    backups = mkdtempSync(join(tmpdir(), 'case-flow-cluster-backups-'));
    const backupKey = randomBytes(32).toString('base64');
    say('npm run backup beside the running cluster…');
    const backup = await script('backup', ['--to', backups], {
      DATA_DIR: system.dataDir,
      EMBEDDED_PG_PORT: new URL(system.databaseUrl).port,
      BACKUP_KEY: backupKey,
    });
    const archive = join(
      backups,
      readdirSync(backups).find((f) => f.endsWith('.cfbackup'))!,
    );
    say(`backup: ${(statSync(archive).size / 1024).toFixed(1)} KiB in ${seconds(backup.ms)}`);
    // Every case, the intakes under load among them, page by page.
    const listed: Array<{ id: string; stage: string }> = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page = await call(system, manager, 'GET', `/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      listed.push(...(page.body.items as Array<{ id: string; stage: string }>));
      cursor = page.body.nextCursor as string | null;
    }
    const before = connectDatabase(system.databaseUrl, { max: 1 });
    const counted = await databaseCounts(before).finally(() => before.end());
    if (listed.length !== counted.cases) throw new Error(`GET /cases lists ${listed.length} case(s), the database holds ${counted.cases}`);
    // The restored cluster runs alone, as on a new machine.
    await system.stop();

    restoredDir = mkdtempSync(join(tmpdir(), 'case-flow-cluster-restored-'));
    chmodSync(restoredDir, 0o755);
    say(`npm run restore -- --cluster into ${restoredDir}…`);
    const restore = await script('restore', [archive, '--cluster'], {
      DATA_DIR: restoredDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      BACKUP_KEY: backupKey,
    });
    say(`restore: ${seconds(restore.ms)}`);
    const booting = Date.now();
    restored = await startThrowawaySystem({ name: 'cluster-restored', dataDir: restoredDir, args: ['--cluster'], env: { WORKERS: '1' }, say });
    say(`the restored cluster is ready in ${seconds(Date.now() - booting)}`);
    const after = connectDatabase(restored.databaseUrl, { max: 1 });
    const recounted = await databaseCounts(after).finally(() => after.end());
    if (recounted.cases !== counted.cases) throw new Error(`the restored system holds ${recounted.cases} case(s), the original ${counted.cases}`);
    const connection = await Connection.connect({ address: restored.temporalAddress });
    try {
      const client = new Client({ connection, namespace: 'default' });
      for (const c of listed) {
        const status = (await client.workflow.getHandle(c.id).describe()).status.name;
        if (status !== 'RUNNING') throw new Error(`case ${c.id} (${c.stage}): its workflow is ${status} in the restored cluster`);
      }
    } finally {
      await connection.close();
    }
    say(`${recounted.cases} case(s) in both; each case's workflow found running in the restored cluster`);
    const restoredWorker = await login(restored, 'worker1');
    const acting = Date.now();
    const moved = await until('an action on a restored case', async () => {
      const res = await call(restored!, restoredWorker, 'POST', `/cases/${others[0]}/assessment`, {
        summary: 'Đánh giá sau khôi phục',
        needs: ['Chăm sóc tại nhà'],
      });
      return res.status === 200 ? res.body : undefined;
    });
    say(`a restored case took an action in ${seconds(Date.now() - acting)}: stage ${moved.value.stage}`);
    say(`backup, restore and the restored cluster checked in ${seconds(Date.now() - backupStep)}`);
    ok = true;
  } finally {
    await system.stop();
    await restored?.stop();
    if (ok) {
      system.discard();
      restored?.discard();
      if (backups) rmSync(backups, { recursive: true, force: true });
    } else {
      say(`kept the folders for a look: ${[system.dataDir, restoredDir, backups].filter(Boolean).join(', ')}`);
    }
  }
  say('the cluster boots, routes, escalates, survives a worker and an API process killed with -9 under load, and comes back from its backup');
}

main().catch((err: unknown) => {
  console.error(`[cluster-smoke] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
