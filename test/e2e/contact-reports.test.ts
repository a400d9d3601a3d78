// The contact log's reports (issue 27, item 7) over HTTP on the real stack, against counts this test
// makes itself from the contacts it records: GET /reports/contacts by every grouping (a contact with
// two topics in two rows, counted once in the total), the period in Vietnam's days, scope and roles;
// the contact indicators (received, callbacks kept on time and missed, became cases, C1 included);
// CSV and XLSX carrying the JSON's numbers; and the console's reports page and A4 report showing
// them, read as HTML (no browser). A province of its own, so the counts are exactly ours.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../api/register-file';
import { CALL_TYPE_LABELS, CATEGORY_LABELS } from '../../domain/labels';
import { CONTACT_INDICATORS, CONTACT_REPORT_GROUPINGS, type ContactReportGrouping } from '../../domain/reports';
import { abuseCall, benefitCall } from '../support/contacts';
import { consoleSession } from '../support/console-session';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};

/** What the test knows of each contact it recorded, as the report should count it. */
interface Made {
  id: string;
  callType: string;
  channel: string;
  outcome: string;
  topics: string[];
  month: string;
  unit: string;
  inPeriod: boolean;
  callback: 'none' | 'open' | 'kept' | 'missed';
  becameCase: boolean;
}
const made: Made[] = [];

/** Vietnam's calendar day and month of an instant. */
const day = (at: Date) => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
const monthOf = (at: Date) => day(at).slice(0, 7);
const thisMonth = monthOf(new Date());
const from = day(new Date(Date.now() - 120 * 86_400_000));
const to = day(new Date());

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });

/** Records a contact and remembers what the report should count it as. */
async function record(
  who: string,
  body: { callType: string; channel: string; topics: string[] } & Record<string, unknown>,
  known: Partial<Made> = {},
): Promise<Made & { dueAt?: string }> {
  const res = await call(who, 'POST', '/contacts', body);
  expect(res.status).toBe(201);
  const m: Made = {
    id: res.body.id,
    callType: body.callType,
    channel: body.channel,
    outcome: res.body.outcome,
    topics: body.topics,
    month: thisMonth,
    unit: res.body.unit?.id ?? 'none',
    inPeriod: true,
    callback: res.body.callback ? 'open' : 'none',
    becameCase: res.body.caseId !== null,
    ...known,
  };
  made.push(m);
  return Object.assign(m, { dueAt: res.body.callback?.dueAt as string | undefined });
}

/** Moves a contact's recording back in time, as a past hotline log's import would date it. */
async function recordedAgo(m: Made, days: number) {
  const at = new Date(Date.now() - days * 86_400_000);
  await system.sql`update contacts set created_at = ${at}, started_at = ${at} where id = ${m.id}`;
  m.month = monthOf(at);
  m.inPeriod = day(at) >= from;
}

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);

  // Two callbacks promised two seconds ahead (the shipped policy's callback is due when promised).
  const soon = () => new Date(Date.now() + 2_000).toISOString();
  const neverMade = await record('worker', benefitCall({ callType: 'information', topics: [], outcome: 'callback_promised', callbackBy: soon() }));
  const madeLate = await record(
    'worker',
    benefitCall({ callType: 'referral_request', topics: ['disability'], outcome: 'callback_promised', callbackBy: soon() }),
  );
  // One promised for an hour from now and made at once; one promised for an hour and still open.
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
  const keptEarly = await record(
    'worker',
    benefitCall({ channel: 'outreach', callType: 'follow_up', topics: ['child_at_risk'], outcome: 'callback_promised', callbackBy: inAnHour() }),
  );
  await record('worker', benefitCall({ channel: 'other', callType: 'silent', topics: [], outcome: 'callback_promised', callbackBy: inAnHour() }));

  await record('worker', benefitCall());
  // Two topics: two rows by topic, once in the total. Recorded two months ago.
  await recordedAgo(
    await record('worker', benefitCall({ channel: 'walk_in', callType: 'information', topics: ['older_person', 'poor_household'], outcome: 'referred' })),
    62,
  );
  // A manager's own contact has no unit.
  await record('manager', benefitCall({ channel: 'counselling_cafe', callType: 'counselling', topics: [], outcome: 'no_action' }));
  // C1: a child in danger becomes a case at once.
  const c1 = await record('worker', abuseCall());
  expect([c1.outcome, c1.becameCase]).toEqual(['case_opened', true]);
  // A case opened from a contact that stayed advice.
  const opened = await record('worker', benefitCall({ about: { fullName: 'Trần Thị Mai', age: 71, gender: 'female' } }));
  expect(opened.becameCase).toBe(false);
  const kase = await call('worker', 'POST', `/contacts/${opened.id}/case`, { categories: ['older_person_alone'], concerns: { livesAlone: true } });
  expect(kase.status).toBe(201);
  Object.assign(opened, { outcome: 'case_opened', becameCase: true });
  // Before the period: counted nowhere.
  await recordedAgo(await record('worker', benefitCall({ callType: 'prank', topics: [], outcome: 'no_action' })), 200);

  const callback = (m: Made, outcome: string) =>
    call('worker', 'POST', `/contacts/${m.id}/callback`, { reachedPerson: true, summary: 'Đã gọi lại', outcome }).then((res) => {
      expect(res.status).toBe(200);
      m.outcome = outcome;
      return res.body.callback.status as string;
    });
  expect(await callback(keptEarly, 'advice_given')).toBe('kept');
  keptEarly.callback = 'kept';
  // Past both promises: one is made late, the other never.
  const due = Math.max(Date.parse(neverMade.dueAt!), Date.parse(madeLate.dueAt!));
  await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()) + 500));
  expect(await callback(madeLate, 'referred')).toBe('late');
  madeLate.callback = 'missed';
  neverMade.callback = 'missed';
});

