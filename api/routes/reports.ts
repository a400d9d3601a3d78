// /reports: the indicators and counts managers send to their department (issue 18), the contact
// log's (issue 27), the placements' (issue 28) and group and community work's (issue 29), live from PostgreSQL. Managers see their
// province (a unit if they ask), supervisors their unit; others 403. `format=csv` or `format=xlsx`
// answers the same table as a download.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { contactCounts, contactsBy } from '../../db/contact-reports';
import { placementCounts, placementsBy } from '../../db/placement-reports';
import { enrolmentsBy, programmeCounts, programmeNames } from '../../db/programme-reports';
import {
  caseloadBands,
  casesBy,
  closuresBy,
  eventCounts,
  periodCounts,
  receivedCounts,
  referralsByKind,
  standingCounts,
  timeliness,
  unitNames,
  unitsReport,
  workload,
  type ReportScope,
} from '../../db/reports';
import { CLOSURE_REASONS, GOALS_MET } from '../../domain/closure';
import { CLOSURE_REASON_LABELS, GOALS_MET_LABELS, PARTNER_KIND_LABELS } from '../../domain/labels';
import type { PartnerKind } from '../../domain/referrals';
import {
  CONTACT_GROUP_LABELS,
  CONTACT_REPORT_GROUPINGS,
  GROUP_LABELS,
  INDICATORS,
  PLACEMENT_GROUP_LABELS,
  PLACEMENT_INDICATORS,
  PLACEMENT_REPORT_GROUPINGS,
  PROGRAMME_GROUP_LABELS,
  PROGRAMME_INDICATORS,
  PROGRAMME_REPORT_GROUPINGS,
  REPORT_GROUPINGS,
  ReportQuery,
  TIMED_STEPS,
  TIMELINESS_INDICATORS,
  WorkloadQuery,
  type IndicatorId,
  type PlacementIndicatorId,
  type ProgrammeIndicatorId,
} from '../../domain/reports';
import type { Bilingual } from '../../domain/stages';
import { allow } from '../auth';
import { newRouter, type ApiDeps, type AppEnv } from '../context';
import { ApiError, languageOf } from '../errors';
import { download } from '../report-files';
import { errorResponses, jsonContent } from '../schemas';

const VIETNAM_OFFSET = '+07:00';
const DAY_MS = 86_400_000;

const IndicatorsAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    indicators: z.array(
      z.object({
        id: z.string(),
        label: z.object({ vi: z.string(), en: z.string() }),
        definition: z.object({ vi: z.string(), en: z.string() }),
        value: z.number(),
        unit: z.string(),
      }),
    ),
  })
  .openapi('Indicators');
const CasesAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(REPORT_GROUPINGS),
    rows: z.array(z.object({ key: z.string(), label: z.object({ vi: z.string(), en: z.string() }), count: z.int() })),
    total: z.int().describe('Cases counted once: a case with two categories adds to two rows'),
  })
  .openapi('CaseCounts');
const ContactsAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(CONTACT_REPORT_GROUPINGS),
    rows: z.array(z.object({ key: z.string(), label: z.object({ vi: z.string(), en: z.string() }), count: z.int() })),
    total: z.int().describe('Contacts counted once: a contact with two topics adds to two rows'),
  })
  .openapi('ContactCounts');
const PlacementsAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(PLACEMENT_REPORT_GROUPINGS),
    rows: z.array(z.object({ key: z.string(), label: z.object({ vi: z.string(), en: z.string() }), count: z.int() })),
    total: z.int().describe('Placements begun in the period: each in one row'),
  })
  .openapi('PlacementCounts');
const ProgrammesAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(PROGRAMME_REPORT_GROUPINGS),
    rows: z.array(z.object({ key: z.string(), label: z.object({ vi: z.string(), en: z.string() }), count: z.int() })),
    total: z.int().describe('Enrolments made in the period: each in one row'),
  })
  .openapi('ProgrammeCounts');
