// Placements in a real browser (issue 28): a social worker on a 360-px phone records where a child
// of an emergency case sleeps tonight — the carers with room of the child's commune offered first,
// a full one not at all, a wrong date refused in Vietnamese at its field — and sees the days left of
// the temporary separation on the case page and on My work; the unit's supervisor finds on the
// escalations board a separation gone past its limit (a seconds policy). playwright-core driving
// Debian's Chromium against the whole system.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn } from '../support/browser';
import { eventually } from '../support/eventually';
import { abusedChild } from '../support/intakes';
import { secondsPolicy } from '../support/policies';
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
  // A province of its own: the seconds policy below must not reach other test files.
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });

/** Nothing on the page scrolls sideways. */
const fitsWidth = async (page: Page) => expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(page.viewportSize()!.width);

/** Vietnam's wall clock, as a datetime-local field shows it. */
const vietnamLocal = (at: Date) => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 16);

async function carer(name: string, patch: Record<string, unknown>) {
  const created = await call('manager', 'POST', '/carers', { kind: 'foster_family', name, capacity: 2, contact: { phone: '0912 000 111' }, ...patch });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; name: string };
}

async function emergencyCase() {
  const created = await call('worker', 'POST', '/cases', abusedChild());
  expect(created.status).toBe(201);
  expect(created.body.stage).toBe('emergency_response');
  return created.body as { id: string; ref: string };
}

async function placeByApi(caseId: string, carerId: string, kind: string) {
  const placed = await call('worker', 'POST', `/cases/${caseId}/placements`, {
    carerId,
    kind,
    startsAt: new Date().toISOString(),
    reason: 'Trẻ không an toàn ở nhà',
  });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body as { id: string };
}

