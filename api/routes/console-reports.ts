// /app/reports: the period's indicators and counts through GET /reports/indicators,
// GET /reports/cases, GET /reports/contacts and GET /reports/programmes, charts drawn on the server, downloads passed on
// from the API as they are, and the A4 report. Managers see their province (or a unit), supervisors their unit.
import { vietnamDay } from '../../domain/deadlines';
import { Hono, type Context } from 'hono';
import { provinceName } from '../../db/directory';
import type { AppFetch } from '../console/api-call';
import { listOf, rawCaller, type Api } from '../console/api-call';
import { printPage, reportsPage, type Grouped, type Indicator, type ReportData } from '../console/reports-page';
import { viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

/** The groupings the page charts. */
const CHARTED = ['month', 'channel', 'category', 'ageGroup', 'gender', 'path', 'reportingDelay'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The period's tables the page offers as downloads. */
const DOWNLOADS = ['indicators', 'cases', 'contacts', 'programmes', 'closures', 'units', 'referrals'] as const;
/** The period's tables counted by one grouping, which a download names with `by`. */
const GROUPED: ReadonlyArray<(typeof DOWNLOADS)[number]> = ['cases', 'contacts', 'programmes'];
/** The tables that are not counted by commune: a unit's is its whole work; a call seldom names one; a programme is a unit's. */
const NO_COMMUNE: ReadonlyArray<(typeof DOWNLOADS)[number]> = ['units', 'contacts', 'programmes'];

/** This month in Vietnam, from its first day to today. */
function thisMonth(): { from: string; to: string } {
  const today = vietnamDay();
  return { from: `${today.slice(0, 8)}01`, to: today };
}

export function consoleReportsRouter(deps: ApiDeps, api: Api, appFetch: () => AppFetch) {
  const router = new Hono<AppEnv>();
  const raw = rawCaller(appFetch);
  const allowed = (c: Context<AppEnv>) => ['manager', 'supervisor'].includes(c.get('principal').role);

  /** The period and filters asked for, as the API takes them. */
  function asked(c: Context<AppEnv>) {
    const base = thisMonth();
    const from = c.req.query('from') ?? '';
    const to = c.req.query('to') ?? '';
    const unit = c.req.query('unit') || undefined;
    const commune = c.req.query('commune')?.trim() || undefined;
    return { from: DAY.test(from) ? from : base.from, to: DAY.test(to) ? to : base.to, unit, commune };
  }
  const queryOf = (q: ReturnType<typeof asked>, extra: Record<string, string> = {}) =>
    new URLSearchParams({ from: q.from, to: q.to, ...(q.unit ? { unit: q.unit } : {}), ...(q.commune ? { commune: q.commune } : {}), ...extra }).toString();

  async function data(c: Context<AppEnv>): Promise<ReportData | undefined> {
    const q = asked(c);
    const [indicators, units, province, workload, referrals, closures, unitRows, contacts, programmes, ...groups] = await Promise.all([
      api<{ indicators: Indicator[] }>(c, 'GET', `/reports/indicators?${queryOf(q)}`),
      c.get('principal').role === 'manager' ? listOf<{ id: string; name: string }>(api, c, '/units') : Promise.resolve([]),
      provinceName(deps.sql, c.get('principal').province),
      api<{ rows: ReportData['workload'] }>(c, 'GET', `/reports/workload?${new URLSearchParams(q.unit ? { unit: q.unit } : {})}`),
      api<{ rows: ReportData['referrals'] }>(c, 'GET', `/reports/referrals?${queryOf(q)}`),
      api<ReportData['closures']>(c, 'GET', `/reports/closures?${queryOf(q)}`),
      api<{ rows: ReportData['unitRows'] }>(c, 'GET', `/reports/units?${queryOf({ ...q, commune: undefined })}`),
      api<Grouped>(c, 'GET', `/reports/contacts?${queryOf({ ...q, commune: undefined }, { by: 'callType' })}`),
      api<Grouped>(c, 'GET', `/reports/programmes?${queryOf({ ...q, commune: undefined }, { by: 'kind' })}`),
      ...CHARTED.map((by) => api<Grouped>(c, 'GET', `/reports/cases?${queryOf(q, { by })}`)),
    ]);
    if (!indicators.ok) return undefined;
    return {
      ...q,
      indicators: indicators.body.indicators,
      groups: groups.flatMap((g) => (g.ok ? [g.body] : [])),
      units,
      provinceName: province ?? '',
      workload: workload.ok ? workload.body.rows : [],
      referrals: referrals.ok ? referrals.body.rows : [],
      closures: closures.ok ? closures.body : { rows: [], total: 0 },
      unitRows: unitRows.ok ? unitRows.body.rows : [],
      contactsByCallType: contacts.ok ? contacts.body : { by: 'callType', rows: [], total: 0 },
      programmesByKind: programmes.ok ? programmes.body : { by: 'kind', rows: [], total: 0 },
    };
  }

  router.get('/app/reports', async (c) => {
    if (!allowed(c)) return c.redirect('/app', 303);
    const d = await data(c);
    if (!d) return c.redirect('/app/reports', 303);
    return c.html(reportsPage(viewOf(c, deps), d), 200);
  });

  router.get('/app/reports/print', async (c) => {
    if (!allowed(c)) return c.redirect('/app', 303);
    const d = await data(c);
    if (!d) return c.redirect('/app/reports', 303);
    return c.html(printPage(viewOf(c, deps), d), 200);
  });

  // A download from the API, passed on as it came (its type and file name).
  router.get('/app/reports/download', async (c) => {
    if (!allowed(c)) return c.redirect('/app', 303);
    const q = asked(c);
    const kind = DOWNLOADS.find((k) => k === c.req.query('kind')) ?? 'indicators';
    const format = c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv';
    const by = c.req.query('by') ?? '';
    const scope = NO_COMMUNE.includes(kind) ? { ...q, commune: undefined } : q;
    return await raw(c, `/reports/${kind}?${queryOf(scope, { format, ...(GROUPED.includes(kind) ? { by } : {}) })}`);
  });
  return router;
}
