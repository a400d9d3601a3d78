// The console in a real browser: playwright-core driving Debian's Chromium against the whole
// system (the API, a real Temporal, a real PostgreSQL). The journeys of issue 16: a hotline worker
// takes a call about an abused child from the intake page through safety, assessment and plan; a
// collaborator files a report on a 360-px phone and sees only its status; a wrong password is
// refused in Vietnamese. Screenshots at 360 and 1280 px go to docs/screenshots/ for the README.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
const shots = new URL('../../docs/screenshots/', import.meta.url);
const shoot = (page: Page, name: string) => page.screenshot({ path: new URL(name, shots).pathname, fullPage: true });
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };

beforeAll(async () => {
  browser = await launchChromium();
  system = await startTestSystem();
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** Nothing on the page scrolls sideways. */
const fitsWidth = async (page: Page) => expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(page.viewportSize()!.width);

/** Opens an action of the case page (a <details> made from the catalogue) and posts it. */
async function act(page: Page, label: string, fill: () => Promise<void>) {
  const details = page.locator('details', { has: page.locator('summary', { hasText: label }) });
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await fill();
  await page.getByRole('button', { name: label, exact: true }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toContain(`Đã ghi: ${label}`);
}

describe('the console in Chromium', () => {
  it('sends a visitor without a session to the login page, refuses a wrong password in Vietnamese, and opens the work of the right one', async () => {
    const phone = await browser.newPage({ viewport: PHONE });
    await phone.goto(`${system.url}/app/cases/anything`);
    expect(new URL(phone.url()).pathname).toBe('/app/login');
    await phone.goto(`${system.url}/`);
    expect(phone.url()).toBe(`${system.url}/app/login?next=%2Fapp`);
    expect(await phone.getAttribute('html', 'lang')).toBe('vi');

    await phone.getByLabel('Tên đăng nhập').fill('worker1');
    await phone.getByLabel('Mật khẩu').fill('not the password');
    await phone.getByRole('button', { name: /Đăng nhập/ }).click();
    await expect.poll(() => phone.getByRole('alert').textContent()).toContain('Sai tên đăng nhập hoặc mật khẩu');
    // The name typed stays; nothing scrolls sideways on a phone.
    expect(await phone.getByLabel('Tên đăng nhập').inputValue()).toBe('worker1');
    await fitsWidth(phone);
    await shoot(phone, 'login-360.png');

    await phone.getByLabel('Mật khẩu').fill('demo');
    await phone.getByRole('button', { name: /Đăng nhập/ }).click();
    await phone.waitForURL(`${system.url}/app`);
    await expect.poll(() => phone.getByRole('heading', { level: 1 }).textContent()).toContain('Việc của tôi');
    const cookies = await phone.context().cookies();
    expect(cookies.find((k) => k.name === 'cf_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await phone.getByRole('button', { name: 'Đăng xuất' }).click();
    await phone.waitForURL(`${system.url}/app/login`);
    await phone.close();
  });

  it('takes a hotline call about an abused child from the intake page through safety, assessment and plan', async () => {
    const desk = await browser.newPage({ viewport: DESK });
    await logIn(desk, system.url, 'worker1');
    await desk.getByRole('link', { name: 'Báo cáo mới' }).click();
    await desk.getByLabel('Họ tên người báo tin').fill('Cô giáo Lan');
    await desk.getByLabel('Họ và tên').fill('Nguyễn Văn An');
    await desk.getByLabel('Năm sinh', { exact: true }).fill(String(new Date().getFullYear() - 9));
    await desk.getByLabel('Giới tính').selectOption('male');
    await desk.getByLabel('Xã, phường').fill('Hồng Gai');
    await desk.getByLabel('Nạn nhân xâm hại tình dục').check();
    // The routing preview follows the form: a child, then sexual abuse, which forces the emergency path.
    await expect.poll(() => desk.locator('#check').textContent(), { timeout: 10_000 }).toContain('Trẻ em dưới 16 tuổi');
    await desk.getByLabel('Bị xâm hại tình dục').check();
    await expect.poll(() => desk.locator('#check').textContent(), { timeout: 10_000 }).toContain('Luồng khẩn cấp');
    await desk.getByLabel('Nội dung sự việc').fill('Cô giáo báo em An bị người quen xâm hại, đang ở nhà một mình');
    await desk.getByRole('button', { name: 'Tạo trường hợp' }).click();

    await expect.poll(() => desk.getByRole('heading', { level: 1 }).textContent()).toMatch(/Đã tạo QN-\d{4}-\d{6}/);
    const answer = await desk.locator('main').textContent();
    expect(answer).toContain('Luồng khẩn cấp');
    expect(answer).toContain('Can thiệp khẩn cấp');
    expect(answer).toContain('Nhân viên CTXH Hạ Long'); // assigned
    expect(answer).toMatch(/còn \d+ giờ/); // the emergency response is due within hours
    expect(answer).toContain('Gợi ý chuyển gửi');

    await desk.getByRole('link', { name: /Mở trang trường hợp/ }).click();
    await expect.poll(() => desk.locator('ol.stages [aria-current="step"]').textContent()).toBe('Can thiệp khẩn cấp');
    // A refusal is shown in words, in the form, and nothing changes.
    await desk.locator('details > summary', { hasText: 'Xác nhận đã an toàn' }).click();
    await desk.locator('form textarea[name="actions"]').evaluate((el) => el.removeAttribute('required'));
    await desk.getByRole('button', { name: 'Xác nhận đã an toàn', exact: true }).click();
    await expect.poll(() => desk.getByRole('alert').first().textContent()).toBeTruthy();
    expect(await desk.locator('ol.stages [aria-current="step"]').textContent()).toBe('Can thiệp khẩn cấp');

    await act(desk, 'Xác nhận đã an toàn', () => desk.getByLabel('Các biện pháp đã thực hiện').fill('Đưa em về nhà tạm lánh\nBáo công an phường'));
    expect(await desk.locator('ol.stages [aria-current="step"]').textContent()).toBe('Xác minh và đánh giá toàn diện');
    await act(desk, 'Ghi đánh giá toàn diện', async () => {
      await desk.getByLabel('Tóm tắt đánh giá').fill('Em An đã an toàn tại nhà tạm lánh; cần trị liệu tâm lý');
      await desk.getByLabel('Nhu cầu').fill('Trị liệu tâm lý\nTrợ giúp pháp lý');
    });
    await act(desk, 'Trình kế hoạch can thiệp', async () => {
      await desk.getByLabel('Mục tiêu').fill('Em An an toàn và hồi phục');
      const first = desk.locator('fieldset.row').first();
      await first.getByLabel('Loại hoạt động').fill('Tham vấn tâm lý');
      await first.getByLabel('Mô tả').fill('Mỗi tuần một buổi trong ba tháng');
    });
    expect(await desk.locator('ol.stages [aria-current="step"]').textContent()).toBe('Chờ thông qua kế hoạch');
    // A note, taken, leaves its form empty for the next one (its kept draft is forgotten).
    await act(desk, 'Ghi chú', () => desk.getByLabel('Nội dung').fill('Gọi điện cho mẹ em An lúc 9 giờ'));
    await desk.reload();
    expect(await desk.locator('details', { has: desk.locator('summary', { hasText: 'Ghi chú' }) }).getAttribute('open')).toBeNull();
    expect(await desk.getByLabel('Nội dung').inputValue()).toBe('');
    const page = await desk.locator('main').textContent();
    expect(page).toContain('Tham vấn tâm lý');
    expect(page).toMatch(/Duyệt kế hoạch: \d\d\/\d\d\/\d{4} \d\d:\d\d\s+\(còn \d+ ngày làm việc\)/);
    for (const event of ['Tiếp nhận và phân luồng', 'Xác nhận đã an toàn', 'Ghi đánh giá toàn diện', 'Trình kế hoạch', 'Ghi chú'])
      expect(page).toContain(event);
    await fitsWidth(desk);
    await shoot(desk, 'case-1280.png');

    // The same case on a phone; and in English, by the person's switch, kept with them.
    const phone = await browser.newPage({ viewport: PHONE });
    await phone.context().addCookies(await desk.context().cookies());
    await phone.goto(desk.url());
    await fitsWidth(phone);
    await phone.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => phone.getByRole('heading', { name: 'What you can do' }).count()).toBe(1);
    expect(await phone.getAttribute('html', 'lang')).toBe('en');
    await phone.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => phone.getAttribute('html', 'lang')).toBe('vi');

    // The supervisor finds the child by name without accents, and the client page lists the case.
    await phone.goto(`${system.url}/app/clients?name=nguyen+van+an`);
    await phone.getByRole('link', { name: 'Nguyễn Văn An' }).first().click();
    await expect.poll(() => phone.locator('main').textContent()).toMatch(/QN-\d{4}-\d{6}/);
    await phone.close();
    await desk.close();
  });

  it('lets a collaborator file a report on a 360-px phone and see only its status', async () => {
    const phone = await browser.newPage({ viewport: PHONE });
    await logIn(phone, system.url, 'collaborator1');
    // No client search for a collaborator.
    expect(await phone.getByRole('link', { name: 'Người được trợ giúp' }).count()).toBe(0);
    await phone.getByRole('link', { name: 'Báo cáo mới' }).first().click();
    expect(await phone.getByLabel('Kênh tiếp nhận').inputValue()).toBe('collaborator');
    await phone.getByLabel('Họ và tên').fill('Trần Văn Bình');
    await phone.getByLabel('Tuổi (nếu không rõ năm sinh)').fill('78');
    await phone.getByLabel('Giới tính').selectOption('male');
    await phone.getByLabel('Xã, phường').fill('Hà Lầm');
    await phone.getByLabel('Người cao tuổi neo đơn').check();
    await phone.getByLabel('Sống một mình').check();
    await phone.getByLabel('Nội dung sự việc').fill('Cụ Bình sống một mình, ốm mấy hôm không ai chăm');
    await expect.poll(() => phone.locator('#check').textContent(), { timeout: 10_000 }).toContain('Người cao tuổi neo đơn');
    // Search-before-create shows a collaborator nobody.
    expect(await phone.locator('#check').textContent()).not.toContain('Có thể đã có hồ sơ');
    await fitsWidth(phone);
    await shoot(phone, 'intake-360.png');
    await phone.getByRole('button', { name: 'Tạo trường hợp' }).click();

    await expect.poll(() => phone.getByRole('status').textContent()).toContain('Báo cáo đã được tiếp nhận');
    const answer = (await phone.locator('main').textContent())!;
    const ref = /QN-\d{4}-\d{6}/.exec(answer)![0];
    // The status only: no routing, no assignee, no risk.
    expect(answer).not.toContain('Luồng');
    expect(answer).not.toContain('Người phụ trách');

    await phone.getByRole('link', { name: 'Việc của tôi' }).first().click();
    await expect.poll(() => phone.locator('main').textContent()).toContain(ref);
    const work = (await phone.locator('main').textContent())!;
    expect(work).not.toContain('Trần Văn Bình');
    await fitsWidth(phone);
    await shoot(phone, 'my-work-360.png');

    // A case page shows them its status; an earlier case of someone else's is not there at all.
    const own = await system.call('GET', '/cases?limit=5', { token: await system.login('collaborator1') });
    const id = (own.body.items as Array<{ id: string; ref: string }>).find((c) => c.ref === ref)!.id;
    await phone.goto(`${system.url}/app/cases/${id}`);
    const status = (await phone.locator('main').textContent())!;
    expect(status).toContain(ref);
    expect(status).not.toContain('Trần Văn Bình');
    expect(status).not.toContain('Việc có thể làm');
    await phone.close();
  });

  it('keeps what a hotline worker typed when the session ended in the middle of a report', async () => {
    const desk = await browser.newPage({ viewport: DESK });
    await logIn(desk, system.url, 'worker1');
    await desk.goto(`${system.url}/app/intake`);
    await desk.getByLabel('Họ và tên').fill('Lê Thị Mai');
    await desk.getByLabel('Giới tính').selectOption('female');
    await desk.getByLabel('Bị thương tích').check();
    await desk.getByLabel('Nội dung sự việc').fill('Hàng xóm báo chị Mai bị chồng đánh');
    await desk.context().clearCookies({ name: 'cf_session' });
    await desk.getByRole('button', { name: 'Tạo trường hợp' }).click();
    await desk.waitForURL(`${system.url}/app/login?next=%2Fapp%2Fintake`);
    await desk.getByLabel('Tên đăng nhập').fill('worker1');
    await desk.getByLabel('Mật khẩu').fill('demo');
    await desk.getByRole('button', { name: /Đăng nhập/ }).click();
    await desk.waitForURL(`${system.url}/app/intake`);
    await expect.poll(() => desk.getByLabel('Họ và tên').inputValue()).toBe('Lê Thị Mai');
    expect(await desk.getByLabel('Nội dung sự việc').inputValue()).toBe('Hàng xóm báo chị Mai bị chồng đánh');
    expect(await desk.getByLabel('Bị thương tích').isChecked()).toBe(true);
    expect(await desk.getByLabel('Giới tính').inputValue()).toBe('female');
    // Nothing was created while the session was gone.
    const [row] = await system.sql<{ n: number }[]>`select count(*)::int as n from cases where intake->'client'->>'fullName' = 'Lê Thị Mai'`;
    expect(row!.n).toBe(0);
    await desk.close();
  });

  it('refuses a form posted without its CSRF token', async () => {
    const res = await fetch(`${system.url}/app/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=worker1&password=demo&csrf=forged',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Biểu mẫu đã hết hạn');
  });
});
