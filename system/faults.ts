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
//
// Then a part that hangs rather than dies (issue 32): PostgreSQL (every process of it) and the
// Temporal dev server stopped with SIGSTOP for 20 s during the intakes, and SIGCONT. Nothing is
// restarted: no request may take longer than its deadline + 1 s, /ready must say unready within
// 10 s, and once the part resumes intakes go on with nothing lost or doubled.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_REQUEST_DEADLINE_MS } from '../api/deadline';
import { DEMO_PASSWORD } from './demo-directory';
import { countHolds, countIntakes, printIntakeCount, startIntakeTraffic, type IntakeTraffic } from './intake-traffic';
import { processTree, signal } from './process-tree';
import { smallDisk, type SmallDisk } from './small-disk';
import { startThrowawaySystem, type ThrowawaySystem } from './throwaway-system';

const quick = process.argv.includes('--quick');
const TRAFFIC_MS = quick ? 6_000 : 20_000;
const CLIENTS = 4;
/** Longer than this without coming back is a failure of the run (the goal is 30 s). */
const RECOVERY_LIMIT_MS = 120_000;
/** How long a part is stopped (SIGSTOP) before it is let go on. */
const FREEZE_MS = 20_000;
/** The issue's bounds: no answer later than the deadline + 1 s; unready said within 10 s. */
const ANSWER_LIMIT_MS = DEFAULT_REQUEST_DEADLINE_MS + 1_000;
const UNREADY_LIMIT_MS = 10_000;
/** How long the disk under PostgreSQL stays full. */
const FULL_MS = quick ? 10_000 : 20_000;
const say = (line: string) => console.log(`[faults] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthy(system: ThrowawaySystem): Promise<boolean> {
  try {
    return (await fetch(`${system.url}/health`, { signal: AbortSignal.timeout(3_000) })).status === 200;
  } catch {
    return false;
  }
}

async function ready(system: ThrowawaySystem): Promise<boolean> {
  try {
    return (await fetch(`${system.url}/ready`, { signal: AbortSignal.timeout(UNREADY_LIMIT_MS) })).status === 200;
  } catch {
    return false;
  }
}

/** What the intakes sent during a fault were answered, and when the system went on after it. */
interface Aftermath {
  /** Answers to the intakes sent during the fault: how many, how many 503, how many other 5xx, the longest wait. */
  answered: number;
  unavailable: number;
  otherFailures: number;
  longestMs: number;
  /** From the fault's end to /ready 200 and an intake sent after it acknowledged; -1 if not within the limit. */
  backMs: number;
}

async function aftermath(system: ThrowawaySystem, traffic: IntakeTraffic, from: number, until: number): Promise<Aftermath> {
  let backMs = -1;
  while (Date.now() - until < RECOVERY_LIMIT_MS && backMs < 0) {
    const firstAfter = [...traffic.acknowledged.values()].some((a) => a.sentAt > until);
    if (firstAfter && (await ready(system))) backMs = Date.now() - until;
    else await sleep(100);
  }
  // Every request sent during the fault has had its deadline by now.
  await sleep(ANSWER_LIMIT_MS - Math.min(ANSWER_LIMIT_MS, Date.now() - until));
  const during = traffic.answers.filter((a) => a.sentAt >= from && a.sentAt < until);
  return {
    answered: during.length,
    unavailable: during.filter((a) => a.status === 503).length,
    otherFailures: during.filter((a) => a.status >= 500 && a.status !== 503).length,
    longestMs: Math.max(0, ...during.map((a) => a.ms)),
    backMs,
  };
}

interface Freeze extends Aftermath {
  part: string;
  /** From SIGSTOP to /ready answering 503; -1 if it never did. */
  unreadyMs: number;
  restarted: boolean;
}

/** SIGSTOP of a part for FREEZE_MS during the intakes, then SIGCONT; nothing is restarted. */
async function freeze(system: ThrowawaySystem, traffic: IntakeTraffic, part: string, which: 'postgres' | 'temporal'): Promise<Freeze> {
  const pid = system.pids()[which]!;
  const tree = processTree(pid);
  say(
    `SIGSTOP: ${part} (${tree.length} process${tree.length === 1 ? '' : 'es'}) for ${FREEZE_MS / 1000} s (${traffic.acknowledged.size} intakes acknowledged so far)`,
  );
  const at = Date.now();
  signal(tree, 'SIGSTOP');
  let unreadyMs = -1;
  while (Date.now() - at < FREEZE_MS) {
    if (unreadyMs < 0 && !(await ready(system))) unreadyMs = Date.now() - at;
    await sleep(250);
  }
  signal([...tree].reverse(), 'SIGCONT');
  const resumedAt = Date.now();
  say(`  SIGCONT: ${part}; /ready said unready after ${unreadyMs < 0 ? 'never' : `${(unreadyMs / 1000).toFixed(1)} s`}`);
  return { part, unreadyMs, ...(await aftermath(system, traffic, at, resumedAt)), restarted: system.pids()[which] !== pid };
}

interface DiskFull extends Aftermath {
  filledMiB: number;
}

/** The disk under PostgreSQL filled for FULL_MS during the intakes, then freed; nothing is restarted by hand. */
async function diskFull(system: ThrowawaySystem, traffic: IntakeTraffic, disk: SmallDisk): Promise<DiskFull> {
  say(`disk full: filling the disk under PostgreSQL (${traffic.acknowledged.size} intakes acknowledged so far)`);
  const at = Date.now();
  const filledMiB = disk.fill() / 2 ** 20;
  say(`  filled ${filledMiB.toFixed(0)} MiB; no space left for ${FULL_MS / 1000} s`);
  await sleep(FULL_MS);
  disk.free();
  const freedAt = Date.now();
  say('  freed the disk');
  return { filledMiB, ...(await aftermath(system, traffic, at, freedAt)) };
}

interface Recovery {
  part: string;
  healthMs: number;
  intakeMs: number;
}

async function main(): Promise<number> {
  const disk = smallDisk('faults');
  if ('skipped' in disk) say(`disk full: skipped — ${disk.skipped}`);
  const system = await startThrowawaySystem({
    name: 'faults',
    say,
    dataDir: 'skipped' in disk ? undefined : disk.dataDir,
    env: { WRITE_RATE_LIMIT_PER_MINUTE: '1000000', TOKEN_TTL_MINUTES: String(24 * 60) },
  });
  /** Unmounted after a run that passed; kept mounted after a failure, with the data to look at. */
  const unmount = (keep: boolean) => {
    if ('skipped' in disk) return;
    if (keep) say(`the small disk stays mounted on ${disk.mountPoint} (umount it when done)`);
    else disk.unmount();
  };
  let failed = false;
  try {
    const login = await fetch(`${system.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'worker1', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    // Well past the deadline, so that a request the deadline failed to answer shows as one.
    const traffic = startIntakeTraffic(system, token, { clients: CLIENTS, giveUpMs: ANSWER_LIMIT_MS + 30_000, name: 'faults' });
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
    const freezes: Freeze[] = [];
    for (const [part, which] of [
      ['PostgreSQL', 'postgres'],
      ['Temporal dev server', 'temporal'],
    ] as const) {
      const f = await freeze(system, traffic, part, which);
      freezes.push(f);
      const problems = [
        f.unreadyMs < 0 || f.unreadyMs > UNREADY_LIMIT_MS ? `/ready did not say unready within ${UNREADY_LIMIT_MS / 1000} s` : '',
        f.longestMs > ANSWER_LIMIT_MS ? `a request waited ${(f.longestMs / 1000).toFixed(1)} s (limit ${ANSWER_LIMIT_MS / 1000} s)` : '',
        f.backMs < 0 ? `not back within ${RECOVERY_LIMIT_MS / 1000} s of SIGCONT` : '',
        f.restarted ? 'it was restarted (it should only have been let go on)' : '',
      ].filter(Boolean);
      if (problems.length > 0) failed = true;
      say(problems.length > 0 ? `  ${part}: ${problems.join('; ')}` : `  ${part}: went on by itself ${(f.backMs / 1000).toFixed(1)} s after SIGCONT`);
      await sleep(TRAFFIC_MS / 2);
    }
    let full: DiskFull | undefined;
    if (!('skipped' in disk)) {
      full = await diskFull(system, traffic, disk);
      const problems = [
        full.otherFailures > 0 ? `${full.otherFailures} answer(s) 5xx other than 503` : '',
        full.longestMs > ANSWER_LIMIT_MS ? `a request waited ${(full.longestMs / 1000).toFixed(1)} s (limit ${ANSWER_LIMIT_MS / 1000} s)` : '',
        full.backMs < 0 ? `not back within ${RECOVERY_LIMIT_MS / 1000} s of freeing the disk` : '',
      ].filter(Boolean);
      if (problems.length > 0) failed = true;
      say(
        problems.length > 0
          ? `  disk full: ${problems.join('; ')}`
          : `  disk full: went on by itself ${(full.backMs / 1000).toFixed(1)} s after the disk was freed`,
      );
      await sleep(TRAFFIC_MS / 2);
    }
    await traffic.stop();
    // Over the whole run, kills included: no request waited past its deadline.
    const longest = Math.max(0, ...traffic.answers.map((a) => a.ms));
    if (longest > ANSWER_LIMIT_MS) failed = true;

    // The count: what PostgreSQL and Temporal hold against what the clients were told.
    const count = await countIntakes(system, traffic);
    console.log('');
    printIntakeCount(count);
    console.log('');
    console.log('  part killed (kill -9)    back by itself: /health 200   an intake sent after the kill acknowledged');
    const s = (ms: number) => (ms < 0 ? 'never' : `${(ms / 1000).toFixed(1)} s`);
    for (const r of recoveries) console.log(`  ${r.part.padEnd(24)} ${s(r.healthMs).padEnd(28)} ${s(r.intakeMs)}`);
    console.log('');
    console.log(
      `  part stopped ${FREEZE_MS / 1000} s (SIGSTOP)  /ready unready after   intakes sent meanwhile: answered, 503, longest   went on after SIGCONT`,
    );
    for (const f of freezes) {
      console.log(`  ${f.part.padEnd(24)} ${s(f.unreadyMs).padEnd(22)} ${`${f.answered}, ${f.unavailable}, ${s(f.longestMs)}`.padEnd(42)} ${s(f.backMs)}`);
    }
    if (full) {
      console.log(
        `  disk under PostgreSQL full ${FULL_MS / 1000} s (${full.filledMiB.toFixed(0)} MiB filler): intakes sent meanwhile ${full.answered}, 503 ${full.unavailable}, other 5xx ${full.otherFailures}, longest ${s(full.longestMs)}; went on ${s(full.backMs)} after it was freed`,
      );
    }
    console.log(`  longest wait for any answer in the run: ${s(longest)} (deadline ${DEFAULT_REQUEST_DEADLINE_MS / 1000} s + 1 s)`);
    console.log('');
    if (!countHolds(count)) failed = true;

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
    unmount(failed);
    if (failed) say(`the system's log and data are kept in ${system.dataDir}`);
    else system.discard();
  } catch (err) {
    await system.stop();
    unmount(true);
    say(`the system's log and data are kept in ${system.dataDir}`);
    throw err;
  }
  say(failed ? 'FAILED' : 'nothing lost, nothing doubled, every part came back by itself, no request waited past its deadline');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[faults] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
