// `npm run bench`: the product's speed and memory figures, measured on this machine. Uses
// BENCH_DATABASE_URL, or starts a throwaway embedded PostgreSQL. BENCH_ONLY=rules,
// BENCH_ONLY=intake, BENCH_ONLY=lifecycle, BENCH_ONLY=worker-memory, BENCH_ONLY=deliveries, BENCH_ONLY=imports, BENCH_ONLY=console, BENCH_ONLY=reports, BENCH_ONLY=placements, BENCH_ONLY=case-file or BENCH_ONLY=backup runs one part.
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '../db/connect';
import { migrate } from '../db/migrate';
import { startEmbeddedPostgres } from '../system/embedded-postgres';
import { freePort } from '../system/ports';
import { benchBackup } from './backup';
import { benchCaseFile } from './case-file';
import { benchConsole } from './console';
import { benchDeliveries } from './deliveries';
import { benchImports } from './imports';
import { benchIntake } from './intake';
import { benchPlacements } from './placements';
import { benchLifecycle } from './lifecycle';
import { benchReports } from './reports';
import { benchWorkerMemory } from './worker-memory';
import { benchBacktest, benchEvaluations } from './rules';

const dir = mkdtempSync(join(tmpdir(), 'case-flow-bench-'));
chmodSync(dir, 0o755);
// pg_stat_statements loaded, so the intake bench can count the product's statements per intake.
const embedded = process.env.BENCH_DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dir: join(dir, 'postgres'), port: await freePort(), settings: ['shared_preload_libraries=pg_stat_statements'] });
// Ctrl-C stops the embedded server too, instead of leaving it running with a half-done delete.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void embedded?.stop().finally(() => process.exit(130)));
}
const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
const sql = connectDatabase(databaseUrl, { max: 10 });
try {
  await migrate(sql);
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'rules') {
    await benchEvaluations();
    // A smaller run first: flat memory means the same peak for 5 times the cases.
    await benchBacktest(sql, 20_000);
    await benchBacktest(sql);
  }
  if (!only || only === 'intake') await benchIntake(sql, dir, databaseUrl);
  if (!only || only === 'lifecycle') await benchLifecycle(sql, dir, databaseUrl);
  if (!only || only === 'worker-memory') await benchWorkerMemory(sql, dir, databaseUrl);
  if (!only || only === 'deliveries') await benchDeliveries(sql, dir);
  if (!only || only === 'imports') await benchImports(sql, dir);
  if (!only || only === 'console') await benchConsole(sql, dir);
  if (!only || only === 'reports') await benchReports(sql, dir);
  if (!only || only === 'placements') await benchPlacements(sql, dir);
  if (!only || only === 'case-file') await benchCaseFile(sql, dir);
  if (!only || only === 'backup') await benchBackup(dir);
} finally {
  await sql.end();
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
}
