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
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from './demo-directory';
import { startThrowawaySystem } from './throwaway-system';
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
  const system = await startThrowawaySystem({
    name: 'fuzz',
    say,
    env: {
      // The fuzzer writes thousands of times a minute as one person; the limit is tested elsewhere.
      WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
      // Both sessions are opened before the first run: the fuzzer's wrong passwords at /auth/login
      // soon lock logins from 127.0.0.1, as they should.
      TOKEN_TTL_MINUTES: String(24 * 60),
    },
  });
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
    await system.stop();
    if (failed) say(`the system's log and data are kept in ${system.dataDir}`);
    else system.discard();
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
