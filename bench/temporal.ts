// The Temporal server a benchmark runs against: the CLI's dev server (SQLite), or the real server
// with PostgreSQL persistence as `npm run cluster` runs it (its databases on the benchmark's own
// PostgreSQL). BENCH_SERVERS=dev,cluster (the default) measures on both, one after the other.
import { join } from 'node:path';
import { freePort } from '../system/ports';
import { readFileSync } from 'node:fs';
import { ensureTemporalServer, pickClusterPorts, prepareTemporalDatabases, startTemporalCluster, type ClusterTuning } from '../system/temporal-cluster';
import { startTemporalDevServer, type RunningTemporal } from '../system/temporal-dev-server';
import { ensureTools } from '../system/tools';

export type BenchServer = 'dev' | 'cluster';

export const BENCH_SERVERS: BenchServer[] = (process.env.BENCH_SERVERS ?? 'dev,cluster')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is BenchServer => s === 'dev' || s === 'cluster');

export const SERVER_NAMES: Record<BenchServer, string> = {
  dev: 'the Temporal dev server (SQLite)',
  cluster: 'the Temporal server v1.32 on PostgreSQL',
};

/**
 * The real server's settings for an experiment (issue 33), from the environment:
 * BENCH_TEMPORAL_SHARDS (history shards; only a new store takes them — the bench's own PostgreSQL
 * is new at each `npm run bench`, but its runs share one store), BENCH_TEMPORAL_MAX_CONNS (the
 * `temporal` database's pool), BENCH_TEMPORAL_DYNAMIC (a file of dynamic config to add).
 */
export function benchClusterTuning(env: NodeJS.ProcessEnv = process.env): ClusterTuning {
  const tuning: ClusterTuning = {};
  if (env.BENCH_TEMPORAL_SHARDS) tuning.numHistoryShards = Number(env.BENCH_TEMPORAL_SHARDS);
  if (env.BENCH_TEMPORAL_MAX_CONNS) tuning.maxConns = Number(env.BENCH_TEMPORAL_MAX_CONNS);
  if (env.BENCH_TEMPORAL_DYNAMIC) tuning.dynamicConfig = readFileSync(env.BENCH_TEMPORAL_DYNAMIC, 'utf8');
  return tuning;
}

/** A benchmark's Temporal server; `restart` stops it and starts it again on the same store and ports (BENCH_RESTART). */
export interface BenchTemporal {
  address: string;
  /** The server process now (a restart starts another). */
  readonly pid: number | undefined;
  metricsUrl?: string;
  stop(): Promise<void>;
  restart(downMs: number): Promise<void>;
}

export async function startBenchTemporal(server: BenchServer, dir: string, name: string, databaseUrl: string): Promise<BenchTemporal> {
  if (server === 'dev') {
    const port = await freePort();
    const start = async () =>
      await startTemporalDevServer({
        cliPath: ensureTools(['cli']).cli,
        dbFile: join(dir, `temporal-${name}.sqlite`),
        logFile: join(dir, `temporal-${name}.log`),
        port,
      });
    return restartable(await start(), start);
  }
  const say = (line: string) => console.log(`  ${line}`);
  const tuning = benchClusterTuning();
  const tools = ensureTemporalServer(say);
  await prepareTemporalDatabases(tools, databaseUrl, () => {});
  const ports = await pickClusterPorts(await freePort());
  const start = async () => await startTemporalCluster({ tools, databaseUrl, ports, dir: join(dir, `temporal-server-${name}`), namespace: 'default', tuning });
  const cluster = await start();
  const settings = [
    `${cluster.historyShards} history shards${tuning.numHistoryShards && tuning.numHistoryShards !== cluster.historyShards ? ` (${tuning.numHistoryShards} asked for: the store was made with ${cluster.historyShards} and keeps them)` : ''}`,
    ...(tuning.maxConns ? [`${tuning.maxConns} connections`] : []),
    ...(tuning.dynamicConfig ? [`dynamic config + ${tuning.dynamicConfig.trim().replace(/\s+/g, ' ')}`] : []),
  ];
  say(`the server: ${settings.join('; ')}`);
  return restartable(cluster, start, cluster.metricsUrl);
}

// An object with a getter, not spread anywhere: `pid` follows the server across a restart.
function restartable(first: RunningTemporal, start: () => Promise<RunningTemporal>, metricsUrl?: string): BenchTemporal {
  let running = first;
  return {
    address: first.address,
    ...(metricsUrl ? { metricsUrl } : {}),
    get pid() {
      return running.pid;
    },
    stop: async () => await running.stop(),
    async restart(downMs: number) {
      await running.stop();
      await new Promise((r) => setTimeout(r, downMs));
      running = await start();
    },
  };
}
