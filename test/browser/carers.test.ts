// The carers register in a real browser (issue 28): a manager registers a foster family through the
// console's form, and a social worker on a 360-px phone finds it among the carers of a commune with
// a free place. playwright-core driving Debian's Chromium against the whole system.
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

describe('the carers register in Chromium', () => {
  it('lets a manager register a foster family and a worker on a phone find it with a free place', async () => {
    const name = `Gia đình bà Lê Thị Thu ${Date.now() % 100000}`;
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(desk, system.url, 'manager1');
    await desk.getByRole('link', { name: 'Nơi chăm sóc thay thế', exact: true }).click();
    await desk.waitForURL(/\/app\/carers$/);
    await desk.locator('details#carers-create-new > summary').click();
    await desk.locator('#carers-create-new-kind').selectOption('foster_family');
    await desk.locator('#carers-create-new-name').fill(name);
    await desk.locator('#carers-create-new-commune').fill('Cẩm Phả');
    await desk.locator('#carers-create-new-capacity').fill('2');
    await desk.locator('#carers-create-new-contact-phone').fill('0912 333 444');
    await desk.locator('#carers-create-new-approvedUntil').fill('2030-12-31');
    await desk.locator('details#carers-create-new').getByRole('button', { name: 'Thêm mới' }).click();
    await desk.waitForURL(/\/app\/carers\?saved=1$/);
    const item = desk.locator('ul.items > li', { hasText: name });
    expect(await item.textContent()).toContain('còn 2 chỗ');
    await desk.close();

    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await logIn(phone, system.url, 'worker1');
    await phone.goto(`${system.url}/app/carers`);
    // A worker reads the register but has no form to change it.
    expect(await phone.locator('details#carers-create-new').count()).toBe(0);
    await phone.locator('#carers-commune').fill('xã Cẩm Phả');
    await phone.locator('#carers-available').check();
    await phone.getByRole('button', { name: 'Tìm' }).click();
    await phone.waitForURL(/available=true/);
    expect(await phone.locator('ul.items').textContent()).toContain(name);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shoot(phone, 'carers-360.png');
    await phone.locator('ul.items a', { hasText: name }).click();
    await phone.waitForURL(/\/app\/carers\/[0-9a-f-]+$/);
    expect(await phone.locator('h1').textContent()).toBe(name);
    await phone.close();
  });
});
