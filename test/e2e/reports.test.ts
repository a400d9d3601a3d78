// The reports' counts against counts made independently from the cases this test creates: by
// channel, category and month, the total once per case, the indicators; and the CSV and XLSX
// downloads carry the same numbers. A province of its own, so the counts are exactly ours.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../api/register-file';
import type { Intake } from '../../domain/intake';
import { abusedChild, intake, lonelyOlderMan } from '../support/intakes';
import { secondsPolicy } from '../support/policies';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
const made: Array<{ id: string; intake: Intake; path: string; month: string }> = [];

/** Vietnam's calendar month of an instant. */
const monthOf = (at: Date) => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 7);
const today = monthOf(new Date());
const day = (at: Date) => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
  const daysAgo = (n: number) => day(new Date(Date.now() - n * 86_400_000));
  const reports: Intake[] = [
    // Received 62 days ago (below), a day after it happened.
    { ...abusedChild(), incidentDate: daysAgo(63) },
    abusedChild(),
    { ...lonelyOlderMan(), incidentDate: daysAgo(10) },
    {
      ...intake({ channel: 'hotline', categories: ['domestic_violence_victim', 'poor_household'], client: { gender: 'female', age: 40 } }),
      incidentDate: daysAgo(40),
    },
    { ...intake({ channel: 'walk_in', categories: [] }), incidentDate: daysAgo(0) },
    intake({ channel: 'outreach', categories: ['homeless'], client: { age: 17 } }),
  ];
  for (const report of reports) {
    const res = await system.call('POST', '/cases', { token: tokens.worker, body: report });
    expect(res.status).toBe(201);
    made.push({ id: res.body.id, intake: report, path: res.body.risk.path, month: today });
  }
  // Two of them came in two months ago (as an imported register would have them).
  const earlier = new Date(Date.now() - 62 * 86_400_000);
  for (const m of made.slice(0, 2)) {
    await system.sql`update cases set created_at = ${earlier} where id = ${m.id}`;
    m.month = monthOf(earlier);
  }
});

afterAll(async () => {
  await system?.close();
});

const from = day(new Date(Date.now() - 120 * 86_400_000));
const to = day(new Date());
const get = (who: string, path: string) => system.call('GET', path, { token: tokens[who] });

function tally(keys: string[]) {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return Object.fromEntries([...counts].sort());
}
const asMap = (rows: Array<{ key: string; count: number }>) => Object.fromEntries(rows.map((r) => [r.key, r.count]).sort());

