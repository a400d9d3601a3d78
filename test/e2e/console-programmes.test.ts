// The console's posts about a programme (issue 29), as a browser sends them, against the whole
// system: a manager's edit reaches PATCH /programmes/{id} with only the fields changed (the audit
// names them), emptied ones null and a cleared schedule null; refusals come back beside their
// fields with what was typed; closing needs its confirmation ticked; anyone else changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSession } from '../support/console-session';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
const browsers: Record<string, { cookie: string; csrf: string }> = {};
let programmeId: string;
let staff: { id: string; unit_id: string };

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'worker'] as const) {
    tokens[who] = await system.login(province[who]);
    browsers[who] = await consoleSession(system.url, province[who]);
  }
  staff = (await system.sql<{ id: string; unit_id: string }[]>`select id, unit_id from staff where username = ${province.worker}`)[0]!;
  const created = await system.call('POST', '/programmes', {
    token: tokens.manager,
    body: {
      name: 'Lớp kỹ năng sống',
      kind: 'life_skills',
      unitId: staff.unit_id,
      description: 'Cho thanh thiếu niên',
      facilitators: [staff.id],
      capacity: 20,
      startsOn: '2026-01-05',
      endsOn: '2026-12-31',
      schedule: { weekday: 'wednesday', time: '15:00' },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  programmeId = created.body.id;
});

afterAll(async () => {
  await system?.close();
});

const read = async () => (await system.call('GET', `/programmes/${programmeId}`, { token: tokens.manager })).body;

/** Posts a console form as the browser would; answers the status, where it leads and the page. */
async function post(who: string, path: string, fields: Record<string, string | string[]>, o: { csrf?: string } = {}) {
  const body = new URLSearchParams({ csrf: o.csrf ?? browsers[who]!.csrf });
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  const res = await fetch(`${system.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browsers[who]!.cookie },
    body,
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), page: await res.text() };
}

/** The edit form as the page draws it now: its hidden `was` and every field's value. */
async function editFormNow(): Promise<Record<string, string | string[]>> {
  const res = await fetch(`${system.url}/app/programmes/${programmeId}`, { headers: { cookie: browsers.manager!.cookie } });
  const page = await res.text();
  const form = /<form method="post" action="\/app\/programmes\/[^"]+\/edit">([\s\S]*?)<\/form>/.exec(page)![1]!;
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const out: Record<string, string | string[]> = {};
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    const value = unescape(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    if (!name || name === 'csrf') continue;
    if (/type="(checkbox|radio)"/.test(attrs)) {
      if (!/\schecked/.test(attrs)) continue;
      if (name === 'facilitators') out[name] = [...[out[name] ?? []].flat(), value];
      else out[name] = value;
    } else out[name] = value;
  }
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    out[m[1]!] = /<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? '';
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = unescape(m[2]!);
  return out;
}

async function auditedFields(): Promise<string[][]> {
  const rows = await system.sql<{ detail: { fields: string[] } }[]>`
    select detail from audit_log where action = 'programme.update' and detail->>'programmeId' = ${programmeId} order by seq`;
  return rows.map((r) => r.detail.fields);
}

describe('a programme edited and closed through the console', () => {
  it('draws the edit form with the programme’s values, and sends only the fields changed', async () => {
    const form = await editFormNow();
    expect(form).toMatchObject({
      name: 'Lớp kỹ năng sống',
      kind: 'life_skills',
      description: 'Cho thanh thiếu niên',
      facilitators: [staff.id],
      capacity: '20',
      startsOn: '2026-01-05',
      endsOn: '2026-12-31',
      'schedule.kind': 'weekly',
      'schedule.weekday': 'wednesday',
      'schedule.time': '15:00',
    });
    const before = (await auditedFields()).length;
    const res = await post('manager', `/app/programmes/${programmeId}/edit`, { ...form, capacity: '30', 'schedule.kind': 'interval', 'schedule.every': '14' });
    expect(res.status, res.page).toBe(303);
    expect(res.location).toBe(`/app/programmes/${programmeId}?saved=programme`);
    expect(await read()).toMatchObject({ capacity: 30, schedule: { every: 'P14D' }, name: 'Lớp kỹ năng sống', endsOn: '2026-12-31' });
    await expect.poll(async () => (await auditedFields()).slice(before)).toEqual([['capacity', 'schedule']]);

    // Posted again unchanged: nothing is sent.
    const again = await post('manager', `/app/programmes/${programmeId}/edit`, await editFormNow());
    expect(again.location).toBe(`/app/programmes/${programmeId}?saved=unchanged`);
  });

  it('sends emptied fields and a cleared schedule as null', async () => {
    const form = await editFormNow();
    const res = await post('manager', `/app/programmes/${programmeId}/edit`, { ...form, description: '', capacity: '', endsOn: '', 'schedule.kind': 'none' });
    expect(res.status, res.page).toBe(303);
    expect(await read()).toMatchObject({ description: null, capacity: null, endsOn: null, schedule: null });
  });

  it('shows a refusal beside its field with what was typed, and changes nothing', async () => {
    const form = await editFormNow();
    const refused = await post('manager', `/app/programmes/${programmeId}/edit`, {
      ...form,
      name: 'Lớp kỹ năng sống (mới)',
      endsOn: '2025-12-31',
      'schedule.kind': 'weekly',
      'schedule.weekday': 'sunday',
      'schedule.time': '09:00',
    });
    expect(refused.status).toBe(422);
    expect(refused.page).toMatch(/<details id="programme-edit" open/);
    expect(refused.page).toContain('id="programme-edit-endsOn-error"');
    expect(refused.page).toMatch(/id="programme-edit-name"[^>]*value="Lớp kỹ năng sống \(mới\)"/);
    expect(refused.page).toMatch(/<option value="sunday" selected>/);
    // A half-filled schedule is named by the form itself, the API not asked.
    const half = await post('manager', `/app/programmes/${programmeId}/edit`, { ...form, name: 'Khác', 'schedule.kind': 'weekly', 'schedule.weekday': '' });
    expect(half.status).toBe(422);
    expect(half.page).toMatch(/id="programme-edit-schedule-weekday-error">hãy chọn thứ trong tuần/);
    const days = await post('manager', `/app/programmes/${programmeId}/edit`, { ...form, 'schedule.kind': 'interval', 'schedule.every': 'hai' });
    expect(days.page).toMatch(/id="programme-edit-schedule-every-error">một số ngày nguyên, từ 1 đến 366/);
    expect(await read()).toMatchObject({ name: 'Lớp kỹ năng sống', endsOn: null, schedule: null });
  });

  it('closes only with the confirmation ticked, then reopens', async () => {
    const unticked = await post('manager', `/app/programmes/${programmeId}/close`, {});
    expect(unticked.status).toBe(422);
    expect(unticked.page).toMatch(/id="programme-close-confirm-error">hãy đánh dấu xác nhận/);
    expect((await read()).closedAt).toBeNull();
    const stale = await post('manager', `/app/programmes/${programmeId}/close`, { confirm: 'yes' }, { csrf: 'stale' });
    expect(stale.status).toBe(403);
    expect((await read()).closedAt).toBeNull();

    const closed = await post('manager', `/app/programmes/${programmeId}/close`, { confirm: 'yes' });
    expect(closed.location).toBe(`/app/programmes/${programmeId}?saved=closed`);
    expect((await read()).closedAt).not.toBeNull();
    const page = await (await fetch(`${system.url}${closed.location}`, { headers: { cookie: browsers.manager!.cookie } })).text();
    expect(page).toContain('id="programme-closed"');
    expect(page).toContain('Đã đóng ngày');
    expect(page).not.toContain('id="attendance"');
    expect(page).toContain('action="/app/programmes/' + programmeId + '/reopen"');

    const reopened = await post('manager', `/app/programmes/${programmeId}/reopen`, {});
    expect(reopened.location).toBe(`/app/programmes/${programmeId}?saved=reopened`);
    expect((await read()).closedAt).toBeNull();
  });

  it('changes nothing for anyone but a manager, who alone is offered the forms', async () => {
    const page = await (await fetch(`${system.url}/app/programmes/${programmeId}`, { headers: { cookie: browsers.worker!.cookie } })).text();
    expect(page).not.toContain('id="programme-edit"');
    expect(page).not.toContain('id="programme-close"');
    for (const [path, fields] of [
      ['edit', { name: 'Đổi tên' }],
      ['close', { confirm: 'yes' }],
    ] as const) {
      const res = await post('worker', `/app/programmes/${programmeId}/${path}`, fields);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/app/programmes');
    }
    expect(await read()).toMatchObject({ name: 'Lớp kỹ năng sống', closedAt: null });
  });
});
