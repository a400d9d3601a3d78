// `npm run faults`: kill -9, part by part, during a stream of intakes from clients that repeat each
// request with the same Idempotency-Key until it is acknowledged — as a hotline integration would.
// Then it counts: every acknowledged case in PostgreSQL and in Temporal (none lost), as many cases
// as keys (none doubled), the audit chain intact; and it prints how long each part took to come
// back by itself, with nobody touching anything.
//
//   npm run faults              # each part killed, 20 s of traffic around each kill
//   npm run faults -- --quick   # what `npm test` runs: 6 s around each kill
//
// The parts: the Temporal dev server, PostgreSQL, the worker process, and the whole tree (which
// `npm start` cannot survive: it is started again, as systemd or a person would).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { verifyAuditChain } from '../db/audit';
import { caseCensus } from '../db/cases';
import { connectDatabase } from '../db/connect';
import { DEMO_PASSWORD } from './demo-directory';
import { startThrowawaySystem, type ThrowawaySystem } from './throwaway-system';

const quick = process.argv.includes('--quick');
const TRAFFIC_MS = quick ? 6_000 : 20_000;
const CLIENTS = 4;
/** Longer than this without coming back is a failure of the run (the goal is 30 s). */
const RECOVERY_LIMIT_MS = 120_000;
const say = (line: string) => console.log(`[faults] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const intake = (n: number) => ({
  channel: 'hotline',
  client: { fullName: `Người thử ${n}`, age: 30 + (n % 50), gender: n % 2 ? 'female' : 'male', location: { province: 'Quảng Ninh', commune: 'Hạ Long' } },
  categories: ['older_person_alone'],
  concerns: { livesAlone: true },
  summary: `Báo cáo thử số ${n}`,
});

/** Clients that send intakes until told to stop; each request is repeated with its key until acknowledged. */
function startTraffic(system: ThrowawaySystem, token: string) {
  // Per key: the case, when its acknowledgement came, and when the request that got it was sent.
  const acknowledged = new Map<string, { id: string; at: number; sentAt: number }>();
  let running = true;
  let next = 0;
  const client = async (c: number) => {
    while (running) {
      const n = next++;
      const key = `faults-${c}-${n}-${Date.now()}`;
      for (;;) {
        const sentAt = Date.now();
        try {
          const res = await fetch(`${system.url}/cases`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
            body: JSON.stringify(intake(n)),
            signal: AbortSignal.timeout(20_000),
          });
          if (res.status === 200 || res.status === 201) {
            acknowledged.set(key, { id: ((await res.json()) as { id: string }).id, at: Date.now(), sentAt });
            break;
          }
          await res.body?.cancel();
        } catch {
          // refused, reset or timed out: the same key again
        }
        await sleep(250);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  return {
    acknowledged,
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

async function healthy(system: ThrowawaySystem): Promise<boolean> {
  try {
    return (await fetch(`${system.url}/health`, { signal: AbortSignal.timeout(3_000) })).status === 200;
  } catch {
    return false;
  }
}

interface Recovery {
  part: string;
  healthMs: number;
  intakeMs: number;
}

async function main(): Promise<number> {
  const system = await startThrowawaySystem({ name: 'faults', say, env: { WRITE_RATE_LIMIT_PER_MINUTE: '1000000', TOKEN_TTL_MINUTES: String(24 * 60) } });
  let failed = false;
  try {
    const login = await fetch(`${system.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'worker1', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const traffic = startTraffic(system, token);
    const recoveries: Recovery[] = [];

    // Each kill answers how to tell that a new process has taken the killed one's place: until then
    // a /health 200 is an old connection answering in the instant before it notices.
    const killServer = (which: 'temporal' | 'postgres' | 'worker') => async () => {
      const pid = system.pids()[which]!;
      process.kill(pid, 'SIGKILL');
      return () => (system.pids()[which] ?? pid) !== pid;
    };
    const kills: Array<[string, () => Promise<() => boolean>]> = [
      ['Temporal dev server', killServer('temporal')],
      ['PostgreSQL', killServer('postgres')],
      ['worker', killServer('worker')],
      [
        'whole tree',
        async () => {
          const gone = system.killTree();
          await gone;
          say('  the whole tree is gone; starting it again (as systemd or a person would)');
          await system.restart();
          return () => true;
        },
      ],
    ];
    for (const [part, kill] of kills) {
      await sleep(TRAFFIC_MS / 2);
      const before = traffic.acknowledged.size;
      say(`kill -9: ${part} (${before} intakes acknowledged so far)`);
      const at = Date.now();
      const replaced = await kill();
      let healthMs = -1;
      let intakeMs = -1;
      while (Date.now() - at < RECOVERY_LIMIT_MS && (healthMs < 0 || intakeMs < 0)) {
        if (healthMs < 0 && replaced() && (await healthy(system))) healthMs = Date.now() - at;
        // An intake sent after the kill: one already under way may have finished on the old process.
        const firstAfter = [...traffic.acknowledged.values()].filter((a) => a.sentAt > at).sort((a, b) => a.at - b.at)[0];
        if (intakeMs < 0 && firstAfter) intakeMs = firstAfter.at - at;
        await sleep(100);
      }
      recoveries.push({ part, healthMs, intakeMs });
      if (healthMs < 0 || intakeMs < 0) {
        failed = true;
        say(`  ${part} did NOT come back within ${RECOVERY_LIMIT_MS / 1000} s`);
      } else say(`  back by itself: /health 200 after ${(healthMs / 1000).toFixed(1)} s, an intake acknowledged after ${(intakeMs / 1000).toFixed(1)} s`);
      await sleep(TRAFFIC_MS / 2);
    }
    await traffic.stop();

    // The count: what PostgreSQL and Temporal hold against what the clients were told.
    const sql = connectDatabase(system.databaseUrl, { max: 2 });
    const connection = await Connection.connect({ address: system.temporalAddress });
    try {
      const ids = [...traffic.acknowledged.values()].map((a) => a.id);
      const census = await caseCensus(sql, ids);
      const lost = ids.filter((id) => !census.found.has(id));
      const doubled = census.total - new Set(ids).size;
      const temporal = new Client({ connection });
      const missingInTemporal: string[] = [];
      for (const id of ids) {
        await temporal.workflow
          .getHandle(id)
          .describe()
          .catch(() => missingInTemporal.push(id));
      }
      const audit = await verifyAuditChain(sql, `${system.dataDir}/audit-head.log`);
      console.log('');
      console.log(`  intakes acknowledged     ${ids.length}`);
      console.log(`  lost in PostgreSQL       ${lost.length}`);
      console.log(`  lost in Temporal         ${missingInTemporal.length}`);
      console.log(`  doubled                  ${doubled}`);
      console.log(`  audit chain              ${audit.ok ? `intact (${audit.rows} rows)` : `BROKEN at ${audit.seq}: ${audit.problem}`}`);
      console.log('');
      console.log('  part killed (kill -9)    back by itself: /health 200   an intake sent after the kill acknowledged');
      for (const r of recoveries) {
        const s = (ms: number) => (ms < 0 ? 'never' : `${(ms / 1000).toFixed(1)} s`);
        console.log(`  ${r.part.padEnd(24)} ${s(r.healthMs).padEnd(28)} ${s(r.intakeMs)}`);
      }
      console.log('');
      if (lost.length > 0 || missingInTemporal.length > 0 || doubled !== 0 || !audit.ok) failed = true;
    } finally {
      await connection.close();
      await sql.end();
    }

    // Ctrl-C: everything stops in order, nothing complains, and the audit head is written last.
    await system.stop();
    const shutdownAt = system.log.map((l) => l.includes('shutting down')).lastIndexOf(true);
    const afterStop = system.log.slice(Math.max(0, shutdownAt));
    const complaints = afterStop.filter((l) => /error|failed|unhandled|not written/i.test(l));
    const headFile = join(system.dataDir, 'audit-head.log');
    const lastHead = existsSync(headFile) ? readFileSync(headFile, 'utf8').trim().split('\n').at(-1) : undefined;
    const stoppedAll = afterStop.some((l) => l.includes('stopped PostgreSQL'));
    say(
      `Ctrl-C: ${stoppedAll ? 'everything stopped in order' : 'PostgreSQL was NOT stopped'}, ${complaints.length} complaint(s), audit head ${lastHead ? `written (${lastHead})` : 'NOT written'}`,
    );
    for (const line of complaints) say(`  ${line}`);
    if (!stoppedAll || complaints.length > 0 || !lastHead) failed = true;
    if (failed) say(`the system's log and data are kept in ${system.dataDir}`);
    else system.discard();
  } catch (err) {
    await system.stop();
    say(`the system's log and data are kept in ${system.dataDir}`);
    throw err;
  }
  say(failed ? 'FAILED' : 'nothing lost, nothing doubled, every part came back by itself');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[faults] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
