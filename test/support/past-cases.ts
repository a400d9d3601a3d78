// Past cases with varied facts, written straight to PostgreSQL in one statement: for the
// backtest's test and benchmark, which need thousands of them.
import type { Sql } from '../../db/connect';

/** Stores `count` past cases with varied facts in a province of their own, in SQL batches. */
export async function seedPastCases(sql: Sql, province: string, count: number) {
  await sql`insert into provinces (code, name) values (${province}, ${province}) on conflict do nothing`;
  // Facts as a real caseload has them: most concerns absent, ages across the whole life span.
  await sql`
    with made as (
      select gen_random_uuid() as id, now() - (n || ' minutes')::interval as at,
             jsonb_build_object(
               'channel', (array['hotline','walk_in','collaborator','referral','outreach','counselling_cafe'])[1 + n % 6],
               'age', a.age, 'isChild', a.age < 16,
               'gender', (array['female','male','other','unknown'])[1 + n % 4],
               'ethnicMinority', random() < 0.15, 'remote', random() < 0.2,
               'categories', case when random() < 0.2 then '["older_person_alone"]'::jsonb when random() < 0.1 then '["domestic_violence_victim"]'::jsonb else '[]'::jsonb end,
               'immediateDanger', random() < 0.03, 'injury', random() < 0.1, 'sexualAbuse', random() < 0.02, 'trafficking', random() < 0.01,
               'violenceOngoing', random() < 0.08, 'perpetratorHasAccess', random() < 0.05, 'selfHarmRisk', random() < 0.03,
               'noSafeShelter', random() < 0.06, 'noCaregiver', random() < 0.05, 'livesAlone', random() < 0.15,
               'medicalUrgent', random() < 0.04, 'basicNeedsUnmet', random() < 0.12) as facts
      from generate_series(1, ${count}) as n, lateral (select floor(random() * 96)::int + n * 0 as age) a
    ), cases_made as (
      insert into cases (id, ref, channel, intake, stage, path, risk_level, created_at, province)
      select id, 'PAST-' || id::text, facts->>'channel', '{}'::jsonb, 'assessment', 'standard', 'low', at, ${province} from made
      returning id
    )
    insert into routing_decisions (case_id, seq, score, level, path, reasons, ruleset_version, facts, decided_at)
    select id, 1, 0, 'low', 'standard', '[]'::jsonb, 1, facts, at from made`;
}

/**
 * A timeline and a deadline for each past case of a province, as the workflows write them: routed,
 * most assessed, some with a plan approved, a third closed; deadlines mostly met on time.
 */
export async function seedPastTimelines(sql: Sql, province: string) {
  await sql`
    insert into case_events (case_id, seq, at, kind)
    select c.id, s.seq, c.created_at + s.after, s.kind
    from cases c, lateral (values
      (1, interval '0', 'case.routed', true),
      (2, interval '2 days', 'assessment.recorded', (hashtext(c.id::text) & 1023) < 716),
      (3, interval '4 days', 'plan.approved', (hashtext(c.id::text) & 1023) < 512),
      (4, interval '7 days', 'closure.approved', (hashtext(c.id::text) & 1023) < 307)) as s(seq, after, kind, happened)
    where c.province = ${province} and s.happened
    on conflict do nothing`;
  await sql`
    insert into case_deadlines (case_id, key, step, started_at, due_at, met_at)
    select c.id, 'd1', (array['emergency_response','assessment','planning','plan_approval','review','closure_approval'])[1 + (hashtext(c.id::text) & 5)],
           c.created_at, c.created_at + interval '3 days',
           case when random() < 0.8 then c.created_at + (random() * interval '3 days') when random() < 0.5 then c.created_at + interval '5 days' end
    from cases c where c.province = ${province}
    on conflict do nothing`;
  for (const table of ['cases', 'routing_decisions', 'case_deadlines', 'case_events']) await sql.unsafe(`analyze ${table}`);
}
