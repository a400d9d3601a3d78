// What new information does to a case's risk: the clinical rules, in one place. Deterministic;
// the scoring itself is an activity the caller hands in.
//
// I1 Risk never drops silently. Concerns accumulate: what a review or a merged report says is true
//    is added to what is known, and stays true. A concern is cleared only by a supervisor or a
//    manager, with a reason. A re-score that would lower the path or the level does not apply:
//    it waits as `pendingRisk`, the unit's supervisor is told, and a supervisor or manager other
//    than the one who cleared the concern confirms or rejects it. Until then the higher risk, its
//    deadlines and its review rhythm stand.
// I2 New danger reopens the emergency path. When a concern is newly reported (false → true) and
//    the risk in force takes the emergency path, the case goes back to emergency response from any
//    open stage, and its worker and the unit's supervisor are told at once.
import type { RiskDecision } from '../domain/case';
import { known, newlyTrue, without, withAdded, type ConcernKey, type Concerns } from '../domain/concerns';
import type { RoutingFacts } from '../domain/routing-facts';
import { UNIT_SUPERVISOR, type NoticeDraft } from '../domain/notices';
import { lowers } from '../domain/risk';
import type { CaseState, HeldRisk } from './messages';

export type Assess = (concerns: Concerns) => Promise<{ decision: RiskDecision; facts: RoutingFacts }>;

/** A decision put in force by this reassessment, to be recorded with its event. */
export interface Applied {
  decision: RiskDecision;
  facts: RoutingFacts;
}

export interface Reassessment {
  applied?: Applied;
  /** Concerns reported for the first time by this report. */
  newly: ConcernKey[];
  /** I2: the case must return to emergency response. */
  backToEmergency: boolean;
  /** Notices this reassessment sends (pending risk); the caller adds I2's when it moves the case. */
  notify: NoticeDraft[];
}

/**
 * Applies a report's concerns to the draft state `s`: `added` (what it says is true) and `cleared`
 * (concerns a supervisor or manager says no longer hold). `s.risk`, `s.concerns` and
 * `s.pendingRisk` change as I1 says; the caller records the result.
 */
export async function reassess(
  s: CaseState,
  report: { added: Concerns; cleared: readonly ConcernKey[]; by: string; at: string; knownBefore: Concerns },
  assess: Assess,
): Promise<Reassessment> {
  const current = s.risk!;
  const grown = withAdded(report.knownBefore, report.added);
  const proposed = without(grown, report.cleared);
  const newly = newlyTrue(report.knownBefore, grown);
  const notify: NoticeDraft[] = [];
  let applied: Applied | undefined;
  // Whatever was pending was scored on older knowledge: this report replaces it.
  s.pendingRisk = undefined;
  s.concerns = grown;

  const scored = await assess(proposed);
  if (!lowers(scored.decision, current)) {
    applied = scored;
    s.concerns = proposed;
  } else {
    // The additions alone may still raise the risk while the clearing waits for a decision.
    if (report.cleared.length > 0 && newly.length > 0) {
      const raised = await assess(grown);
      if (!lowers(raised.decision, current) && raised.decision.score > current.score) applied = raised;
    }
    const held: HeldRisk = {
      decision: scored.decision,
      facts: scored.facts,
      concerns: known(proposed),
      resolvedBy: report.cleared.length > 0 ? report.by : null,
      requestedAt: report.at,
    };
    s.pendingRisk = held;
    notify.push({ kind: 'risk.pending', to: [UNIT_SUPERVISOR] });
  }
  if (applied) s.risk = applied.decision;
  return { applied, newly, backToEmergency: newly.length > 0 && s.risk!.path === 'emergency', notify };
}
