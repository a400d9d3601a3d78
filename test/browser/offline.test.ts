// A village collaborator without a signal (issue 30), in Chromium on a 360-px phone against the
// whole system: the report form opens with the network off, two reports written offline wait on
// the phone and become two cases once it is back, each with when it was written; a sync cut after
// its request left, then run twice at once, still makes one case; a session that ended offline
// sends after the writer logs in again, and another person on the same phone neither sees nor
// sends them; a report the server now refuses stays with its words; logging out asks first; a
// staff page offline says so in words; and the form's first load weighs under 100 KB.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn } from '../support/browser';
import { consoleSession } from '../support/console-session';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let manager: string;
const other = `ctv.offline.${randomUUID().slice(0, 6)}`;
const PHONE = { width: 360, height: 740 };
// What the pages' own scripts see, for the checks run in them (this file is compiled without the DOM's types).
declare const indexedDB: any, navigator: any, caches: any;

beforeAll(async () => {
  browser = await launchChromium();
  system = await startTestSystem();
  manager = await system.login('manager1');
  // Another collaborator of the same commune, who borrows the phone.
  await system.sql`
    insert into staff (id, province, username, display_name, role, unit_id, password_hash)
    select ${randomUUID()}, province, ${other}, 'Cộng tác viên mượn máy', 'collaborator', unit_id, password_hash from staff where username = 'collaborator1'`;
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** The form, filled as a collaborator would: an old man alone, named so the test can find his case. */
async function writeReport(page: Page, name: string) {
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Tuổi (nếu không rõ năm sinh)').fill('80');
  await page.getByLabel('Giới tính').selectOption('male');
  await page.getByLabel('Xã, phường').fill('Đồng Tiến');
  await page.getByLabel('Người cao tuổi neo đơn').check();
  await page.getByLabel('Nội dung sự việc').fill(`${name} sống một mình trên đảo, không ai chăm`);
  await page.getByRole('button', { name: 'Tạo trường hợp' }).click();
}

/** Cases of the province for a client of this name, as the manager sees them. */
async function casesOf(name: string) {
  const [row] = await system.sql<{ ids: string[] }[]>`
    select coalesce(array_agg(c.id), '{}') as ids from cases c join clients k on k.id = c.client_id where k.full_name = ${name}`;
  return await Promise.all(row!.ids.map(async (id) => (await system.call('GET', `/cases/${id}`, { token: manager })).body));
}

const waiting = (page: Page) => page.locator('#outbox [data-waiting]').textContent();
const stored = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<Array<{ key: string; writtenBy: string; refused: string | null; fields: Array<[string, string]> }>>((resolve) => {
        const open = indexedDB.open('cf-outbox', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('reports', { keyPath: 'key' });
        open.onsuccess = () => {
          const all = open.result.transaction('reports').objectStore('reports').getAll();
          all.onsuccess = () => resolve(all.result);
        };
      }),
  );

/** A phone with the app installed: logged in, the worker in control, the form and my reports kept. */
async function installed(context: BrowserContext, username = 'collaborator1') {
  const page = await context.newPage();
  await logIn(page, system.url, username);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 }).toBe(true);
  await page.goto(`${system.url}/app/intake`);
  await page.goto(`${system.url}/app`);
  return page;
}

