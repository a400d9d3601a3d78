// The placements' reports (issue 28, item 7) over HTTP on the real stack, against numbers worked out
// by hand from the placements this test writes: GET /reports/placements by kind, carer's kind,
// outcome (those not ended as `ongoing`) and month; the placement indicators (placed now, temporary
// separations ended within the limit, extended, overdue; days in placement, median and 90th
// percentile) on their own and among /reports/indicators; the period, commune, scope and roles; CSV
// and XLSX with Vietnamese headers. Carers and cases go through the API; the placements are written
// in SQL as the case's workflow writes them (placing from the case is being built beside this).
// A province of its own, so the counts are exactly ours.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../api/register-file';
import { CARER_KIND_LABELS } from '../../domain/labels';
import { PLACEMENT_KIND_LABELS, PLACEMENT_OUTCOME_LABELS } from '../../domain/placement-labels';
import { PLACEMENT_INDICATORS, PLACEMENT_REPORT_GROUPINGS } from '../../domain/reports';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};

const DAY = 86_400_000;
/** One instant for the whole test: every placement is dated from it. */
const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY);
/** Vietnam's calendar day and month of an instant. */
const day = (at: Date) => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
const monthOf = (at: Date) => day(at).slice(0, 7);
const from = day(ago(120));
const to = day(new Date(now));
/** A shorter period: its first day is 28 days ago. */
const lately = day(ago(28));

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const get = (who: string, path: string) => system.call('GET', path, { token: tokens[who] });

interface Placement {
  name: string;
  caseId: string;
  carerId: string;
  kind: string;
  status: 'active' | 'overdue' | 'ended';
  startedAgo: number;
  /** Days from now to its limit or planned end: negative is past. */
  endsIn?: number;
  endedAgo?: number;
  outcome?: string;
  extensions?: number;
  overdueAgo?: number;
}
const made: Placement[] = [];

