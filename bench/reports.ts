// Reports benchmark: every indicator and every grouping of GET /reports over BENCH_REPORT_CASES
// cases (default 100,000), for the whole period and for one commune. The target is under 1 s each.
// The cases come from the demo register through the import (BENCH_REPORT_SOURCE=demo, the
// default: two years of plausible cases, a quarter open, each open one a workflow), or are written
// straight in SQL (BENCH_REPORT_SOURCE=sql: minutes instead of half an hour, every case with a
// timeline and a deadline met on time, late or not yet, so timeliness has more to count).
import type { Sql } from '../db/connect';
import {
  caseloadBands,
  casesBy,
  closuresBy,
  eventCounts,
  periodCounts,
  receivedCounts,
  standingCounts,
  timeliness,
  unitsReport,
  type ReportScope,
} from '../db/reports';
import { REPORT_GROUPINGS } from '../domain/reports';
import { importRegister } from '../api/imports';
import { readRegisterCsv, toCsv } from '../api/register-file';
import { demoRegister } from '../system/demo-register';
import { seedPastCases, seedPastTimelines } from '../test/support/past-cases';
import { principalForStaff } from '../db/directory';
import { DEMO_PROVINCE, seedDemoDirectory } from '../system/demo-directory';
import { createBenchProvince, startBenchCaseSystem } from './case-system';

const CASES = Number(process.env.BENCH_REPORT_CASES ?? 100_000);
const SOURCE = process.env.BENCH_REPORT_SOURCE === 'sql' ? 'sql' : 'demo';
const TARGET_MS = 1_000;
const DAY_MS = 86_400_000;

export async function benchReports(sql: Sql, dir: string) {
  console.log(
    `\nreports: every indicator and grouping over ${CASES.toLocaleString('en')} cases ${SOURCE === 'demo' ? 'imported from the demo register' : 'written in SQL'} (target: under ${TARGET_MS} ms each)`,
  );
  const whole = SOURCE === 'demo' ? await importDemo(sql, dir) : await seed(sql, (await createBenchProvince(sql, 'bench-reports')).province);
  const province = whole.province;
  const time = async (label: string, run: () => Promise<unknown>) => {
    await run();
    const t = performance.now();
    const answer = await run();
    const ms = performance.now() - t;
    // What it counted, so a fast answer is seen to be a real one.
    const counted = JSON.stringify(answer).slice(0, 70);
    console.log(`  ${label.padEnd(40)} ${ms.toFixed(0).padStart(5)} ms ${ms < TARGET_MS ? '✓' : `✗ over ${TARGET_MS} ms`}  ${counted}`);
    return ms;
  };
  const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from cases where province = ${province}`;
  console.log(`  ${stored!.n.toLocaleString('en')} cases stored in the province`);
  let worst = 0;
  const all: Array<[string, () => Promise<unknown>]> = [
    ['indicators: received counts', () => receivedCounts(sql, whole)],
    ['indicators: timeliness', () => timeliness(sql, whole)],
    ['indicators: escalations and referrals', () => periodCounts(sql, whole)],
    ['indicators: caseload bands', () => caseloadBands(sql, whole)],
    ['indicators: what was done (timelines)', () => eventCounts(sql, whole)],
    ['indicators: overdue now, staff', () => standingCounts(sql, whole)],
    ['closures by reason and goals met', () => closuresBy(sql, whole)],
    ['per unit: received, overdue, escalations', () => unitsReport(sql, whole)],
    ...REPORT_GROUPINGS.map((by): [string, () => Promise<unknown>] => [`cases by ${by}`, () => casesBy(sql, whole, by)]),
    ['cases by category, one commune', () => casesBy(sql, { ...whole, commune: 'Hạ Long' }, 'category')],
  ];
  for (const [label, run] of all) worst = Math.max(worst, await time(label, run));
  console.log(`  slowest: ${worst.toFixed(0)} ms (target: under ${TARGET_MS} ms)`);
}

/** Cases written straight in SQL, each with a timeline and a deadline; they came in over the last CASES minutes. */
async function seed(sql: Sql, province: string): Promise<ReportScope> {
  const chunk = 20_000;
  for (let seeded = 0; seeded < CASES; seeded += chunk) {
    await seedPastCases(sql, province, Math.min(chunk, CASES - seeded));
    process.stdout.write(`\r  storing cases… ${Math.min(seeded + chunk, CASES).toLocaleString('en')}`);
  }
  process.stdout.write('\n');
  await seedPastTimelines(sql, province);
  return { province, from: new Date(Date.now() - (CASES + 60) * 60_000), until: new Date(Date.now() + 60_000) };
}

/**
 * The demo register through the import into the demo province (its units, staff and communes), as
 * `npm run demo` brings it in, with progress; its two years are the period. The register numbers
 * are the bench's own, so the console bench's demo cases in the same run are not taken for them.
 */
async function importDemo(sql: Sql, dir: string): Promise<ReportScope> {
  const part = 1_000;
  await seedDemoDirectory(sql);
  const [admin] = await sql<{ id: string }[]>`select id from staff where username = 'admin1'`;
  const who = (await principalForStaff(sql, admin!.id))!;
  const { client, taskQueue, stop } = await startBenchCaseSystem(sql, dir, 'reports');
  try {
    const [header, ...rows] = demoRegister(CASES, 2018).map((r, n) => (n === 0 ? r : [`R${r[0]}`, ...r.slice(1)]));
    const deps = { sql, temporal: client, taskQueue, routingTimeoutMs: 120_000 };
    const started = performance.now();
    let rejected = 0;
    for (let from = 0; from < rows.length; from += part) {
      const report = await importRegister(deps, who, DEMO_PROVINCE.name, readRegisterCsv(toCsv([header!, ...rows.slice(from, from + part)])));
      rejected += report.rejected.length;
      const done = Math.min(from + part, rows.length);
      const perSecond = done / ((performance.now() - started) / 1000);
      const left = Math.round((rows.length - done) / perSecond / 60);
      process.stdout.write(
        `\r  importing the demo register… ${done.toLocaleString('en')} / ${rows.length.toLocaleString('en')} (${perSecond.toFixed(0)} rows/s, about ${left} min left)   `,
      );
    }
    process.stdout.write('\n');
    console.log(`  imported in ${((performance.now() - started) / 60_000).toFixed(1)} min, ${rejected} rows rejected`);
  } finally {
    await stop();
  }
  return { province: DEMO_PROVINCE.code, from: new Date(Date.now() - 800 * DAY_MS), until: new Date(Date.now() + DAY_MS) };
}
