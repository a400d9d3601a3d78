// What the browser tests share: Chromium started as the project's set-up installs it, and logging
// in through the console's own form.
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../system/browser';

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("no Chromium: `npm install` as root installs Debian's chromium, or set CHROMIUM_PATH");
  return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Logs in through /app/login (password `demo`, as the demo and test accounts have) and waits for My work. */
export async function logIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/app/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
  await page.waitForURL(`${url}/app`);
}
