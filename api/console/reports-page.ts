// /app/reports: the indicators of a period with charts drawn on the server, the numbers beside each
// chart, downloads as CSV and XLSX, the contact log's own section (issue 27), group and community
// work's (issue 29); and the period's
// report in Vietnamese, laid out for A4 paper.
import { html, raw } from 'hono/html';
import type { ReferralsByKind, UnitLoad, WorkerLoad } from '../../db/reports';
import { GOALS_MET } from '../../domain/closure';
import { vietnamDay } from '../../domain/deadlines';
import { DEADLINE_STEP_LABELS, GOALS_MET_LABELS } from '../../domain/labels';
import {
  CONTACT_INDICATORS,
  CONTACT_REPORT_GROUPINGS,
  PROGRAMME_INDICATORS,
  PROGRAMME_REPORT_GROUPINGS,
  TIMED_STEPS,
  type ContactReportGrouping,
  type ProgrammeReportGrouping,
} from '../../domain/reports';
import type { Bilingual } from '../../domain/stages';
import { footerText } from '../case-file/document';
import { printedFooter, printedFooterStyle } from '../case-file/html';
import { barChart, timelinessChart } from './charts';
import { dateOnly } from './format';
import { consolePage, type View } from './view';

export interface Indicator {
  id: string;
  label: Bilingual;
  definition: Bilingual;
  value: number;
  unit: string;
}
export interface Grouped {
  by: string;
  rows: Array<{ key: string; label: Bilingual; count: number }>;
  total: number;
}
export interface ReportData {
  from: string;
  to: string;
  unit?: string;
  commune?: string;
  indicators: Indicator[];
  groups: Grouped[];
  units: Array<{ id: string; name: string }>;
  provinceName: string;
  workload: WorkerLoad[];
  referrals: Array<ReferralsByKind & { label: Bilingual }>;
  closures: { rows: ClosureRow[]; total: number };
  unitRows: UnitLoad[];
  /** Contacts recorded in the period by call type (GET /reports/contacts): never narrowed by commune. */
  contactsByCallType: Grouped;
  /** Enrolments made in the period by programme kind (GET /reports/programmes): never narrowed by commune. */
  programmesByKind: Grouped;
}
export interface ClosureRow {
  reason: string;
  label: Bilingual;
  goalsMet: Record<(typeof GOALS_MET)[number] | 'unknown', number>;
  total: number;
}

