// Stored XSS (issue 32): clients, cases, notes, partners, a rules draft, programmes, carers and a
// call are written through the API with text that would run if any page let it — a script tag,
// an attribute break-out into an <img onerror>, a `javascript:` URL, a template expression, a
// spreadsheet formula, an <svg onload> — and every page of the console that shows them, the
// partner's page and a printable form are opened in Chromium. Any dialog, script error, console
// error (a Content-Security-Policy violation is one) or request to where a payload points fails the
// test; each page shows the payloads as text, carries no inline script, no inline handler and no
// `javascript:` link, and answers with the Content-Security-Policy and its companion headers.
// The downloads of a report keep the formula as text. playwright-core driving Debian's Chromium
// against the whole system.
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_HEADER } from '../../api/headers';
import { launchChromium, logIn } from '../support/browser';
import { benefitCall } from '../support/contacts';
import { intake } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  "{{constructor.constructor('alert(1)')()}}",
  '=HYPERLINK("http://evil","x")',
  '<svg onload=alert(1)>',
];
const FORMULA = PAYLOADS[4]!;

let system: TestSystem;
let browser: Browser;
let province: TestProvince;
const tokens: Record<string, string> = {};
const call = async (who: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const res = await system.call(method, path, { token: tokens[who], body, headers });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
};
const daysAgo = (n: number) => new Date(Date.now() + 7 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);

/** What was written with each payload, by index. */
const made: Array<{ caseId: string; clientId: string; partnerUrl: string; programmeId: string; carerId: string; contactId: string }> = [];
let draftVersion: number;

beforeAll(async () => {
  browser = await launchChromium();
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker', 'admin'] as const) tokens[who] = await system.login(province[who]);
  const [staff] = await system.sql<{ id: string; unit_id: string }[]>`select id, unit_id from staff where username = ${province.worker}`;

  for (const [i, p] of PAYLOADS.entries()) {
    const partner = await call('admin', 'POST', '/partners', { name: p, kind: 'health', services: [p, 'khám sức khoẻ'], contact: {} });
    const opened = await call(
      'worker',
      'POST',
      '/cases',
      intake({
        reporter: { name: p },
        client: { fullName: p, age: 30 + i, gender: 'female', location: { province: 'Quảng Ninh', commune: p } },
        summary: `${p} — ${p}`,
      }),
    );
    await call('worker', 'POST', `/cases/${opened.id}/notes`, { text: p });
    const referral = await call('worker', 'POST', `/cases/${opened.id}/referrals`, {
      partnerId: partner.id,
      service: p,
      reason: p,
      consent: { givenBy: p, scope: ['client.fullName', 'client.location', 'categories'] },
    });
    const programme = await call('manager', 'POST', '/programmes', {
      name: p,
      kind: 'club',
      unitId: staff!.unit_id,
      facilitators: [staff!.id],
      capacity: 15,
      startsOn: daysAgo(30),
      schedule: { weekday: 'saturday', time: '08:00' },
    });
    await call('worker', 'POST', `/programmes/${programme.id}/enrolments`, {
      clientId: opened.clientId,
      caseId: opened.id,
      enrolledOn: daysAgo(7),
      consent: { givenBy: p },
    });
    const carer = await call('manager', 'POST', '/carers', { kind: 'foster_family', name: p, commune: p, capacity: 2, contact: { phone: '0912 333 444' } });
    const contact = await call('worker', 'POST', '/contacts', benefitCall({ caller: { anonymous: false, fullName: p, relation: 'self' }, summary: p }), {
      'Idempotency-Key': `xss-${province.code}-${i}`,
    });
    made.push({
      caseId: opened.id,
      clientId: opened.clientId,
      partnerUrl: referral.partnerUrl,
      programmeId: programme.id,
      carerId: carer.id,
      contactId: contact.id,
    });
  }
  // What a supervisor or manager reads before deciding: an assessment and a plan in the payloads' words.
  await call('worker', 'POST', `/cases/${made[0]!.caseId}/assessment`, { summary: PAYLOADS.join(' '), needs: ['health'] });
  await call('worker', 'POST', `/cases/${made[0]!.caseId}/plan`, { goals: PAYLOADS, interventions: [] });
  // A rules draft: rule names are snake_case keys (refused otherwise), so the words a person writes
  // there — each rule's note, the draft's comment — carry the payloads.
  const document = (await call('manager', 'GET', '/rules')).published.document;
  PAYLOADS.forEach((p, i) => (document.rules[i].note = { vi: p, en: p }));
  draftVersion = (await call('manager', 'POST', '/rules/drafts', { document, comment: PAYLOADS.join(' ') })).version;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** A page that fails the test on any dialog, script error, console error or request to a payload's target. */
async function guarded(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/x') || url.hostname === 'evil') problems.push(`request to ${request.url()}`);
  });
  return { page, problems };
}

