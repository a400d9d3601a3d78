// Backup and restore benchmark (issue 32): a whole system of its own (system/throwaway-system.ts)
// loaded with the demo data as `npm run demo -- --cases N` loads it — the register of
// BENCH_BACKUP_CASES cases (default 10,000), its hotline log (BENCH_BACKUP_CONTACTS, by default six
// calls per case) and the seeds' programmes, through POST /imports — then `npm run backup -- --to
// DIR` twice beside the running system (the real CLI, a process of its own, while a case is read
// every 250 ms to see that the system keeps serving), the system stopped, `npm run restore --
// ARCHIVE` into a new empty DATA_DIR, and a system started on it: the archive's size, each step's
// wall time, the time to the first /ready after the restart, and the counts before and after.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../db/connect';
import { DEMO_PASSWORD } from '../system/demo-directory';
import { demoProgrammes } from '../system/demo-programmes';
import { DEMO_CONTACTS_PER_CASE, demoContactLog, demoRegister } from '../system/demo-register';
import { freePort } from '../system/ports';
import { uploadRecords, type ImportKind } from '../system/register-upload';
import { startThrowawaySystem, type ThrowawaySystem } from '../system/throwaway-system';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CASES = Number(process.env.BENCH_BACKUP_CASES ?? 10_000);
const CONTACTS = Number(process.env.BENCH_BACKUP_CONTACTS ?? CASES * DEMO_CONTACTS_PER_CASE);
const SEED = 2026;
const BACKUP_KEY = randomBytes(32).toString('base64');
const STALL_MS = Number(process.env.BENCH_BACKUP_STALL_S ?? 300) * 1000;

const say = (line: string) => console.log(`  ${line}`);
const secondsSince = (t0: number) => (performance.now() - t0) / 1000;
const mib = (bytes: number) => bytes / 1024 / 1024;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Counts {
  cases: number;
  contacts: number;
  events: number;
  audit: number;
}

async function countsOf(databaseUrl: string): Promise<Counts> {
  const sql = connectDatabase(databaseUrl, { max: 1 });
  try {
    const [c] = await sql<Counts[]>`
      select (select count(*) from cases)::int as cases, (select count(*) from contacts)::int as contacts,
             (select count(*) from case_events)::int as events, (select count(*) from audit_log)::int as audit`;
    return c!;
  } finally {
    await sql.end();
  }
}

const showCounts = (c: Counts) =>
  `${c.cases.toLocaleString('en')} case(s), ${c.contacts.toLocaleString('en')} contact(s), ${c.events.toLocaleString('en')} event(s), ${c.audit.toLocaleString('en')} audit row(s)`;

/**
 * `npm run <script> -- args` as an operator runs it, its lines shown as they come; its wall time.
 * A run that prints nothing for BENCH_BACKUP_STALL_S seconds (default 300) is asked what it waits
 * for (`stalled`), stopped, and reported, rather than left to hang the benchmark.
 */
async function npmRun(script: string, args: string[], env: Record<string, string>, stalled?: () => Promise<string>) {
  const t0 = performance.now();
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own, so a stalled run is stopped whole (npm, its shell, the script).
    detached: true,
  });
  const lines: string[] = [];
  let lastLine = performance.now();
  const follow = (stream: NodeJS.ReadableStream, mark: string) => {
    let rest = '';
    const show = (line: string) => {
      lines.push(line);
      lastLine = performance.now();
      console.log(`    ${mark}${line}`);
    };
    stream.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop()!;
      for (const line of parts) show(line);
    });
    stream.on('end', () => rest && show(rest));
  };
  follow(child.stdout!, '');
  follow(child.stderr!, '! ');
  let stall: string | undefined;
  const watch = setInterval(() => {
    if (stall !== undefined || performance.now() - lastLine < STALL_MS) return;
    stall = '';
    void (async () => {
      stall = (await stalled?.().catch((err: Error) => `(could not ask: ${err.message})`)) ?? '';
      process.kill(-child.pid!, 'SIGTERM');
    })();
  }, 1_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearInterval(watch);
  if (stall !== undefined) {
    throw new Error(`npm run ${script} printed nothing for ${STALL_MS / 1000} s and was stopped.${stall ? `\n${stall}` : ''}`);
  }
  return { code, seconds: secondsSince(t0), output: lines.join('\n') };
}