describe('placements in Chromium', () => {
  it('lets a worker on a phone place a child with a carer of her commune, and a supervisor find a separation past its limit', async () => {
    const tag = randomUUID().slice(0, 4);
    // The child's commune is "Hoành Bồ" (abusedChild); the carer's is written the long way.
    const near = await carer(`Gia đình bà Ngô Thị Mai ${tag}`, { commune: 'Xã Hoành Bồ' });
    const far = await carer(`Nhà tạm lánh Cẩm Phả ${tag}`, { kind: 'shelter', commune: 'Cẩm Phả', capacity: 3 });
    // An "A" name sorts before the others: it is absent because it is full, not by its place in the list.
    const full = await carer(`Anh chị Đỗ Văn Bình ${tag}`, { commune: 'Hoành Bồ', capacity: 1 });
    await placeByApi((await emergencyCase()).id, full.id, 'foster_care');
    expect((await call('worker', 'GET', `/carers/${full.id}`)).body).toMatchObject({ available: false });

    const child = await emergencyCase();
    const phone = await browser.newPage({ viewport: PHONE });
    await logIn(phone, system.url, province.worker);
    await phone.goto(`${system.url}/app/cases/${child.id}`);
    const section = phone.locator('section#placement');
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('Nơi chăm sóc thay thế');
    expect(await section.textContent()).toContain('Hiện không ở nơi chăm sóc thay thế nào');
    // The free-text safety confirmation stays beside it.
    expect(await phone.locator('details > summary', { hasText: 'Xác nhận đã an toàn' }).count()).toBe(1);

    const field = (name: string) => phone.locator(`[id="${child.id}-place-${name}"]`);
    await section.locator('details > summary', { hasText: 'Ghi nơi chăm sóc thay thế' }).click();
    // Available carers only, those of the child's commune first, each with its free places.
    const offered = await field('carerId')
      .locator('option')
      .evaluateAll((options) => options.map((o) => ({ value: o.getAttribute('value') ?? '', text: o.textContent ?? '' })).filter((o) => o.value));
    expect(offered[0]).toMatchObject({ value: near.id });
    expect(offered[0]!.text).toContain('còn 2 chỗ');
    expect(offered.map((o) => o.value)).toContain(far.id);
    expect(offered.map((o) => o.value)).not.toContain(full.id);
    expect(await field('carerId').locator('optgroup').first().getAttribute('label')).toContain('Hoành Bồ');
    // Now, on Vietnam's clock, to begin with.
    expect(await field('startsAt').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);

    await field('carerId').selectOption(near.id);
    await field('kind').selectOption('temporary_separation');
    await field('decision-number').fill('12/QĐ-UBND');
    await field('decision-by').fill('Chủ tịch UBND xã Hoành Bồ');
    await field('decision-on').fill(vietnamLocal(new Date()).slice(0, 10));
    await field('reason').fill('Người gây hại vẫn đến nhà; trẻ cần được tạm thời cách ly');
    // A decision's end before the start: refused at its field, in Vietnamese, nothing recorded.
    await field('until').fill(vietnamLocal(new Date(Date.now() - 86_400_000)));
    await phone.getByRole('button', { name: 'Ghi nơi chăm sóc thay thế', exact: true }).click();
    await expect.poll(() => phone.locator(`[id="${child.id}-place-until-error"]`).textContent()).toContain('thời hạn phải sau lúc bắt đầu');
    expect(await phone.getByRole('alert').first().textContent()).toBeTruthy();
    expect(await section.textContent()).toContain('Hiện không ở nơi chăm sóc thay thế nào');
    // What was typed is kept; the end left out, the limit is the law's.
    expect(await field('carerId').inputValue()).toBe(near.id);
    await field('until').fill('');
    await phone.getByRole('button', { name: 'Ghi nơi chăm sóc thay thế', exact: true }).click();
    await expect.poll(() => phone.getByRole('status').textContent()).toContain('Đã ghi: Ghi nơi chăm sóc thay thế');

    const placed = (await section.textContent())!;
    expect(placed).toContain(near.name);
    expect(placed).toContain('Tạm thời cách ly khỏi người gây hại');
    expect(placed).toContain('12/QĐ-UBND');
    expect(await section.locator('[data-days-left]').textContent()).toContain('còn 15 ngày');
    // Now placed: moved, visited or ended, not placed again; extending is the managers'.
    expect(await section.locator('details > summary', { hasText: 'Ghi nơi chăm sóc thay thế' }).count()).toBe(0);
    for (const action of ['Chuyển nơi chăm sóc', 'Kết thúc chăm sóc thay thế', 'Ghi lần thăm nơi chăm sóc'])
      expect(await section.locator('details > summary', { hasText: action }).count(), action).toBe(1);
    expect(await section.locator('details > summary', { hasText: 'Gia hạn tạm thời cách ly' }).count()).toBe(0);
    await fitsWidth(phone);
    await shoot(phone, 'placement-360.png');

    // My work: where the worker's children are tonight, with the days left; and the case, wherever
    // it is listed, carries the same badge.
    await phone.getByRole('link', { name: 'Việc của tôi' }).click();
    await phone.waitForURL(`${system.url}/app`);
    const tonight = phone.locator('#placed + ul.items > li', { hasText: child.ref });
    expect(await tonight.textContent()).toContain(near.name);
    expect(await tonight.locator('.badge.placed').textContent()).toContain('Tạm thời cách ly · còn 15 ngày');
    const due = phone.locator('#overdue ~ ul.items > li, #today ~ ul.items > li', { hasText: child.ref }).first();
    expect(await due.locator('.badge.placed').textContent()).toContain('còn 15 ngày');
    await fitsWidth(phone);
    await phone.close();

    // Another child, placed by API under a limit of seconds, goes past it.
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('separation_limit', { due: 'PT4S', warning: 'PT2S', supervisorGrace: 'PT0S', managerGrace: 'PT0S' }),
      comment: 'Tạm thời cách ly theo giây',
    });
    expect(draft.status).toBe(201);
    expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);
    const late = await emergencyCase();
    await placeByApi(late.id, far.id, 'temporary_separation');
    const overdue = await eventually(
      async () => (await call('supervisor', 'GET', '/placements?status=overdue')).body.items as Array<{ caseId: string }>,
      (items) => items.some((p) => p.caseId === late.id),
    );
    expect(overdue.map((p) => p.caseId)).toContain(late.id);

    const board = await browser.newPage({ viewport: PHONE });
    await logIn(board, system.url, province.supervisor);
    await board.getByRole('link', { name: 'Cảnh báo quá hạn' }).click();
    await board.waitForURL(/\/app\/escalations$/);
    const row = board.locator('#placements-overdue li', { hasText: late.ref });
    const words = (await row.textContent())!;
    expect(words).toContain(far.name);
    expect(words).toContain('quá hạn');
    expect(await row.locator('.badge.placed').getAttribute('data-placement')).toBe('overdue');
    // The first child, within its limit, is not there.
    expect(await board.locator('#placements-overdue').textContent()).not.toContain(child.ref);
    await fitsWidth(board);
    await row.getByRole('link', { name: late.ref }).click();
    await board.waitForURL(new RegExp(`/app/cases/${late.id}$`));
    await expect.poll(() => board.locator('section#placement [role="alert"]').textContent()).toContain('Tạm thời cách ly đã quá thời hạn');
    await board.close();
  });
});
