// Placements benchmark (issue 28): what placing a person costs over HTTP on the dev server, against
// a note on the same cases in the same run (the baseline: an action that records one event and
// nothing else). Placing also reads the carer, plans the placement's clock and, in the event's
// transaction, counts the carer's current placements under its row lock (P3): BENCH_PLACEMENTS
// children (default 200) placed BENCH_PLACEMENT_CONCURRENCY at a time (default 16) all in ONE
// shelter, so every write waits for that one lock — the worst case a province meets. Then the last
// place of a carer asked for by 16 workers at once: exactly one gets it. Target: placing within 3×
// a note's p50, and GET /placements?active=true over them all under 200 ms.
import type { Sql } from '../db/connect';
import { insertCarer } from '../db/carers';
import { DEMO_PASSWORD, DEMO_PROVINCE, seedDemoDirectory } from '../system/demo-directory';
import { abusedChild } from '../test/support/intakes';
import { startBenchApi, startBenchCaseSystem } from './case-system';

const CHILDREN = Number(process.env.BENCH_PLACEMENTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_PLACEMENT_CONCURRENCY ?? 16);
const TARGET_RATIO = 3;
const LIST_TARGET_MS = 200;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Runs `one` over every item, `CONCURRENCY` at a time; the milliseconds each took. */
async function timed<T>(items: T[], one: (item: T) => Promise<void>): Promise<number[]> {
  const took: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const started = performance.now();
        await one(item);
        took.push(performance.now() - started);
      }
    }),
  );
  return took.sort((a, b) => a - b);
}

export async function benchPlacements(sql: Sql, dir: string) {
  console.log(`\nplacements: ${CHILDREN} children placed in one shelter, ${CONCURRENCY} at a time, against a note on the same cases`);
  await seedDemoDirectory(sql);
  const system = await startBenchCaseSystem(sql, dir, 'placements');
  const api = await startBenchApi(sql, system);
  try {
    const login = await fetch(`${api.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'worker1', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const call = async (method: string, path: string, body: unknown, expected: number[]) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await res.json()) as { id?: string; error?: { code: string } };
      if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
      return { status: res.status, body: answer };
    };

    const cases: string[] = [];
    await timed(
      Array.from({ length: CHILDREN }, (_, n) => n),
      async () => void cases.push((await call('POST', '/cases', abusedChild(), [201])).body.id!),
    );
    const shelter = await insertCarer(sql, DEMO_PROVINCE.code, { kind: 'shelter', name: 'Bench shelter', commune: 'Hạ Long', capacity: CHILDREN, contact: {} });
    const reason = 'Trẻ cần nơi ở an toàn';
    const notes = await timed(cases, async (id) => void (await call('POST', `/cases/${id}/notes`, { text: 'Gọi điện cho mẹ' }, [200])));
    const places = await timed(cases, async (id) => {
      await call('POST', `/cases/${id}/placements`, { carerId: shelter.id, kind: 'shelter_stay', startsAt: new Date().toISOString(), reason }, [201]);
    });
    const [taken] = await sql<{ n: number }[]>`select count(*)::int as n from placements where carer_id = ${shelter.id} and status <> 'ended'`;
    const lists = await timed(
      Array.from({ length: 20 }, (_, n) => n),
      async () => void (await call('GET', '/placements?active=true&limit=1000', undefined, [200])),
    );

    // The last place of a carer, asked for by CONCURRENCY workers at once (P3).
    const last = await insertCarer(sql, DEMO_PROVINCE.code, { kind: 'foster_family', name: 'Bench family', commune: 'Hạ Long', capacity: 1, contact: {} });
    const askers = cases.slice(0, CONCURRENCY);
    for (const id of askers) {
      const { body } = await call('GET', `/cases/${id}`, undefined, [200]);
      const current = (body as { placement?: { id: string } }).placement!;
      await call('POST', `/cases/${id}/placements/${current.id}/end`, { endedAt: new Date().toISOString(), outcome: 'returned_home', note: 'Về nhà' }, [200]);
    }
    const race = await Promise.all(
      askers.map((id) =>
        call('POST', `/cases/${id}/placements`, { carerId: last.id, kind: 'foster_care', startsAt: new Date().toISOString(), reason }, [201, 409]),
      ),
    );
    const won = race.filter((r) => r.status === 201).length;
    const full = race.filter((r) => r.body.error?.code === 'carer_full').length;

    const ratio = percentile(places, 50) / percentile(notes, 50);
    const row = (name: string, t: number[]) =>
      `  ${name.padEnd(44)} p50 ${percentile(t, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(t, 99).toFixed(0).padStart(5)} ms`;
    console.log(row('a note (baseline)', notes));
    console.log(row('placing, all in one shelter (P3 lock)', places));
    console.log(row(`GET /placements?active=true (${taken!.n} current)`, lists));
    console.log(`  placing / note at p50: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×)  ${ratio <= TARGET_RATIO ? 'ok' : 'OVER'}`);
    console.log(`  list p50 ${percentile(lists, 50).toFixed(0)} ms (target < ${LIST_TARGET_MS} ms)  ${percentile(lists, 50) < LIST_TARGET_MS ? 'ok' : 'OVER'}`);
    console.log(`  the shelter holds ${taken!.n} of ${CHILDREN}; its last place asked for by ${askers.length} at once: ${won} placed, ${full} carer_full`);
    if (taken!.n !== CHILDREN || won !== 1 || full !== askers.length - 1) throw new Error('P3 broken: a carer over its capacity, or a free place refused');
  } finally {
    await api.close();
    await system.stop();
  }
}
