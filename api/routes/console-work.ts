// /app: Việc của tôi / My work, read through the API (GET /cases with due windows, /escalations,
// /me/notifications), so it shows exactly what the person's scope lets them see.
import { Hono } from 'hono';
import type { Case, CaseStatus } from '../../domain/case';
import type { Contact } from '../../domain/contacts';
import type { PlacementView } from '../../domain/placement-view';
import type { SessionToRecord } from '../../domain/programmes';
import { vietnamDay } from '../../domain/deadlines';
import { listOf, type Api } from '../console/api-call';
import { holidaysOf } from '../console/calendar';
import { offlineHeaders } from '../console/offline-app';
import { csrfMatches } from '../console/session';
import { workPage, type Escalation, type Notice, type Work } from '../console/work-page';
import { viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

type Page = { items: Array<Case | CaseStatus> };

/** Soonest due first: the API lists newest first, a work list reads by what is most urgent. */
const dueAt = (c: Case | CaseStatus) => ('deadline' in c && c.deadline ? Date.parse(c.deadline.dueAt) : Infinity);
const bySoonest = (cases: Array<Case | CaseStatus>) => [...cases].sort((a, b) => dueAt(a) - dueAt(b));

export function consoleWorkRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();
  router.get('/app', async (c) => {
    const v = viewOf(c, deps);
    const { role } = v.principal;
    const now = new Date();
    const items = <T>(path: string) => listOf<T>(api, c, path);
    if (role === 'collaborator') {
      const reports = await items<CaseStatus>('/cases?limit=50');
      // A collaborator's own reports open again with no connection (issue 30).
      offlineHeaders(c, { keep: true });
      const none = { overdue: [], today: [], week: [], placed: [], escalations: [], notices: [], callbacks: [], calls: [], sessions: [] };
      return c.html(workPage(v, { ...none, reports }, new Set(), now), 200);
    }
    const mine = role === 'social_worker' ? '&assignedTo=me' : '';
    const keepsContacts = role === 'social_worker' || role === 'supervisor' || role === 'manager';
    const [overdue, dueToday, week, placed, escalations, notices, holidays, callbacks, calls, sessions] = await Promise.all([
      items<Page['items'][number]>(`/cases?due=overdue&limit=100${mine}`),
      items<Page['items'][number]>(`/cases?due=today&limit=100${mine}`),
      items<Page['items'][number]>(`/cases?due=week&limit=100${mine}`),
      // Where the people of my cases are tonight, soonest to reach a limit first (issue 28).
      items<PlacementView>(`/placements?active=true&limit=200${mine}`),
      role === 'supervisor' || role === 'manager' ? items<Escalation>('/escalations?status=open&limit=100') : Promise.resolve([]),
      items<Notice>('/me/notifications?unread=true&limit=50'),
      holidaysOf(deps.sql, v.principal.province),
      keepsContacts ? items<Contact>('/contacts?recordedBy=me&callback=open&limit=100') : Promise.resolve([]),
      keepsContacts ? items<Contact>(`/contacts?recordedBy=me&from=${vietnamDay(now)}&limit=100`) : Promise.resolve([]),
      // Group sessions to record (issue 29): a supervisor's unit's, anyone else's own.
      keepsContacts ? items<SessionToRecord>(`/programmes/sessions/to-record${role === 'supervisor' ? '' : '?mine=true'}`) : Promise.resolve([]),
    ]);
    const shown = new Set(dueToday.map((c) => c.id));
    const work: Work = {
      overdue: bySoonest(overdue),
      today: bySoonest(dueToday),
      // This week's, less today's (listed above it).
      week: bySoonest(week.filter((c) => !shown.has(c.id))),
      placed,
      // The ladder's rung that is theirs: a supervisor is called first, managers after.
      escalations: escalations.filter((e) => e.level === role),
      notices,
      reports: [],
      callbacks: [...callbacks].sort((a, b) => Date.parse(a.callback?.dueAt ?? '') - Date.parse(b.callback?.dueAt ?? '')),
      calls,
      sessions,
    };
    return c.html(workPage(v, work, holidays, now), 200);
  });

  router.post('/app/notices/:id/read', async (c) => {
    const form = await c.req.parseBody();
    if (csrfMatches(c, form.csrf)) await api(c, 'POST', `/me/notifications/${encodeURIComponent(c.req.param('id'))}/read`);
    return c.redirect('/app#notices', 303);
  });
  return router;
}
