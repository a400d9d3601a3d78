// Reports benchmark: every indicator and every grouping of GET /reports over BENCH_REPORT_CASES
// stored cases (default 100,000, varied facts over about two weeks, each with a timeline and a
// deadline, met on time, late or not yet), for the whole period and for one unit. The target is under 1 s each.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/connect';
import { caseloadBands, casesBy, eventCounts, periodCounts, receivedCounts, standingCounts, timeliness, type ReportScope } from '../db/reports';
import { REPORT_GROUPINGS } from '../domain/reports';
import { seedPastCases, seedPastTimelines } from '../test/support/past-cases';

const CASES = Number(process.env.BENCH_REPORT_CASES ?? 100_000);
const TARGET_MS = 1_000;
const CHUNK = 20_000;

export async function benchReports(sql: Sql) {
  console.log(`\nreports: every indicator and grouping over ${CASES.toLocaleString('en')} cases (target: under ${TARGET_MS} ms each)`);
  const province = `bench-reports-${randomUUID().slice(0, 8)}`;
  for (let seeded = 0; seeded < CASES; seeded += CHUNK) {
    await seedPastCases(sql, province, Math.min(CHUNK, CASES - seeded));
    process.stdout.write(`\r  storing cases… ${Math.min(seeded + CHUNK, CASES).toLocaleString('en')}`);
  }
  process.stdout.write('\n');
  await seedPastTimelines(sql, province);
  // The seeded cases came in over the last CASES minutes.
  const whole: ReportScope = { province, from: new Date(Date.now() - (CASES + 60) * 60_000), until: new Date(Date.now() + 60_000) };
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
  let worst = 0;
  const all: Array<[string, () => Promise<unknown>]> = [
    ['indicators: received counts', () => receivedCounts(sql, whole)],
    ['indicators: timeliness', () => timeliness(sql, whole)],
    ['indicators: escalations and referrals', () => periodCounts(sql, whole)],
    ['indicators: caseload bands', () => caseloadBands(sql, whole)],
    ['indicators: what was done (timelines)', () => eventCounts(sql, whole)],
    ['indicators: overdue now, staff', () => standingCounts(sql, whole)],
    ...REPORT_GROUPINGS.map((by): [string, () => Promise<unknown>] => [`cases by ${by}`, () => casesBy(sql, whole, by)]),
    ['cases by category, one commune', () => casesBy(sql, { ...whole, commune: 'Hạ Long' }, 'category')],
  ];
  for (const [label, run] of all) worst = Math.max(worst, await time(label, run));
  console.log(`  slowest: ${worst.toFixed(0)} ms (target: under ${TARGET_MS} ms)`);
}
