// Routing rules benchmark: evaluations per second (ours vs a naive Engine per call), and a
// backtest over 100,000 stored cases in PostgreSQL with its time and memory.
import { randomUUID } from 'node:crypto';
import { Engine } from 'json-rules-engine';
import type { Sql } from '../db/connect';
import type { Rule, RulesetDocument, VersionedRuleset } from '../domain/ruleset';
import { backtest } from '../rules/backtest';
import { loadDefaultRuleset } from '../rules/default-ruleset';
import { evaluateRisk } from '../rules/engine';
import type { RoutingFacts } from '../domain/routing-facts';
import { routingFacts } from '../rules/facts';
import { abusedChild, intake, lonelyOlderMan } from '../test/support/intakes';
import { seedPastCases } from '../test/support/past-cases';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function sampleFacts(): RoutingFacts[] {
  const now = new Date();
  return [
    abusedChild(),
    lonelyOlderMan(),
    intake(),
    intake({ categories: ['domestic_violence_victim'], concerns: { injury: true } }),
    intake({ client: { age: 9 }, concerns: { noCaregiver: true } }),
    intake({ categories: ['homeless', 'depression'], concerns: { selfHarmRisk: true } }),
  ].map((i) => routingFacts(i, now));
}

/** A large ruleset of the same kind: age bands × concerns, as a province might grow one. */
export function generatedRuleset(size: number): RulesetDocument {
  const base = loadDefaultRuleset().document;
  const concerns = ['injury', 'noSafeShelter', 'basicNeedsUnmet', 'livesAlone', 'medicalUrgent', 'violenceOngoing'];
  const rules: Rule[] = Array.from({ length: size }, (_, n) => ({
    name: `band_${n}`,
    note: { vi: `Quy tắc ${n}`, en: `Rule ${n}` },
    conditions: {
      all: [
        { fact: 'age', operator: 'greaterThanInclusive', value: n % 90 },
        { fact: 'age', operator: 'lessThan', value: (n % 90) + 5 },
        { fact: concerns[n % concerns.length]!, operator: 'equal', value: true },
      ],
    },
    event: { type: 'risk', params: { points: 1 + (n % 7) } },
  }));
  return { rules, scoring: base.scoring };
}

async function rate(name: string, evaluate: (facts: RoutingFacts) => Promise<unknown>): Promise<number> {
  const facts = sampleFacts();
  for (let n = 0; n < 50; n++) await evaluate(facts[n % facts.length]!);
  let done = 0;
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    await evaluate(facts[done % facts.length]!);
    done += 1;
  }
  const perSecond = done / SECONDS;
  console.log(`  ${name.padEnd(44)} ${perSecond.toFixed(0).padStart(8)} evaluations/s`);
  return perSecond;
}

function naive(document: RulesetDocument) {
  return async (facts: RoutingFacts) =>
    await new Engine(
      document.rules.map((r) => ({ name: r.name, priority: r.priority ?? 1, conditions: r.conditions as never, event: r.event })),
      { allowUndefinedFacts: false },
    ).run({ ...facts });
}

export async function benchEvaluations(): Promise<Record<string, number>> {
  console.log(`rule evaluation, one core, ${SECONDS} s each:`);
  const shipped: VersionedRuleset = loadDefaultRuleset();
  const large: VersionedRuleset = { version: 2, document: generatedRuleset(1000) };
  return {
    defaultPooled: await rate(`default ruleset (${shipped.document.rules.length} rules), engine pool`, (f) => evaluateRisk(shipped, f)),
    defaultNaive: await rate(`default ruleset, new Engine per call`, naive(shipped.document)),
    largePooled: await rate('generated 1,000-rule ruleset, engine pool', (f) => evaluateRisk(large, f)),
    largeNaive: await rate('generated 1,000-rule ruleset, new Engine per call', naive(large.document)),
  };
}

export async function benchBacktest(sql: Sql, count = Number(process.env.BENCH_BACKTEST_CASES ?? 100_000)) {
  const province = `bench-${randomUUID().slice(0, 8)}`;
  console.log(`\nbacktest over ${count.toLocaleString('en')} stored cases:`);
  let seeded = 0;
  const chunk = 20_000;
  while (seeded < count) {
    await seedPastCases(sql, province, Math.min(chunk, count - seeded));
    seeded += Math.min(chunk, count - seeded);
    process.stdout.write(`\r  storing cases… ${seeded.toLocaleString('en')}`);
  }
  process.stdout.write('\n');
  const draft: VersionedRuleset = loadDefaultRuleset();
  // Live heap after a full collection, at the start and every 20,000 cases: what a backtest keeps.
  const liveHeap = () => {
    global.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const baseHeap = liveHeap();
  let peakHeap = baseHeap;
  let gcTime = 0;
  const started = performance.now();
  const summary = await backtest(sql, province, draft, {}, (done) => {
    process.stdout.write(`\r  replaying… ${done.toLocaleString('en')} / ${count.toLocaleString('en')} cases`);
    if (done % 20_000 === 0) {
      const t = performance.now();
      peakHeap = Math.max(peakHeap, liveHeap());
      gcTime += performance.now() - t;
    }
  });
  const seconds = (performance.now() - started - gcTime) / 1000;
  process.stdout.write('\n');
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log(`  ${summary.cases.toLocaleString('en')} cases in ${seconds.toFixed(1)} s (${(summary.cases / seconds).toFixed(0)} cases/s; target < 15 s)`);
  console.log(`  live heap: ${mb(baseHeap)} MB before, at most ${mb(peakHeap)} MB during (+${mb(peakHeap - baseHeap)} MB)`);
  console.log(
    `  ${summary.evaluations.toLocaleString('en')} engine runs (the other cases repeat facts already scored); ${summary.changedPath.toLocaleString('en')} cases would change path`,
  );
  await sql`delete from routing_decisions where case_id in (select id from cases where province = ${province})`;
  await sql`delete from cases where province = ${province}`;
  return { seconds, peakHeapDeltaMb: (peakHeap - baseHeap) / 1024 / 1024 };
}