describe('a collaborator without a signal', () => {
  it('writes two reports offline that become two cases when the signal returns, each with when it was written', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await installed(context);
    await context.setOffline(true);
    await page.goto(`${system.url}/app/intake`);
    await expect.poll(() => page.getByRole('heading', { name: 'Báo cáo mới' }).count()).toBe(1);
    const [first, second] = [`Ông Đảo ${randomUUID().slice(0, 6)}`, `Ông Núi ${randomUUID().slice(0, 6)}`];
    const before = Date.now();
    await writeReport(page, first);
    await expect.poll(() => waiting(page)).toBe('1');
    expect(await page.locator('#outbox').textContent()).toContain('Chưa gửi — sẽ gửi khi có mạng');
    await writeReport(page, second);
    await expect.poll(() => waiting(page)).toBe('2');
    const keys = (await stored(page)).map((r) => r.key);
    expect(new Set(keys).size).toBe(2); // a fresh key each time the form opens
    await page.close();

    await context.setOffline(false);
    const back = await context.newPage();
    await back.goto(`${system.url}/app`);
    await expect.poll(async () => (await stored(back)).length, { timeout: 15_000 }).toBe(0);
    for (const name of [first, second]) {
      await expect.poll(async () => (await casesOf(name)).length).toBe(1);
      const cases = await casesOf(name);
      const recordedAt = Date.parse(cases[0].intake.recordedAt);
      expect(recordedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(recordedAt).toBeLessThan(Date.parse(cases[0].createdAt));
    }
    // The worker sees when it was written beside when it came.
    const { cookie } = await consoleSession(system.url, 'manager1');
    const shown = await (await fetch(`${system.url}/app/cases/${(await casesOf(first))[0].id}`, { headers: { cookie } })).text();
    expect(shown).toContain('Viết lúc (chưa có mạng)');
    await context.close();
  });

  it('makes one case of a report whose answer was lost on the way, sent again twice at once', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await installed(context);
    await context.setOffline(true);
    await page.goto(`${system.url}/app/intake`);
    const name = `Bà Biển ${randomUUID().slice(0, 6)}`;
    await writeReport(page, name);
    await expect.poll(() => waiting(page)).toBe('1');
    // Back online, but the first answer never arrives: the request reached the API, the phone saw a cut.
    let cut = 0;
    let reached = 0;
    let cutDone!: () => void;
    const cutOver = new Promise<void>((resolve) => (cutDone = resolve));
    await context.route('**/app/intake', async (route) => {
      if (route.request().method() === 'POST' && route.request().headers()['x-outbox'] === '1' && cut === 0) {
        cut += 1;
        reached = (await route.fetch()).status();
        await route.abort('internetdisconnected');
        return cutDone();
      }
      return await route.fallback();
    });
    await context.setOffline(false);
    await page.goto(`${system.url}/app`);
    await cutOver;
    expect([cut, reached]).toEqual([1, 201]);
    // The phone did not hear the answer and sends it again (the `online` event, the page load): one case.
    await expect.poll(async () => (await stored(page)).length, { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await casesOf(name)).length).toBe(1);
    await context.unroute('**/app/intake');

    // Another report offline; back online, three syncs at once (the open page's `online`, two page loads): one case.
    await page.goto(`${system.url}/app/intake`);
    await context.setOffline(true);
    await page.goto(`${system.url}/app/intake`);
    const again = `Ông Gió ${randomUUID().slice(0, 6)}`;
    await writeReport(page, again);
    await expect.poll(() => waiting(page)).toBe('1');
    const twin = await context.newPage();
    await context.setOffline(false);
    await Promise.all([page.goto(`${system.url}/app`), twin.goto(`${system.url}/app`)]);
    await expect.poll(async () => (await stored(page)).length, { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await casesOf(again)).length).toBe(1);
    await page.waitForTimeout(1000);
    expect(await casesOf(again)).toHaveLength(1);
    await context.close();
  });

  it('keeps reports through a session that ended offline, for their writer only, and asks before a logout discards them', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await installed(context);
    await context.setOffline(true);
    await page.goto(`${system.url}/app/intake`);
    const name = `Em Đồi ${randomUUID().slice(0, 6)}`;
    await writeReport(page, name);
    await expect.poll(() => waiting(page)).toBe('1');
    // The session ends while the phone is offline.
    await context.clearCookies({ name: 'cf_session' });
    await context.setOffline(false);
    await page.goto(`${system.url}/app`);
    await page.waitForURL(/\/app\/login/);
    // Someone else logs in on this phone: they see nothing, and nothing is sent.
    await page.getByLabel('Tên đăng nhập').fill(other);
    await page.getByLabel('Mật khẩu').fill('demo');
    await page.getByRole('button', { name: /Đăng nhập/ }).click();
    await page.waitForURL(`${system.url}/app`);
    await page.waitForTimeout(1500);
    expect(await page.locator('#outbox').isHidden()).toBe(true);
    expect(await casesOf(name)).toHaveLength(0);
    expect((await stored(page)).length).toBe(1);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/app\/login/);
    // Its writer logs in again: it is sent.
    await logIn(page, system.url, 'collaborator1');
    await expect.poll(async () => (await stored(page)).length, { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await casesOf(name)).length).toBe(1);

    // A report the server now refuses stays, with the server's words.
    await page.goto(`${system.url}/app/intake`);
    await context.setOffline(true);
    await page.goto(`${system.url}/app/intake`);
    await writeReport(page, `Cụ Sông ${randomUUID().slice(0, 6)}`);
    await expect.poll(() => waiting(page)).toBe('1');
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const open = indexedDB.open('cf-outbox', 1);
          open.onsuccess = () => {
            const store = open.result.transaction('reports', 'readwrite').objectStore('reports');
            const all = store.getAll();
            all.onsuccess = () => {
              for (const r of all.result) store.put({ ...r, fields: r.fields.map(([k, v]: [string, string]) => [k, k === 'client.age' ? '400' : v]) });
              resolve();
            };
          };
        }),
    );
    await context.setOffline(false);
    await page.goto(`${system.url}/app`);
    await expect.poll(() => page.locator('#outbox [data-refused]').textContent(), { timeout: 15_000 }).toContain('client.age');
    expect((await stored(page))[0]!.refused).toBeTruthy();

    // Logging out with it waiting asks first; "no" keeps the session and the report.
    const answers = ['dismiss', 'accept'];
    page.on('dialog', (dialog) => void (answers.shift() === 'accept' ? dialog.accept() : dialog.dismiss()));
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForTimeout(500);
    expect(page.url()).toBe(`${system.url}/app`);
    expect((await stored(page)).length).toBe(1);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/app\/login/);
    expect((await stored(page)).length).toBe(0);
    await context.close();
  });

  it('says in words that a staff page needs a connection', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await logIn(page, system.url, 'worker1');
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 }).toBe(true);
    await context.setOffline(true);
    await page.goto(`${system.url}/app/clients`);
    expect(await page.locator('main').textContent()).toContain('Không có mạng — trang này cần kết nối');
    // Nothing of a staff member's pages was kept.
    expect(await page.evaluate(async () => (await caches.keys()).filter((k: string) => k.startsWith('cf-pages')).length)).toBeLessThanOrEqual(1);
    expect(
      await page.evaluate(async () =>
        (await (await caches.open((await caches.keys()).find((k: string) => k.startsWith('cf-pages')) ?? 'none')).keys()).map(
          (r: { url: string }) => new URL(r.url).pathname,
        ),
      ),
    ).not.toContain('/app/clients');
    await context.close();
  });

  it('loads the report form the first time in under 100 KB, and again from the phone', async () => {
    // The first visit: nothing on the phone yet (no worker, no cache).
    const fresh = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
    const login = await fresh.newPage();
    await logIn(login, system.url, 'collaborator1');
    const page = await fresh.newPage();
    const weights: Array<Promise<{ path: string; bytes: number }>> = [];
    page.on('requestfinished', (request) =>
      weights.push(request.sizes().then((s) => ({ path: new URL(request.url()).pathname, bytes: s.responseBodySize + s.responseHeadersSize }))),
    );
    await page.goto(`${system.url}/app/intake`, { waitUntil: 'networkidle' });
    const first = (await Promise.all(weights)).filter((w) => !w.path.startsWith('/app/icons/') && w.path !== '/app/manifest.webmanifest');
    const total = first.reduce((sum, w) => sum + w.bytes, 0);
    console.log(`[offline] the report form's first load: ${(total / 1024).toFixed(1)} KB (${first.map((w) => `${w.path} ${w.bytes} B`).join(', ')})`);
    expect(first.map((w) => w.path)).toEqual(expect.arrayContaining(['/app/intake', '/app/console.js', '/app/offline.js']));
    expect(total).toBeLessThanOrEqual(100 * 1024);
    await fresh.close();

    // Installed: the scripts come from the phone.
    const context = await browser.newContext({ viewport: PHONE });
    const phone = await installed(context);
    const again: Array<{ path: string; kept: boolean }> = [];
    phone.on('response', (response) => void again.push({ path: new URL(response.url()).pathname, kept: response.fromServiceWorker() }));
    await phone.goto(`${system.url}/app/intake`, { waitUntil: 'networkidle' });
    const scripts = again.filter((w) => /^\/app\/(console|offline)\.js$/.test(w.path));
    expect(scripts.map((w) => w.path).sort()).toEqual(['/app/console.js', '/app/offline.js']);
    expect(scripts.every((w) => w.kept)).toBe(true);
    await context.close();
  });
});
