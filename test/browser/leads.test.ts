// The console of supervisors and managers in Chromium (issue 17): a manager approves a plan in the
// approvals inbox and cannot approve their own; a supervisor sees an overdue review climb to them
// and reassigns the case from the escalations board. In a province of its own, whose deadline
// policy counts the review in seconds.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { secondsPolicy } from '../support/policies';
import { freshProvince, type TestProvince } from '../support/province';
import { launchChromium, logIn } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let province: TestProvince;
const tokens: Record<string, string> = {};
const shots = new URL('../../docs/screenshots/', import.meta.url);
const SECOND_WORKER = 'Nhân viên thứ hai';

beforeAll(async () => {
  browser = await launchChromium();
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  await system.sql`
    insert into staff (id, province, username, display_name, role, unit_id, password_hash)
    select ${randomUUID()}, province, ${`worker2.${province.code}`}, ${SECOND_WORKER}, 'social_worker', unit_id, password_hash from staff where username = ${province.worker}`;
  for (const who of ['manager', 'supervisor', 'worker', 'admin'] as const) tokens[who] = await system.login(province[who]);
  const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
    document: secondsPolicy('review', { due: 'PT2S', supervisorGrace: 'PT1S', managerGrace: 'PT10M' }),
    comment: 'Rà soát theo giây',
  });
  expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });

/** A case brought to plan review by `who`, with a goal of its own. */
async function planned(who: 'worker' | 'manager', goal: string): Promise<{ id: string; ref: string }> {
  const created = await call(who, 'POST', '/cases', { ...lonelyOlderMan(), channel: 'hotline' });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await call(who, 'POST', `/cases/${id}/assessment`, { summary: 'Cụ sống một mình', needs: ['Bữa ăn'] })).status).toBe(200);
  const plan = await call(who, 'POST', `/cases/${id}/plan`, { goals: [goal], interventions: [{ type: 'Suất ăn', description: 'Mỗi ngày một suất' }] });
  expect(plan.body.stage).toBe('plan_review');
  return { id, ref: created.body.ref };
}

