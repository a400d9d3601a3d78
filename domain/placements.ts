// Where the person sleeps tonight (issue 28): a placement of a case with a carer — a temporary
// separation under the law, foster or kinship care, a residential centre, a shelter — held in the
// case's workflow, each with a clock of its own on the escalation ladder:
//
//   active → ended(outcome) ; active → overdue (a temporary separation past its limit)
//   → active again by an extension (a manager, with a new decision) → … → ended
//
// P1 A temporary separation ends, or is extended by a manager's new decision, by its limit. Its
//    limit is the deadline policy's `separation_limit` (15 days at most, Decree 56/2017) from its
//    start, or the earlier `until` its decision gives; an extension covers at most that much again
//    from when it takes effect. Before the limit (the step's warning) the worker and the unit's
//    supervisor are told; at the limit, unextended and not ended, the placement is overdue and
//    climbs the ladder — the worker, the supervisor and the managers at once, each once.
// P2 A case has at most one placement not ended at a time: moving a person is one action that ends
//    one placement and begins the next; a case is not closed, nor merged, while placed.
// P3 No carer takes more people than its capacity: the write that places someone counts the
//    carer's current placements under the carer's row lock (db/placements.ts).
// P4 Foster and kinship care are visited: a visit that saw the person re-arms the step
//    `placement_visit` (every 7 days by default); a missed visit climbs the ladder like a review.
//
// Free of any library: the workflow bundle imports it.
import type { Deadline, DeadlineStep } from './deadlines';
import type { PlacementKind, PlacementOutcome } from './placement-labels';
import type { Bilingual } from './stages';
import { DAY_MS, dayStartInVietnam, vietnamDay } from './vietnam-time';

export * from './placement-labels';

export const PLACEMENT_STATUSES = ['active', 'overdue', 'ended'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

/** Not ended: the person is there now (P2). */
export const CURRENT_PLACEMENT_STATUSES: readonly PlacementStatus[] = ['active', 'overdue'];

export const PLACEMENT_STATUS_LABELS: Record<PlacementStatus, Bilingual> = {
  active: { vi: 'Đang ở', en: 'Placed' },
  overdue: { vi: 'Quá thời hạn cách ly', en: 'Past its legal limit' },
  ended: { vi: 'Đã kết thúc', en: 'Ended' },
};

export interface PlacementDecision {
  number: string;
  by: string;
  /** YYYY-MM-DD */
  on: string;
}

export interface PlacementExtension {
  decision: PlacementDecision;
  until: string;
  reason: string;
  by: string;
  at: string;
}

/** A placement as the case workflow keeps it, and as it is recorded in PostgreSQL. */
export interface PlacementRecord {
  id: string;
  carerId: string;
  kind: PlacementKind;
  status: PlacementStatus;
  startsAt: string;
  /** A temporary separation's limit now (P1); for the other kinds, the planned end if one was given. */
  endsBy: string | null;
  reason: string;
  decision?: PlacementDecision;
  extensions: PlacementExtension[];
  /** When it first went past its limit: kept after an extension or its end, for the reports. */
  overdueAt?: string;
  endedAt?: string;
  outcome?: PlacementOutcome;
  note?: string;
  visits: number;
  lastVisitOn?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Its clock (P1 or P4), while it runs. */
  deadline?: Deadline;
  /** Ladder levels already taken on that clock ('warning', 'reminder', 'supervisor', 'manager'). */
  fired: string[];
  /** Counts the clocks armed, so each has a key of its own. */
  clockSeq: number;
}

/** The clock a placement of this kind runs: the law's limit, a visit rhythm, or none. */
export function clockOf(kind: PlacementKind): Extract<DeadlineStep, 'separation_limit' | 'placement_visit'> | undefined {
  if (kind === 'temporary_separation') return 'separation_limit';
  if (kind === 'foster_care' || kind === 'kinship_care') return 'placement_visit';
  return undefined;
}

/** The same deadline due at another time: the ladder's graces and the warning move with it. */
export function dueInstead(d: Deadline, dueAt: string): Deadline {
  const shift = Date.parse(dueAt) - Date.parse(d.dueAt);
  const moved = (at: string) => new Date(Date.parse(at) + shift).toISOString();
  return {
    ...d,
    dueAt: new Date(Date.parse(dueAt)).toISOString(),
    supervisorAt: moved(d.supervisorAt),
    managerAt: moved(d.managerAt),
    ...(d.warningAt ? { warningAt: moved(d.warningAt) } : {}),
  };
}

/**
 * When the visit rhythm counts from after a visit on `day`: now for a visit today, otherwise the
 * end of that day (a visit recorded late does not buy time it did not use).
 */
export function visitClockFrom(day: string, now: Date): Date {
  if (day === vietnamDay(now)) return now;
  return new Date(Math.min(now.getTime(), dayStartInVietnam(day).getTime() + DAY_MS));
}

/** Whole days left before a limit (negative once past), counted in Vietnam's calendar days. */
export function daysLeft(endsBy: string, now: Date): number {
  return Math.round((dayStartInVietnam(vietnamDay(new Date(endsBy))).getTime() - dayStartInVietnam(vietnamDay(now)).getTime()) / DAY_MS);
}
