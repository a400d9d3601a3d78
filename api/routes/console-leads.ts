// /app/approvals, /app/escalations and /app/stuck: the pages of supervisors, managers and
// administrators, read through the API (GET /cases by stage or pending risk, GET /escalations and
// GET /placements?status=overdue, GET /stuck); decisions and moves are posted as the catalogue's
// actions (console-cases.ts).
import { Hono, type Context } from 'hono';
import { ACTION_NAMES, ACTIONS, type ActionName } from '../../domain/actions';
import type { Case } from '../../domain/case';
import type { ConcernKey } from '../../domain/concerns';
import type { PlacementView } from '../../domain/placement-view';
import type { Role } from '../../domain/access';
import { listOf, type Api } from '../console/api-call';
import { choicesFor, readDirectory } from '../console/choices';
import type { TimelineEvent } from '../console/case-page';
import type { StuckRow } from '../../db/stuck';
import { approvalsPage, escalationsPage, stuckPage, type Request } from '../console/lead-pages';
import type { Escalation } from '../console/work-page';
import { LEAD_PAGES, viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

export function consoleLeadsRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  /** The action just taken on a case of the page, and that case's reference, to say so. */
  async function doneOf(c: Context<AppEnv>) {
    const name = ACTION_NAMES.find((n) => n === c.req.query('done'));
    if (!name) return undefined;
    const id = c.req.query('case');
    const subject = id ? await api<{ ref: string }>(c, 'GET', `/cases/${encodeURIComponent(id)}`) : undefined;
    return { name: name as ActionName, caseRef: subject?.ok ? subject.body.ref : undefined };
  }

  router.get('/app/approvals', async (c) => {
    const v = viewOf(c, deps);
    if (!LEAD_PAGES['/app/approvals'].includes(v.principal.role)) return c.redirect('/app', 303);
    const manager = (ACTIONS.planDecision.roles as readonly Role[]).includes(v.principal.role);
    const [plans, closures, risks] = await Promise.all([
      manager ? listOf<Case>(api, c, '/cases?stage=plan_review&limit=100') : [],
      manager ? listOf<Case>(api, c, '/cases?stage=closure_review&limit=100') : [],
      listOf<Case>(api, c, '/cases?pendingRisk=true&limit=100'),
    ]);
    const requests: Request[] = [
      ...plans.map((s): Request => ({
        kind: 'plan',
        subject: s,
        requestedAt: s.plan?.submittedAt ?? s.deadline?.startedAt ?? s.updatedAt,
        requestedBy: s.plan?.submittedBy ?? null,
      })),
      ...closures.map((s): Request => ({
        kind: 'closure',
        subject: s,
        requestedAt: s.deadline?.startedAt ?? s.updatedAt,
        requestedBy: s.closure?.requestedBy ?? null,
      })),
      ...(await Promise.all(
        risks.map(async (s): Promise<Request> => {
          // The supervisor's reasons for clearing concerns, from the review that asked for the lower risk.
          const timeline = await listOf<TimelineEvent>(api, c, `/cases/${s.id}/timeline`);
          const review = [...timeline].reverse().find((e) => Array.isArray(e.data.resolvedConcerns));
          return {
            kind: 'risk',
            subject: s,
            requestedAt: s.pendingRisk!.requestedAt,
            requestedBy: s.pendingRisk!.resolvedBy,
            cleared: review?.data.resolvedConcerns as Array<{ concern: ConcernKey; reason: string }> | undefined,
          };
        }),
      )),
    ].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    return c.html(approvalsPage(v, requests, await doneOf(c)), 200);
  });

  router.get('/app/escalations', async (c) => {
    const v = viewOf(c, deps);
    if (!LEAD_PAGES['/app/escalations'].includes(v.principal.role)) return c.redirect('/app', 303);
    const [escalations, directory, overdue] = await Promise.all([
      listOf<Escalation>(api, c, '/escalations?status=open&limit=500'),
      readDirectory(api, c, ['assign', 'transfer']),
      // Soonest limit first: the longest past it.
      listOf<PlacementView>(api, c, '/placements?status=overdue&limit=200'),
    ]);
    // The most overdue first.
    const board = escalations
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .map((escalation) => ({ escalation, choices: choicesFor(directory, { unit: escalation.unit }, v.say) }));
    return c.html(escalationsPage(v, board, new Date(), await doneOf(c), overdue), 200);
  });

  router.get('/app/stuck', async (c) => {
    const v = viewOf(c, deps);
    if (!LEAD_PAGES['/app/stuck'].includes(v.principal.role)) return c.redirect('/app', 303);
    return c.html(stuckPage(v, await listOf<StuckRow>(api, c, '/stuck?limit=100')), 200);
  });
  return router;
}