const GROUP_TITLES: Record<string, Bilingual> = {
  month: { vi: 'Theo tháng', en: 'By month' },
  channel: { vi: 'Theo kênh tiếp nhận', en: 'By channel' },
  category: { vi: 'Theo nhóm đối tượng', en: 'By category' },
  ageGroup: { vi: 'Theo nhóm tuổi', en: 'By age group' },
  gender: { vi: 'Theo giới tính', en: 'By gender' },
  path: { vi: 'Theo luồng', en: 'By path' },
  reportingDelay: { vi: 'Thời gian từ khi xảy ra đến khi được báo', en: 'Time from the incident to the report' },
};
/** What each download of the contacts' counts is by. */
const CONTACT_GROUP_TITLES: Record<ContactReportGrouping, Bilingual> = {
  callType: { vi: 'Theo loại cuộc gọi', en: 'By call type' },
  channel: { vi: 'Theo kênh', en: 'By channel' },
  outcome: { vi: 'Theo kết quả', en: 'By outcome' },
  topic: { vi: 'Theo chủ đề', en: 'By topic' },
  month: { vi: 'Theo tháng', en: 'By month' },
  unit: { vi: 'Theo đơn vị', en: 'By unit' },
};
const CONTACTS_TITLE: Bilingual = { vi: 'Tư vấn: cuộc gọi, lượt tiếp nhận', en: 'Contacts: calls and visits' };
const CONTACTS_CHART: Bilingual = { vi: 'Cuộc gọi, lượt tư vấn theo loại', en: 'Contacts by call type' };
const NOT_BY_COMMUNE: Bilingual = {
  vi: 'Cuộc gọi không tính theo xã, phường: số liệu dưới đây là của cả đơn vị hoặc cả tỉnh.',
  en: 'Contacts are not counted by commune: the numbers below are the whole unit’s or province’s.',
};
/** What each download of the programmes' counts is by. */
const PROGRAMME_GROUP_TITLES: Record<ProgrammeReportGrouping, Bilingual> = {
  programme: { vi: 'Theo chương trình', en: 'By programme' },
  kind: { vi: 'Theo loại hình', en: 'By kind' },
  gender: { vi: 'Theo giới tính', en: 'By gender' },
  ageGroup: { vi: 'Theo nhóm tuổi', en: 'By age group' },
  outcome: { vi: 'Theo kết quả', en: 'By outcome' },
  unit: { vi: 'Theo đơn vị', en: 'By unit' },
};
const PROGRAMMES_TITLE: Bilingual = { vi: 'Can thiệp nhóm và cộng đồng', en: 'Group and community work' };
const PROGRAMMES_CHART: Bilingual = { vi: 'Lượt ghi danh mới theo loại hình', en: 'New enrolments by kind' };
const PROGRAMMES_NOT_BY_COMMUNE: Bilingual = {
  vi: 'Chương trình nhóm, cộng đồng không tính theo xã, phường: số liệu dưới đây là của cả đơn vị hoặc cả tỉnh.',
  en: 'Group and community programmes are not counted by commune: the numbers below are the whole unit’s or province’s.',
};
const ON_TIME: Bilingual = { vi: 'Đúng hạn', en: 'On time' };
const LATE: Bilingual = { vi: 'Quá hạn', en: 'Missed' };

/** The department's reporting periods (Circular 02/2020's rhythm) around today, in Vietnam. */
export function reportingPeriods(today: string): Array<{ words: Bilingual; from: string; to: string }> {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const span = (y: number, m1: number, m2: number) => ({ from: `${y}-${pad(m1)}-01`, to: `${y}-${pad(m2)}-${pad(lastDay(y, m2))}` });
  const previous = month === 1 ? { y: year - 1, m: 12 } : { y: year, m: month - 1 };
  const quarter = Math.floor((month - 1) / 3);
  const half = month <= 6 ? 0 : 1;
  return [
    { words: { vi: 'Tháng này', en: 'This month' }, ...span(year, month, month) },
    { words: { vi: 'Tháng trước', en: 'Last month' }, ...span(previous.y, previous.m, previous.m) },
    { words: { vi: `Quý ${quarter + 1}`, en: `Quarter ${quarter + 1}` }, ...span(year, quarter * 3 + 1, quarter * 3 + 3) },
    { words: { vi: half ? '6 tháng cuối năm' : '6 tháng đầu năm', en: half ? 'Second half' : 'First half' }, ...span(year, half * 6 + 1, half * 6 + 6) },
    { words: { vi: `Năm ${year}`, en: `Year ${year}` }, ...span(year, 1, 12) },
  ];
}

/** A day as dd/MM/yyyy from YYYY-MM-DD. */
const day = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function query(d: ReportData, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ from: d.from, to: d.to, ...(d.unit ? { unit: d.unit } : {}), ...(d.commune ? { commune: d.commune } : {}), ...extra });
  return q.toString();
}

/** A table's CSV and XLSX links. */
function downloads(d: ReportData, kind: string, extra: Record<string, string> = {}) {
  return html`<p class="muted">
    <a href="/app/reports/download?${query(d, { kind, ...extra, format: 'csv' })}">CSV</a> ·
    <a href="/app/reports/download?${query(d, { kind, ...extra, format: 'xlsx' })}">XLSX</a>
  </p>`;
}

