// `npm run cluster-smoke` (the end of `npm test`): the product as `npm run cluster` runs it — the real
// Temporal server on PostgreSQL and two worker processes — booted from nothing, then: an intake
// routed, its deadline passing and escalating to the supervisor, one worker killed with -9 and the
// case going on with the other (an action taken, its next deadline escalating in turn). The server
// is built from its Go module the first time (minutes) and reused afterwards.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeadlinePolicy } from '../domain/deadlines';
import { loadDefaultDeadlinePolicy } from '../rules/default-deadlines';
import { DEMO_PASSWORD } from './demo-directory';
import { ensureTemporalServer } from './temporal-cluster';
import { startThrowawaySystem, type ThrowawaySystem } from './throwaway-system';

const say = (line: string) => console.log(`[cluster-smoke] ${line}`);
const LIMIT_MS = 90_000;

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

/** Waits for `check` to answer something, or fails naming what did not happen. */
async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > LIMIT_MS) throw new Error(`${what}: not within ${LIMIT_MS / 1000} s`);
    await sleep(250);
  }
}

async function main() {
  ensureTemporalServer(say);
  say('starting the system in cluster mode (the real Temporal server, PostgreSQL persistence, 2 workers)…');
  const booted = Date.now();
  const system = await startThrowawaySystem({ name: 'cluster-smoke', args: ['--cluster'], env: { WORKERS: '2' }, readyTimeoutMs: 300_000, say });
  let ok = false;
  try {
    say(`ready in ${((Date.now() - booted) / 1000).toFixed(1)} s`);
    const login = async (username: string) =>
      (await call(system, undefined, 'POST', '/auth/login', { username, password: DEMO_PASSWORD })).body.token as string;
    const [manager, worker] = [await login('manager1'), await login('worker1')];
    const draft = await call(system, manager, 'POST', '/policies/deadlines/drafts', { document: secondsPolicy(), comment: 'cluster smoke: seconds' });
    const published = await call(system, manager, 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'cluster smoke' });
    if (published.status !== 200) throw new Error(`publishing the policy answered ${published.status}: ${JSON.stringify(published.body)}`);

    const created = await call(system, worker, 'POST', '/cases', {
      channel: 'hotline',
      client: { fullName: 'Người thử cụm', age: 78, gender: 'male', location: { province: 'Quảng Ninh', commune: 'Hạ Long' } },
      categories: ['older_person_alone'],
      concerns: { livesAlone: true },
      summary: 'Cụ ở một mình, cần đánh giá',
    });
    if (created.status !== 201) throw new Error(`POST /cases answered ${created.status}: ${JSON.stringify(created.body)}`);
    const id = created.body.id as string;
    say(`intake routed: ${created.body.ref}, ${created.body.risk.path} path, stage ${created.body.stage}`);

    const escalated = (step: string) => async () => {
      const items = (await call(system, manager, 'GET', `/escalations?caseId=${id}`)).body.items as Array<{ level: string; step: string }> | undefined;
      return items?.find((e) => e.level === 'supervisor' && e.step === step);
    };
    const first = await until('the assessment deadline escalating to the supervisor', escalated('assessment'));
    say(`assessment deadline passed and escalated to the supervisor ${(first.ms / 1000).toFixed(1)} s after the intake answered`);

    const { workers } = system.pids();
    if (workers.length !== 2) throw new Error(`expected 2 worker processes, found ${workers.length}`);
    process.kill(workers[0]!, 'SIGKILL');
    say(`killed worker 1 (pid ${workers[0]}) with -9; worker 2 (pid ${workers[1]}) carries on`);
    const acted = Date.now();
    const assessed = await until('the assessment recorded after the kill', async () => {
      const res = await call(system, worker, 'POST', `/cases/${id}/assessment`, { summary: 'Đánh giá sau khi một worker dừng', needs: ['Chăm sóc tại nhà'] });
      return res.status === 200 ? res.body : undefined;
    });
    say(`assessment recorded ${((Date.now() - acted) / 1000).toFixed(1)} s after the kill: stage ${assessed.value.stage}`);
    const second = await until('the planning deadline escalating after the kill', escalated('planning'));
    say(`planning deadline escalated too, ${(second.ms / 1000).toFixed(1)} s after the assessment`);
    ok = true;
  } finally {
    await system.stop();
    if (ok) system.discard();
    else say(`kept the system's folder for a look: ${system.dataDir}`);
  }
  say('the cluster boots, routes, escalates and survives a worker killed with -9');
}

main().catch((err: unknown) => {
  console.error(`[cluster-smoke] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
