// The console in a real browser: playwright-core driving Debian's Chromium against the whole
// system. A page without a session sends the browser to the login page; a wrong password is
// refused in Vietnamese; the right one opens "Việc của tôi". Screenshots at 360 and 1280 px go to
// docs/screenshots/ for the README.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../../system/browser';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
const shots = new URL('../../docs/screenshots/', import.meta.url);

beforeAll(async () => {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("no Chromium: `npm install` as root installs Debian's chromium, or set CHROMIUM_PATH");
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  system = await startTestSystem();
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

describe('the console in Chromium', () => {
  it('sends a visitor without a session to the login page, refuses a wrong password in Vietnamese, and opens the work of the right one', async () => {
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
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
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await phone.screenshot({ path: new URL('login-360.png', shots).pathname, fullPage: true });

    await phone.getByLabel('Mật khẩu').fill('demo');
    await phone.getByRole('button', { name: /Đăng nhập/ }).click();
    await phone.waitForURL(`${system.url}/app`);
    await expect.poll(() => phone.getByRole('heading', { level: 1 }).textContent()).toContain('Việc của tôi');
    const cookies = await phone.context().cookies();
    expect(cookies.find((k) => k.name === 'cf_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await desk.context().addCookies(cookies);
    await desk.goto(`${system.url}/app`);
    await desk.screenshot({ path: new URL('my-work-1280.png', shots).pathname, fullPage: true });
    await desk.getByRole('button', { name: /Đăng xuất/ }).click();
    await desk.waitForURL(`${system.url}/app/login`);
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
