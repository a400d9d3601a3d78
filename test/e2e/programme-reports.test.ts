// Group and community work's reports (issue 29, item 6) over HTTP on the real stack, against numbers
// worked out by hand from the programmes, enrolments, sessions and outcomes this test makes through
// the API: GET /reports/programmes by programme, kind, gender, age group, outcome (none yet as
// `ongoing`) and unit; the programme indicators (participants, new enrolments, sessions held,
// attendance rate, guests, employed, apprenticeships, back to school) on their own and among
// /reports/indicators; the period, scope and roles; CSV and XLSX with Vietnamese headers; the
// reports page's and the A4 report's section "Can thiệp nhóm và cộng đồng".
// A province of its own, so the counts are exactly ours.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../api/register-file';
import { ENROLMENT_OUTCOME_LABELS, PROGRAMME_KIND_LABELS } from '../../domain/programmes';
import { PROGRAMME_INDICATORS, PROGRAMME_REPORT_GROUPINGS } from '../../domain/reports';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { consoleSession } from '../support/console-session';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
let unitId: string;
let workerId: string;
const programmes: Record<'club' | 'training' | 'community', { id: string; name: string }> = {} as never;

/** Vietnam's calendar day `n` days ago. */
const daysAgo = (n: number) => new Date(Date.now() + 7 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
const from = daysAgo(60);
const to = daysAgo(0);
/** A shorter period: its first day is 20 days ago. */
const lately = daysAgo(20);

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const get = (who: string, path: string) => system.call('GET', path, { token: tokens[who] });

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker', 'admin'] as const) tokens[who] = await system.login(province[who]);
  const [me] = await system.sql<{ id: string; unit_id: string }[]>`select id, unit_id from staff where username = ${province.worker}`;
  [workerId, unitId] = [me!.id, me!.unit_id];

  const programme = async (name: string, kind: string) => {
    const res = await call('manager', 'POST', '/programmes', { name, kind, unitId, facilitators: [workerId], startsOn: daysAgo(200) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id as string, name };
  };
  programmes.club = await programme('CLB "Xanh lại ước mơ"', 'club');
  programmes.training = await programme('Lớp sửa xe máy', 'vocational_training');
  programmes.community = await programme('Truyền thông phòng chống xâm hại', 'community_communication');

  const person = async (intake: unknown) => {
    const res = await call('worker', 'POST', '/cases', intake);
    expect(res.status).toBe(201);
    return { caseId: res.body.id as string, clientId: res.body.clientId as string };
  };
  // An older man (male, 60+), two girls (female, 6–11), and a boy's client enrolled without his case.
  const [a, b, c, x] = [await person(lonelyOlderMan()), await person(abusedChild()), await person(abusedChild()), await person(abusedChild())];
  const enrol = async (p: { id: string }, who: { clientId: string; caseId?: string }, ago: number) => {
    const res = await call('worker', 'POST', `/programmes/${p.id}/enrolments`, {
      clientId: who.clientId,
      ...(who.caseId ? { caseId: who.caseId } : {}),
      enrolledOn: daysAgo(ago),
      consent: { givenBy: 'Người được trợ giúp' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const clubA = await enrol(programmes.club, a, 50);
  const clubB = await enrol(programmes.club, b, 10);
  const clubX = await enrol(programmes.club, { clientId: x.clientId }, 40);
  const trainingA = await enrol(programmes.training, a, 30);
  // Before the period: not a new enrolment of it, but its outcome is dated in it.
  const trainingB = await enrol(programmes.training, b, 100);
  const communityC = await enrol(programmes.community, c, 5);

  const session = async (p: { id: string }, ago: number, attendance: Array<[string, boolean]>, guests?: { female: number; male: number; children: number }) => {
    const res = await call('worker', 'POST', `/programmes/${p.id}/sessions`, {
      heldOn: daysAgo(ago),
      topic: `Buổi ${ago}`,
      facilitator: workerId,
      attendance: attendance.map(([enrolmentId, present]) => ({ enrolmentId, present })),
      ...(guests ? { guests } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  await session(
    programmes.club,
    45,
    [
      [clubA, true],
      [clubX, true],
    ],
    { female: 3, male: 2, children: 1 },
  );
  await session(programmes.club, 7, [
    [clubA, true],
    [clubB, false],
    [clubX, true],
  ]);
  await session(
    programmes.training,
    20,
    [
      [trainingA, true],
      [trainingB, false],
    ],
    { female: 0, male: 0, children: 4 },
  );
  await session(programmes.community, 2, [[communityC, false]], { female: 10, male: 5, children: 20 });
  // Before the period.
  await session(programmes.training, 90, [[trainingB, true]], { female: 1, male: 1, children: 1 });

  const outcome = async (p: { id: string }, enrolmentId: string, code: string, ago: number) => {
    const res = await call('worker', 'POST', `/programmes/${p.id}/enrolments/${enrolmentId}/outcome`, { outcome: code, on: daysAgo(ago) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  await outcome(programmes.training, trainingA, 'employed', 5);
  await outcome(programmes.training, trainingB, 'apprenticeship', 3);
  await outcome(programmes.community, communityC, 'returned_to_school', 0);
});

afterAll(async () => {
  await system?.close();
});

const asMap = (rows: Array<{ key: string; count: number }>) => Object.fromEntries(rows.map((r) => [r.key, r.count]).sort());
const valuesOf = (body: { indicators: Array<{ id: string; value: number }> }) =>
  Object.fromEntries(body.indicators.filter((i) => Object.hasOwn(PROGRAMME_INDICATORS, i.id)).map((i) => [i.id, i.value]));

/** Worked out by hand from the above (the period: 60 days ago to today). */
const WHOLE_PERIOD = {
  // Present at the sessions of 45, 7 and 20 days ago: the older man and the boy.
  programmeParticipants: 2,
  // Club: a, b, x; training: a; community: c. Not b's training, 100 days ago.
  programmeEnrolments: 5,
  // 45, 7, 20 and 2 days ago; not 90.
  programmeSessions: 4,
  // 2 of 2, 2 of 3, 1 of 2, 0 of 1: 5 of 8.
  programmeAttendanceRate: 62.5,
  // 6 + 0 + 4 + 35.
  programmeGuests: 45,
  programmeEmployed: 1,
  programmeApprenticeships: 1,
  programmeBackToSchool: 1,
};
/** From 20 days ago: b's club and c's enrolments; the sessions of 7, 20 and 2 days ago (3 present of 6). */
const LATELY = {
  programmeParticipants: 2,
  programmeEnrolments: 2,
  programmeSessions: 3,
  programmeAttendanceRate: 50,
  programmeGuests: 39,
  programmeEmployed: 1,
  programmeApprenticeships: 1,
  programmeBackToSchool: 1,
};
const NONE = Object.fromEntries(Object.keys(WHOLE_PERIOD).map((id) => [id, 0]));

describe('GET /reports/programmes', () => {
  it('counts the enrolments made in the period by programme, kind, gender, age group, outcome and unit, each once', async () => {
    const expected: Record<string, Record<string, number>> = {
      programme: { [programmes.club.id]: 3, [programmes.training.id]: 1, [programmes.community.id]: 1 },
      kind: { club: 3, vocational_training: 1, community_communication: 1 },
      gender: { male: 2, female: 2, unknown: 1 },
      ageGroup: { '60+': 2, '6-11': 2, unknown: 1 },
      outcome: { employed: 1, returned_to_school: 1, ongoing: 3 },
      unit: { [unitId]: 5 },
    };
    for (const by of PROGRAMME_REPORT_GROUPINGS) {
      const res = await get('manager', `/reports/programmes?from=${from}&to=${to}&by=${by}`);
      expect(res.status, by).toBe(200);
      expect(res.body.by).toBe(by);
      expect(asMap(res.body.rows), by).toEqual(asMap(Object.entries(expected[by]!).map(([key, count]) => ({ key, count }))));
      expect(res.body.total, by).toBe(5);
    }
    const labelOf = async (by: string, key: string) =>
      (await get('manager', `/reports/programmes?from=${from}&to=${to}&by=${by}`)).body.rows.find((r: { key: string }) => r.key === key).label;
    expect(await labelOf('programme', programmes.training.id)).toEqual({ vi: programmes.training.name, en: programmes.training.name });
    expect(await labelOf('kind', 'vocational_training')).toEqual(PROGRAMME_KIND_LABELS.vocational_training);
    expect(await labelOf('outcome', 'employed')).toEqual(ENROLMENT_OUTCOME_LABELS.employed);
    expect(await labelOf('outcome', 'ongoing')).toEqual({ vi: 'Đang tham gia', en: 'Still taking part' });
    expect((await labelOf('unit', unitId)).vi).toBe('Đơn vị thử');
    expect((await labelOf('gender', 'female')).vi).toBe('Nữ');

    // The period is Vietnam's days, both included: from 20 days ago, b's club and c's community work.
    const recent = await get('manager', `/reports/programmes?from=${lately}&to=${to}&by=kind`);
    expect([asMap(recent.body.rows), recent.body.total]).toEqual([{ club: 1, community_communication: 1 }, 2]);
    // Earlier: b's training alone.
    const earlier = await get('manager', `/reports/programmes?from=${daysAgo(120)}&to=${daysAgo(61)}&by=outcome`);
    expect([asMap(earlier.body.rows), earlier.body.total]).toEqual([{ apprenticeship: 1 }, 1]);
  });

  it('gives the same numbers as CSV (with a BOM and Vietnamese headers) and as XLSX', async () => {
    const auth = { headers: { authorization: `Bearer ${tokens.manager}` } };
    const json = await get('manager', `/reports/programmes?from=${from}&to=${to}&by=kind`);
    const csv = await fetch(`${system.url}/reports/programmes?from=${from}&to=${to}&by=kind&format=csv`, auth);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain(`can-thiep-nhom-theo-kind-${from}-${to}.csv`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvRecords(new TextDecoder().decode(bytes));
    expect(header).toEqual(['Mã', 'Nhóm', 'Số lượt ghi danh']);
    expect(Object.fromEntries(rows.filter((r) => r[0]).map((r) => [r[0], Number(r[2])]))).toEqual(asMap(json.body.rows));
    expect(rows.at(-1)).toEqual(['', 'Tổng số lượt ghi danh', '5']);

    const xlsx = await fetch(`${system.url}/reports/programmes?from=${from}&to=${to}&by=kind&format=xlsx`, auth);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const fromXlsx: Record<string, number> = {};
    book.worksheets[0]!.eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value) fromXlsx[String(row.getCell(1).value)] = Number(row.getCell(3).value);
    });
    expect(fromXlsx).toEqual(asMap(json.body.rows));

    const indicators = await fetch(`${system.url}/reports/programmes/indicators?from=${from}&to=${to}&format=csv`, auth);
    const [head, ...lines] = csvRecords((await indicators.text()).replace(/^\uFEFF/, ''));
    expect(head).toEqual(['Mã chỉ số', 'Chỉ số', 'Giá trị', 'Đơn vị', 'Định nghĩa']);
    expect(Object.fromEntries(lines.map((r) => [r[0], Number(r[2])]))).toEqual(WHOLE_PERIOD);
    expect(lines.find((r) => r[0] === 'programmeGuests')![1]).toBe(PROGRAMME_INDICATORS.programmeGuests.label.vi);
  });

  it('is for managers and supervisors only, a supervisor for their own unit, and refuses an unknown grouping naming it', async () => {
    const base = `/reports/programmes?from=${from}&to=${to}&by=kind`;
    expect((await get('worker', base)).status).toBe(403);
    expect((await get('worker', `/reports/programmes/indicators?from=${from}&to=${to}`)).status).toBe(403);
    const own = await get('supervisor', base);
    expect([own.status, own.body.total]).toEqual([200, 5]);
    expect((await get('supervisor', `${base}&unit=${randomUUID()}`)).status).toBe(403);

    // Another unit and its supervisor: none of these programmes is theirs.
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
    expect(valuesOf((await get('other', `/reports/programmes/indicators?from=${from}&to=${to}`)).body)).toEqual(NONE);
    expect(valuesOf((await get('other', `/reports/indicators?from=${from}&to=${to}`)).body)).toEqual(NONE);
    // A manager asking for that unit sees what its supervisor sees.
    expect((await get('manager', `${base}&unit=${unit.body.id}`)).body.total).toBe(0);

    const refused = await get('manager', `/reports/programmes?from=${from}&to=${to}&by=colour`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toContain('by');
    // Not by commune: a programme is a unit's.
    expect((await get('manager', `${base}&commune=X`)).status).toBe(422);
  });
});

describe('GET /reports/programmes/indicators', () => {
  it('counts participants, new enrolments, sessions, attendance, guests and outcomes of the period', async () => {
    const res = await get('manager', `/reports/programmes/indicators?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from, to });
    expect(res.body.indicators.map((i: { id: string }) => i.id)).toEqual(Object.keys(PROGRAMME_INDICATORS));
    expect(valuesOf(res.body)).toEqual(WHOLE_PERIOD);
    for (const i of res.body.indicators) {
      expect(i.label.vi && i.label.en && i.definition.vi && i.definition.en).toBeTruthy();
      expect(['people', 'enrolments', 'sessions', 'percent']).toContain(i.unit);
    }
    expect(valuesOf((await get('manager', `/reports/programmes/indicators?from=${lately}&to=${to}`)).body)).toEqual(LATELY);
    // Before the period: b's training, its one session (b present) and its guests; no outcome yet then.
    expect(valuesOf((await get('manager', `/reports/programmes/indicators?from=${daysAgo(120)}&to=${daysAgo(61)}`)).body)).toEqual({
      ...NONE,
      programmeParticipants: 1,
      programmeEnrolments: 1,
      programmeSessions: 1,
      programmeAttendanceRate: 100,
      programmeGuests: 3,
    });
    // A `from` after `to`: nothing.
    expect(valuesOf((await get('manager', `/reports/programmes/indicators?from=${to}&to=${from}`)).body)).toEqual(NONE);
    expect(valuesOf((await get('supervisor', `/reports/programmes/indicators?from=${from}&to=${to}`)).body)).toEqual(WHOLE_PERIOD);
  });

  it('are among the period’s indicators, with the same numbers, a commune not narrowing them', async () => {
    const res = await get('manager', `/reports/indicators?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(valuesOf(res.body)).toEqual(WHOLE_PERIOD);
    expect(valuesOf((await get('manager', `/reports/indicators?from=${from}&to=${to}&commune=X`)).body)).toEqual(WHOLE_PERIOD);
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

  it('shows "Can thiệp nhóm và cộng đồng" with its indicators, the chart by kind and the downloads', async () => {
    const manager = await consoleCookie(province.manager);
    const html = await page(manager, '/app/reports');
    const section = html.slice(html.indexOf('<section id="programmes">'));
    expect(section).toContain('Can thiệp nhóm và cộng đồng (5)');
    for (const [id, value] of Object.entries(WHOLE_PERIOD)) expect(section).toMatch(row(PROGRAMME_INDICATORS[id as keyof typeof WHOLE_PERIOD].label.vi, value));
    // Shown once: in their own section, not again among the cases' indicators.
    expect(html.split(PROGRAMME_INDICATORS.programmeGuests.label.vi)).toHaveLength(2);
    expect(section).toMatch(/<figure class="chart" role="img" aria-label="Lượt ghi danh mới theo loại hình">/);
    expect(section).toMatch(row(PROGRAMME_KIND_LABELS.club.vi, 3));
    expect(section).toContain('kind=programmes&amp;by=ageGroup&amp;format=xlsx');

    // The download the page links to is the API's, passed on (a commune left out).
    const download = await fetch(`${system.url}/app/reports/download?from=${from}&to=${to}&kind=programmes&by=outcome&format=csv&commune=X`, {
      headers: { cookie: manager },
    });
    expect(download.status).toBe(200);
    expect(csvRecords((await download.text()).replace(/^\uFEFF/, '')).at(-1)).toEqual(['', 'Tổng số lượt ghi danh', '5']);

    const printed = await page(manager, '/app/reports/print');
    const part = printed.slice(printed.indexOf('V. Can thiệp nhóm và cộng đồng'), printed.indexOf('VI. Ghi chú'));
    expect(part).toContain('Can thiệp nhóm và cộng đồng');
    for (const [id, value] of Object.entries(WHOLE_PERIOD)) expect(part).toMatch(row(PROGRAMME_INDICATORS[id as keyof typeof WHOLE_PERIOD].label.vi, value));
    expect(part).toMatch(row(PROGRAMME_KIND_LABELS.vocational_training.vi, 1));
    expect(part).toContain('<figure class="chart"');
  });
});
