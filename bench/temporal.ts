// The Temporal server a benchmark runs against: the CLI's dev server (SQLite), or the real server
// with PostgreSQL persistence as `npm run cluster` runs it (its databases on the benchmark's own
// PostgreSQL). BENCH_SERVERS=dev,cluster (the default) measures on both, one after the other.
import { join } from 'node:path';
import { freePort } from '../system/ports';
import { readFileSync } from 'node:fs';
import { ensureTemporalServer, pickClusterPorts, prepareTemporalDatabases, startTemporalCluster, type ClusterTuning } from '../system/temporal-cluster';
import { startTemporalDevServer } from '../system/temporal-dev-server';
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

export async function startBenchTemporal(
  server: BenchServer,
  dir: string,
  name: string,
  databaseUrl: string,
): Promise<{ address: string; pid?: number; stop(): Promise<void>; metricsUrl?: string }> {
  if (server === 'dev') {
    const dev = await startTemporalDevServer({
      cliPath: ensureTools(['cli']).cli,
      dbFile: join(dir, `temporal-${name}.sqlite`),
      logFile: join(dir, `temporal-${name}.log`),
      port: await freePort(),
    });
    return { address: dev.address, pid: dev.pid, stop: dev.stop };
  }
  const say = (line: string) => console.log(`  ${line}`);
  const tuning = benchClusterTuning();
  const tools = ensureTemporalServer(say);
  await prepareTemporalDatabases(tools, databaseUrl, () => {});
  const cluster = await startTemporalCluster({
    tools,
    databaseUrl,
    ports: await pickClusterPorts(await freePort()),
    dir: join(dir, `temporal-server-${name}`),
    namespace: 'default',
    tuning,
  });
  const settings = [
    `${cluster.historyShards} history shards${tuning.numHistoryShards && tuning.numHistoryShards !== cluster.historyShards ? ` (${tuning.numHistoryShards} asked for: the store was made with ${cluster.historyShards} and keeps them)` : ''}`,
    ...(tuning.maxConns ? [`${tuning.maxConns} connections`] : []),
    ...(tuning.dynamicConfig ? [`dynamic config + ${tuning.dynamicConfig.trim().replace(/\s+/g, ' ')}`] : []),
  ];
  say(`the server: ${settings.join('; ')}`);
  return { address: cluster.address, pid: cluster.pid, stop: cluster.stop, metricsUrl: cluster.metricsUrl };
}
