// Replays a ruleset over the routing facts stored with past cases and compares with the decision
// each case got. Cases are streamed in batches, never loaded all at once.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Sql } from '../db/connect';
import { countDecidedCases, decidedCases } from '../db/routing-history';
import type { RiskDecision } from '../domain/case';
import type { VersionedRuleset } from '../domain/ruleset';
import type { Path, RiskLevel } from '../domain/stages';
import { evaluateRisk } from './engine';
import type { RoutingFacts } from '../domain/routing-facts';

/** At most this many changed cases are listed; all are counted. */
export const MAX_LISTED_CHANGES = 1_000;
const BATCH = 2_000;
// Decisions depend only on the facts; identical fact sets (common: most facts are yes/no) are
// scored once. Bounded, so memory stays flat however many cases there are.
const MEMO_MAX = 20_000;

export interface CaseChange {
  caseId: string;
  createdAt: string;
  from: { path: Path; level: RiskLevel; score: number; rulesetVersion: number };
  to: { path: Path; level: RiskLevel; score: number };
}

export interface BacktestSummary {
  rulesetVersion: number;
  from: string | null;
  to: string | null;
  cases: number;
  changedPath: number;
  changedLevel: number;
  /** standard → emergency */
  upgrades: number;
  /** emergency → standard: the changes that can leave a person in danger on the wrong path */
  downgrades: number;
  changes: CaseChange[];
  changesTruncated: boolean;
  hitsPerRule: Record<string, number>;
  neverFired: string[];
  /** Engine runs made: cases whose exact facts were already scored in this backtest reuse that score. */
  evaluations: number;
  durationMs: number;
}

/** Scores fact sets on worker threads, a chunk per thread, so a large backtest uses every core. */
class ThreadPool {
  private readonly workers: Worker[];
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (d: RiskDecision[]) => void; reject: (e: Error) => void }>();

  constructor(size: number, ruleset: VersionedRuleset) {
    this.workers = Array.from({ length: size }, () => {
      // The worker is TypeScript: a thread does not inherit this process's loader, so it
      // registers tsx itself before importing the worker module.
      const entry = JSON.stringify(new URL('./backtest-worker.ts', import.meta.url).href);
      const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`, { eval: true });
      worker.on('message', (m: { id: number; decisions: RiskDecision[] }) => {
        this.waiting.get(m.id)?.resolve(m.decisions);
        this.waiting.delete(m.id);
      });
      // A thread that fails fails the backtest, never a silent partial answer.
      worker.on('error', (err) => {
        for (const waiter of this.waiting.values()) waiter.reject(err);
        this.waiting.clear();
      });
      worker.postMessage({ ruleset });
      return worker;
    });
  }

  async score(all: RoutingFacts[]): Promise<RiskDecision[]> {
    const size = Math.ceil(all.length / this.workers.length);
    const parts = this.workers.map((worker, i) => {
      const id = this.next++;
      const facts = all.slice(i * size, (i + 1) * size);
      return new Promise<RiskDecision[]>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        worker.postMessage({ id, facts });
      });
    });
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Below this many cases, starting threads costs more than it saves. */
export const THREADED_BACKTEST_MIN_CASES = 5_000;

export async function backtest(
  sql: Sql,
  province: string,
  ruleset: VersionedRuleset,
  range: { from?: string; to?: string },
  onProgress?: (done: number) => void,
  options: { threads?: number } = {},
): Promise<BacktestSummary> {
  const started = Date.now();
  const hits: Record<string, number> = Object.fromEntries(ruleset.document.rules.map((r) => [r.name, 0]));
  const memo = new Map<string, RiskDecision>();
  const summary: BacktestSummary = {
    rulesetVersion: ruleset.version,
    from: range.from ?? null,
    to: range.to ?? null,
    cases: 0,
    changedPath: 0,
    changedLevel: 0,
    upgrades: 0,
    downgrades: 0,
    changes: [],
    changesTruncated: false,
    hitsPerRule: hits,
    neverFired: [],
    evaluations: 0,
    durationMs: 0,
  };

  const cursor = decidedCases(sql, province, range, BATCH);

  let threads = options.threads;
  if (threads === undefined) {
    const n = await countDecidedCases(sql, province, range);
    threads = n >= THREADED_BACKTEST_MIN_CASES ? Math.min(4, availableParallelism()) : 0;
  }
  const pool = threads > 0 ? new ThreadPool(threads, ruleset) : undefined;

  try {
    for await (const rows of cursor) {
      // Score the batch's new fact sets first (on threads when there are any), then tally in order.
      if (memo.size + rows.length > MEMO_MAX) memo.clear();
      const fresh = [...new Set(rows.map((r) => r.facts).filter((text) => !memo.has(text)))];
      const facts = fresh.map((text) => {
        const stored = JSON.parse(text) as Omit<RoutingFacts, 'priorCases'> & { priorCases?: number };
        // Facts added since a case was decided take their neutral value.
        return { ...stored, priorCases: stored.priorCases ?? 0 };
      });
      let decisions: RiskDecision[];
      if (pool) decisions = await pool.score(facts);
      else {
        decisions = [];
        for (const f of facts) decisions.push(await evaluateRisk(ruleset, f));
      }
      fresh.forEach((text, i) => memo.set(text, decisions[i]!));
      summary.evaluations += fresh.length;
      for (const row of rows) {
        const decision = memo.get(row.facts)!;
        summary.cases += 1;
        for (const reason of decision.reasons) hits[reason.rule] = (hits[reason.rule] ?? 0) + 1;
        const pathChanged = decision.path !== row.path;
        if (pathChanged) {
          summary.changedPath += 1;
          if (decision.path === 'emergency') summary.upgrades += 1;
          else summary.downgrades += 1;
        }
        if (decision.level !== row.level) summary.changedLevel += 1;
        if (pathChanged || decision.level !== row.level) {
          if (summary.changes.length < MAX_LISTED_CHANGES) {
            summary.changes.push({
              caseId: row.id,
              createdAt: row.created_at.toISOString(),
              from: { path: row.path, level: row.level, score: row.score, rulesetVersion: row.ruleset_version },
              to: { path: decision.path, level: decision.level, score: decision.score },
            });
          } else summary.changesTruncated = true;
        }
      }
      onProgress?.(summary.cases);
    }
  } finally {
    await pool?.close();
  }
  summary.neverFired = Object.entries(hits)
    .filter(([, n]) => n === 0)
    .map(([name]) => name);
  summary.durationMs = Date.now() - started;
  return summary;
}