describe('GET /reports/cases', () => {
  it('counts the cases received by channel, category and month as the cases themselves say', async () => {
    const byChannel = await get('manager', `/reports/cases?from=${from}&to=${to}&by=channel`);
    expect(byChannel.status).toBe(200);
    expect(asMap(byChannel.body.rows)).toEqual(tally(made.map((m) => m.intake.channel)));
    expect(byChannel.body.total).toBe(made.length);
    expect(byChannel.body.rows.find((r: { key: string }) => r.key === 'hotline').label).toEqual({ vi: 'Tổng đài', en: 'Hotline' });

    const byCategory = await get('manager', `/reports/cases?from=${from}&to=${to}&by=category`);
    expect(asMap(byCategory.body.rows)).toEqual(tally(made.flatMap((m) => (m.intake.categories.length ? m.intake.categories : ['none']))));
    // A case with two categories adds to two rows, and is counted once in the total.
    expect(byCategory.body.total).toBe(made.length);

    const byMonth = await get('manager', `/reports/cases?from=${from}&to=${to}&by=month`);
    expect(asMap(byMonth.body.rows)).toEqual(tally(made.map((m) => m.month)));

    // The period is Vietnam's days, both included: this month alone leaves out the two earlier cases.
    const recent = await get('manager', `/reports/cases?from=${today}-01&to=${to}&by=path`);
    expect(recent.body.total).toBe(made.filter((m) => m.month === today).length);
    expect(asMap(recent.body.rows)).toEqual(tally(made.filter((m) => m.month === today).map((m) => m.path)));
  });

  it('gives the same numbers as CSV (with a BOM and Vietnamese headers) and as XLSX', async () => {
    const json = await get('manager', `/reports/cases?from=${from}&to=${to}&by=channel`);
    const csv = await fetch(`${system.url}/reports/cases?from=${from}&to=${to}&by=channel&format=csv`, {
      headers: { authorization: `Bearer ${tokens.manager}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvRecords(new TextDecoder().decode(bytes));
    expect(header).toEqual(['Mã', 'Nhóm', 'Số trường hợp']);
    const fromCsv = Object.fromEntries(rows.filter((r) => r[0]).map((r) => [r[0], Number(r[2])]));
    expect(fromCsv).toEqual(asMap(json.body.rows));
    expect(Number(rows.at(-1)![2])).toBe(json.body.total);

    const xlsx = await fetch(`${system.url}/reports/cases?from=${from}&to=${to}&by=channel&format=xlsx`, {
      headers: { authorization: `Bearer ${tokens.manager}` },
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0]!;
    const fromXlsx: Record<string, number> = {};
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value) fromXlsx[String(row.getCell(1).value)] = Number(row.getCell(3).value);
    });
    expect(fromXlsx).toEqual(asMap(json.body.rows));
  });

  it('is for managers and supervisors only, a supervisor for their own unit', async () => {
    expect((await get('worker', `/reports/cases?from=${from}&to=${to}&by=channel`)).status).toBe(403);
    const supervisor = await get('supervisor', `/reports/cases?from=${from}&to=${to}&by=channel`);
    expect(supervisor.body.total).toBe(made.length);
    expect((await get('supervisor', `/reports/cases?from=${from}&to=${to}&by=channel&unit=${crypto.randomUUID()}`)).status).toBe(403);
    expect((await get('manager', `/reports/cases?from=${from}&to=${to}&by=colour`)).status).toBe(422);
  });
});

describe('GET /reports/indicators', () => {
  it('counts what was received, routed to emergency, and the abused children of Circular 13 by sex', async () => {
    const res = await get('manager', `/reports/indicators?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const value = (id: string) => res.body.indicators.find((i: { id: string }) => i.id === id).value;
    expect(value('received')).toBe(made.length);
    expect(value('emergency')).toBe(made.filter((m) => m.path === 'emergency').length);
    // The two abused girls (11), not the 17-year-old or the adults.
    expect(value('childAbuse')).toBe(2);
    expect(value('childAbuseGirls')).toBe(2);
    expect(value('childAbuseBoys')).toBe(0);
    expect(value('children')).toBe(made.filter((m) => (m.intake.client.age ?? 99) < 16).length);
    for (const i of res.body.indicators) expect(i.label.vi && i.definition.vi && i.label.en).toBeTruthy();
  });
});

describe('timeliness', () => {
  it('counts emergency responses met on time and missed, against the deadline each was given', async () => {
    const p2 = await freshProvince(system.sql);
    const manager = await system.login(p2.manager);
    const worker = await system.login(p2.worker);
    const draft = await system.call('POST', '/policies/deadlines/drafts', {
      token: manager,
      body: { document: secondsPolicy('emergency_response', { due: 'PT2S', supervisorGrace: 'PT1M', managerGrace: 'PT2M' }), comment: 'giây' },
    });
    await system.call('POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { token: manager, body: { comment: 'thử' } });
    const create = async () => (await system.call('POST', '/cases', { token: worker, body: abusedChild() })).body.id as string;
    const safe = (id: string) => system.call('POST', `/cases/${id}/safety-confirmed`, { token: worker, body: { actions: ['Đưa về nơi an toàn'] } });
    const quick = await create();
    expect((await safe(quick)).status).toBe(200);
    const slow = await create();
    const never = await create();
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await safe(slow)).status).toBe(200);
    expect(never).toBeTruthy();

    const res = await system.call('GET', `/reports/indicators?from=${from}&to=${to}`, { token: manager });
    const value = (id: string) => res.body.indicators.find((i: { id: string }) => i.id === id).value;
    expect(value('emergency_response.onTime')).toBe(1);
    // One met late, one still not met and past due.
    expect(value('emergency_response.late')).toBe(2);
    // Seconds, in hours to one decimal: 0; the order still holds.
    expect(value('emergency_response.p90Hours')).toBeGreaterThanOrEqual(value('emergency_response.medianHours'));
    // The assessments those two began are due in days: neither met nor missed yet.
    expect(value('assessment.onTime') + value('assessment.late')).toBe(0);
    expect(value('overdueNow')).toBe(1);

    // One assessment recorded: counted in the period, and its deadline met on time.
    await system.call('POST', `/cases/${quick}/assessment`, { token: worker, body: { summary: 'An toàn', needs: ['Tham vấn'] } });
    const later = await system.call('GET', `/reports/indicators?from=${from}&to=${to}`, { token: manager });
    const now = (id: string) => later.body.indicators.find((i: { id: string }) => i.id === id).value;
    expect(now('assessmentsCompleted')).toBe(1);
    expect(now('assessment.onTime')).toBe(1);
    expect(now('socialWorkers')).toBe(1);
    expect(now('workersPerSupervisor')).toBe(1);

    // Carried to closure the same day: one plan approved, one case closed within a month.
    const step = async (who: string, path: string, body: unknown) =>
      expect((await system.call('POST', `/cases/${quick}${path}`, { token: who, body })).status).toBe(200);
    await step(worker, '/plan', { goals: ['An toàn lâu dài'], interventions: [] });
    await step(manager, '/plan/decision', { decision: 'approve', comment: 'Đồng ý' });
    await step(worker, '/closure', { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Đạt mục tiêu', outcome: 'An toàn' });
    await step(manager, '/closure/decision', { decision: 'approve', comment: 'Đồng ý' });
    const closed = await system.call('GET', `/reports/indicators?from=${from}&to=${to}`, { token: manager });
    const end = (id: string) => closed.body.indicators.find((i: { id: string }) => i.id === id).value;
    expect([end('plansApproved'), end('closuresApproved'), end('closedUnder1Month'), end('closed1to3Months')]).toEqual([1, 1, 1, 0]);
    expect(end('medianDaysToClose')).toBe(0);

    // Closures by the reason proposed and how far the goals were met; the same in the CSV.
    const closures = await system.call('GET', `/reports/closures?from=${from}&to=${to}`, { token: manager });
    expect(closures.body).toMatchObject({
      total: 1,
      rows: [{ reason: 'goals_met', label: { vi: 'Đã đạt mục tiêu kế hoạch' }, goalsMet: { all: 1, most: 0, some: 0, none: 0, unknown: 0 }, total: 1 }],
    });
    const csv = await fetch(`${system.url}/reports/closures?from=${from}&to=${to}&format=csv`, { headers: { authorization: `Bearer ${manager}` } });
    const [header, first] = csvRecords((await csv.text()).replace(/^\uFEFF/, ''));
    expect(header?.slice(0, 3)).toEqual(['Mã', 'Lý do kết thúc', 'Đạt tất cả mục tiêu']);
    expect(first?.slice(0, 3)).toEqual(['goals_met', 'Đã đạt mục tiêu kế hoạch', '1']);

    // Per unit: three received, one overdue now (the one never made safe), two deadlines missed.
    const units = await system.call('GET', `/reports/units?from=${from}&to=${to}`, { token: manager });
    expect(units.body.rows).toEqual([
      expect.objectContaining({
        unit: 'Đơn vị thử',
        received: 3,
        openNow: 2,
        overdueNow: 1,
        deadlinesMissed: 2,
        escalationsSupervisor: 0,
        escalationsManager: 0,
      }),
    ]);
  });
});

describe('workload and referrals by kind of partner', () => {
  it('lists each worker’s open and overdue cases, and referrals by partner kind with how long partners took to answer', async () => {
    const mine = await get('manager', '/reports/workload');
    expect(mine.status).toBe(200);
    const worker = mine.body.rows.find((r: { worker: string }) => r.worker === province.worker);
    // Every case of this province went to its one worker; none is closed.
    const assigned = (
      await system.sql<{ n: number }[]>`
      select count(*)::int as n from cases c join staff w on w.id = c.assigned_worker_id
      where w.username = ${province.worker} and c.stage not in ('closed', 'erased')`
    )[0]!.n;
    expect(worker).toMatchObject({ open: assigned, overdue: 0, unit: 'Đơn vị thử' });

    const partner = await system.call('POST', '/partners', {
      token: tokens.manager,
      body: { name: 'Công an phường', kind: 'police', services: ['bảo vệ'], contact: { phone: '113' } },
    });
    expect(partner.status).toBe(201);
    const refer = (id: string) =>
      system.call('POST', `/cases/${id}/referrals`, {
        token: tokens.worker,
        body: { partnerId: partner.body.id, service: 'bảo vệ', reason: 'Cần bảo vệ', consent: { givenBy: 'Người được trợ giúp', scope: ['categories'] } },
      });
    const answered = await refer(made[2]!.id);
    const waiting = await refer(made[3]!.id);
    expect([answered.status, waiting.status]).toEqual([201, 201]);
    // The partner phoned: the service began.
    const progress = await system.call('POST', `/cases/${made[2]!.id}/referrals/${answered.body.id}/progress`, {
      token: tokens.worker,
      body: { status: 'in_service' },
    });
    expect(progress.status).toBe(200);

    const byKind = await get('manager', `/reports/referrals?from=${from}&to=${to}`);
    expect(byKind.body.rows).toEqual([
      expect.objectContaining({ kind: 'police', label: { vi: 'Công an', en: 'Police' }, sent: 2, accepted: 1, declined: 0, expired: 0, completed: 0 }),
    ]);
    expect(byKind.body.rows[0].medianResponseHours).toBeGreaterThanOrEqual(0);
    const csv = await fetch(`${system.url}/reports/workload?format=csv`, { headers: { authorization: `Bearer ${tokens.manager}` } });
    expect(await csv.text()).toContain(province.worker);
  });
});

describe('reporting delay', () => {
  it('counts how soon after it happened each case was reported, in Primero’s buckets, and keeps it once a case is erased', async () => {
    // By hand from the intakes above: 1 day (received 62 days ago), 10, 40 and 0 days; two without a date.
    const expected = { '0-3': 2, '6-14': 1, '31-90': 1, unknown: 2 };
    const res = await get('manager', `/reports/cases?from=${from}&to=${to}&by=reportingDelay`);
    expect(asMap(res.body.rows)).toEqual(expected);
    expect(res.body.rows.find((r: { key: string }) => r.key === '31-90').label).toEqual({ vi: 'Trên 1 tháng', en: 'Over a month' });

    const erased = await system.call('POST', `/cases/${made[4]!.id}/erase`, { token: tokens.manager, body: { reason: 'Yêu cầu của người được trợ giúp' } });
    expect(erased.status).toBe(200);
    const kept = await system.sql<{ intake: Record<string, unknown> }[]>`select intake from cases where id = ${made[4]!.id}`;
    expect(kept[0]!.intake).not.toHaveProperty('incidentDate');
    expect(asMap((await get('manager', `/reports/cases?from=${from}&to=${to}&by=reportingDelay`)).body.rows)).toEqual(expected);
  });

  it('refuses a day that has not come yet, naming the field', async () => {
    const res = await system.call('POST', '/cases', { token: tokens.worker, body: { ...intake(), incidentDate: day(new Date(Date.now() + 3 * 86_400_000)) } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('incidentDate');
  });
});
