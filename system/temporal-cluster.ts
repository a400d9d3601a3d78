// The real Temporal server with PostgreSQL persistence, for `npm run cluster` (issue 19): built from
// its Go module at a pinned version into .tools/ on first use, its two databases made and brought
// to the server's schema with its own SQL tool, then run as a child process with a config written
// here — the frontend on the port asked for, every other port picked free (the sample config fixes
// 7233–7235, 7239, 6933–6939, 7243, 7936 and 8000, which a second system on the machine would hold).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { createDatabaseIfMissing } from '../db/connect';
import { assertPortFree, freePortIn } from './ports';
import { startServerProcess } from './server-process';
import type { RunningTemporal } from './temporal-dev-server';
import { TOOLS_DIR } from './tools';

/** v1.32.2 and v1.31.5 need a newer Go than these machines have (1.26.8); v1.32.0 builds. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.0';
const MODULE = 'go.temporal.io/server';
const HOME = join(TOOLS_DIR, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
export const DATABASES = { history: 'temporal', visibility: 'temporal_visibility' } as const;

export interface ServerTools {
  server: string;
  sqlTool: string;
  /** The module's PostgreSQL schemas, copied beside the binaries. */
  schemaDir: string;
}

/** The server and its SQL tool, built with `go install` the first time (about 5 minutes on 2 cores), reused afterwards. */
export function ensureTemporalServer(say: (line: string) => void): ServerTools {
  const tools = { server: join(HOME, 'server'), sqlTool: join(HOME, 'sql'), schemaDir: join(HOME, 'schema') };
  if (existsSync(tools.server) && existsSync(tools.sqlTool) && existsSync(tools.schemaDir)) return tools;
  let go: string;
  try {
    go = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `npm run cluster builds the Temporal server from its Go module, and the "go" command is missing. Install Go 1.26 or later ` +
        `(https://go.dev/doc/install), or run the server yourself and point npm start at it with TEMPORAL_ADDRESS.`,
    );
  }
  mkdirSync(HOME, { recursive: true });
  const env = { ...process.env, GOBIN: HOME, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
  for (const [what, pkg] of [
    ['the Temporal server', `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`],
    ['its SQL schema tool', `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`],
  ] as const) {
    if (existsSync(join(HOME, pkg.includes('tools/sql') ? 'sql' : 'server'))) continue;
    say(`building ${what} ${TEMPORAL_SERVER_VERSION} from its Go module into ${HOME} (once; about 5 minutes on 2 cores)…`);
    const started = Date.now();
    execFileSync('go', ['install', pkg], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    say(`built ${what} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  // The schemas live in the module's source, which `go install` left in the module cache.
  cpSync(join(go, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12'), tools.schemaDir, { recursive: true });
  return tools;
}

interface Database {
  host: string;
  port: number;
  user: string;
  password: string;
}

function databaseOf(url: string): Database {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** The URL of another database on the same PostgreSQL server as `url` (Temporal's two beside the product's). */
export function temporalDatabaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** The newest schema versions the SQL tool can bring each database to (its versioned folders: v1.19 → "1.19"). */
export function toolSchemaVersions(tools: ServerTools): Record<keyof typeof DATABASES, string> {
  const newest = (folder: string) =>
    readdirSync(join(tools.schemaDir, folder, 'versioned'))
      .filter((d) => /^v\d+\.\d+$/.test(d))
      .map((d) => d.slice(1))
      .sort(compareSchemaVersions)
      .at(-1)!;
  return { history: newest('temporal'), visibility: newest('visibility') };
}

/** Orders the SQL tool's versions ("1.9" before "1.19"). */
export function compareSchemaVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * The server's two databases on the PostgreSQL at `url` (as its user), made if missing and brought
 * to the schema this server version needs; run again, it changes nothing. `versions`: bring them
 * to these instead (a restore, to the archive's; the next start takes them on to this server's).
 */
export async function prepareTemporalDatabases(
  tools: ServerTools,
  url: string,
  say: (line: string) => void,
  versions?: Record<keyof typeof DATABASES, string>,
): Promise<void> {
  const db = databaseOf(url);
  for (const [kind, name] of Object.entries(DATABASES)) {
    try {
      await createDatabaseIfMissing(url, name);
    } catch (err) {
      throw new Error(`the Temporal server needs a database "${name}" and the user "${db.user}" could not create it: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const common = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--pw', db.password, '--db', name];
    const run = (args: string[]) => execFileSync(tools.sqlTool, [...common, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      run(['setup-schema', '-v', '0.0']);
    } catch (err) {
      // Set up before: its schema_version table is there, and update-schema takes it from where it is.
      if (!/already exists/i.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
    }
    const version = versions?.[kind as keyof typeof DATABASES];
    run(['update-schema', '-d', join(tools.schemaDir, kind === 'history' ? 'temporal' : 'visibility', 'versioned'), ...(version ? ['-v', version] : [])]);
    say(`Temporal database "${name}" is at ${version ? `schema ${version}` : `the schema of ${TEMPORAL_SERVER_VERSION}`}`);
  }
}

export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

/**
 * The frontend where asked; every other port free now (picked once, kept across restarts), below
 * 32768: the server keeps membership ports in a smallint column, and an ephemeral port above it
 * stops the server at its first heartbeat.
 */
export async function pickClusterPorts(frontend: number): Promise<ClusterPorts> {
  // None is bound until the server starts, so one number could be drawn twice: each is new.
  const taken = new Set([frontend]);
  const free = async (): Promise<number> => {
    for (;;) {
      const port = await freePortIn(20_000, 32_767);
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  return {
    frontend,
    frontendHttp: await free(),
    frontendMembership: await free(),
    history: await free(),
    historyMembership: await free(),
    matching: await free(),
    matchingMembership: await free(),
    worker: await free(),
    workerMembership: await free(),
    metrics: await free(),
  };
}

/**
 * What a run may set beyond the sample config (the lifecycle bench's experiments, issue 33).
 * `numHistoryShards` is fixed when a store is created: the server keeps the count it was created
 * with and only warns about another one (startTemporalCluster reports it as `historyShards`).
 */
export interface ClusterTuning {
  /** History shards of a new store (default 4, the sample config's). */
  numHistoryShards?: number;
  /** Connections to the `temporal` database (default 20). */
  maxConns?: number;
  /** More dynamic config, YAML appended to the product's settings. */
  dynamicConfig?: string;
}

export const DEFAULT_HISTORY_SHARDS = 4;

/** The server's config: the module's development-postgres12.yaml with our database and ports. */
function configYaml(db: Database, ports: ClusterPorts, dynamicConfig: string, tuning: ClusterTuning = {}): string {
  const store = (name: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${JSON.stringify(name)}
        connectAddr: ${JSON.stringify(`${db.host}:${db.port}`)}
        connectProtocol: tcp
        user: ${JSON.stringify(db.user)}
        password: ${JSON.stringify(db.password)}
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const service = (grpc: number, membership: number, http?: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  return `# Written by npm run cluster (system/temporal-cluster.ts) at every start; edits are lost.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${tuning.numHistoryShards ?? DEFAULT_HISTORY_SHARDS}
  datastores:
    postgres-default:${store(DATABASES.history, tuning.maxConns ?? 20)}
    postgres-visibility:${store(DATABASES.visibility, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: ${JSON.stringify(`127.0.0.1:${ports.metrics}`)}
services:
  frontend:${service(ports.frontend, ports.frontendMembership, ports.frontendHttp)}
  matching:${service(ports.matching, ports.matchingMembership)}
  history:${service(ports.history, ports.historyMembership)}
  worker:${service(ports.worker, ports.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: ${JSON.stringify(`127.0.0.1:${ports.frontend}`)}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(dynamicConfig)}
  pollInterval: 10s
`;
}

/**
 * Dynamic settings, by key. `limit.maxIDLength`: the product's long workflow ids and the Web UI.
 * `history.shardIOConcurrency` (issue 33): the server lets one write of workflow state per history
 * shard run at a time by default — right for Cassandra (the server forces 1 there), a queue on
 * PostgreSQL, where a write is a committed transaction of 5–40 ms: in the lifecycle bench (3,000
 * cases at 15/s) writes waited 218–244 ms for their shard's turn, the worker's slots filled, sticky
 * tasks hit their 10-s timeout and the ladder stalled (delay p99 107 s); with 8, the wait was 1–3 ms
 * and p99 19.8 s (at 10/s: p99 1.21 s against 2.73 s). The SQL store takes concurrent writes to one
 * shard (each locks the shard row FOR SHARE and checks its range); the server keeps task ids in
 * order with its own tracker of writes in flight. Read when a shard is loaded: a restart applies it.
 * `history.hostLevelCacheMaxSize` (issue 33): the history service keeps the state of up to 128,000
 * workflows in memory by default, and its memory grew with the cases open (684 MiB at 12,000, 1,013
 * at 21,000, 2,165 at 51,000: about 38 KiB a case, some 4.7 GiB at the default's 128,000); a case asleep until its deadline
 * gains nothing from it (its state is read once when the timer fires). Bounded at 5,000 the server
 * stayed at 397 MiB beside 21,000 open cases with the same escalation delay (p99 0.25 s against
 * 0.26). Read at start: a restart applies it.
 */
const DYNAMIC_SETTINGS: Record<string, string> = {
  'limit.maxIDLength': '255',
  'history.shardIOConcurrency': '8',
  'history.hostLevelCacheMaxSize': '5000',
};

/** The dynamic config file: the product's settings, with `extra` (YAML) replacing any key it sets. */
export function dynamicConfigYaml(extra?: string): string {
  const replaced = new Set([...(extra ?? '').matchAll(/^([A-Za-z][\w.]*):/gm)].map((m) => m[1]!));
  const ours = Object.entries(DYNAMIC_SETTINGS)
    .filter(([key]) => !replaced.has(key))
    .map(([key, value]) => `${key}:\n  - value: ${value}\n    constraints: {}\n`);
  return ['# Written by npm run cluster (system/temporal-cluster.ts).\n', ...ours, ...(extra?.trim() ? [`${extra.trimEnd()}\n`] : [])].join('');
}

/** Starts the server and waits until it answers and the namespace exists (registered on first start). */
export async function startTemporalCluster(options: {
  tools: ServerTools;
  databaseUrl: string;
  ports: ClusterPorts;
  dir: string;
  namespace: string;
  readyTimeoutMs?: number;
  tuning?: ClusterTuning;
}): Promise<RunningTemporal & { metricsUrl: string; historyShards: number }> {
  const { tools, ports, dir, namespace } = options;
  await assertPortFree(ports.frontend, '127.0.0.1', 'the Temporal server', 'TEMPORAL_DEV_PORT');
  mkdirSync(dir, { recursive: true });
  const dynamicConfig = join(dir, 'dynamicconfig.yaml');
  const tuning = options.tuning ?? {};
  writeFileSync(dynamicConfig, dynamicConfigYaml(tuning.dynamicConfig));
  const configFile = join(dir, 'server.yaml');
  writeFileSync(configFile, configYaml(databaseOf(options.databaseUrl), ports, dynamicConfig, tuning), { mode: 0o600 });
  const logFile = join(dir, 'server.log');
  // Its own process group: Ctrl-C reaches only `npm run cluster`, which stops it after the workers.
  const server = startServerProcess(tools.server, ['--config-file', configFile, '--allow-no-auth', 'start'], { logFile, cwd: dir, graceMs: 15_000 });
  const address = `127.0.0.1:${ports.frontend}`;
  const { stop } = server;

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (server.exitCode() !== undefined) {
      throw new Error(`the Temporal server exited with code ${server.exitCode()} (log ${logFile}):\n${server.logTail(20)}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        try {
          await connection.workflowService.describeNamespace({ namespace });
        } catch (err) {
          if (!/not found/i.test((err as Error).message)) throw err;
          // Cases live for years: a long retention keeps closed ones' histories readable for audits.
          await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
          continue;
        }
        break;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the Temporal server did not answer on ${address} in time (log ${logFile})`);
      }
      await delay(500);
    }
  }
  return {
    address,
    pid: server.pid,
    exited: server.ended,
    stop,
    kill: server.kill,
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    historyShards: persistedShardCount(logFile) ?? tuning.numHistoryShards ?? DEFAULT_HISTORY_SHARDS,
  };
}

/**
 * The store's own shard count when it differs from the config's: the server keeps the count a
 * store was created with and logs the one it ignored ("mismatches persisted cluster metadata").
 */
export function persistedShardCount(logFile: string): number | undefined {
  if (!existsSync(logFile)) return undefined;
  let found: number | undefined;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('persistence.numHistoryShards')) continue;
    const value = /"value":\s*"?(\d+)/.exec(line)?.[1];
    if (value) found = Number(value);
  }
  return found;
}
