// The threaded backtest gives exactly the answer of the single-threaded one.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type Sql } from '../../db/connect';
import { backtest } from '../../rules/backtest';
import { loadDefaultRuleset } from '../../rules/default-ruleset';
import { seedPastCases } from '../support/past-cases';
import { freshProvince } from '../support/province';

let sql: Sql;
let province: string;

beforeAll(async () => {
  sql = connectDatabase(inject('databaseUrl'));
  province = (await freshProvince(sql)).code;
  await seedPastCases(sql, province, 3_000);
});

afterAll(async () => {
  await sql?.end();
});

describe('backtest', () => {
  it('scores past cases the same on threads as in one thread', async () => {
    const ruleset = loadDefaultRuleset();
    ruleset.document.scoring.thresholds.find((t) => t.level === 'high')!.minPoints = 25;
    const one = await backtest(sql, province, ruleset, {}, undefined, { threads: 0 });
    const two = await backtest(sql, province, ruleset, {}, undefined, { threads: 2 });
    expect(one.cases).toBe(3_000);
    expect(one.changedPath).toBeGreaterThan(0);
    expect({ ...two, durationMs: 0 }).toEqual({ ...one, durationMs: 0 });
  });
});
