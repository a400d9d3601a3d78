// Migrations over data of the older shape: a database migrated to 006 holds cases and a
// published deadline policy; migrating the rest numbers every case and gives every province a
// policy that knows the new step, so stored policies stay valid.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashJson } from '../../db/canonical-json';
import { connectDatabase, createDatabaseIfMissing, jsonb, type Sql } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { DeadlinePolicySchema, deadlinePolicyProblems } from '../../domain/deadlines';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';

let sql: Sql;

beforeAll(async () => {
  const name = `migrations_${randomUUID().slice(0, 8)}`;
  const url = inject('databaseUrl').replace(/\/[^/]*$/, `/${name}`);
  await createDatabaseIfMissing(url, name);
  sql = connectDatabase(url, { max: 1 });
  await migrate(sql, () => {}, { until: '006' });
});

afterAll(async () => {
  await sql?.end();
});

describe('migration 007 over existing data', () => {
  it('numbers existing cases per province and year in arrival order, and publishes a deadline policy with referral_response', async () => {
    await sql`insert into provinces (code, name) values ('quang-ninh', 'Quảng Ninh'), ('ha-noi', 'Hà Nội')`;
    const arrivals: Array<[string, string]> = [
      ['quang-ninh', '2025-12-31T18:00:00Z'], // 1 January 2026 in Vietnam
      ['quang-ninh', '2025-12-31T10:00:00Z'],
      ['quang-ninh', '2026-03-01T00:00:00Z'],
      ['ha-noi', '2026-02-01T00:00:00Z'],
    ];
    const ids: string[] = [];
    for (const [province, at] of arrivals) {
      const id = randomUUID();
      ids.push(id);
      await sql`insert into cases (id, channel, intake, stage, path, risk_level, created_at, province)
                values (${id}, 'hotline', '{}'::jsonb, 'assessment', 'standard', 'low', ${at}, ${province})`;
    }
    // A province's deadline policy as issue 12 left it: every step but the new one.
    const old = loadDefaultDeadlinePolicy();
    const before = { ...old, rules: old.rules.filter((r) => r.step !== 'referral_response') };
    await sql`insert into policy_versions (province, kind, version, status, document, checksum, author, published_at)
              values ('quang-ninh', 'deadlines', 1, 'published', ${jsonb(sql, before)}, ${hashJson(before)}, 'system', now())`;

    expect(await migrate(sql)).toEqual(expect.arrayContaining(['007_referrals.sql', '007_referral_response_deadlines']));

    const refs = await sql<{ id: string; ref: string }[]>`select id, ref from cases`;
    const refOf = new Map(refs.map((r) => [r.id, r.ref]));
    // The year is Vietnam's: 18:00 UTC on 31 December is already 2026 there.
    expect(ids.map((id) => refOf.get(id))).toEqual(['QN-2026-000001', 'QN-2025-000001', 'QN-2026-000002', 'HN-2026-000001']);
    const counters = await sql`select province, year, last from case_ref_counters order by province, year`;
    expect(counters.map((c) => `${c.province}/${c.year}:${c.last}`)).toEqual(['ha-noi/2026:1', 'quang-ninh/2025:1', 'quang-ninh/2026:2']);
    const versions = await sql<{ version: number; status: string; document: unknown; checksum: string; derived_from: number | null }[]>`
      select version, status, document, checksum, derived_from from policy_versions where province = 'quang-ninh' and kind = 'deadlines' order by version`;
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'retired'],
      [2, 'published'],
    ]);
    const published = DeadlinePolicySchema.parse(versions[1]!.document);
    expect(deadlinePolicyProblems(published)).toEqual([]);
    expect(versions[1]!.checksum).toBe(hashJson(versions[1]!.document));
    expect(versions[1]!.derived_from).toBe(1);
    // Migrating again changes nothing.
    expect(await migrate(sql)).toEqual([]);
  });
});

describe('migration 014 over a province’s policy of issue 27', () => {
  it('publishes one new version with the placement steps (P1), valid, and changes nothing a second time', async () => {
    const name = `migrations014_${randomUUID().slice(0, 8)}`;
    const url = inject('databaseUrl').replace(/\/[^/]*$/, `/${name}`);
    await createDatabaseIfMissing(url, name);
    const db = connectDatabase(url, { max: 1 });
    try {
      await migrate(db, () => {}, { until: '013' });
      await db`insert into provinces (code, name) values ('bac-lieu', 'Bạc Liêu')`;
      const old = loadDefaultDeadlinePolicy();
      const before = { ...old, rules: old.rules.filter((r) => r.step !== 'separation_limit' && r.step !== 'placement_visit') };
      await db`insert into policy_versions (province, kind, version, status, document, checksum, author, published_at)
               values ('bac-lieu', 'deadlines', 4, 'published', ${jsonb(db, before)}, ${hashJson(before)}, 'manager', now())`;
      expect(await migrate(db)).toEqual(expect.arrayContaining(['014_carers.sql', '014_placement_deadlines']));
      const [now] = await db<{ version: number; document: unknown; derived_from: number }[]>`
        select version, document, derived_from from policy_versions where province = 'bac-lieu' and kind = 'deadlines' and status = 'published'`;
      expect(now).toMatchObject({ version: 5, derived_from: 4 });
      const published = DeadlinePolicySchema.parse(now!.document);
      expect(deadlinePolicyProblems(published)).toEqual([]);
      expect(published.rules.filter((r) => r.step === 'separation_limit')).toEqual([
        { step: 'separation_limit', due: 'P15D', warning: 'P2D', supervisorGrace: 'PT0S', managerGrace: 'PT0S' },
      ]);
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.end();
    }
  });
});

describe('migration 016 over a province’s policy of issue 28', () => {
  it('publishes one new version with the step session_record, valid, and changes nothing a second time', async () => {
    const name = `migrations016_${randomUUID().slice(0, 8)}`;
    const url = inject('databaseUrl').replace(/\/[^/]*$/, `/${name}`);
    await createDatabaseIfMissing(url, name);
    const db = connectDatabase(url, { max: 1 });
    try {
      await migrate(db, () => {}, { until: '015' });
      await db`insert into provinces (code, name) values ('quang-ninh', 'Quảng Ninh')`;
      const old = loadDefaultDeadlinePolicy();
      const before = { ...old, rules: old.rules.filter((r) => r.step !== 'session_record') };
      await db`insert into policy_versions (province, kind, version, status, document, checksum, author, published_at)
               values ('quang-ninh', 'deadlines', 7, 'published', ${jsonb(db, before)}, ${hashJson(before)}, 'manager', now())`;
      expect(await migrate(db)).toEqual(expect.arrayContaining(['016_programme_occurrences.sql', '016_session_record_deadlines']));
      const [now] = await db<{ version: number; document: unknown; derived_from: number }[]>`
        select version, document, derived_from from policy_versions where province = 'quang-ninh' and kind = 'deadlines' and status = 'published'`;
      expect(now).toMatchObject({ version: 8, derived_from: 7 });
      const published = DeadlinePolicySchema.parse(now!.document);
      expect(deadlinePolicyProblems(published)).toEqual([]);
      expect(published.rules.filter((r) => r.step === 'session_record')).toEqual([
        { step: 'session_record', due: { workingDays: 2 }, supervisorGrace: { workingDays: 1 }, managerGrace: { workingDays: 5 } },
      ]);
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
