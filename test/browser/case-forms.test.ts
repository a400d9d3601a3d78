// Printed case forms in a real browser (issue 31): a case taken through intake, assessment and a
// plan a manager approved lists its plan form on the case page; the form's page, printed, is the
// API's own page without the console's toolbar, on A4 sheets that each say who printed them and
// when — with the plan's goals and its approver's name; a restricted case's every sheet says MẬT;
// and the A4 period report carries the same footer. playwright-core driving Debian's Chromium
// against the whole system; the form's first page is a screenshot for the README.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn } from '../support/browser';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let browser: Browser;
let province: TestProvince;
const tokens: Record<string, string> = {};
const shots = new URL('../../docs/screenshots/', import.meta.url);
/** An A4 sheet at 96 px to the inch. */
const A4 = { width: 794, height: 1123 };
const NAMES = { worker: 'Nguyễn Thị Lan', manager: 'Đỗ Minh Quân' };
const GOALS = ['Cụ có bữa ăn nóng mỗi ngày', 'Cụ được khám sức khoẻ định kỳ tại trạm y tế xã'];

beforeAll(async () => {
  browser = await launchChromium();
  system = await startTestSystem();
  // A province of its own, named as a real one, whose people have real names: paper says people by
  // the names they sign with, never by their usernames.
  province = await freshProvince(system.sql);
  await system.sql`update provinces set name = 'Quảng Ninh' where code = ${province.code}`;
  for (const who of ['manager', 'worker'] as const) await system.sql`update staff set display_name = ${NAMES[who]} where username = ${province[who]}`;
  for (const who of ['manager', 'worker'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });

/** A case through intake, assessment and a plan the manager approved. */
async function approvedPlan(): Promise<{ id: string; ref: string }> {
  const created = await call('worker', 'POST', '/cases', { ...lonelyOlderMan(), channel: 'hotline' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  expect(
    (await call('worker', 'POST', `/cases/${id}/assessment`, { summary: 'Cụ sống một mình, ăn uống thất thường', needs: ['Bữa ăn', 'Khám bệnh'] })).status,
  ).toBe(200);
  const plan = await call('worker', 'POST', `/cases/${id}/plan`, {
    goals: GOALS,
    interventions: [{ type: 'Suất ăn', description: 'Mỗi ngày một suất ăn nóng do hội phụ nữ xã mang đến' }],
  });
  expect(plan.body.stage, JSON.stringify(plan.body)).toBe('plan_review');
  const approved = await call('manager', 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Đồng ý, thực hiện ngay' });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return { id, ref: created.body.ref };
}

/** The page's fonts have come (the browser's own scripts: this file is not compiled with the DOM's types). */
const fontsReady = (page: Page) => page.evaluate('document.fonts.ready.then(() => true)');

/** The text a reader sees of a page, as printed (the toolbar is not printed), with its print's minute left out. */
async function printedText(page: Page): Promise<string> {
  await page.emulateMedia({ media: 'print' });
  const text = await page.evaluate<string>('document.body.innerText');
  // Each request is a print of its own: its footer's time may fall in the next minute.
  return text.replace(/\d\d\/\d\d\/\d{4} \d\d:\d\d/g, '<time>').trim();
}

/** Each page of a PDF: its size in points and its words. */
async function pdfPages(bytes: Uint8Array): Promise<Array<{ width: number; height: number; text: string }>> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const words = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    pages.push({ width: Math.round(x1 - x0), height: Math.round(y1 - y0), text: words.replace(/\s+/g, ' ') });
  }
  return pages;
}

/** A4 in points, every page of it. */
const expectA4 = (pages: Array<{ width: number; height: number }>) => {
  expect(pages.length).toBeGreaterThan(0);
  for (const p of pages) expect({ width: p.width, height: p.height }).toEqual({ width: 595, height: 842 });
};

describe('printed case forms in Chromium', () => {
  it('lists the plan form on the case page and prints it as the API made it, on A4, with who printed it', async () => {
    const { id, ref } = await approvedPlan();
    const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(desk, system.url, province.worker);
    await desk.goto(`${system.url}/app/cases/${id}`);
    const section = desk.locator('section#case-file');
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('Hồ sơ, biểu mẫu');
    const planItem = section.locator('li', { hasText: 'Kế hoạch hỗ trợ, can thiệp' });
    expect(await planItem.count()).toBe(1);
    expect(await planItem.getByRole('link', { name: 'PDF' }).getAttribute('href')).toBe(`/app/cases/${id}/forms/plan?format=pdf`);
    // A form whose step has not happened is not offered.
    expect(await section.textContent()).not.toContain('Phiếu kết thúc trường hợp');
    expect(await section.getByRole('link', { name: 'Toàn bộ hồ sơ (PDF)' }).getAttribute('href')).toBe(`/app/cases/${id}/file?format=pdf`);
    expect(await section.getByRole('link', { name: 'ZIP (PDF + JSON)' }).getAttribute('href')).toBe(`/app/cases/${id}/file?format=zip`);

    await planItem.getByRole('link', { name: 'Xem, in' }).click();
    await desk.waitForURL(`${system.url}/app/cases/${id}/forms/plan`);
    await fontsReady(desk);
    // On screen: the console's toolbar over the paper.
    const toolbar = desk.locator('nav.noprint');
    expect(await toolbar.isVisible()).toBe(true);
    expect(await toolbar.getByRole('link', { name: '← Trường hợp' }).getAttribute('href')).toBe(`/app/cases/${id}#case-file`);
    expect(await toolbar.getByRole('button', { name: 'In' }).count()).toBe(1);
    expect(await toolbar.getByRole('link', { name: 'Tải PDF' }).getAttribute('href')).toBe(`/app/cases/${id}/forms/plan?format=pdf&lang=vi`);
    // Its fonts came from the console, in Vietnamese letters.
    expect(await desk.evaluate<string[]>("[...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family)")).toContain('DejaVu Serif');
    await desk.setViewportSize(A4);
    await desk.screenshot({ path: new URL('case-form-plan.png', shots).pathname });

    // Printed: no button, no navigation; the words are the API's page's, word for word.
    const printed = await printedText(desk);
    expect(await toolbar.isVisible()).toBe(false);
    expect(await desk.evaluate<number>("[...document.querySelectorAll('button, nav, .noprint, .noprint *')].filter((el) => el.checkVisibility()).length")).toBe(
      0,
    );
    const api = await browser.newPage();
    await api.setExtraHTTPHeaders({ authorization: `Bearer ${tokens.worker}` });
    const answered = await api.goto(`${system.url}/cases/${id}/forms/plan?format=html&lang=vi`);
    expect(answered?.status()).toBe(200);
    expect(answered?.headers()['content-type']).toContain('text/html');
    expect(await printedText(api)).toBe(printed);
    await api.close();
    for (const words of [...GOALS, NAMES.manager, NAMES.worker, ref, 'KẾ HOẠCH HỖ TRỢ, CAN THIỆP', 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM'])
      expect(printed).toContain(words);
    expect(printed).toContain(`In bởi ${NAMES.worker} lúc <time> · ${ref}`);
    expect(printed).not.toContain('MẬT');

    // On A4 paper: each sheet 595 × 842 pt, each with its footer; the goals and the approver on it.
    const pages = await pdfPages(await desk.pdf({ preferCSSPageSize: true }));
    expectA4(pages);
    for (const p of pages) expect(p.text).toContain(`In bởi ${NAMES.worker}`);
    // Spaces aside: a long name breaks across lines in a narrow signature's place.
    const all = pages.map((p) => p.text.replace(/\s/g, '')).join('');
    for (const words of [...GOALS, NAMES.manager]) expect(all).toContain(words.replace(/\s/g, ''));

    // The API's PDF and the whole file, passed on by the console as they came.
    const pdf = await desk.request.get(`${system.url}/app/cases/${id}/forms/plan?format=pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['content-disposition']).toContain(`${ref}-plan.pdf`);
    expectA4(await pdfPages(await pdf.body()));
    const zip = await desk.request.get(`${system.url}/app/cases/${id}/file?format=zip`);
    expect(zip.status()).toBe(200);
    expect(zip.headers()['content-type']).toBe('application/zip');
    expect(zip.headers()['content-disposition']).toContain('.zip');
    expect((await zip.body()).subarray(0, 2).toString()).toBe('PK');

    // What cannot be printed is said in the console's words: a step not reached, a case out of reach.
    await desk.emulateMedia({ media: 'screen' });
    const early = await desk.goto(`${system.url}/app/cases/${id}/forms/closure`);
    expect(early?.status()).toBe(409);
    expect(await desk.locator('h1').textContent()).toBe('Không in được biểu mẫu');
    const missing = await desk.goto(`${system.url}/app/cases/${randomUUID()}/forms/plan`);
    expect(missing?.status()).toBe(404);
    expect(await desk.locator('h1').textContent()).toBe('Không tìm thấy trường hợp');
    await desk.close();
  });

  it('marks every printed sheet of a restricted case MẬT', async () => {
    const created = await call('worker', 'POST', '/cases', abusedChild());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const page = await browser.newPage();
    await logIn(page, system.url, province.worker);
    await page.goto(`${system.url}/app/cases/${id}/forms/intake`);
    await fontsReady(page);
    expect(await page.locator('.secret').textContent()).toBe('MẬT');
    const pages = await pdfPages(await page.pdf({ preferCSSPageSize: true }));
    expectA4(pages);
    for (const p of pages) {
      expect(p.text).toContain('MẬT');
      expect(p.text).toContain(`In bởi ${NAMES.worker}`);
    }
    await page.close();
  });

  it('prints the A4 period report with who printed it on every sheet', async () => {
    const page = await browser.newPage();
    await logIn(page, system.url, province.manager);
    await page.goto(`${system.url}/app/reports/print`);
    const pages = await pdfPages(await page.pdf({ preferCSSPageSize: true }));
    expectA4(pages);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p.text).toMatch(new RegExp(`In bởi ${NAMES.manager} lúc \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d · Báo cáo kỳ`));
    // On screen, once, at its end.
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('footer.printed').textContent()).toContain(`In bởi ${NAMES.manager}`);
    await page.close();
  });

  it('serves the three fonts of the forms to anyone, and nothing else of the package', async () => {
    const font = await fetch(`${system.url}/app/fonts/DejaVuSerif-Bold.ttf`);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/ttf');
    expect(font.headers.get('cache-control')).toMatch(/max-age=\d{6,}/);
    expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    for (const other of ['DejaVuSans.ttf', '..%2Fpackage.json', 'DejaVuSerif-BoldItalic.ttf'])
      expect((await fetch(`${system.url}/app/fonts/${other}`)).status).toBe(404);
  });
});