async function browse(who?: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // A violation of the policy is reported to the page as an event: said as a console error, so it fails the test.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' ' + e.sample));`);
  const guard = await guarded(context);
  if (who) await logIn(guard.page, system.url, who);
  return guard;
}

/** Opens a page: its headers, no script of its own making, the payloads shown as text, nothing run. */
async function visit(g: { page: Page; problems: string[] }, path: string, shows: readonly string[] = []) {
  const res = await g.page.goto(`${system.url}${path}`);
  expect(res?.status(), path).toBe(200);
  const headers = res!.headers();
  expect(headers['content-security-policy'], path).toBe(CSP_HEADER);
  expect(headers['x-content-type-options'], path).toBe('nosniff');
  expect(headers['referrer-policy'], path).toBe('no-referrer');
  expect(headers['x-frame-options'], path).toBe('DENY');
  await g.page.waitForLoadState('load');
  // What ran or was stopped first: it says more than a text gone missing.
  expect(g.problems, path).toEqual([]);
  expect(await g.page.locator('script:not([src])').count(), `${path}: inline script`).toBe(0);
  expect(await g.page.locator('a[href^="javascript:" i]').count(), `${path}: javascript: link`).toBe(0);
  const handlers = await g.page.evaluate(`[...document.querySelectorAll('*')].flatMap((el) =>
    [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => el.tagName + ' ' + a.name))`);
  expect(handlers, `${path}: inline handlers`).toEqual([]);
  const text = await g.page.locator('body').innerText();
  for (const p of shows) expect(text, `${path} shows ${p}`).toContain(p);
  expect(g.problems, path).toEqual([]);
}