/** A placement of a case with a carer, as the case's workflow writes it. */
async function place(p: Placement) {
  const extension = (i: number) => ({
    decision: { number: `${i + 1}/QĐ-UBND`, by: 'Chủ tịch UBND xã', on: day(ago(16)) },
    until: day(ago(-5)),
    reason: 'Chưa an toàn',
    by: 'x',
    at: ago(16).toISOString(),
  });
  const detail = {
    reason: 'Nơi ở không an toàn',
    extensions: Array.from({ length: p.extensions ?? 0 }, (_, i) => extension(i)),
    visits: 0,
    createdBy: 'test',
    ...(p.overdueAgo === undefined ? {} : { overdueAt: ago(p.overdueAgo).toISOString() }),
  };
  await system.sql`
    insert into placements (id, case_id, province, carer_id, kind, status, starts_at, ends_by, ended_at, outcome, detail)
    values (${randomUUID()}, ${p.caseId}, ${province.code}, ${p.carerId}, ${p.kind}, ${p.status}, ${ago(p.startedAgo)},
            ${p.endsIn === undefined ? null : ago(-p.endsIn)}, ${p.endedAgo === undefined ? null : ago(p.endedAgo)}, ${p.outcome ?? null},
            ${system.sql.json(detail)})`;
  made.push(p);
}

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker', 'admin'] as const) tokens[who] = await system.login(province[who]);

  const carer = async (kind: string, name: string) => {
    const res = await call('manager', 'POST', '/carers', { kind, name, commune: 'Hoành Bồ', capacity: 10, contact: {} });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const family = await carer('foster_family', 'Gia đình bà Nguyễn Thị Lan');
  const shelter = await carer('shelter', 'Nhà tạm lánh Hạ Long');
  const kin = await carer('kinship', 'Bà ngoại của em');

  const opened = async (body: unknown) => {
    const res = await call('worker', 'POST', '/cases', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  // Five children of Hoành Bồ (restricted cases: counted all the same) and an older man of Đồng Văn.
  const [c1, c2, c3, c4, c6] = [
    await opened(abusedChild()),
    await opened(abusedChild()),
    await opened(abusedChild()),
    await opened(abusedChild()),
    await opened(abusedChild()),
  ];
  const c5 = await opened(lonelyOlderMan());
  const separation = 'temporary_separation';

  // A: ended within its limit. 12 days.
  await place({
    name: 'A',
    caseId: c1!,
    carerId: family,
    kind: separation,
    status: 'ended',
    startedAgo: 20,
    endsIn: -5,
    endedAgo: 8,
    outcome: 'returned_home',
  });
  // B: extended once, its new limit ahead; still placed. 30 days so far.
  await place({ name: 'B', caseId: c2!, carerId: shelter, kind: separation, status: 'active', startedAgo: 30, endsIn: 5, extensions: 1 });
  // C: past its limit 10 days ago and still there. 25 days so far.
  await place({ name: 'C', caseId: c3!, carerId: shelter, kind: separation, status: 'overdue', startedAgo: 25, endsIn: -10, overdueAgo: 10 });
  // D: went past its limit 45 days ago, ended 5 days later: not within the limit. 20 days.
  await place({
    name: 'D',
    caseId: c4!,
    carerId: family,
    kind: separation,
    status: 'ended',
    startedAgo: 60,
    endsIn: -45,
    endedAgo: 40,
    outcome: 'moved',
    overdueAgo: 45,
  });
  // E: the same child moved on to foster care, still there. 40 days so far.
  await place({ name: 'E', caseId: c4!, carerId: family, kind: 'foster_care', status: 'active', startedAgo: 40 });
  // F: before the period: counted nowhere but (had it not ended) in those placed now.
  await place({ name: 'F', caseId: c5, carerId: kin, kind: 'kinship_care', status: 'ended', startedAgo: 200, endedAgo: 100, outcome: 'returned_home' });
  // G: a shelter stay the older man left. 10 days.
  await place({ name: 'G', caseId: c5, carerId: shelter, kind: 'shelter_stay', status: 'ended', startedAgo: 90, endedAgo: 80, outcome: 'ran_away' });
  // I: extended once, ended before its new limit: within it. 18 days.
  await place({
    name: 'I',
    caseId: c6!,
    carerId: kin,
    kind: separation,
    status: 'ended',
    startedAgo: 50,
    endsIn: -30,
    endedAgo: 32,
    outcome: 'returned_home',
    extensions: 1,
  });
});

afterAll(async () => {
  await system?.close();
});

const asMap = (rows: Array<{ key: string; count: number }>) => Object.fromEntries(rows.map((r) => [r.key, r.count]).sort());
const valuesOf = (body: { indicators: Array<{ id: string; value: number }> }) =>
  Object.fromEntries(body.indicators.filter((i) => Object.hasOwn(PLACEMENT_INDICATORS, i.id)).map((i) => [i.id, i.value]));

/** Worked out by hand from the placements above (the period: 120 days ago to today). */
const WHOLE_PERIOD = {
  // B, C and E are not ended: three children placed now.
  placedNow: 3,
  // A and I (extended, ended before the new limit); not D, which went past its limit first.
  separationsWithinLimit: 2,
  // B and I.
  separationsExtended: 2,
  // C (in the period, and now) and D (in the period).
  separationsOverdue: 2,
  // Days of A…I begun in the period, F left out: 10, 12, 18, 20, 25, 30, 40.
  placementDaysMedian: 20,
  // percentile_cont: the 5.4th of 0…6, 30 + 0.4 × (40 − 30).
  placementDaysP90: 34,
};
/** From 28 days ago: A and C begun in it; A ended in it; C went overdue in it. */
const LATELY = {
  placedNow: 3,
  separationsWithinLimit: 1,
  separationsExtended: 0,
  separationsOverdue: 1,
  // 12 and 25 days: 12 + 0.5 × 13, 12 + 0.9 × 13.
  placementDaysMedian: 18.5,
  placementDaysP90: 23.7,
};

describe('GET /reports/placements', () => {
  it('counts the placements begun in the period by kind, carer’s kind, outcome and month, each once', async () => {
    const expected: Record<string, Record<string, number>> = {
      kind: { foster_care: 1, shelter_stay: 1, temporary_separation: 5 },
      carerKind: { foster_family: 3, kinship: 1, shelter: 3 },
      outcome: { moved: 1, ongoing: 3, ran_away: 1, returned_home: 2 },
      month: {},
    };
    for (const p of made.filter((p) => p.startedAgo <= 120)) {
      const month = monthOf(ago(p.startedAgo));
      expected.month![month] = (expected.month![month] ?? 0) + 1;
    }
    for (const by of PLACEMENT_REPORT_GROUPINGS) {
      const res = await get('manager', `/reports/placements?from=${from}&to=${to}&by=${by}`);
      expect(res.status, by).toBe(200);
      expect(res.body.by).toBe(by);
      expect(asMap(res.body.rows), by).toEqual(expected[by]);
      expect(res.body.total, by).toBe(7);
    }
    const labelOf = async (by: string, key: string) =>
      (await get('manager', `/reports/placements?from=${from}&to=${to}&by=${by}`)).body.rows.find((r: { key: string }) => r.key === key).label;
    expect(await labelOf('kind', 'temporary_separation')).toEqual(PLACEMENT_KIND_LABELS.temporary_separation);
    expect(await labelOf('carerKind', 'kinship')).toEqual(CARER_KIND_LABELS.kinship);
    expect(await labelOf('outcome', 'ran_away')).toEqual(PLACEMENT_OUTCOME_LABELS.ran_away);
    expect(await labelOf('outcome', 'ongoing')).toEqual({ vi: 'Đang ở nơi chăm sóc', en: 'Still placed' });
    const month = monthOf(ago(20));
    expect((await labelOf('month', month)).vi).toBe(`Tháng ${month.slice(5)}/${month.slice(0, 4)}`);

    // The period is Vietnam's days, both included: from 28 days ago, A and C alone.
    const recent = await get('manager', `/reports/placements?from=${lately}&to=${to}&by=outcome`);
    expect(asMap(recent.body.rows)).toEqual({ ongoing: 1, returned_home: 1 });
    // A commune is the case's: the older man's in Đồng Văn.
    const commune = await get('manager', `/reports/placements?from=${from}&to=${to}&by=kind&commune=${encodeURIComponent(' Đồng Văn')}`);
    expect([asMap(commune.body.rows), commune.body.total]).toEqual([{ shelter_stay: 1 }, 1]);
  });

  it('gives the same numbers as CSV (with a BOM and Vietnamese headers) and as XLSX', async () => {
    const auth = { headers: { authorization: `Bearer ${tokens.manager}` } };
    const json = await get('manager', `/reports/placements?from=${from}&to=${to}&by=kind`);
    const csv = await fetch(`${system.url}/reports/placements?from=${from}&to=${to}&by=kind&format=csv`, auth);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain(`noi-cham-soc-theo-kind-${from}-${to}.csv`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvRecords(new TextDecoder().decode(bytes));
    expect(header).toEqual(['Mã', 'Nhóm', 'Số lần bố trí']);
    expect(Object.fromEntries(rows.filter((r) => r[0]).map((r) => [r[0], Number(r[2])]))).toEqual(asMap(json.body.rows));
    // The headers are Vietnamese; each group's words are the reader's (the API's own: English).
    expect(rows.find((r) => r[0] === 'temporary_separation')![1]).toBe(PLACEMENT_KIND_LABELS.temporary_separation.en);
    expect(rows.at(-1)).toEqual(['', 'Tổng số lần bố trí', '7']);

    const xlsx = await fetch(`${system.url}/reports/placements?from=${from}&to=${to}&by=kind&format=xlsx`, auth);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const fromXlsx: Record<string, number> = {};
    book.worksheets[0]!.eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value) fromXlsx[String(row.getCell(1).value)] = Number(row.getCell(3).value);
    });
    expect(fromXlsx).toEqual(asMap(json.body.rows));

    const indicators = await fetch(`${system.url}/reports/placements/indicators?from=${from}&to=${to}&format=csv`, auth);
    const [head, ...lines] = csvRecords((await indicators.text()).replace(/^\uFEFF/, ''));
    expect(head).toEqual(['Mã chỉ số', 'Chỉ số', 'Giá trị', 'Đơn vị', 'Định nghĩa']);
    expect(Object.fromEntries(lines.map((r) => [r[0], Number(r[2])]))).toEqual(WHOLE_PERIOD);
    expect(lines.find((r) => r[0] === 'separationsOverdue')![1]).toBe(PLACEMENT_INDICATORS.separationsOverdue.label.vi);
  });

  it('is for managers and supervisors only, a supervisor for their own unit, and refuses an unknown grouping naming it', async () => {
    const base = `/reports/placements?from=${from}&to=${to}&by=kind`;
    expect((await get('worker', base)).status).toBe(403);
    expect((await get('worker', `/reports/placements/indicators?from=${from}&to=${to}`)).status).toBe(403);
    const own = await get('supervisor', base);
    expect([own.status, own.body.total]).toEqual([200, 7]);
    expect((await get('supervisor', `${base}&unit=${randomUUID()}`)).status).toBe(403);

    // Another unit and its supervisor: none of these cases is theirs.
    const unit = await call('admin', 'POST', '/units', { name: `Đơn vị khác ${randomUUID().slice(0, 4)}`, areas: [] });
    expect(unit.status).toBe(201);
    const username = `supervisor2.${randomUUID().slice(0, 8)}`;
    const staff = await call('admin', 'POST', '/staff', {
      username,
      displayName: 'Trưởng phòng khác',
      role: 'supervisor',
      unitId: unit.body.id,
      password: 'a-long-password',
    });
    expect(staff.status).toBe(201);
    tokens.other = await system.login(username, 'a-long-password');
    const theirs = await get('other', base);
    expect([theirs.status, theirs.body.rows, theirs.body.total]).toEqual([200, [], 0]);
    const theirIndicators = await get('other', `/reports/placements/indicators?from=${from}&to=${to}`);
    expect(Object.values(valuesOf(theirIndicators.body))).toEqual(Object.values(WHOLE_PERIOD).map(() => 0));
    // A manager asking for that unit sees what its supervisor sees.
    expect((await get('manager', `${base}&unit=${unit.body.id}`)).body.total).toBe(0);

    const refused = await get('manager', `/reports/placements?from=${from}&to=${to}&by=colour`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toContain('by');
  });
});

