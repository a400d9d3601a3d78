// Programmes in a real browser (issue 29): a manager creates a club with a social worker as its
// facilitator and twelve people are enrolled from their cases (by API); the facilitator, on a
// 360-px phone, opens the club's page, taps three of the twelve absent and saves the session in one
// post; the API then holds a session with nine present and three absent, and the page shows it.
// A client's page lists the programmes they are in; a manager creates a programme, enrols a person
// found by name and records what became of them through the console's forms. playwright-core
// driving Debian's Chromium against the whole system.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn } from '../support/browser';
import { intake, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let province: TestProvince;
const tokens: Record<string, string> = {};
const shots = new URL('../../docs/screenshots/', import.meta.url);
const shoot = (page: Page, name: string) => page.screenshot({ path: new URL(name, shots).pathname, fullPage: true });
const PHONE = { width: 360, height: 740 };

beforeAll(async () => {
  browser = await launchChromium();
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const daysAgo = (n: number) => new Date(Date.now() + 7 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);

/** Nothing on the page scrolls sideways. */
const fitsWidth = async (page: Page) => expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(page.viewportSize()!.width);

describe('programmes in Chromium', () => {
  it('lets a facilitator on a phone record who came to a club of twelve in one post', async () => {
    const [staff] = await system.sql<{ id: string; unit_id: string }[]>`select id, unit_id from staff where username = ${province.worker}`;
    const created = await call('manager', 'POST', '/programmes', {
      name: 'CLB "Tuổi vàng"',
      kind: 'club',
      unitId: staff!.unit_id,
      facilitators: [staff!.id],
      capacity: 15,
      startsOn: daysAgo(30),
      schedule: { weekday: 'saturday', time: '08:00' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const club = created.body as { id: string };

    const people: Array<{ clientId: string; caseId: string; name: string }> = [];
    for (let i = 0; i < 12; i++) {
      const body = i % 2 === 0 ? lonelyOlderMan() : intake({ client: { fullName: `Phạm Thị Lan ${i} ${Date.now() % 10000}`, age: 40 + i, gender: 'female' } });
      const made = await call('worker', 'POST', '/cases', body);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const person = { clientId: made.body.clientId as string, caseId: made.body.id as string, name: made.body.intake.client.fullName as string };
      const enrolled = await call('worker', 'POST', `/programmes/${club.id}/enrolments`, {
        clientId: person.clientId,
        caseId: person.caseId,
        enrolledOn: daysAgo(7),
        consent: { givenBy: 'Người được trợ giúp' },
      });
      expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
      people.push(person);
    }

    const phone = await browser.newPage({ viewport: PHONE, hasTouch: true });
    await logIn(phone, system.url, province.worker);
    await phone.getByRole('link', { name: 'Sinh hoạt nhóm', exact: true }).click();
    await phone.waitForURL(/\/app\/programmes$/);
    const item = phone.locator('h2#mine + ul.items > li', { hasText: 'CLB "Tuổi vàng"' });
    const words = (await item.textContent())!;
    expect(words).toContain('Câu lạc bộ');
    expect(words).toContain('12/15');
    expect(words).toContain('Thứ Bảy 08:00');
    // A worker creates no programme.
    expect(await phone.locator('details#programmes-create-new').count()).toBe(0);
    await fitsWidth(phone);
    await item.getByRole('link').click();
    await phone.waitForURL(new RegExp(`/app/programmes/${club.id}$`));

    const form = phone.locator('section#attendance');
    const rows = form.locator('fieldset.member');
    expect(await rows.count()).toBe(12);
    // Everyone present to begin with; the date is today, on Vietnam's clock; the facilitator is me.
    expect(await form.locator('input[type="radio"][value="true"]:checked').count()).toBe(12);
    expect(await phone.locator('#session-heldOn').inputValue()).toBe(daysAgo(0));
    expect(await phone.locator('#session-facilitator').inputValue()).toBe(staff!.id);
    await phone.locator('#session-topic').fill('Chăm sóc sức khỏe mùa lạnh');
    const absent = [people[1]!, people[4]!, people[10]!];
    for (const who of absent) await rows.filter({ hasText: who.name }).getByText('Vắng', { exact: true }).tap();
    expect(await form.locator('input[type="radio"][value="false"]:checked').count()).toBe(3);
    await phone.locator('#session-guests-female').fill('2');
    await fitsWidth(phone);
    await shoot(phone, 'attendance-360.png');
    await form.getByRole('button', { name: 'Lưu điểm danh' }).tap();
    await phone.waitForURL(/saved=session/);
    expect(await phone.getByRole('status').textContent()).toContain('Đã lưu điểm danh');

    const read = (await call('worker', 'GET', `/programmes/${club.id}`)).body;
    expect(read.recentSessions).toHaveLength(1);
    expect(read.recentSessions[0]).toMatchObject({ topic: 'Chăm sóc sức khỏe mùa lạnh', present: 9, absent: 3, guests: { female: 2, male: 0, children: 0 } });
    const enrolmentOf = new Map(read.enrolments.map((e: { id: string; clientId: string }) => [e.id, e.clientId]));
    const missing = read.recentSessions[0].attendance
      .filter((a: { present: boolean }) => !a.present)
      .map((a: { enrolmentId: string }) => enrolmentOf.get(a.enrolmentId));
    expect(missing.sort()).toEqual(absent.map((p) => p.clientId).sort());

    const session = phone.locator('h2#sessions + ul.items > li').first();
    const said = (await session.textContent())!;
    expect(said).toContain('Chăm sóc sức khỏe mùa lạnh');
    expect(said).toContain('Có mặt 9');
    expect(said).toContain('Vắng 3');
    for (const who of absent) expect(said).toContain(who.name);
    await fitsWidth(phone);

    // A wrong date is refused in Vietnamese beside its field, with the marks kept.
    await phone.locator('#session-topic').fill('Buổi thứ hai');
    await rows.filter({ hasText: people[0]!.name }).getByText('Vắng', { exact: true }).tap();
    await phone.locator('#session-heldOn').fill(daysAgo(60));
    await form.getByRole('button', { name: 'Lưu điểm danh' }).tap();
    await expect.poll(() => phone.locator('#session-heldOn-error').textContent()).toContain('trước ngày chương trình bắt đầu');
    expect(await phone.locator('#session-topic').inputValue()).toBe('Buổi thứ hai');
    expect(await rows.filter({ hasText: people[0]!.name }).locator('input[value="false"]').isChecked()).toBe(true);
    expect((await call('worker', 'GET', `/programmes/${club.id}`)).body.recentSessions).toHaveLength(1);

    // The client's page lists the club.
    await phone.goto(`${system.url}/app/clients/${people[0]!.clientId}`);
    expect(await phone.locator('h2#programmes + ul.items').textContent()).toContain('CLB "Tuổi vàng"');
    await phone.close();
  });

  it('lets a manager create a programme through the console form (refused in Vietnamese, typed values kept), enrol a person found by name and record their outcome', async () => {
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, province.manager);
    await desk.goto(`${system.url}/app/programmes`);
    const form = desk.locator('details#programmes-create-new');
    await form.locator('summary').click();
    await desk.locator('#programmes-create-new-name').fill('Lớp dạy nghề may');
    await desk.locator('#programmes-create-new-kind').selectOption('vocational_training');
    // The province's only unit is chosen to begin with.
    expect(await desk.locator('#programmes-create-new-unitId option:checked').textContent()).toBe('Đơn vị thử');
    await form.getByText(province.worker, { exact: false }).first().click();
    await desk.locator('#programmes-create-new-startsOn').fill(daysAgo(0));
    // An end before the start: refused beside the field, the rest kept.
    await desk.locator('#programmes-create-new-endsOn').fill(daysAgo(1));
    // The schedule's fields show once its kind is chosen (the union is a piece of its own, not made from the schema).
    expect(await desk.locator('#programmes-create-new-schedule-weekday').isVisible()).toBe(false);
    await desk.getByLabel('Hằng tuần (thứ và giờ)').check();
    await desk.locator('#programmes-create-new-schedule-weekday').selectOption('tuesday');
    await desk.locator('#programmes-create-new-schedule-time').fill('14:00');
    await form.getByRole('button', { name: 'Tạo chương trình' }).click();
    await expect.poll(() => desk.locator('#programmes-create-new-endsOn-error').count()).toBe(1);
    expect(await desk.getByRole('alert').first().textContent()).toBeTruthy();
    expect(await desk.locator('#programmes-create-new-name').inputValue()).toBe('Lớp dạy nghề may');
    await desk.locator('#programmes-create-new-endsOn').fill('');
    await form.getByRole('button', { name: 'Tạo chương trình' }).click();
    await desk.waitForURL(/\/app\/programmes\/[0-9a-f-]{36}$/);
    expect(await desk.locator('h1').textContent()).toBe('Lớp dạy nghề may');
    const facts = (await desk.locator('dl').textContent())!;
    expect(facts).toContain('Thứ Ba 14:00');
    expect(facts).toContain(province.worker);

    // Enrolling a person found by name, with their case; then what became of them.
    const made = await call('worker', 'POST', '/cases', lonelyOlderMan());
    const name = made.body.intake.client.fullName as string;
    await desk.locator('#enrol-find').fill(name);
    await desk.locator('section#enrol').getByRole('button', { name: 'Tìm' }).click();
    await desk.waitForURL(/find=/);
    expect(await desk.locator('#enrol-clientId option:checked').textContent()).toContain(name);
    await desk.locator('#enrol-caseId').selectOption(made.body.id as string);
    await desk.locator('#enrol-consent-givenBy').fill('Chính cụ');
    await desk.locator('section#enrol').getByRole('button', { name: 'Ghi danh' }).click();
    await desk.waitForURL(/saved=enrolment/);
    const member = desk.locator('h2#members + ul.items > li', { hasText: name });
    await member.locator('summary').click();
    await member.locator('select[name="outcome"]').selectOption('employed');
    await member.getByRole('button', { name: 'Ghi kết quả' }).click();
    await desk.waitForURL(/saved=outcome/);
    expect(await desk.locator('h2#former + ul.items').textContent()).toContain('Có việc làm');
    await desk.close();
  });

  it('lets a manager on a phone change a programme’s schedule and capacity, close it and reopen it', async () => {
    const [staff] = await system.sql<{ id: string; unit_id: string }[]>`select id, unit_id from staff where username = ${province.worker}`;
    const created = await call('manager', 'POST', '/programmes', {
      name: 'Nhóm cha mẹ "Cùng con lớn lên"',
      kind: 'parenting',
      unitId: staff!.unit_id,
      facilitators: [staff!.id],
      capacity: 10,
      startsOn: daysAgo(30),
      schedule: { every: 'P14D' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const group = created.body as { id: string };

    const phone = await browser.newPage({ viewport: PHONE, hasTouch: true });
    await logIn(phone, system.url, province.manager);
    await phone.goto(`${system.url}/app/programmes/${group.id}`);
    const facts = phone.locator('dl');
    expect(await facts.textContent()).toContain('Cứ 14 ngày một lần');
    expect(await phone.locator('#next-session').textContent()).not.toBe('—');

    // The edit form shows what the programme is now.
    const edit = phone.locator('details#programme-edit');
    await edit.locator('summary').tap();
    expect(await phone.locator('#programme-edit-name').inputValue()).toBe('Nhóm cha mẹ "Cùng con lớn lên"');
    expect(await phone.locator('#programme-edit-kind').inputValue()).toBe('parenting');
    expect(await phone.locator('#programme-edit-capacity').inputValue()).toBe('10');
    expect(await phone.locator('#programme-edit-startsOn').inputValue()).toBe(daysAgo(30));
    expect(await phone.locator('#programme-edit-schedule-kind-interval').isChecked()).toBe(true);
    expect(await phone.locator('#programme-edit-schedule-every').inputValue()).toBe('14');
    expect(await phone.locator('#programme-edit-schedule-weekday').isVisible()).toBe(false);

    // An end before the start: the API's refusal beside the field, what was typed kept.
    await edit.getByLabel('Hằng tuần (thứ và giờ)').check();
    await phone.locator('#programme-edit-schedule-weekday').selectOption('sunday');
    await phone.locator('#programme-edit-schedule-time').fill('09:00');
    await phone.locator('#programme-edit-capacity').fill('25');
    await phone.locator('#programme-edit-endsOn').fill(daysAgo(31));
    await fitsWidth(phone);
    await shoot(phone, 'programme-edit-360.png');
    await edit.getByRole('button', { name: 'Lưu thay đổi' }).tap();
    await expect.poll(() => phone.locator('#programme-edit-endsOn-error').count()).toBe(1);
    expect(await phone.locator('details#programme-edit').getAttribute('open')).not.toBeNull();
    expect(await phone.locator('#programme-edit-capacity').inputValue()).toBe('25');
    expect(await phone.locator('#programme-edit-schedule-weekday').inputValue()).toBe('sunday');
    expect(await phone.locator('#programme-edit-schedule-time').inputValue()).toBe('09:00');
    expect((await call('manager', 'GET', `/programmes/${group.id}`)).body.capacity).toBe(10);
    await fitsWidth(phone);

    await phone.locator('#programme-edit-endsOn').fill('');
    await edit.getByRole('button', { name: 'Lưu thay đổi' }).tap();
    await phone.waitForURL(/saved=programme/);
    expect(await phone.getByRole('status').textContent()).toContain('Đã lưu thay đổi');
    const changed = (await facts.textContent())!;
    expect(changed).toContain('Chủ Nhật 09:00');
    expect(changed).toContain('0/25');
    // The next session: the coming Sunday at 09:00 in Vietnam (today's, if it is not yet 09:00 there).
    const vn = new Date(Date.now() + 7 * 3600_000);
    let next = Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate(), 9) - 7 * 3600_000;
    while (new Date(next + 7 * 3600_000).getUTCDay() !== 0 || next <= Date.now()) next += 86_400_000;
    const at = new Date(next + 7 * 3600_000);
    const two = (n: number) => String(n).padStart(2, '0');
    expect(await phone.locator('#next-session').textContent()).toBe(
      `Chủ Nhật ${two(at.getUTCDate())}/${two(at.getUTCMonth() + 1)}/${at.getUTCFullYear()} 09:00`,
    );
    const read = (await call('manager', 'GET', `/programmes/${group.id}`)).body;
    expect(read).toMatchObject({
      capacity: 25,
      schedule: { weekday: 'sunday', time: '09:00' },
      endsOn: null,
      name: 'Nhóm cha mẹ "Cùng con lớn lên"',
      closedAt: null,
    });

    // Closing asks for a ticked confirmation first; closed, it says since when, with no attendance or enrolment.
    expect(await phone.locator('section#attendance').count()).toBe(1);
    const close = phone.locator('details#programme-close');
    await close.locator('summary').tap();
    await close.getByRole('button', { name: 'Đóng chương trình' }).tap();
    expect(phone.url()).toMatch(/saved=programme/);
    expect((await call('manager', 'GET', `/programmes/${group.id}`)).body.closedAt).toBeNull();
    await close.getByLabel(/Tôi xác nhận đóng chương trình/).check();
    await fitsWidth(phone);
    await close.getByRole('button', { name: 'Đóng chương trình' }).tap();
    await phone.waitForURL(/saved=closed/);
    const today = daysAgo(0).split('-').reverse().join('/');
    expect(await phone.locator('#programme-closed').textContent()).toContain(`Đã đóng ngày ${today}`);
    expect(await phone.locator('section#attendance').count()).toBe(0);
    expect(await phone.locator('section#enrol').count()).toBe(0);
    expect(await phone.locator('#next-session').textContent()).toBe('—');
    expect((await call('manager', 'GET', `/programmes/${group.id}`)).body.closedAt).not.toBeNull();
    await fitsWidth(phone);

    await phone.getByRole('button', { name: 'Mở lại chương trình' }).tap();
    await phone.waitForURL(/saved=reopened/);
    expect(await phone.locator('#programme-closed').count()).toBe(0);
    expect(await phone.locator('section#attendance').count()).toBe(1);
    expect((await call('manager', 'GET', `/programmes/${group.id}`)).body.closedAt).toBeNull();
    await phone.close();
  });
});