describe('stored XSS in Chromium', () => {
  it('shows a social worker every payload as text on the case, client, programme, carer, call and form pages', async () => {
    const g = await browse(province.worker);
    await visit(g, '/app');
    for (const [i, p] of PAYLOADS.entries()) {
      const m = made[i]!;
      await visit(g, `/app/cases/${m.caseId}`, [p, `${p} — ${p}`]);
      await visit(g, `/app/cases/${m.caseId}/forms/intake`, [p]);
      await visit(g, `/app/clients?name=${encodeURIComponent(p)}`, [p]);
      await visit(g, `/app/clients/${m.clientId}`, [p]);
      await visit(g, `/app/programmes/${m.programmeId}`, [p]);
      await visit(g, `/app/carers/${m.carerId}`, [p]);
      await visit(g, `/app/contacts/${m.contactId}`, [p]);
    }
    // The API's own printable form (what the console wraps): every text escaped, under the same policy.
    const form = await fetch(`${system.url}/cases/${made[0]!.caseId}/forms/intake?format=html`, { headers: { authorization: `Bearer ${tokens.worker}` } });
    expect(form.status).toBe(200);
    expect(form.headers.get('content-security-policy')).toBe(CSP_HEADER);
    const printed = await form.text();
    expect(printed).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(printed).not.toMatch(/<script|<img|<svg/i);
    await visit(g, '/app/programmes', PAYLOADS);
    await visit(g, '/app/carers', PAYLOADS);
    await visit(g, '/app/contacts');
    await visit(g, '/app/hotline');
    // The intake's live check puts the server's fragment into the page (console.js): the person
    // found by name comes back as text there too.
    await visit(g, '/app/intake');
    await g.page.getByLabel('Họ và tên').fill(PAYLOADS[5]!);
    await expect.poll(() => g.page.locator('#check').innerText(), { timeout: 10_000 }).toContain(PAYLOADS[5]!);
    expect(await g.page.locator('#check svg, #check img, #check script').count()).toBe(0);
    expect(g.problems).toEqual([]);
  });

  it('shows a manager the payloads as text in approvals, the rules draft and its simulation, and the reports', async () => {
    const g = await browse(province.manager);
    await visit(g, '/app');
    await visit(g, '/app/approvals', [PAYLOADS[0]!]);
    await visit(g, `/app/rules?v=${draftVersion}`, PAYLOADS);
    const typed = JSON.parse(await g.page.locator('#document').inputValue()) as { rules: Array<{ note: { vi: string } }> };
    expect(typed.rules.slice(0, PAYLOADS.length).map((r) => r.note.vi)).toEqual(PAYLOADS);
    await g.page.getByRole('button', { name: 'Mô phỏng' }).click();
    await g.page.waitForLoadState('load');
    await expect.poll(() => g.page.locator('#result').innerText()).toContain('Mô phỏng trên các báo cáo mẫu');
    expect(g.problems).toEqual([]);
    const period = `from=${daysAgo(60)}&to=${daysAgo(0)}`;
    for (const p of PAYLOADS) {
      await visit(g, `/app/reports?${period}&commune=${encodeURIComponent(p)}`);
      expect(await g.page.locator('input[name="commune"]').inputValue()).toBe(p);
      await visit(g, `/app/reports/print?${period}&commune=${encodeURIComponent(p)}`, [p]);
    }
    await visit(g, `/app/reports?${period}`);
    await visit(g, '/app/programmes', PAYLOADS);

    // The downloads: a programme named as a formula is that text, behind an apostrophe.
    const csv = await g.page.request.get(`${system.url}/app/reports/download?${period}&kind=programmes&by=programme&format=csv`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toContain(`"'${FORMULA.replace(/"/g, '""')}"`);
    expect(text).not.toMatch(/(^|,)"[=+@]/m);
    const xlsx = await g.page.request.get(`${system.url}/app/reports/download?${period}&kind=programmes&by=programme&format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.body()).buffer as ArrayBuffer);
    const cells: unknown[] = [];
    book.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
    expect(cells).toContain(`'${FORMULA}`);
    expect(cells.filter((v) => typeof v === 'string' && /^[=+\-@]/.test(v))).toEqual([]);
    expect(g.problems).toEqual([]);
  });

  it('shows an administrator the partners named with payloads as text in the directory', async () => {
    const g = await browse(province.admin);
    await visit(g, '/app/directory', PAYLOADS);
    // The change forms start from the stored names: as values, not markup.
    for (const p of PAYLOADS) expect(await g.page.locator(`input[type="text"][value="${p.replace(/"/g, '\\"')}"]`).count()).toBeGreaterThan(0);
  });

  it('shows a partner the payloads as text on its page, whose answer works under the policy', async () => {
    const g = await browse();
    // The pages anyone may open carry the same headers.
    await visit(g, '/app/login');
    await visit(g, '/app/offline');
    for (const [i, p] of PAYLOADS.entries()) await visit(g, new URL(made[i]!.partnerUrl).pathname, [p]);
    // The answer is sent by the page's script (a file now, not inline): accepting reloads the page as accepted.
    await g.page.getByRole('button', { name: /Nhận/ }).click();
    await expect.poll(() => g.page.locator('dl').first().innerText(), { timeout: 15_000 }).toContain('Đã nhận');
    expect(g.problems).toEqual([]);
    // The script itself: ours, as JavaScript, under the same headers.
    const script = await g.page.request.get(`${system.url}/r/answer.js`);
    expect(script.headers()['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers()['x-content-type-options']).toBe('nosniff');
  });
});