/** An indicators download's columns. */
const INDICATOR_HEADER = ['Mã chỉ số', 'Chỉ số', 'Giá trị', 'Đơn vị', 'Định nghĩa'];
type Indicator = { id: string; label: Bilingual; definition: Bilingual; value: number; unit: string };

/** Indicators as JSON, or as the download `format` asks for (the same columns for every set). */
function answerIndicators(c: Context<AppEnv>, q: { from: string; to: string; format: 'json' | 'csv' | 'xlsx' }, indicators: Indicator[], file: string) {
  if (q.format !== 'json') {
    return download(c, q.format, file, { header: INDICATOR_HEADER, rows: indicators.map((i) => [i.id, i.label.vi, i.value, i.unit, i.definition.vi]) });
  }
  return c.json({ from: q.from, to: q.to, indicators }, 200);
}
const downloads = {
  'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with a BOM, Vietnamese headers' }) },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
};

/** A report's answer: JSON by default, the same table as CSV or XLSX with `format`. */
const answered = (schema: z.ZodType, description: string) => ({ description, content: { ...jsonContent(schema, description).content, ...downloads } });

export function reportsRouter(deps: ApiDeps) {
  const router = newRouter();

  /** The reader's province and unit: a supervisor's own unit, and no other. */
  function unitScope(c: Context<AppEnv>, unit: string | undefined) {
    const p = c.get('principal');
    if (p.role === 'supervisor' && unit && unit !== p.unitId) {
      throw new ApiError('forbidden', [{ path: 'unit', message: { vi: 'chỉ đơn vị của bạn', en: 'your own unit only' } }], {
        vi: 'Trưởng phòng xem báo cáo của đơn vị mình',
        en: 'A supervisor reports on their own unit',
      });
    }
    return { province: p.province, unitId: p.role === 'supervisor' ? (p.unitId ?? undefined) : unit };
  }

  /** The period in instants, within the reader's scope. */
  function scopeOf(c: Context<AppEnv>, q: { from: string; to: string; unit?: string; commune?: string }): ReportScope {
    const from = new Date(`${q.from}T00:00:00${VIETNAM_OFFSET}`);
    const until = new Date(new Date(`${q.to}T00:00:00${VIETNAM_OFFSET}`).getTime() + DAY_MS);
    return { ...unitScope(c, q.unit), commune: q.commune, from, until };
  }

  /** Each row with its words: its code's label, a month, a unit's name; and the same as a download's rows, with the total last. */
  async function labelled(
    c: Context<AppEnv>,
    by: string,
    codes: Record<string, Bilingual> | undefined,
    counted: { rows: Array<{ key: string; count: number }>; total: number },
    totalWords: string,
  ) {
    const units =
      by === 'unit'
        ? await unitNames(
            deps.sql,
            counted.rows.map((r) => r.key),
          )
        : new Map<string, string>();
    const labelOf = (key: string): Bilingual => {
      const coded = codes?.[key];
      if (coded) return coded;
      if (by === 'month') return { vi: `Tháng ${key.slice(5)}/${key.slice(0, 4)}`, en: key };
      if (by === 'unit') return units.has(key) ? { vi: units.get(key)!, en: units.get(key)! } : { vi: 'Chưa có đơn vị', en: 'No unit' };
      if (key === 'none' || key === 'unknown' || key === '—') return { vi: 'Không rõ', en: 'Unknown' };
      return { vi: key, en: key };
    };
    const rows = counted.rows.map((r) => ({ ...r, label: labelOf(r.key) }));
    const lang = languageOf(c) === 'en' ? 'en' : 'vi';
    const table: Array<Array<string | number>> = [...rows.map((r) => [r.key, r.label[lang], r.count]), ['', totalWords, counted.total]];
    return { rows, table };
  }

  router.openapi(
    createRoute({
      method: 'get',
      path: '/indicators',
      summary: 'The indicators of a period (Vietnam’s days, both included), live; format=csv or xlsx to download',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery },
      responses: {
        200: answered(IndicatorsAnswer, 'Indicators'),
        ...errorResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.indicators', detail: { from: q.from, to: q.to, unit: scope.unitId ?? null, format: q.format } });
      const [counts, bands, period, timely, done, standing, contacts, placements, programmes] = await Promise.all([
        receivedCounts(deps.sql, scope),
        caseloadBands(deps.sql, scope),
        periodCounts(deps.sql, scope),
        timeliness(deps.sql, scope),
        eventCounts(deps.sql, scope),
        standingCounts(deps.sql, scope),
        contactCounts(deps.sql, scope),
        placementCounts(deps.sql, scope),
        programmeCounts(deps.sql, scope),
      ]);
      const values: Record<IndicatorId, number> = {
        ...counts,
        escalationsSupervisor: period.escalations.supervisor,
        escalationsManager: period.escalations.manager,
        referralsSent: period.referrals.sent,
        referralsAccepted: period.referrals.accepted,
        referralsDeclined: period.referrals.declined,
        referralsExpired: period.referrals.expired,
        caseloadUpTo10: bands.upTo10,
        caseload11to20: bands.from11to20,
        caseload21to30: bands.from21to30,
        caseloadOver30: bands.over30,
        referralsCompleted: period.referrals.completed,
        referralSuccessPercent: period.referrals.sent ? Math.round((1000 * period.referrals.completed) / period.referrals.sent) / 10 : 0,
        assessmentsCompleted: done.assessments,
        plansApproved: done.plansApproved,
        closuresApproved: done.closures,
        reopened: done.reopened,
        medianDaysToClose: done.medianDaysToClose === null ? 0 : Math.round(done.medianDaysToClose * 10) / 10,
        closedUnder1Month: done.closedUnder1Month,
        closed1to3Months: done.closed1to3Months,
        closed3to6Months: done.closed3to6Months,
        closedOver6Months: done.closedOver6Months,
        overdueNow: standing.overdueNow,
        socialWorkers: standing.socialWorkers,
        workersPerSupervisor: standing.supervisors ? Math.round((10 * standing.socialWorkers) / standing.supervisors) / 10 : 0,
        ...contacts,
        ...placements,
        ...programmes,
      };
      const steps = new Map(timely.map((t) => [t.step, t]));
      const rounded = (n: number | null | undefined) => (n === null || n === undefined ? 0 : Math.round(n * 10) / 10);
      const indicators = [
        ...(Object.keys(INDICATORS) as IndicatorId[]).map((id) => ({ id, ...INDICATORS[id], value: values[id] })),
        ...TIMED_STEPS.flatMap((step) => {
          const t = steps.get(step);
          return (['onTime', 'late', 'medianHours', 'p90Hours'] as const).map((measure) => {
            const id = `${step}.${measure}`;
            return { id, ...TIMELINESS_INDICATORS[id]!, value: rounded(t?.[measure]) };
          });
        }),
      ];
      return answerIndicators(c, q, indicators, `chi-so-${q.from}-${q.to}`);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/cases',
      summary: 'Cases received in a period (Vietnam’s days, both included), counted by one grouping; format=csv or xlsx to download',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery.extend({ by: z.enum(REPORT_GROUPINGS) }) },
      responses: { 200: answered(CasesAnswer, 'Counts'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.cases', detail: { from: q.from, to: q.to, by: q.by, unit: scope.unitId ?? null, format: q.format } });
      const counted = await casesBy(deps.sql, scope, q.by);
      const { rows, table } = await labelled(c, q.by, GROUP_LABELS[q.by], counted, 'Tổng (mỗi trường hợp một lần)');
      if (q.format !== 'json') {
        return download(c, q.format, `truong-hop-theo-${q.by}-${q.from}-${q.to}`, { header: ['Mã', 'Nhóm', 'Số trường hợp'], rows: table });
      }
      return c.json({ from: q.from, to: q.to, by: q.by, rows, total: counted.total }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/contacts',
      summary:
        'Contacts (calls, visits, conversations) recorded in a period (Vietnam’s days, both included), counted by one grouping; not by commune, which a call seldom names; format=csv or xlsx to download',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery.omit({ commune: true }).extend({ by: z.enum(CONTACT_REPORT_GROUPINGS) }) },
      responses: { 200: answered(ContactsAnswer, 'Counts'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.contacts', detail: { from: q.from, to: q.to, by: q.by, unit: scope.unitId ?? null, format: q.format } });
      const counted = await contactsBy(deps.sql, scope, q.by);
      const { rows, table } = await labelled(c, q.by, CONTACT_GROUP_LABELS[q.by], counted, 'Tổng (mỗi cuộc gọi một lần)');
      if (q.format !== 'json') {
        return download(c, q.format, `cuoc-goi-theo-${q.by}-${q.from}-${q.to}`, { header: ['Mã', 'Nhóm', 'Số cuộc gọi'], rows: table });
      }
      return c.json({ from: q.from, to: q.to, by: q.by, rows, total: counted.total }, 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/placements',
      summary:
        'Placements begun in a period (Vietnam’s days, both included), counted by kind, carer’s kind, outcome (those not ended as `ongoing`) or month; format=csv or xlsx to download',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery.extend({ by: z.enum(PLACEMENT_REPORT_GROUPINGS) }) },
      responses: { 200: answered(PlacementsAnswer, 'Counts'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.placements', detail: { from: q.from, to: q.to, by: q.by, unit: scope.unitId ?? null, format: q.format } });
      const counted = await placementsBy(deps.sql, scope, q.by);
      const { rows, table } = await labelled(c, q.by, PLACEMENT_GROUP_LABELS[q.by], counted, 'Tổng số lần bố trí');
      if (q.format !== 'json') {
        return download(c, q.format, `noi-cham-soc-theo-${q.by}-${q.from}-${q.to}`, { header: ['Mã', 'Nhóm', 'Số lần bố trí'], rows: table });
      }
      return c.json({ from: q.from, to: q.to, by: q.by, rows, total: counted.total }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/placements/indicators',
      summary:
        'The placement indicators of a period (Vietnam’s days, both included): placed now, temporary separations ended within the limit, extended, overdue; days in placement (median, 90th percentile); format=csv or xlsx to download',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery },
      responses: { 200: answered(IndicatorsAnswer, 'Indicators'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.placements.indicators', detail: { from: q.from, to: q.to, unit: scope.unitId ?? null, format: q.format } });
      const values = await placementCounts(deps.sql, scope);
      const indicators = (Object.keys(PLACEMENT_INDICATORS) as PlacementIndicatorId[]).map((id) => ({ id, ...PLACEMENT_INDICATORS[id], value: values[id] }));
      return answerIndicators(c, q, indicators, `chi-so-noi-cham-soc-${q.from}-${q.to}`);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/programmes',
      summary:
        'Enrolments in group and community programmes made in a period (Vietnam’s days, both included), counted by programme, kind, gender, age group (the member’s case’s intake; none: `unknown`), outcome (none yet: `ongoing`) or unit; not by commune; format=csv or xlsx to download',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery.omit({ commune: true }).extend({ by: z.enum(PROGRAMME_REPORT_GROUPINGS) }) },
      responses: { 200: answered(ProgrammesAnswer, 'Counts'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.programmes', detail: { from: q.from, to: q.to, by: q.by, unit: scope.unitId ?? null, format: q.format } });
      const counted = await enrolmentsBy(deps.sql, scope, q.by);
      const names =
        q.by === 'programme'
          ? await programmeNames(
              deps.sql,
              counted.rows.map((r) => r.key),
            )
          : new Map<string, string>();
      const codes = q.by === 'programme' ? Object.fromEntries([...names].map(([id, name]) => [id, { vi: name, en: name }])) : PROGRAMME_GROUP_LABELS[q.by];
      const { rows, table } = await labelled(c, q.by, codes, counted, 'Tổng số lượt ghi danh');
      if (q.format !== 'json') {
        return download(c, q.format, `can-thiep-nhom-theo-${q.by}-${q.from}-${q.to}`, { header: ['Mã', 'Nhóm', 'Số lượt ghi danh'], rows: table });
      }
      return c.json({ from: q.from, to: q.to, by: q.by, rows, total: counted.total }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/programmes/indicators',
      summary:
        'The group and community work indicators of a period (Vietnam’s days, both included): participants, new enrolments, sessions held, attendance rate, guests at community events, outcomes (employed, apprenticeship, returned to school); not by commune; format=csv or xlsx to download',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery.omit({ commune: true }) },
      responses: { 200: answered(IndicatorsAnswer, 'Indicators'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.programmes.indicators', detail: { from: q.from, to: q.to, unit: scope.unitId ?? null, format: q.format } });
      const values = await programmeCounts(deps.sql, scope);
      const indicators = (Object.keys(PROGRAMME_INDICATORS) as ProgrammeIndicatorId[]).map((id) => ({ id, ...PROGRAMME_INDICATORS[id], value: values[id] }));
      return answerIndicators(c, q, indicators, `chi-so-can-thiep-nhom-${q.from}-${q.to}`);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/workload',
      summary: 'Now: each active social worker’s open cases, overdue ones and open escalations, most overdue first',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: WorkloadQuery },
      responses: {
        200: answered(z.object({ rows: z.array(WorkerLoadSchema) }), 'Workload'),
        ...errorResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = unitScope(c, q.unit);
      c.set('audit', { action: 'report.workload', detail: { unit: scope.unitId ?? null, format: q.format } });
      const rows = await workload(deps.sql, scope);
      if (q.format !== 'json') {
        return download(c, q.format, 'khoi-luong-cong-viec', {
          header: ['Nhân viên', 'Đơn vị', 'Đang phụ trách', 'Quá hạn', 'Cảnh báo đang mở'],
          rows: rows.map((r) => [r.worker, r.unit ?? '', r.open, r.overdue, r.escalations]),
        });
      }
      return c.json({ rows }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/referrals',
      summary: 'Referrals sent in a period, by kind of partner: accepted, declined, expired, completed, median hours to answer',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery },
      responses: {
        200: answered(z.object({ rows: z.array(ReferralsByKindSchema) }), 'Referrals'),
        ...errorResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.referrals', detail: { from: q.from, to: q.to, unit: scope.unitId ?? null, format: q.format } });
      const rows = (await referralsByKind(deps.sql, scope)).map((r) => ({
        ...r,
        label: PARTNER_KIND_LABELS[r.kind as PartnerKind] ?? { vi: r.kind, en: r.kind },
      }));
      if (q.format !== 'json') {
        return download(c, q.format, `chuyen-gui-${q.from}-${q.to}`, {
          header: ['Mã', 'Loại đối tác', 'Đã gửi', 'Được nhận', 'Từ chối', 'Quá hạn', 'Hoàn thành', 'Trả lời trung vị (giờ)'],
          rows: rows.map((r) => [
            r.kind,
            r.label.vi,
            r.sent,
            r.accepted,
            r.declined,
            r.expired,
            r.completed,
            r.medianResponseHours === null ? '' : Math.round(r.medianResponseHours * 10) / 10,
          ]),
        });
      }
      return c.json({ rows }, 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/closures',
      summary: 'Cases closed in a period by reason, and by how far their plan’s goals were met',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery },
      responses: { 200: answered(ClosuresAnswer, 'Closures'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.closures', detail: { from: q.from, to: q.to, unit: scope.unitId ?? null, format: q.format } });
      const counted = await closuresBy(deps.sql, scope);
      const goalsOf = () => Object.fromEntries([...GOALS_MET, 'unknown'].map((g) => [g, 0])) as Record<(typeof GOALS_MET)[number] | 'unknown', number>;
      const byReason = new Map<string, { goalsMet: ReturnType<typeof goalsOf>; total: number }>();
      for (const r of counted) {
        const row = byReason.get(r.reason) ?? { goalsMet: goalsOf(), total: 0 };
        row.goalsMet[(GOALS_MET as readonly string[]).includes(r.goalsMet) ? (r.goalsMet as keyof ReturnType<typeof goalsOf>) : 'unknown'] += r.count;
        row.total += r.count;
        byReason.set(r.reason, row);
      }
      const rows = [...byReason.entries()]
        .map(([reason, row]) => ({
          reason,
          label: CLOSURE_REASON_LABELS[reason as (typeof CLOSURE_REASONS)[number]] ?? UNCODED,
          ...row,
        }))
        .sort((a, b) => b.total - a.total || a.reason.localeCompare(b.reason));
      const total = rows.reduce((n, r) => n + r.total, 0);
      if (q.format !== 'json') {
        return download(c, q.format, `ket-thuc-${q.from}-${q.to}`, {
          header: ['Mã', 'Lý do kết thúc', ...GOALS_MET.map((g) => GOALS_MET_LABELS[g].vi), 'Không ghi mức đạt', 'Tổng'],
          rows: [
            ...rows.map((r) => [r.reason, r.label.vi, ...GOALS_MET.map((g) => r.goalsMet[g]), r.goalsMet.unknown, r.total]),
            ['', 'Tổng', ...GOALS_MET.map(() => ''), '', total],
          ],
        });
      }
      return c.json({ from: q.from, to: q.to, rows, total }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/units',
      summary: 'Per unit: cases received in a period, open and overdue now, deadlines missed and escalations opened in the period',
      middleware: [allow('manager', 'supervisor')] as const,
      request: { query: ReportQuery.omit({ commune: true }) },
      responses: { 200: answered(z.object({ from: z.string(), to: z.string(), rows: z.array(UnitLoadSchema) }), 'Units'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c, q);
      c.set('audit', { action: 'report.units', detail: { from: q.from, to: q.to, unit: scope.unitId ?? null, format: q.format } });
      const rows = await unitsReport(deps.sql, scope);
      if (q.format !== 'json') {
        return download(c, q.format, `don-vi-${q.from}-${q.to}`, {
          header: ['Đơn vị', 'Tiếp nhận trong kỳ', 'Đang quản lý', 'Đang quá hạn', 'Thời hạn bị trễ trong kỳ', 'Báo trưởng phòng', 'Báo Ban Giám đốc'],
          rows: rows.map((r) => [r.unit, r.received, r.openNow, r.overdueNow, r.deadlinesMissed, r.escalationsSupervisor, r.escalationsManager]),
        });
      }
      return c.json({ from: q.from, to: q.to, rows }, 200);
    },
  );
  return router;
}

const UNCODED: Bilingual = { vi: 'Không ghi lý do theo danh mục', en: 'No coded reason' };
const Label = z.object({ vi: z.string(), en: z.string() });
const ClosuresAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    rows: z.array(
      z.object({
        reason: z.string().describe('A closure reason code, or `unknown` for closures recorded before reasons were coded'),
        label: Label,
        goalsMet: z.object({ all: z.int(), most: z.int(), some: z.int(), none: z.int(), unknown: z.int() }),
        total: z.int(),
      }),
    ),
    total: z.int(),
  })
  .openapi('Closures');
const UnitLoadSchema = z
  .object({
    unitId: z.uuid(),
    unit: z.string(),
    received: z.int(),
    openNow: z.int(),
    overdueNow: z.int(),
    deadlinesMissed: z.int().describe('Deadlines started in the period met late, or past due and not met'),
    escalationsSupervisor: z.int(),
    escalationsManager: z.int(),
  })
  .openapi('UnitLoad');
const WorkerLoadSchema = z
  .object({ workerId: z.uuid(), worker: z.string(), unit: z.string().nullable(), open: z.int(), overdue: z.int(), escalations: z.int() })
  .openapi('WorkerLoad');
const ReferralsByKindSchema = z
  .object({
    kind: z.string(),
    label: z.object({ vi: z.string(), en: z.string() }),
    sent: z.int(),
    accepted: z.int(),
    declined: z.int(),
    expired: z.int(),
    completed: z.int(),
    medianResponseHours: z.number().nullable(),
  })
  .openapi('ReferralsByKind');
