// A case as one person may see it (I4, scope has no side doors): a collaborator sees the status
// only; a link to another case (an earlier report, the case a report was merged into) shows only
// if that case is in the viewer's scope too, else it is a bare flag (`possibleRepeat`).
import { toStatus, visibleCaseIds } from '../db/cases';
import { casePlacements } from '../db/placements';
import { caseProgrammes } from '../db/plan-enrolments';
import type { Sql } from '../db/connect';
import type { Principal } from '../domain/access';
import type { Case, CaseStatus } from '../domain/case';

/** The cases with their links to cases outside the viewer's scope taken out. */
export async function withVisibleLinks(sql: Sql, cases: Case[], p: Principal): Promise<Case[]> {
  const linked = cases.flatMap((c) => [c.possibleRepeatOf, c.mergedInto]).filter((id): id is string => id !== null);
  const visible = linked.length ? await visibleCaseIds(sql, linked, p) : new Set<string>();
  const shown = (id: string | null) => (id !== null && visible.has(id) ? id : null);
  return cases.map((c) => ({ ...c, possibleRepeatOf: shown(c.possibleRepeatOf), mergedInto: shown(c.mergedInto) }));
}

export async function presentCases(sql: Sql, cases: Case[], p: Principal): Promise<Array<Case | CaseStatus>> {
  return p.role === 'collaborator' ? cases.map(toStatus) : await withVisibleLinks(sql, cases, p);
}

/**
 * One case: with its placements in full (issue 28), where the person is tonight and was before;
 * and its enrolments in programmes (issue 29), made by its plan or with its id. A case the request
 * has only just created (`justCreated`) has neither — an intake makes no placement and no
 * enrolment — so they are not read: two round trips fewer on every intake.
 */
export async function presentCase(sql: Sql, c: Case, p: Principal, options: { justCreated?: boolean } = {}): Promise<Case | CaseStatus> {
  const [shown] = await presentCases(sql, [c], p);
  if (!shown || !('placedNow' in shown)) return shown!;
  const [placements, programmes] = options.justCreated ? [[], []] : await Promise.all([casePlacements(sql, c.id), caseProgrammes(sql, c.id)]);
  const placement = placements.find((q) => q.status !== 'ended') ?? null;
  // One answer, one story: placedNow said as the placements read here say it, even when an event
  // committed between reading the case and reading its placements.
  const placedNow = placement && {
    ...{ id: placement.id, kind: placement.kind, status: placement.status, carerId: placement.carer.id },
    ...{ startsAt: placement.startsAt, endsBy: placement.endsBy, daysLeft: placement.daysLeft, warningAt: placement.warningAt },
  };
  return { ...shown, placedNow, placement, placements, programmes };
}