describe('GET /reports/placements/indicators', () => {
  it('counts those placed now, separations ended within the limit, extended and overdue, and days in placement', async () => {
    const res = await get('manager', `/reports/placements/indicators?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from, to });
    expect(res.body.indicators.map((i: { id: string }) => i.id)).toEqual(Object.keys(PLACEMENT_INDICATORS));
    expect(valuesOf(res.body)).toEqual(WHOLE_PERIOD);
    for (const i of res.body.indicators) {
      expect(i.label.vi && i.label.en && i.definition.vi && i.definition.en).toBeTruthy();
      expect(['cases', 'placements', 'days']).toContain(i.unit);
    }
    // The period moves everything but those placed now.
    expect(valuesOf((await get('manager', `/reports/placements/indicators?from=${lately}&to=${to}`)).body)).toEqual(LATELY);
    // The unit's supervisor sees the same (every case is the unit's); a commune narrows to its cases' placements.
    expect(valuesOf((await get('supervisor', `/reports/placements/indicators?from=${from}&to=${to}`)).body)).toEqual(WHOLE_PERIOD);
    const commune = await get('manager', `/reports/placements/indicators?from=${from}&to=${to}&commune=${encodeURIComponent('Đồng Văn')}`);
    expect(valuesOf(commune.body)).toEqual({
      ...WHOLE_PERIOD,
      placedNow: 0,
      separationsWithinLimit: 0,
      separationsExtended: 0,
      separationsOverdue: 0,
      placementDaysMedian: 10,
      placementDaysP90: 10,
    });
  });

  it('are among the period’s indicators, with the same numbers', async () => {
    const res = await get('manager', `/reports/indicators?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(valuesOf(res.body)).toEqual(WHOLE_PERIOD);
  });
});
