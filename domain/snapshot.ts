// The case's state as staff read it in PostgreSQL (cases.state), written with every event: by the
// case workflow from its state, and by the admission activity for a case just opened.
import type { Intervention, PendingRisk, Plan } from './case';
import type { Concerns } from './concerns';
import type { Deadline } from './deadlines';
import { CURRENT_PLACEMENT_STATUSES, type PlacementRecord } from './placements';

export interface SnapshotSource {
  deadline?: Deadline;
  plan?: Plan;
  interventions: Intervention[];
  closure?: object;
  planVersions?: Plan[];
  reviews: number;
  /** As the workflow holds it, with the facts it was scored on: those stay out of the snapshot. */
  pendingRisk?: PendingRisk & { facts?: unknown };
  placements?: PlacementRecord[];
}

/** Where the person is now, as the lists show it (in red once overdue): the current placement, briefly. */
function placementNow(s: SnapshotSource) {
  const p = s.placements?.find((q) => CURRENT_PLACEMENT_STATUSES.includes(q.status));
  return p
    ? { id: p.id, kind: p.kind, status: p.status, carerId: p.carerId, startsAt: p.startsAt, endsBy: p.endsBy, warningAt: p.deadline?.warningAt ?? null }
    : null;
}

/** The pending lower risk as staff see it: without the facts it was scored on. */
export function shownPendingRisk(pending: SnapshotSource['pendingRisk']): PendingRisk | null {
  if (!pending) return null;
  const { facts: _facts, ...shown } = pending;
  return shown;
}

export function caseSnapshot(s: SnapshotSource, concerns: Concerns) {
  return {
    deadline: s.deadline ?? null,
    plan: s.plan ?? null,
    interventions: s.interventions,
    closure: s.closure ?? null,
    planVersions: s.planVersions ?? [],
    reviews: s.reviews,
    concerns,
    pendingRisk: shownPendingRisk(s.pendingRisk),
    placement: placementNow(s),
  };
}