/** What the backup's connection is doing in PostgreSQL: a COPY sent and the server waiting on the client is postgres.js's stream left paused. */
async function backupConnections(databaseUrl: string): Promise<string> {
  const sql = connectDatabase(databaseUrl, { max: 1 });
  try {
    const rows = await sql<{ pid: number; state: string; wait: string; query: string; age: string }[]>`
      select pid, state, coalesce(wait_event_type || '/' || wait_event, '') as wait, left(query, 100) as query,
             (extract(epoch from now() - state_change))::int::text as age
      from pg_stat_activity where pid <> pg_backend_pid() and datname is not null and (state <> 'idle' or query ilike 'copy %')`;
    return rows.map((r) => `  pid ${r.pid}: ${r.state} (${r.wait}) for ${r.age} s after: ${r.query}`).join('\n');
  } finally {
    await sql.end();
  }
}

async function token(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`could not log in as ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Reads a case every 250 ms until stopped: the system's answers while the backup runs. */
function probe(url: string, bearer: string, path: string) {
  const took: number[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
        await res.arrayBuffer();
        if (res.ok) took.push(performance.now() - t0);
        else failed++;
      } catch {
        failed++;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return async () => {
    running = false;
    await loop;
    const sorted = took.sort((a, b) => a - b);
    return `${sorted.length} read(s) of a case meanwhile: p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms, ${failed} failed`;
  };
}

/** Brings records in through POST /imports as `npm run demo` does (system/register-upload.ts), against this system. */
async function bring(url: string, kind: ImportKind, records: string[][]) {
  const before = { url: process.env.CASEFLOW_API_URL, token: process.env.CASEFLOW_TOKEN };
  process.env.CASEFLOW_API_URL = url;
  delete process.env.CASEFLOW_TOKEN;
  const t0 = performance.now();
  try {
    const rows = records.length - 1;
    let shown = 0;
    const totals = await uploadRecords(kind, records, (line) => {
      // Every 2,000 rows and the last part: enough to follow, not a line per part.
      const done = Number(/^([\d,]+) \//.exec(line)?.[1]?.replace(/,/g, '') ?? 0);
      if (done - shown >= 2_000 || done === rows) {
        shown = done;
        say(`  ${kind}: ${line}`);
      }
    });
    const seconds = secondsSince(t0);
    say(
      `${kind}: ${totals.accepted.toLocaleString('en')} imported, ${totals.unchanged.toLocaleString('en')} unchanged, ${totals.rejected.length} problem(s) in ${seconds.toFixed(0)} s (${(rows / seconds).toFixed(0)} rows/s)`,
    );
    if (totals.rejected.length > 0) throw new Error(`the demo ${kind} was refused in part: ${JSON.stringify(totals.rejected.slice(0, 5))}`);
    return seconds;
  } finally {
    if (before.url === undefined) delete process.env.CASEFLOW_API_URL;
    else process.env.CASEFLOW_API_URL = before.url;
    if (before.token !== undefined) process.env.CASEFLOW_TOKEN = before.token;
  }
}

export async function benchBackup(dir: string) {
  console.log(
    `\nbackup: npm run backup beside a running system with the demo data of ${CASES.toLocaleString('en')} cases and ${CONTACTS.toLocaleString('en')} contacts (twice), then npm run restore into a new folder and a start on it`,
  );
  const systems: ThrowawaySystem[] = [];
  try {
    const original = await startThrowawaySystem({ name: 'bench-backup', say });
    systems.push(original);

    // The demo data, as `npm run demo -- --cases N` brings it: the register, its hotline log, the programmes.
    const register = demoRegister(CASES, SEED);
    const log = demoContactLog(CONTACTS, SEED, register);
    say(`loading the demo register of ${CASES.toLocaleString('en')} cases through POST /imports…`);
    const registerSeconds = await bring(original.url, 'register', register);
    let contactSeconds = 0;
    if (CONTACTS > 0) {
      say(`loading its hotline log of ${CONTACTS.toLocaleString('en')} contacts…`);
      contactSeconds = await bring(original.url, 'contacts', log);
    }
    say("the seeds' programmes, their members and sessions…");
    await demoProgrammes(original.url, SEED, (line) => say(`  programmes: ${line}`));
    say(`demo data loaded: register ${registerSeconds.toFixed(0)} s, contacts ${contactSeconds.toFixed(0)} s`);

    const manager = await token(original.url, 'manager1');
    const listed = (await (await fetch(`${original.url}/cases?limit=1`, { headers: { authorization: `Bearer ${manager}` } })).json()) as {
      items: Array<{ id: string }>;
    };
    const caseId = listed.items[0]?.id;
    if (!caseId) throw new Error('no case to read');

    const env = {
      APP_MODE: 'development',
      DATA_DIR: original.dataDir,
      EMBEDDED_PG_PORT: new URL(original.databaseUrl).port,
      TEMPORAL_DEV_PORT: original.temporalAddress.split(':')[1]!,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      AUDIT_HEAD_FILE: '',
      BACKUP_KEY,
    };
    const backups: Array<{ seconds: number; own?: number; archive: string; bytes: number; counts: Counts }> = [];
    for (let n = 1; n <= 2; n++) {
      const to = join(dir, `backups-${n}`);
      mkdirSync(to, { recursive: true });
      const counts = await countsOf(original.databaseUrl);
      say(`backup ${n} of 2: npm run backup -- --to ${to}, the system running with ${showCounts(counts)}`);
      const reads = probe(original.url, manager, `/cases/${caseId}`);
      let run: Awaited<ReturnType<typeof npmRun>>;
      try {
        run = await npmRun('backup', ['--to', to], env, () => backupConnections(original.databaseUrl));
      } finally {
        say(await reads());
      }
      const file = readdirSync(to).find((f) => f.endsWith('.cfbackup'));
      if (!file) throw new Error(`npm run backup wrote no archive (exit ${run.code})`);
      if (run.code !== 0) say(`!!! npm run backup exited ${run.code}`);
      const archive = join(to, file);
      const own = /written in ([\d.]+) s/.exec(run.output)?.[1];
      backups.push({ seconds: run.seconds, own: own ? Number(own) : undefined, archive, bytes: statSync(archive).size, counts });
      say(`backup ${n}: ${run.seconds.toFixed(1)} s wall (the CLI's own count: ${own ?? '?'} s), ${mib(statSync(archive).size).toFixed(1)} MiB`);
    }
    const ready = await fetch(`${original.url}/ready`);
    say(`the system still ready after both backups: GET /ready ${ready.status}`);
    const atStop = await countsOf(original.databaseUrl);
    say(`stopping the system (${showCounts(atStop)})…`);
    await original.stop();

    const target = mkdtempSync(join(dir, 'restored-'));
    // As root, PostgreSQL runs as its own user, which must reach the folder.
    chmodSync(target, 0o755);
    const archive = backups.at(-1)!.archive;
    say(`npm run restore -- ${archive} into ${target}`);
    const restore = await npmRun('restore', [archive], {
      DATA_DIR: target,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      AUDIT_HEAD_FILE: '',
      BACKUP_KEY,
    });
    if (restore.code !== 0) throw new Error(`npm run restore exited ${restore.code}`);
    const loaded = /database loaded in ([\d.]+) s/.exec(restore.output)?.[1];
    const manifest = /counts match the manifest: (\d+) case\(s\), (\d+) event\(s\), (\d+) audit row\(s\)/.exec(restore.output);
    say(`restore: ${restore.seconds.toFixed(1)} s wall (the database's load ${loaded ?? '?'} s)`);

    const t0 = performance.now();
    const restored = await startThrowawaySystem({ name: 'bench-backup-restored', dataDir: target, readyTimeoutMs: 600_000, say });
    systems.push(restored);
    const toReadyLine = secondsSince(t0);
    let firstReady = NaN;
    for (let tries = 0; tries < 600; tries++) {
      const res = await fetch(`${restored.url}/ready`).catch(() => undefined);
      if (res?.ok) {
        firstReady = secondsSince(t0);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    say(`restarted on the restored folder: "ready." after ${toReadyLine.toFixed(1)} s, first GET /ready 200 after ${firstReady.toFixed(1)} s`);
    const after = await countsOf(restored.databaseUrl);
    const read = await fetch(`${restored.url}/cases/${caseId}`, { headers: { authorization: `Bearer ${await token(restored.url, 'manager1')}` } });
    say(`GET /cases/${caseId} on the restored system: ${read.status}`);
    say(`counts when the system stopped: ${showCounts(atStop)}`);
    say(
      `the archive's manifest:         ${manifest ? `${Number(manifest[1]).toLocaleString('en')} case(s), ${Number(manifest[2]).toLocaleString('en')} event(s), ${Number(manifest[3]).toLocaleString('en')} audit row(s)` : '(not found in the restore output)'}`,
    );
    say(`the restored system's database: ${showCounts(after)}`);
    // Cases and contacts do not move without a user; events and audit rows are the archive's (the
    // manifest), plus what the restarted system did since, minus what was written after the snapshot
    // (reads are audited: the bench's own reads after the backup are not in it).
    const same = after.cases === atStop.cases && after.contacts === atStop.contacts && (!manifest || Number(manifest[1]) === after.cases);
    const signed = (n: number) => `${n >= 0 ? '+' : ''}${n}`;
    say(`cases and contacts ${same ? 'match the stopped system and the manifest' : 'DIFFER'}`);
    if (manifest) {
      say(
        `events ${signed(after.events - Number(manifest[2]))} and audit rows ${signed(after.audit - Number(manifest[3]))} against the manifest (the restarted system's own work); ` +
          `${atStop.audit - Number(manifest[3])} audit row(s) and ${atStop.events - Number(manifest[2])} event(s) written after the snapshot are not in the archive`,
      );
    }
    if (!same) throw new Error('the restored system does not hold the cases and contacts of the system backed up');

    const [b1, b2] = backups;
    const rows: Array<[string, string]> = [
      ['cases', after.cases.toLocaleString('en')],
      ['contacts', after.contacts.toLocaleString('en')],
      ['case events', after.events.toLocaleString('en')],
      ['audit rows', after.audit.toLocaleString('en')],
      ['archive size (MiB)', `${mib(b1!.bytes).toFixed(1)} / ${mib(b2!.bytes).toFixed(1)}`],
      ['backup time, wall (s)', `${b1!.seconds.toFixed(1)} / ${b2!.seconds.toFixed(1)}`],
      ["backup time, the CLI's own (s)", `${b1!.own?.toFixed(1) ?? '?'} / ${b2!.own?.toFixed(1) ?? '?'}`],
      ['restore time, wall (s)', restore.seconds.toFixed(1)],
      ['restart to first /ready (s)', firstReady.toFixed(1)],
    ];
    console.log('');
    for (const [name, value] of rows) console.log(`  ${name.padEnd(32)} ${value.padStart(14)}`);
  } finally {
    for (const s of systems) await s.stop();
    for (const s of systems) s.discard();
  }
}