afterAll(async () => {
  await system?.close();
});

const get = (who: string, path: string) => system.call('GET', path, { token: tokens[who] });

function tally(keys: string[]) {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return Object.fromEntries([...counts].sort());
}
const asMap = (rows: Array<{ key: string; count: number }>) => Object.fromEntries(rows.map((r) => [r.key, r.count]).sort());

/** Each contact's keys under a grouping: a topic row per topic, 'none' for a contact without. */
const keysOf: Record<ContactReportGrouping, (m: Made) => string[]> = {
  callType: (m) => [m.callType],
  channel: (m) => [m.channel],
  outcome: (m) => [m.outcome],
  topic: (m) => (m.topics.length ? m.topics : ['none']),
  month: (m) => [m.month],
  unit: (m) => [m.unit],
};

/** The indicators the test expects from the contacts it made. */
function expectedIndicators(inScope: Made[]) {
  return {
    contactsReceived: inScope.length,
    callbacksOnTime: inScope.filter((m) => m.callback === 'kept').length,
    callbacksMissed: inScope.filter((m) => m.callback === 'missed').length,
    contactsBecameCases: inScope.filter((m) => m.becameCase).length,
  };
}

const counted = () => made.filter((m) => m.inPeriod);

describe('GET /reports/contacts', () => {
  it('counts the period’s contacts by every grouping as the contacts themselves say, each once in the total', async () => {
    for (const by of CONTACT_REPORT_GROUPINGS) {
      const res = await get('manager', `/reports/contacts?from=${from}&to=${to}&by=${by}`);
      expect(res.status, by).toBe(200);
      expect(res.body.by).toBe(by);
      expect(asMap(res.body.rows), by).toEqual(tally(counted().flatMap(keysOf[by])));
      expect(res.body.total, by).toBe(counted().length);
    }
    // The two-topic contact adds to two rows: the rows add up to more than the total.
    const byTopic = await get('manager', `/reports/contacts?from=${from}&to=${to}&by=topic`);
    expect(byTopic.body.rows.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(counted().length + 1);
    expect(byTopic.body.rows.find((r: { key: string }) => r.key === 'older_person').label).toEqual(CATEGORY_LABELS.older_person);

    const byType = await get('manager', `/reports/contacts?from=${from}&to=${to}&by=callType`);
    expect(byType.body.rows.find((r: { key: string }) => r.key === 'report_of_concern').label).toEqual(CALL_TYPE_LABELS.report_of_concern);
    const byUnit = await get('manager', `/reports/contacts?from=${from}&to=${to}&by=unit`);
    expect(byUnit.body.rows.map((r: { label: { vi: string } }) => r.label.vi).sort()).toEqual(['Chưa có đơn vị', 'Đơn vị thử']);
    const byMonth = await get('manager', `/reports/contacts?from=${from}&to=${to}&by=month`);
    expect(byMonth.body.rows.find((r: { key: string }) => r.key === thisMonth).label.vi).toBe(`Tháng ${thisMonth.slice(5)}/${thisMonth.slice(0, 4)}`);

    // The period is Vietnam's days, both included: this month alone leaves out the one recorded two months ago.
    const recent = await get('manager', `/reports/contacts?from=${thisMonth}-01&to=${to}&by=channel`);
    const thisMonths = counted().filter((m) => m.month === thisMonth);
    expect(recent.body.total).toBe(thisMonths.length);
    expect(asMap(recent.body.rows)).toEqual(tally(thisMonths.map((m) => m.channel)));
  });

  it('gives the same numbers as CSV (with a BOM and Vietnamese headers) and as XLSX', async () => {
    for (const by of ['callType', 'topic'] as const) {
      const json = await get('manager', `/reports/contacts?from=${from}&to=${to}&by=${by}`);
      const auth = { headers: { authorization: `Bearer ${tokens.manager}` } };
      const csv = await fetch(`${system.url}/reports/contacts?from=${from}&to=${to}&by=${by}&format=csv`, auth);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toContain(`cuoc-goi-theo-${by}-${from}-${to}.csv`);
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = csvRecords(new TextDecoder().decode(bytes));
      expect(header).toEqual(['Mã', 'Nhóm', 'Số cuộc gọi']);
      expect(Object.fromEntries(rows.filter((r) => r[0]).map((r) => [r[0], Number(r[2])]))).toEqual(asMap(json.body.rows));
      expect(rows.at(-1)).toEqual(['', 'Tổng (mỗi cuộc gọi một lần)', String(json.body.total)]);

      const xlsx = await fetch(`${system.url}/reports/contacts?from=${from}&to=${to}&by=${by}&format=xlsx`, auth);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await xlsx.arrayBuffer());
      const fromXlsx: Record<string, number> = {};
      let total: unknown;
      book.worksheets[0]!.eachRow((row, n) => {
        if (n > 1 && row.getCell(1).value) fromXlsx[String(row.getCell(1).value)] = Number(row.getCell(3).value);
        else if (n > 1) total = row.getCell(3).value;
      });
      expect(fromXlsx).toEqual(asMap(json.body.rows));
      expect(total).toBe(json.body.total);
    }
  });

  it('is for managers and supervisors only, a supervisor for their own unit, and takes no commune', async () => {
    const base = `/reports/contacts?from=${from}&to=${to}&by=callType`;
    expect((await get('worker', base)).status).toBe(403);
    const mine = counted().filter((m) => m.unit !== 'none');
    const supervisor = await get('supervisor', base);
    expect(supervisor.status).toBe(200);
    expect(supervisor.body.total).toBe(mine.length);
    expect(asMap(supervisor.body.rows)).toEqual(tally(mine.map((m) => m.callType)));
    expect((await get('supervisor', `${base}&unit=${crypto.randomUUID()}`)).status).toBe(403);
    // A manager asking for the unit sees what its supervisor sees.
    expect((await get('manager', `${base}&unit=${mine[0]!.unit}`)).body.total).toBe(mine.length);
    const refused = await get('manager', `${base}&commune=Ho%C3%A0nh%20B%E1%BB%93`);
    expect(refused.status).toBe(422);
    expect((await get('manager', `/reports/contacts?from=${from}&to=${to}&by=colour`)).status).toBe(422);
  });
});

