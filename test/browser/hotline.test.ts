// The hotline page in a real browser (issue 27): playwright-core driving Debian's Chromium against
// the whole system. A hotline worker records a call by keyboard alone — Tab, letters, Enter — and
// the time it takes is printed; a call about a child in danger shows its red line before it is
// saved and opens an emergency case (C1); a promised callback waits on Việc của tôi with its time left.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn } from '../support/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
const shots = new URL('../../docs/screenshots/', import.meta.url);
const shoot = (page: Page, name: string) => page.screenshot({ path: new URL(name, shots).pathname, fullPage: true });

beforeAll(async () => {
  browser = await launchChromium();
  system = await startTestSystem();
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const focusedId = (page: Page) => page.evaluate<string>('document.activeElement?.id ?? ""');

/** Presses Tab until the field with this id has the focus: how a person moves through the form. */
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 80; i++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

describe('the hotline page in Chromium', () => {
  it('records a call by keyboard alone: Tab between fields, a letter for the call type, Enter to save', async () => {
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, 'worker1');
    const started = Date.now();
    await desk.goto(`${system.url}/app/hotline`);
    // The call type has the focus; "c" picks "Chế độ, chính sách".
    expect(await focusedId(desk)).toBe('contact-callType');
    await desk.keyboard.press('c');
    expect(await desk.locator('#contact-callType').inputValue()).toBe('benefit_guidance');
    await tabTo(desk, 'contact-caller-fullName');
    await desk.keyboard.type('Trần Thị Mai');
    await tabTo(desk, 'contact-caller-phone');
    await desk.keyboard.type('0912 888 111');
    await tabTo(desk, 'contact-caller-relation');
    await desk.keyboard.press('c');
    expect(await desk.locator('#contact-caller-relation').inputValue()).toBe('self');
    await tabTo(desk, 'contact-summary');
    await desk.keyboard.type('Hỏi thủ tục trợ cấp hằng tháng cho người cao tuổi');
    await tabTo(desk, 'contact-outcome');
    await desk.keyboard.press('d');
    expect(await desk.locator('#contact-outcome').inputValue()).toBe('advice_given');
    await desk.keyboard.press('Enter');
    await desk.waitForURL(/\/app\/contacts\/[0-9a-f-]+\?saved=recorded$/);
    const seconds = (Date.now() - started) / 1000;
    console.log(`[hotline] a call recorded by keyboard alone in ${seconds.toFixed(1)} s (page load to saved page)`);
    await expect.poll(() => desk.getByRole('status').first().textContent()).toContain('Đã lưu cuộc gọi');
    const id = new URL(desk.url()).pathname.split('/').at(-1)!;
    const token = await system.login('worker1');
    const saved = await system.call('GET', `/contacts/${id}`, { token });
    expect(saved.body).toMatchObject({
      callType: 'benefit_guidance',
      outcome: 'advice_given',
      caseId: null,
      caller: { anonymous: false, fullName: 'Trần Thị Mai', phone: '0912 888 111', relation: 'self' },
    });
    expect(saved.body.durationMinutes).toBeGreaterThanOrEqual(1);
    // Listed among today's calls on the hotline page and on Việc của tôi.
    await desk.goto(`${system.url}/app`);
    expect(await desk.locator('#calls + ul').textContent()).toContain(saved.body.ref);
    await desk.close();

    // The unit's supervisor reads it in the contact log, by call type.
    const lead = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(lead, system.url, 'supervisor1');
    await lead.getByRole('link', { name: 'Sổ tổng đài' }).click();
    await lead.locator('#log-callType').selectOption('benefit_guidance');
    await lead.getByRole('button', { name: 'Xem' }).click();
    await lead.waitForURL(/callType=benefit_guidance/);
    expect(await lead.locator('ul.items').textContent()).toContain(saved.body.ref);
    await lead.locator('#log-callType').selectOption('prank');
    await lead.getByRole('button', { name: 'Xem' }).click();
    await lead.waitForURL(/callType=prank/);
    expect(await lead.locator('main, body').first().textContent()).not.toContain(saved.body.ref);
    await lead.close();
  });

  it('shows the red line before a call about a child in danger is saved, and saving it opens the emergency case (C1)', async () => {
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, 'worker1');
    await desk.goto(`${system.url}/app/hotline`);
    await desk.locator('#contact-callType').selectOption('report_of_concern');
    await desk.getByLabel('Họ tên người gọi').fill('Cô giáo Hạnh');
    await desk.locator('#contact-about-fullName').fill('Lê Văn Tú');
    await desk.locator('#contact-about-age').fill('8');
    await desk.getByLabel('Bị xâm hại tình dục').check();
    await desk.locator('#contact-summary').fill('Cô giáo báo em bị người lớn trong xóm xâm hại');
    await desk.locator('#contact-outcome').selectOption('advice_given');
    await expect.poll(() => desk.locator('#call-check').textContent(), { timeout: 10_000 }).toContain('Cuộc gọi này sẽ mở một trường hợp khẩn cấp');
    await shoot(desk, 'hotline-1280.png');
    await desk.getByRole('button', { name: 'Lưu cuộc gọi' }).click();
    await desk.waitForURL(/\/app\/contacts\//);
    await expect.poll(() => desk.getByRole('status').nth(1).textContent()).toContain('Quy tắc C1');
    await desk.getByRole('link', { name: 'mở trường hợp' }).click();
    await desk.waitForURL(/\/app\/cases\//);
    expect(await desk.locator('main, body').first().textContent()).toContain('Can thiệp khẩn cấp');
    await desk.close();
  });

  it('keeps a promised callback on Việc của tôi with its time left, and fits a phone', async () => {
    const token = await system.login('worker1');
    const callbackBy = new Date(Date.now() + 3 * 3600_000).toISOString();
    const created = await system.call('POST', '/contacts', {
      token,
      body: {
        channel: 'counselling_cafe',
        caller: { anonymous: true },
        callType: 'counselling',
        summary: 'Cần tham vấn thêm, hẹn gọi lại chiều nay',
        outcome: 'callback_promised',
        callbackBy,
      },
    });
    expect(created.status).toBe(201);
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await logIn(phone, system.url, 'worker1');
    const callbacks = await phone.locator('#callbacks + ul').textContent();
    expect(callbacks).toContain(created.body.ref);
    expect(callbacks).toMatch(/còn 2 giờ 5\d phút|còn 3 giờ 0 phút/);
    await phone.goto(`${system.url}/app/hotline`);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shoot(phone, 'hotline-360.png');
    await phone.close();
  });
});
