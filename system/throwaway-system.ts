// A whole system (`system/start.ts`: PostgreSQL, the Temporal dev server, the worker, the API) in a
// throwaway folder on free loopback ports, for the suites that attack it from outside: the fuzzer
// (`npm run fuzz`) and the fault injector (`npm run faults`). Development mode, so the demo
// accounts exist; nothing listens beyond 127.0.0.1.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedPostgresUrl } from './embedded-postgres';
import { freePort, freePortRun } from './ports';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ThrowawaySystem {
  url: string;
  databaseUrl: string;
  temporalAddress: string;
  /** The API's Prometheus endpoint (every replica's together with API_REPLICAS). */
  metricsUrl: string;
  dataDir: string;
  /** What the system printed, line by line, across restarts. */
  log: string[];
  /** The processes of the system: start.ts, and the servers it runs in process groups of their own. */
  pids(): { start?: number; postgres?: number; temporal?: number; worker?: number; workers: number[]; apis: number[] };
  /** Starts the system again on the same folder and ports (after killTree). */
  restart(): Promise<void>;
  /** kill -9 of every process of the system; settles when they are all gone. */
  killTree(): Promise<void>;
  /** Stops it as Ctrl-C would, and writes what it printed to system.log in its folder. */
  stop(): Promise<void>;
  /** Removes its folder (after a run that found nothing worth keeping). */
  discard(): void;
}

/** The process listening on a loopback port, as `ss` sees it. */
function listenerPid(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const pid = /pid=(\d+)/.exec(out)?.[1];
    return pid ? Number(pid) : undefined;
  } catch {
    return undefined;
  }
}

export async function startThrowawaySystem(options: {
  name: string;
  env?: Record<string, string>;
  /** `--cluster` runs it on the real Temporal server (npm run cluster). */
  args?: string[];
  /** A folder that already holds a system (a restored backup) to start on, instead of a new empty one. */
  dataDir?: string;
  readyTimeoutMs?: number;
  say(line: string): void;
}): Promise<ThrowawaySystem> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `case-flow-${options.name}-`));
  // As root, PostgreSQL runs as its own user, which must reach the folder mkdtemp made private.
  chmodSync(dataDir, 0o755);
  let [api, pg, temporal, ui, metrics] = [0, 0, 0, 0, 0];
  let env: NodeJS.ProcessEnv = {};
  /** Ports free now; another program may take one before the system binds it, so a first start that finds one taken picks again. */
  const pickPorts = async () => {
    // The metrics port and the 16 after it (one per worker, bound later): a run below the ephemeral
    // range and below the cluster's ports (20000-32767), so nothing else takes one meanwhile.
    [api, pg, temporal, ui, metrics] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePortRun(17, 10_000, 19_999)];
    env = {
      ...process.env,
      APP_MODE: 'development',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(api),
      EMBEDDED_PG_PORT: String(pg),
      TEMPORAL_DEV_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      CODEC_PORT: '0',
      METRICS_PORT: String(metrics),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      ...options.env,
    };
  };
  await pickPorts();
  const log: string[] = [];
  let child: ChildProcess | undefined;

  async function start() {
    options.say(`starting a system of its own in ${dataDir} (API on 127.0.0.1:${api})…`);
    const started = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'system/start.ts'), ...(options.args ?? [])], {
      env,
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const keep = (chunk: Buffer) => log.push(...chunk.toString().split('\n'));
    started.stderr!.on('data', keep);
    await new Promise<void>((resolve, reject) => {
      const limit = options.readyTimeoutMs ?? 180_000;
      const timer = setTimeout(() => reject(new Error(`the system did not start in ${limit / 1000} s`)), limit);
      started.stdout!.on('data', (chunk: Buffer) => {
        keep(chunk);
        if (chunk.toString().includes('ready.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the system exited (${code}) before it was ready:\n${log.slice(-30).join('\n')}`));
      });
    });
  }
  for (let tries = 1; ; tries++) {
    try {
      await start();
      break;
    } catch (err) {
      // Node says "Address already in use", the Temporal CLI "bind: address already in use".
      if (tries === 3 || !/port is in use|address already in use/i.test((err as Error).message)) throw err;
      options.say('a port was taken meanwhile; picking others');
      await pickPorts();
    }
  }

  const pids = () => {
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const postgres = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
    // worker.pid, then worker-2.pid… when several run; api-1.pid… with API_REPLICAS.
    const pidFiles = (pattern: RegExp) =>
      readdirSync(dataDir)
        .filter((f) => pattern.test(f))
        .sort((a, b) => a.length - b.length || a.localeCompare(b))
        .map((f) => Number(readFileSync(join(dataDir, f), 'utf8').trim()));
    const workers = pidFiles(/^worker(-\d+)?\.pid$/);
    const apis = pidFiles(/^api-\d+\.pid$/);
    return { start: child?.exitCode === null ? child.pid : undefined, postgres, temporal: listenerPid(temporal), worker: workers[0], workers, apis };
  };

  const killTree = async () => {
    const { start: main, postgres, temporal: server, workers } = pids();
    const targets = [main && -main, postgres, server, ...workers].filter((pid): pid is number => typeof pid === 'number' && pid !== 0);
    const signal = (pid: number, sig: NodeJS.Signals | 0) => {
      try {
        process.kill(pid, sig);
        return true;
      } catch {
        return false; // gone
      }
    };
    for (const pid of targets) signal(pid, 'SIGKILL');
    for (let waited = 0; targets.some((pid) => signal(pid, 0)) && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  };

  return {
    url: `http://127.0.0.1:${api}`,
    databaseUrl: embeddedPostgresUrl(pg),
    temporalAddress: `127.0.0.1:${temporal}`,
    metricsUrl: `http://127.0.0.1:${metrics}/metrics`,
    dataDir,
    log,
    pids,
    restart: start,
    killTree,
    async stop() {
      if (child && child.exitCode === null) {
        const running = child;
        const exited = new Promise((done) => running.once('exit', done));
        running.kill('SIGINT');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 30_000))]);
        if (running.exitCode === null) await killTree();
      }
      writeFileSync(join(dataDir, 'system.log'), log.join('\n'));
    },
    discard: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
