// Import benchmark: the demo register of BENCH_IMPORT_ROWS rows (default 10,000; about a quarter
// open) brought in through importRegister in parts of 500 rows, as `npm run import` sends them,
// against the Temporal dev server: rows per second for the whole, then for closed rows alone (a
// transaction each) and open rows alone (a workflow start each): what limits it.
import { importRegister } from '../api/imports';
import { readRegisterCsv, toCsv } from '../api/register-file';
import type { Sql } from '../db/connect';
import { demoRegister } from '../system/demo-register';
import { createBenchProvince, startBenchCaseSystem } from './case-system';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const PART = 500;

export async function benchImports(sql: Sql, dir: string) {
  console.log(`\nimport: the demo register of ${ROWS.toLocaleString('en')} rows through importRegister, in parts of ${PART}`);
  const { province, admin } = await createBenchProvince(sql, 'bench');

  const { client, taskQueue, stop } = await startBenchCaseSystem(sql, dir, 'imports');
  try {
    const [header, ...rows] = demoRegister(ROWS, 2026);
    const deps = { sql, temporal: client, taskQueue, routingTimeoutMs: 60_000 };
    const t0 = performance.now();
    let accepted = 0;
    let rejected = 0;
    for (let from = 0; from < rows.length; from += PART) {
      const report = await importRegister(deps, admin, 'Quảng Ninh', readRegisterCsv(toCsv([header!, ...rows.slice(from, from + PART)])));
      accepted += report.accepted;
      rejected += report.rejected.length;
      process.stdout.write(`\r  ${Math.min(from + PART, rows.length).toLocaleString('en')} / ${rows.length.toLocaleString('en')} rows`);
    }
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write('\n');
    const [open] = await sql<{ n: number }[]>`select count(*)::int as n from cases where province = ${province} and stage <> 'closed'`;
    console.log(
      `  ${accepted.toLocaleString('en')} imported (${open?.n.toLocaleString('en')} open, each a workflow), ${rejected} rejected, in ${seconds.toFixed(0)} s: ${(rows.length / seconds).toFixed(0)} rows/s`,
    );
    // What limits it: closed rows (a transaction each) against open rows (a workflow start each).
    const more = demoRegister(4_000, 7).slice(1);
    for (const [label, wanted] of [
      ['closed', (r: string[]) => r[11] === 'closed'],
      ['open', (r: string[]) => r[11] !== 'closed'],
    ] as const) {
      const part = more
        .filter(wanted)
        .slice(0, PART)
        .map((r) => [`X${label}-${r[0]}`, ...r.slice(1)]);
      const t = performance.now();
      await importRegister(deps, admin, 'Quảng Ninh', readRegisterCsv(toCsv([header!, ...part])));
      console.log(`  ${part.length} ${label} rows alone: ${(part.length / ((performance.now() - t) / 1000)).toFixed(0)} rows/s`);
    }
    const again = performance.now();
    const second = await importRegister(deps, admin, 'Quảng Ninh', readRegisterCsv(toCsv([header!, ...rows.slice(0, 2_000)])));
    console.log(
      `  a second run of ${Math.min(2_000, rows.length).toLocaleString('en')} rows: ${second.unchanged.toLocaleString('en')} unchanged in ${((performance.now() - again) / 1000).toFixed(1)} s`,
    );
  } finally {
    await stop();
  }
}