describe('GET /reports/indicators: the contacts', () => {
  const valuesOf = (body: { indicators: Array<{ id: string; value: number }> }) =>
    Object.fromEntries(body.indicators.filter((i) => Object.hasOwn(CONTACT_INDICATORS, i.id)).map((i) => [i.id, i.value]));

  it('counts contacts received, callbacks kept on time and missed, and those that became cases (C1 among them)', async () => {
    const res = await get('manager', `/reports/indicators?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const expected = expectedIndicators(counted());
    expect(valuesOf(res.body)).toEqual(expected);
    // What the test made: one kept, one made late and one never made, an open one not yet due; C1 and one opened later.
    expect(expected).toMatchObject({ callbacksOnTime: 1, callbacksMissed: 2, contactsBecameCases: 2 });
    for (const i of res.body.indicators.filter((i: { id: string }) => Object.hasOwn(CONTACT_INDICATORS, i.id))) {
      expect(i.label.vi && i.label.en && i.definition.vi && i.definition.en).toBeTruthy();
      expect(['contacts', 'callbacks']).toContain(i.unit);
    }

    const supervisor = await get('supervisor', `/reports/indicators?from=${from}&to=${to}`);
    expect(valuesOf(supervisor.body)).toEqual(expectedIndicators(counted().filter((m) => m.unit !== 'none')));
    // A commune narrows the cases, never the contacts: their definition says so.
    const commune = await get('manager', `/reports/indicators?from=${from}&to=${to}&commune=Ho%C3%A0nh%20B%E1%BB%93`);
    expect(valuesOf(commune.body)).toEqual(expected);
    expect(CONTACT_INDICATORS.contactsReceived.definition.vi).toContain('không tính theo xã');

    // The same numbers in the download.
    const csv = await fetch(`${system.url}/reports/indicators?from=${from}&to=${to}&format=csv`, { headers: { authorization: `Bearer ${tokens.manager}` } });
    const [, ...rows] = csvRecords((await csv.text()).replace(/^\uFEFF/, ''));
    expect(Object.fromEntries(rows.filter((r) => Object.hasOwn(CONTACT_INDICATORS, r[0]!)).map((r) => [r[0], Number(r[2])]))).toEqual(expected);
  });
});

describe('the reports page and the A4 report', () => {
  const consoleCookie = async (username: string) => (await consoleSession(system.url, username)).cookie;
  const page = async (cookie: string, path: string) => {
    const res = await fetch(`${system.url}${path}?from=${from}&to=${to}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return await res.text();
  };
  /** A table row: its header cell's words, then its number. */
  const row = (words: string, n: number) => new RegExp(`>${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</th>\\s*<td>${n}</td>`);

  it('shows the contacts section with its indicators, the chart by call type and the downloads, in the reader’s language', async () => {
    const expected = expectedIndicators(counted());
    const byType = tally(counted().map((m) => m.callType));
    const manager = await consoleCookie(province.manager);
    const html = await page(manager, '/app/reports');
    const section = html.slice(html.indexOf('<section id="contacts">'));
    expect(section).toContain('Tư vấn: cuộc gọi, lượt tiếp nhận');
    for (const [id, value] of Object.entries(expected)) expect(section).toMatch(row(CONTACT_INDICATORS[id as keyof typeof expected].label.vi, value));
    // Shown once: in their own section, not again among the cases' indicators.
    expect(html.split(CONTACT_INDICATORS.contactsReceived.label.vi)).toHaveLength(2);
    expect(section).toMatch(/<figure class="chart" role="img" aria-label="Cuộc gọi, lượt tư vấn theo loại">/);
    for (const [type, n] of Object.entries(byType)) expect(section).toMatch(row(CALL_TYPE_LABELS[type as keyof typeof CALL_TYPE_LABELS].vi, n));
    expect(section).toContain('kind=contacts&amp;by=topic&amp;format=xlsx');

    // The download the page links to is the API's, passed on.
    const download = await fetch(`${system.url}/app/reports/download?from=${from}&to=${to}&kind=contacts&by=callType&format=csv&commune=X`, {
      headers: { cookie: manager },
    });
    expect(download.status).toBe(200);
    expect(csvRecords((await download.text()).replace(/^\uFEFF/, '')).at(-1)).toEqual(['', 'Tổng (mỗi cuộc gọi một lần)', String(counted().length)]);

    const printed = await page(manager, '/app/reports/print');
    const part = printed.slice(printed.indexOf('IV. Tư vấn: cuộc gọi, lượt tiếp nhận'), printed.indexOf('V. Ghi chú'));
    for (const [id, value] of Object.entries(expected)) expect(part).toMatch(row(CONTACT_INDICATORS[id as keyof typeof expected].label.vi, value));
    for (const [type, n] of Object.entries(byType)) expect(part).toMatch(row(CALL_TYPE_LABELS[type as keyof typeof CALL_TYPE_LABELS].vi, n));
    expect(part).toContain('<figure class="chart"');

    // A supervisor who reads English: the page in English, their unit's numbers; the department's report stays Vietnamese.
    expect((await call('supervisor', 'PATCH', '/me', { language: 'en' })).status).toBe(200);
    const supervisor = await consoleCookie(province.supervisor);
    const english = await page(supervisor, '/app/reports');
    const theirs = expectedIndicators(counted().filter((m) => m.unit !== 'none'));
    expect(english).toContain('Contacts: calls and visits');
    expect(english).toMatch(row(CONTACT_INDICATORS.contactsReceived.label.en, theirs.contactsReceived));
    expect(english).toMatch(row(CONTACT_INDICATORS.callbacksMissed.label.en, theirs.callbacksMissed));
    expect(english).toMatch(row(CALL_TYPE_LABELS.report_of_concern.en, 1));
    expect(await page(supervisor, '/app/reports/print')).toMatch(row(CONTACT_INDICATORS.contactsReceived.label.vi, theirs.contactsReceived));
  });
});