describe('supervisors and managers in Chromium', () => {
  it('lets a manager approve a plan in the inbox, and not their own', async () => {
    const theirs = await planned('worker', 'Cụ có bữa ăn hằng ngày');
    const own = await planned('manager', 'Cụ được khám sức khoẻ');
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, province.manager);
    await desk.getByRole('navigation').getByRole('link', { name: 'Chờ duyệt' }).click();
    const item = (ref: string) => desk.locator('ul.items > li', { hasText: ref });
    await expect.poll(() => item(theirs.ref).textContent()).toContain('Cụ có bữa ăn hằng ngày');
    expect(await item(own.ref).textContent()).toContain('Đề xuất của bạn');
    expect(await item(own.ref).locator('form').count()).toBe(0);
    await desk.screenshot({ path: new URL('approvals-1280.png', shots).pathname, fullPage: true });

    await item(theirs.ref).locator('summary', { hasText: 'Duyệt kế hoạch' }).click();
    await item(theirs.ref)
      .getByLabel(/Quyết định/)
      .selectOption('approve');
    await item(theirs.ref).getByLabel('Ý kiến').fill('Đồng ý, thực hiện ngay');
    await item(theirs.ref).getByRole('button', { name: 'Duyệt kế hoạch' }).click();
    await expect.poll(() => desk.getByRole('status').textContent()).toContain(`Đã ghi: Duyệt kế hoạch ${theirs.ref}`);
    expect(await item(theirs.ref).count()).toBe(0);
    expect((await call('manager', 'GET', `/cases/${theirs.id}`)).body.stage).toBe('implementation');
    expect((await call('manager', 'GET', `/cases/${own.id}`)).body.stage).toBe('plan_review');
    // The stuck work of the province: nothing fails in this one.
    await desk.getByRole('navigation').getByRole('link', { name: 'Việc bị kẹt' }).click();
    await expect.poll(() => desk.locator('main').textContent()).toContain('Không có việc nào bị kẹt');
    await desk.close();
  });

  it('shows a supervisor the overdue review that climbed to them, and lets them reassign it', async () => {
    const { id, ref } = await planned('worker', 'Cụ được thăm mỗi tuần');
    expect((await call('manager', 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' })).status).toBe(200);
    // The review is due in 2 s and the supervisor is called 1 s later.
    await eventually(
      async () => (await call('supervisor', 'GET', `/escalations?caseId=${id}&status=open`)).body.items,
      (items: Array<{ level: string }>) => items.some((e) => e.level === 'supervisor'),
    );
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await logIn(phone, system.url, province.supervisor);
    await phone.getByRole('navigation').getByRole('link', { name: 'Cảnh báo quá hạn' }).click();
    const item = phone.locator('ul.items > li', { hasText: ref });
    await expect.poll(() => item.textContent()).toContain('Rà soát định kỳ');
    expect(await item.textContent()).toContain(`Phụ trách: ${province.worker}`);
    expect(await phone.locator('h3', { hasText: 'Đã báo trưởng phòng' }).count()).toBe(1);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await phone.screenshot({ path: new URL('escalations-360.png', shots).pathname, fullPage: true });

    await item.locator('summary', { hasText: 'Phân công lại' }).click();
    await item.getByLabel('Nhân viên được phân công').selectOption({ label: SECOND_WORKER });
    await item.getByRole('button', { name: 'Phân công lại' }).click();
    await expect.poll(() => phone.getByRole('status').textContent()).toContain(`Đã ghi: Phân công lại ${ref}`);
    await expect.poll(() => phone.locator('ul.items > li', { hasText: ref }).textContent()).toContain(`Phụ trách: ${SECOND_WORKER}`);
    expect((await call('supervisor', 'GET', `/cases/${id}`)).body.assignedWorker.displayName).toBe(SECOND_WORKER);
    await phone.close();
  });

  it('lets an administrator create a staff account that can then log in, and issue a token shown once', async () => {
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, province.admin);
    await desk.getByRole('navigation').getByRole('link', { name: 'Danh bạ' }).click();
    const staff = desk.locator('details', { has: desk.locator('summary', { hasText: /^Thêm mới$/ }) }).first();
    await staff.locator('summary').click();
    const username = `moi.${province.code}`;
    await staff.getByLabel('Tên đăng nhập').fill(username);
    await staff.getByLabel('Họ tên hiển thị').fill('Nhân viên mới');
    await staff.getByLabel('Vai trò').selectOption('social_worker');
    await staff.getByLabel('Đơn vị').selectOption({ label: 'Đơn vị thử' });
    // Too short a password is refused by the API, named at its field, and nothing is made.
    await staff.getByLabel(/Mật khẩu/).fill('ngan');
    await staff.getByLabel(/Mật khẩu/).evaluate((el) => el.closest('form')!.setAttribute('novalidate', ''));
    await staff.getByRole('button', { name: 'Thêm mới' }).click();
    await expect.poll(() => desk.locator('[aria-invalid="true"]').first().getAttribute('name')).toBe('password');
    const again = desk.locator('details[open]', { has: desk.locator('summary', { hasText: /^Thêm mới$/ }) });
    expect(await again.getByLabel('Tên đăng nhập').inputValue()).toBe(username);
    await again.getByLabel(/Mật khẩu/).fill('mat-khau-du-dai');
    await again.getByRole('button', { name: 'Thêm mới' }).click();
    await expect.poll(() => desk.getByRole('status').textContent()).toContain('Đã lưu');
    expect(await desk.locator('#staff ~ ul.items').first().textContent()).toContain(`Nhân viên mới (${username})`);
    await desk.screenshot({ path: new URL('directory-1280.png', shots).pathname, fullPage: true });

    const tokenForm = desk.locator('details', { has: desk.locator('summary', { hasText: /^Thêm mới$/ }) }).last();
    await tokenForm.locator('summary').click();
    await tokenForm.getByLabel('Tên').fill('Tổng đài 111');
    await tokenForm.getByLabel('Vai trò').selectOption('social_worker');
    await tokenForm.getByRole('button', { name: 'Thêm mới' }).click();
    const shown = (await desk.getByRole('status').locator('code').textContent())!;
    expect((await system.call('GET', '/cases?limit=1', { token: shown })).status).toBe(200);
    await desk.reload();
    expect(await desk.locator('main').textContent()).not.toContain(shown);

    await desk.getByRole('button', { name: 'Đăng xuất' }).click();
    await desk.waitForURL(`${system.url}/app/login`);
    await desk.getByLabel('Tên đăng nhập').fill(username);
    await desk.getByLabel('Mật khẩu').fill('mat-khau-du-dai');
    await desk.getByRole('button', { name: /Đăng nhập/ }).click();
    await desk.waitForURL(`${system.url}/app`);
    expect(await desk.locator('header').textContent()).toContain('Nhân viên mới');
    await desk.close();
  });

  it('stops a manager publishing rules that move a past emergency to the standard path until they confirm it', async () => {
    const child = await call('worker', 'POST', '/cases', abusedChild());
    expect(child.body.risk.path).toBe('emergency');
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, province.manager);
    await desk.getByRole('navigation').getByRole('link', { name: 'Quy tắc phân luồng' }).click();
    // Sexual abuse no longer forces the emergency path, and counts nothing.
    const document = JSON.parse(await desk.getByLabel('Văn bản (JSON)').inputValue());
    const rule = document.rules.find((r: { name: string }) => r.name === 'sexual_abuse');
    rule.event.params = { points: 0 };
    await desk.getByLabel('Văn bản (JSON)').fill(JSON.stringify(document, null, 2));
    await desk.getByLabel(/Ghi chú/).fill('Thử bỏ điểm xâm hại');
    await desk.getByRole('button', { name: 'Kiểm tra' }).click();
    await expect.poll(() => desk.getByRole('status').first().textContent()).toContain('Hợp lệ');

    await desk.getByRole('button', { name: 'Chạy thử trên trường hợp cũ' }).click();
    await expect.poll(() => desk.locator('#result').textContent()).toMatch(/[1-9]\d* xuống luồng thường/);
    // The sample intakes were simulated against it too: the abused child would now go the standard path.
    await desk.getByRole('button', { name: 'Mô phỏng' }).click();
    await expect.poll(() => desk.locator('#result').textContent()).toContain('thay đổi');

    await desk.getByRole('button', { name: 'Ban hành' }).click();
    await expect.poll(() => desk.getByRole('alert').first().textContent()).toContain('sang luồng thường');
    expect((await call('manager', 'GET', '/rules')).body.published.version).toBe(1);
    await desk.screenshot({ path: new URL('rules-1280.png', shots).pathname, fullPage: true });
    await desk.getByLabel(/Tôi xác nhận/).check();
    await desk.getByRole('button', { name: 'Ban hành' }).click();
    await expect.poll(() => desk.getByRole('status').first().textContent()).toContain('Đã ban hành phiên bản 2');
    const rules = (await call('manager', 'GET', '/rules')).body;
    expect(rules.published).toMatchObject({ version: 2, comment: 'Thử bỏ điểm xâm hại' });
    // The samples the manager simulated on stay with the version.
    expect((await call('manager', 'GET', '/rules/versions/2')).body.samples.length).toBeGreaterThan(0);
    await desk.close();
  });

  it('shows a manager the period’s reports with charts drawn on the server, an A4 report and downloads', async () => {
    expect((await call('worker', 'POST', '/cases', lonelyOlderMan())).status).toBe(201);
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, province.manager);
    await desk.getByRole('navigation').getByRole('link', { name: 'Báo cáo', exact: true }).click();
    await expect.poll(() => desk.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(5);
    const received = await desk.locator('table.indicators tr', { hasText: 'Trường hợp tiếp nhận' }).locator('td').textContent();
    const api = await call(
      'manager',
      'GET',
      `/reports/indicators?from=${await desk.getByLabel('Từ ngày').inputValue()}&to=${await desk.getByLabel('Đến ngày').inputValue()}`,
    );
    expect(Number(received)).toBe(api.body.indicators.find((i: { id: string }) => i.id === 'received').value);
    expect(Number(received)).toBeGreaterThan(0);
    // Workload now: the province's social worker and what they hold.
    expect(await desk.locator('table', { hasText: 'Đang phụ trách' }).textContent()).toContain(province.worker);
    // Per unit, and closures by reason, with their downloads; a unit's table is never cut by commune.
    expect(await desk.locator('table', { hasText: 'Thời hạn bị trễ' }).textContent()).toContain('Đơn vị thử');
    await expect.poll(() => desk.getByRole('heading', { name: /Kết thúc theo lý do/ }).count()).toBe(1);
    const units = await desk.request.get(
      `${system.url}${await desk.locator('a[href*="kind=units"][href*="format=csv"]').getAttribute('href')}&commune=H%E1%BA%A1%20Long`,
    );
    expect([units.status(), await units.text()]).toEqual([200, expect.stringContaining('Đơn vị thử')]);
    await desk.screenshot({ path: new URL('reports-1280.png', shots).pathname, fullPage: true });

    const csv = await desk.request.get(`${system.url}${await desk.getByRole('link', { name: 'Chỉ số (CSV)' }).getAttribute('href')}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain('Trường hợp tiếp nhận');

    await desk.getByRole('link', { name: 'Bản in A4' }).click();
    await expect.poll(() => desk.getByRole('heading', { level: 1 }).textContent()).toContain('BÁO CÁO CÔNG TÁC QUẢN LÝ TRƯỜNG HỢP');
    const pdf = await desk.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(1000);
    await desk.close();
  });
});
