// The Temporal server a benchmark runs against: the CLI's dev server (SQLite), or the real server
// with PostgreSQL persistence as `npm run cluster` runs it (its databases on the benchmark's own
// PostgreSQL). BENCH_SERVERS=dev,cluster (the default) measures on both, one after the other.
import { join } from 'node:path';
import { freePort } from '../system/ports';
import { ensureTemporalServer, pickClusterPorts, prepareTemporalDatabases, startTemporalCluster } from '../system/temporal-cluster';
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

export async function startBenchTemporal(
  server: BenchServer,
  dir: string,
  name: string,
  databaseUrl: string,
): Promise<{ address: string; pid?: number; stop(): Promise<void> }> {
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
  const tools = ensureTemporalServer(say);
  await prepareTemporalDatabases(tools, databaseUrl, () => {});
  const cluster = await startTemporalCluster({
    tools,
    databaseUrl,
    ports: await pickClusterPorts(await freePort()),
    dir: join(dir, `temporal-server-${name}`),
    namespace: 'default',
  });
  return { address: cluster.address, pid: cluster.pid, stop: cluster.stop };
}
