// `npm run fuzz`: schemathesis, a client nobody here wrote, against a whole system this starts for
// itself (its own PostgreSQL, Temporal dev server, worker and API, on free loopback ports, in a
// throwaway folder), with every check schemathesis has, as a manager and as a social worker.
//
//   npm run fuzz                       # 5 minutes per person, a random seed (printed)
//   npm run fuzz -- --minutes 30       # longer
//   npm run fuzz -- --quick            # the bounded run `npm test` makes: fixed seed, about 2 minutes
//   npm run fuzz -- --seed 42
//
// A failure prints schemathesis' report, each with the curl command that reproduces it. The
// system under test only ever listens and talks on 127.0.0.1: nothing leaves the machine.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from './demo-directory';
import { freePort } from './ports';
import { ensureTools } from './tools';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = join(ROOT, 'test/fuzz/schemathesis.toml');
const PEOPLE = ['manager1', 'worker1'] as const;
const say = (line: string) => console.log(`[fuzz] ${line}`);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const seconds = quick ? 45 : Math.round(Number(option('minutes') ?? 5) * 60);
const seed = option('seed') ?? (quick ? '20261123' : String(Math.floor(Math.random() * 2 ** 31)));

async function startSystem() {
  const dataDir = mkdtempSync(join(tmpdir(), 'case-flow-fuzz-'));
  // As root, PostgreSQL runs as its own user, which must reach the folder mkdtemp made private.
  chmodSync(dataDir, 0o755);
  const [api, pg, temporal, ui] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    APP_MODE: 'development',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(api),
    EMBEDDED_PG_PORT: String(pg),
    TEMPORAL_DEV_PORT: String(temporal),
    TEMPORAL_UI_PORT: String(ui),
    CODEC_PORT: '0',
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    // The fuzzer writes thousands of times a minute as one person; the limit is tested elsewhere.
    WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
    // Both sessions are opened before the first run: the fuzzer's wrong passwords at /auth/login
    // soon lock logins from 127.0.0.1, as they should.
    TOKEN_TTL_MINUTES: String(24 * 60),
  };
  say(`starting a system of its own in ${dataDir} (API on 127.0.0.1:${api})…`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'system/start.ts')], {
    env,
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => log.push(...chunk.toString().split('\n'));
  child.stderr.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the system did not start in 3 minutes')), 180_000);
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (chunk.toString().includes('ready.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the system exited (${code}) before it was ready:\n${log.slice(-30).join('\n')}`));
    });
  });
  const stop = async (keepLog: boolean) => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      process.kill(-child.pid!, 'SIGINT');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 20_000))]);
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
    if (keepLog) {
      const file = join(dataDir, 'system.log');
      writeFileSync(file, log.join('\n'));
      say(`the system's log and data are kept in ${dataDir}`);
    } else rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${api}`, dataDir, log, stop };
}

async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`cannot log in as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** One schemathesis run as one person; answers whether it found nothing. */
function fuzzAs(fuzzer: string, dataDir: string, url: string, username: string, token: string): Promise<boolean> {
  const args = ['--config-file', CONFIG, 'run', `${url}/openapi.json`, '--checks', 'all', '--seed', seed, '--max-time', String(seconds)];
  // One worker thread per run (the two people run side by side instead): CPython 3.11 before 3.11.8
  // corrupts its AST state when threads parse at once (python/cpython#106905), and hypothesis parses
  // source to describe its strategies.
  args.push('--workers', '1', '--request-timeout', '30', '--header', `Authorization: Bearer ${token}`, '--no-color');
  if (quick) args.push('--max-examples', '25');
  say(`${username}: every check, seed ${seed}, at most ${seconds} s…`);
  const started = Date.now();
  // In the throwaway folder, one per person: schemathesis keeps a cache beside where it runs.
  const cwd = join(dataDir, `schemathesis-${username}`);
  mkdirSync(cwd, { recursive: true });
  const run = spawn(fuzzer, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  run.stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  run.stderr.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  return new Promise((resolve) => {
    run.once('exit', (code) => {
      const text = out.join('');
      const cases = /(\d+) generated/.exec(text)?.[1] ?? '?';
      const minutes = ((Date.now() - started) / 60_000).toFixed(1);
      if (code === 0) say(`${username}: no failures in ${cases} test cases (${minutes} min)`);
      else {
        process.stdout.write(`\n======== schemathesis as ${username} ========\n${text}\n`);
        say(`${username}: FAILED (exit ${code}) after ${cases} test cases (${minutes} min); rerun with --seed ${seed}`);
      }
      resolve(code === 0);
    });
  });
}

async function main(): Promise<number> {
  const { fuzzer } = ensureTools(['fuzzer'], say);
  const system = await startSystem();
  let failed = false;
  try {
    const tokens = await Promise.all(PEOPLE.map((username) => login(system.url, username)));
    const passed = await Promise.all(PEOPLE.map((username, i) => fuzzAs(fuzzer, system.dataDir, system.url, username, tokens[i]!)));
    failed = passed.includes(false);
    const serverErrors = system.log.filter((l) => /\[api\] .* failed:/.test(l));
    if (serverErrors.length > 0) {
      failed = true;
      say(`the API logged ${serverErrors.length} failure(s):\n${serverErrors.slice(0, 20).join('\n')}`);
    }
  } finally {
    await system.stop(failed);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[fuzz] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