function numbers(v: View, rows: Array<{ label: string; value: number | string }>, caption: string) {
  return html`<details>
    <summary>${v.say({ vi: 'Số liệu', en: 'The numbers' })}</summary>
    <table>
      <caption>
        ${caption}
      </caption>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <th scope="row">${r.label}</th>
              <td>${r.value}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

function timelinessRows(v: View, d: ReportData) {
  const value = (id: string) => d.indicators.find((i) => i.id === id)?.value ?? 0;
  return TIMED_STEPS.map((step) => ({
    step,
    label: v.say(DEADLINE_STEP_LABELS[step]),
    onTime: value(`${step}.onTime`),
    late: value(`${step}.late`),
    median: value(`${step}.medianHours`),
    p90: value(`${step}.p90Hours`),
  }));
}

/** Per step: deadlines met on time, missed, the median time to meet them, and (on screen) the 90th percentile. */
function timelinessTable(v: View, rows: ReturnType<typeof timelinessRows>, o: { p90: boolean }) {
  const { say } = v;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">${say({ vi: 'Bước', en: 'Step' })}</th>
        <th scope="col">${say(ON_TIME)}</th>
        <th scope="col">${say(LATE)}</th>
        <th scope="col">${say({ vi: 'Trung vị (giờ)', en: 'Median (h)' })}</th>
        ${o.p90 ? html`<th scope="col">${say({ vi: '90% (giờ)', en: '90th pct (h)' })}</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (t) =>
          html`<tr>
            <th scope="row">${t.label}</th>
            <td>${t.onTime}</td>
            <td>${t.late}</td>
            <td>${t.median}</td>
            ${o.p90 ? html`<td>${t.p90}</td>` : ''}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function indicatorRows(v: View, indicators: Indicator[]) {
  return indicators.map(
    (i) =>
      html`<tr>
        <th scope="row" title="${v.say(i.definition)}">${v.say(i.label)}</th>
        <td>${i.value}</td>
      </tr>`,
  );
}

/**
 * A topic of the report beside the cases — contacts (issue 27), group work (issue 29): its
 * indicators, one count of it as a chart, and each grouping's download. Said once here; the page
 * and the A4 report draw every topic the same way.
 */
interface Topic {
  id: string;
  /** The report kind its downloads ask for (GET /reports/{kind}). */
  kind: 'contacts' | 'programmes';
  title: Bilingual;
  notByCommune: Bilingual;
  indicators: Readonly<Record<string, unknown>>;
  /** The count drawn as a chart, and its heading. */
  counted: (d: ReportData) => Grouped;
  chart: Bilingual;
  /** The chart's heading in the A4 report. */
  printedChart: Bilingual;
  groupings: readonly string[];
  groupTitles: Readonly<Record<string, Bilingual>>;
}

const TOPICS: Topic[] = [
  {
    id: 'contacts',
    kind: 'contacts',
    title: CONTACTS_TITLE,
    notByCommune: NOT_BY_COMMUNE,
    indicators: CONTACT_INDICATORS,
    counted: (d) => d.contactsByCallType,
    chart: CONTACTS_CHART,
    printedChart: CONTACT_GROUP_TITLES.callType,
    groupings: CONTACT_REPORT_GROUPINGS,
    groupTitles: CONTACT_GROUP_TITLES,
  },
  {
    id: 'programmes',
    kind: 'programmes',
    title: PROGRAMMES_TITLE,
    notByCommune: PROGRAMMES_NOT_BY_COMMUNE,
    indicators: PROGRAMME_INDICATORS,
    counted: (d) => d.programmesByKind,
    chart: PROGRAMMES_CHART,
    printedChart: PROGRAMMES_CHART,
    groupings: PROGRAMME_REPORT_GROUPINGS,
    groupTitles: PROGRAMME_GROUP_TITLES,
  },
];

/** A topic's indicators, in their order. */
const topicIndicators = (d: ReportData, t: Topic) => d.indicators.filter((i) => Object.hasOwn(t.indicators, i.id));

/** A topic's count as a chart, or a word when there was nothing. */
function topicChart(v: View, d: ReportData, t: Topic) {
  const name = v.say(t.chart);
  const rows = t.counted(d).rows.map((r) => ({ label: v.say(r.label), value: r.count }));
  return { name, rows, chart: rows.length ? barChart(name, rows, { horizontal: true }) : html`<p class="muted">${v.say({ vi: 'Không có', en: 'None' })}</p>` };
}

/** A topic's section of the page: the indicators, the chart, and each grouping's download. */
function topicSection(v: View, d: ReportData, t: Topic) {
  const { say } = v;
  const { name, rows, chart } = topicChart(v, d, t);
  return html`<section id="${t.id}">
    <h2>${say(t.title)} (${t.counted(d).total})</h2>
    ${d.commune ? html`<p class="muted">${say(t.notByCommune)}</p>` : ''}
    <table class="${t.id.replace(/s$/, '')}-indicators">
      <tbody>
        ${indicatorRows(v, topicIndicators(d, t))}
      </tbody>
    </table>
    ${chart} ${numbers(v, rows, name)}
    <p class="muted">
      ${t.groupings.map(
        (by, n) =>
          html`${n ? ' · ' : ''}${say(t.groupTitles[by]!)}: <a href="/app/reports/download?${query(d, { kind: t.kind, by, format: 'csv' })}">CSV</a>,
            <a href="/app/reports/download?${query(d, { kind: t.kind, by, format: 'xlsx' })}">XLSX</a>`,
      )}
    </p>
  </section>`;
}

/** A topic in the A4 report (numbered by the caller): the indicators, then the chart with its numbers. */
function printedTopic(vi: View, d: ReportData, t: Topic, numeral: string) {
  const printed = topicChart(vi, d, t);
  return html`<h2>${numeral}. ${t.title.vi}</h2>
    ${d.commune ? html`<p>${t.notByCommune.vi}</p>` : ''}
    <table>
      <tbody>
        ${indicatorRows(vi, topicIndicators(d, t))}
      </tbody>
    </table>
    <h3>${t.printedChart.vi} (${t.counted(d).total})</h3>
    ${printed.chart}
    <table>
      <tbody>
        ${printed.rows.map(
          (r) =>
            html`<tr>
              <th scope="row">${r.label}</th>
              <td>${r.value}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** Closures by reason, with how far the plans' goals were met. */
function closuresTable(v: View, d: ReportData) {
  const { say } = v;
  if (!d.closures.rows.length) return html`<p class="muted">${say({ vi: 'Không có', en: 'None' })}</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">${say({ vi: 'Lý do', en: 'Reason' })}</th>
        ${GOALS_MET.map((g) => html`<th scope="col">${say(GOALS_MET_LABELS[g])}</th>`)}
        <th scope="col">${say({ vi: 'Không ghi', en: 'Not recorded' })}</th>
        <th scope="col">${say({ vi: 'Tổng', en: 'Total' })}</th>
      </tr>
    </thead>
    <tbody>
      ${d.closures.rows.map(
        (r) =>
          html`<tr>
            <th scope="row">${say(r.label)}</th>
            ${GOALS_MET.map((g) => html`<td>${r.goalsMet[g]}</td>`)}
            <td>${r.goalsMet.unknown}</td>
            <td>${r.total}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Per unit: received in the period, open and overdue now, deadlines missed and escalations in the period. */
function unitsTable(v: View, d: ReportData) {
  const { say } = v;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">${say({ vi: 'Đơn vị', en: 'Unit' })}</th>
        <th scope="col">${say({ vi: 'Tiếp nhận', en: 'Received' })}</th>
        <th scope="col">${say({ vi: 'Đang quản lý', en: 'Open now' })}</th>
        <th scope="col">${say({ vi: 'Đang quá hạn', en: 'Overdue now' })}</th>
        <th scope="col">${say({ vi: 'Thời hạn bị trễ', en: 'Deadlines missed' })}</th>
        <th scope="col">${say({ vi: 'Báo trưởng phòng', en: 'To supervisor' })}</th>
        <th scope="col">${say({ vi: 'Báo Ban Giám đốc', en: 'To managers' })}</th>
      </tr>
    </thead>
    <tbody>
      ${d.unitRows.map(
        (u) =>
          html`<tr>
            <th scope="row">${u.unit}</th>
            <td>${u.received}</td>
            <td>${u.openNow}</td>
            <td class="${u.overdueNow ? 'overdue' : ''}">${u.overdueNow}</td>
            <td>${u.deadlinesMissed}</td>
            <td>${u.escalationsSupervisor}</td>
            <td>${u.escalationsManager}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function reportsPage(v: View, d: ReportData) {
  const { say } = v;
  const title: Bilingual = { vi: 'Báo cáo', en: 'Reports' };
  // The contacts' and the programmes' indicators have a section of their own.
  const plain = d.indicators.filter((i) => !i.id.includes('.') && !Object.hasOwn(CONTACT_INDICATORS, i.id) && !Object.hasOwn(PROGRAMME_INDICATORS, i.id));
  const timely = timelinessRows(v, d);
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      <form method="get" action="/app/reports" class="period">
        <label for="r-from">${say({ vi: 'Từ ngày', en: 'From' })}</label>
        <input type="date" id="r-from" name="from" value="${d.from}" required />
        <label for="r-to">${say({ vi: 'Đến ngày', en: 'To' })}</label>
        <input type="date" id="r-to" name="to" value="${d.to}" required />
        ${
          d.units.length
            ? html`<label for="r-unit">${say({ vi: 'Đơn vị', en: 'Unit' })}</label>
                <select id="r-unit" name="unit">
                  <option value="">${say({ vi: 'Cả tỉnh', en: 'The whole province' })}</option>
                  ${d.units.map((u) => html`<option value="${u.id}" ${u.id === d.unit ? 'selected' : ''}>${u.name}</option>`)}
                </select>`
            : ''
        }
        <label for="r-commune">${say({ vi: 'Xã, phường', en: 'Commune' })}</label>
        <input type="text" id="r-commune" name="commune" value="${d.commune ?? ''}" />
        <button type="submit" class="primary">${say({ vi: 'Xem', en: 'Show' })}</button>
      </form>
      <p>${reportingPeriods(vietnamDay()).map((p) => html`<a href="/app/reports?${query({ ...d, from: p.from, to: p.to })}">${say(p.words)}</a> · `)}</p>
      <p>
        <a href="/app/reports/print?${query(d)}">${say({ vi: 'Bản in A4', en: 'A4 print' })}</a> ·
        <a href="/app/reports/download?${query(d, { kind: 'indicators', format: 'csv' })}">${say({ vi: 'Chỉ số (CSV)', en: 'Indicators (CSV)' })}</a> ·
        <a href="/app/reports/download?${query(d, { kind: 'indicators', format: 'xlsx' })}">${say({ vi: 'Chỉ số (XLSX)', en: 'Indicators (XLSX)' })}</a>
      </p>
      <h2>${say({ vi: 'Chỉ số', en: 'Indicators' })} · ${day(d.from)} – ${day(d.to)}</h2>
      <table class="indicators">
        <tbody>
          ${indicatorRows(v, plain)}
        </tbody>
      </table>
      <h2>${say({ vi: 'Tính kịp thời', en: 'Timeliness' })}</h2>
      ${timelinessChart(
        say({ vi: 'Thời hạn bắt đầu trong kỳ', en: 'Deadlines started in the period' }),
        timely.map((t) => ({ label: t.label, onTime: t.onTime, late: t.late })),
        { onTime: say(ON_TIME), late: say(LATE) },
      )}
      ${timelinessTable(v, timely, { p90: true })}
      <h2>${say({ vi: 'Theo đơn vị', en: 'By unit' })}</h2>
      ${unitsTable(v, d)} ${downloads(d, 'units')}
      <h2>${say({ vi: 'Kết thúc theo lý do', en: 'Closures by reason' })} (${d.closures.total})</h2>
      ${closuresTable(v, d)} ${downloads(d, 'closures')}
      <h2>${say({ vi: 'Khối lượng công việc hiện nay', en: 'Workload now' })}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${say({ vi: 'Nhân viên', en: 'Worker' })}</th>
            <th scope="col">${say({ vi: 'Đang phụ trách', en: 'Open' })}</th>
            <th scope="col">${say({ vi: 'Quá hạn', en: 'Overdue' })}</th>
            <th scope="col">${say({ vi: 'Cảnh báo', en: 'Escalations' })}</th>
          </tr>
        </thead>
        <tbody>
          ${d.workload.map(
            (w) =>
              html`<tr>
                <th scope="row">${w.worker}${w.unit ? html` <span class="muted">· ${w.unit}</span>` : ''}</th>
                <td>${w.open}</td>
                <td class="${w.overdue ? 'overdue' : ''}">${w.overdue}</td>
                <td>${w.escalations}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h2>${say({ vi: 'Chuyển gửi theo loại đối tác', en: 'Referrals by kind of partner' })}</h2>
      ${
        d.referrals.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${say({ vi: 'Loại', en: 'Kind' })}</th>
                  <th scope="col">${say({ vi: 'Đã gửi', en: 'Sent' })}</th>
                  <th scope="col">${say({ vi: 'Được nhận', en: 'Accepted' })}</th>
                  <th scope="col">${say({ vi: 'Từ chối', en: 'Declined' })}</th>
                  <th scope="col">${say({ vi: 'Quá hạn', en: 'Expired' })}</th>
                  <th scope="col">${say({ vi: 'Trả lời trung vị (giờ)', en: 'Median answer (h)' })}</th>
                </tr>
              </thead>
              <tbody>
                ${d.referrals.map(
                  (r) =>
                    html`<tr>
                      <th scope="row">${say(r.label)}</th>
                      <td>${r.sent}</td>
                      <td>${r.accepted}</td>
                      <td>${r.declined}</td>
                      <td>${r.expired}</td>
                      <td>${r.medianResponseHours === null ? '—' : Math.round(r.medianResponseHours * 10) / 10}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">${say({ vi: 'Không có', en: 'None' })}</p>`
      }
      ${d.groups.map((g) => {
        const name = say(GROUP_TITLES[g.by] ?? { vi: g.by, en: g.by });
        const rows = g.rows.map((r) => ({ label: say(r.label), value: r.count }));
        return html`<h2>${name} (${g.total})</h2>
          ${barChart(name, rows, { horizontal: g.by !== 'month' && g.by !== 'ageGroup' })} ${numbers(v, rows, name)} ${downloads(d, 'cases', { by: g.by })}`;
      })}
      ${TOPICS.map((t) => topicSection(v, d, t))}`,
  );
}

/** The period's report for the department, in Vietnamese, for A4 paper; every page says who printed it and when. */
export function printPage(v: View, d: ReportData, now = new Date()) {
  const value = (id: string) => d.indicators.find((i) => i.id === id)?.value ?? 0;
  // The printed case forms' footer (api/case-file), its words said once there; the report's period stands where a case's reference does.
  const footer = footerText({
    lang: 'vi',
    provinceName: d.provinceName,
    centreName: '',
    caseRef: `Báo cáo kỳ ${day(d.from)} – ${day(d.to)}`,
    restricted: false,
    printedBy: v.displayName,
    printedAt: now.toISOString(),
  });
  const title: Bilingual = { vi: 'Báo cáo công tác quản lý trường hợp', en: 'Case management report' };
  // The department's report is in Vietnamese, whatever the reader's language.
  const vi: View = { ...v, lang: 'vi', say: (w) => w.vi };
  const timely = timelinessRows(vi, d);
  const group = (by: string) => d.groups.find((g) => g.by === by);
  const rowsOf = (by: string) =>
    (group(by)?.rows ?? []).map(
      (r) =>
        html`<tr>
          <th scope="row">${r.label.vi}</th>
          <td>${r.count}</td>
        </tr>`,
    );
  return consolePage(
    vi,
    title,
    html`<article class="a4">
      <style>
        ${raw(printedFooterStyle('article.a4'))}
      </style>
      <p class="muted noprint"><a href="/app/reports?${query(d)}">← Báo cáo</a> · <button type="button" data-print>In</button></p>
      <p><strong>${d.provinceName}</strong><br />Trung tâm Công tác xã hội</p>
      <h1>BÁO CÁO CÔNG TÁC QUẢN LÝ TRƯỜNG HỢP</h1>
      <p>Kỳ báo cáo: từ ngày ${day(d.from)} đến ngày ${day(d.to)}${d.commune ? ` · xã, phường ${d.commune}` : ''}</p>
      <h2>I. Tiếp nhận</h2>
      <table>
        <tbody>
          <tr>
            <th scope="row">Tổng số trường hợp tiếp nhận</th>
            <td>${value('received')}</td>
          </tr>
          <tr>
            <th scope="row">Trong đó: luồng khẩn cấp</th>
            <td>${value('emergency')}</td>
          </tr>
          <tr>
            <th scope="row">Trẻ em (dưới 16 tuổi)</th>
            <td>${value('children')}</td>
          </tr>
          <tr>
            <th scope="row">Trẻ em bị xâm hại (chỉ tiêu 0101): nữ / nam</th>
            <td>${value('childAbuseGirls')} / ${value('childAbuseBoys')}</td>
          </tr>
          <tr>
            <th scope="row">Báo cáo lặp lại</th>
            <td>${value('repeats')}</td>
          </tr>
        </tbody>
      </table>
      <h3>Theo kênh tiếp nhận</h3>
      <table>
        <tbody>
          ${rowsOf('channel')}
        </tbody>
      </table>
      <h3>Theo nhóm đối tượng</h3>
      <table>
        <tbody>
          ${rowsOf('category')}
        </tbody>
      </table>
      <h3>Theo nhóm tuổi</h3>
      <table>
        <tbody>
          ${rowsOf('ageGroup')}
        </tbody>
      </table>
      <h3>Thời gian từ khi xảy ra đến khi được báo</h3>
      <table>
        <tbody>
          ${rowsOf('reportingDelay')}
        </tbody>
      </table>
      <h2>II. Tính kịp thời</h2>
      ${timelinessTable(vi, timely, { p90: false })}
      <p>Việc quá hạn báo trưởng phòng: ${value('escalationsSupervisor')}; báo Ban Giám đốc: ${value('escalationsManager')}.</p>
      ${unitsTable(vi, d)}
      <h2>III. Kết quả</h2>
      <p>
        Đang quản lý: ${value('open')}; đã kết thúc: ${value('closed')}. Chuyển gửi đã gửi: ${value('referralsSent')}, được nhận: ${value('referralsAccepted')},
        bị từ chối: ${value('referralsDeclined')}, quá hạn không trả lời: ${value('referralsExpired')}.
      </p>
      <h3>Kết thúc theo lý do (${d.closures.total})</h3>
      ${closuresTable(vi, d)} ${TOPICS.map((t, n) => printedTopic(vi, d, t, ['IV', 'V'][n]!))}
      <h2>VI. Ghi chú, kiến nghị</h2>
      <div class="notes"></div>
      <table class="signatures">
        <tbody>
          <tr>
            <td>Người lập biểu<br /><br /><br /></td>
            <td>Giám đốc<br /><br /><br /></td>
          </tr>
        </tbody>
      </table>
      <p class="muted">Lập ngày ${dateOnly(now)} từ dữ liệu trực tiếp của hệ thống.</p>
      ${printedFooter(footer)}
    </article>`,
  );
}
