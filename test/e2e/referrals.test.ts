// Referrals to partner agencies through the HTTP API alone, against the Temporal dev server and
// PostgreSQL: the partner registry, the round trip through the partner's link, the refusals a
// link gives, and (under a deadline policy of seconds) an unanswered referral climbing the ladder
// and expiring while others in the same case keep their own clocks.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { secondsPolicy } from '../support/policies';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
let hospital: { id: string };

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'manager2', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
  const created = await call('manager', 'POST', '/partners', {
    name: 'Bệnh viện Bãi Cháy',
    kind: 'health',
    services: ['khám sức khoẻ', 'tâm lý'],
    contact: { email: 'ctxh@bvbaichay.example.vn', phone: '0203 3846 543' },
    webhook: { url: 'http://127.0.0.1:9/hooks', secret: 'a-secret-of-enough-length' },
  });
  expect(created.status).toBe(201);
  hospital = created.body;
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
/** The partner's side: no account, only the link. */
const link = (url: string, method = 'GET', body?: unknown, accept = 'application/json') =>
  system.call(method, new URL(url).pathname, { body, headers: { accept } });

const referTo = (partnerId: string, extra: Record<string, unknown> = {}) => ({
  partnerId,
  service: 'khám sức khoẻ',
  reason: 'Cụ cần khám sức khoẻ định kỳ',
  consent: { givenBy: 'Cụ ông (người được trợ giúp)', scope: ['client.age', 'categories'] },
  ...extra,
});

async function newCase(): Promise<{ id: string; ref: string }> {
  const created = await call('worker', 'POST', '/cases', { ...lonelyOlderMan(), channel: 'hotline' });
  expect(created.status).toBe(201);
  return created.body;
}

describe('partner agencies', () => {
  it('are registered by managers, read by everyone in the province, and never show a webhook secret', async () => {
    expect(hospital).toMatchObject({ kind: 'health', province: province.code, webhook: { url: 'http://127.0.0.1:9/hooks' }, active: true });
    expect(JSON.stringify(hospital)).not.toContain('a-secret-of-enough-length');
    const listed = await call('worker', 'GET', '/partners');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([hospital.id]);
    expect(JSON.stringify(listed.body)).not.toContain('secret-of');
    expect((await call('worker', 'POST', '/partners', { name: 'x', kind: 'other', services: ['x'], contact: {} })).status).toBe(403);

    // No request can make the product call a host the operator did not allow.
    const elsewhere = await call('manager', 'POST', '/partners', {
      name: 'Công an phường',
      kind: 'police',
      services: ['bảo vệ'],
      contact: {},
      webhook: { url: 'http://169.254.169.254/latest', secret: 'another-long-secret' },
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.details[0].path).toBe('webhook.url');
    const badKind = await call('manager', 'POST', '/partners', { name: 'x', kind: 'hospital', services: ['x'], contact: {} });
    expect(badKind.status).toBe(422);
    expect(badKind.body.error.details[0].path).toBe('kind');

    const patched = await call('manager', 'PATCH', `/partners/${hospital.id}`, { communes: ['Bãi Cháy', 'Hạ Long'] });
    expect(patched.body.communes).toEqual(['Bãi Cháy', 'Hạ Long']);
    expect((await call('manager', 'PATCH', `/partners/${crypto.randomUUID()}`, { active: false })).status).toBe(404);
  });
});

describe('a referral', () => {
  it('goes out with consent, is accepted and completed through the partner’s link, and holds closure while unanswered', async () => {
    const c = await newCase();
    expect(c.ref).toMatch(new RegExp(`^${province.code.toUpperCase()}-20\\d\\d-\\d{6}$`));

    const sent = await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(hospital.id));
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      status: 'sent',
      caseRef: c.ref,
      partner: { id: hospital.id, name: 'Bệnh viện Bãi Cháy' },
      deadline: { step: 'referral_response' },
    });
    expect(sent.body.respondBy).toBe(sent.body.deadline.dueAt);
    const url: string = sent.body.partnerUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3999\/r\/[A-Za-z0-9_-]{43}$/);

    // R3: the case does not close while the partner has not answered.
    await call('worker', 'POST', `/cases/${c.id}/assessment`, { summary: 'Cụ sống một mình', needs: ['health'] });
    await call('worker', 'POST', `/cases/${c.id}/plan`, { goals: ['Sức khoẻ'], interventions: [] });
    expect((await call('manager', 'POST', `/cases/${c.id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' })).body.stage).toBe('implementation');
    const early = await call('worker', 'POST', `/cases/${c.id}/closure`, { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Xong', outcome: 'Ổn' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('open_referrals');

    // R1: the partner sees what was consented to, and nothing else.
    const seen = await link(url);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ ref: c.ref, status: 'sent', actions: ['accept', 'decline'] });
    expect(Object.keys(seen.body.sharedData).sort()).toEqual(['categories', 'client']);
    expect(Object.keys(seen.body.sharedData.client)).toEqual(['age']);
    const page = await fetch(`${system.url}${new URL(url).pathname}`);
    const text = await page.text();
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(text).toContain(c.ref);
    expect(text).toContain('Nhận');
    // Codes in words: the categories by their Vietnamese and English labels.
    expect(text).toContain('Người cao tuổi neo đơn');
    expect(text).toContain('Older person living alone');
    const intake = (await call('worker', 'GET', `/cases/${c.id}`)).body.intake;
    expect(text).not.toContain(intake.client.fullName);

    const accepted = await link(url, 'POST', { action: 'accept' });
    expect(accepted.body).toMatchObject({ status: 'accepted', changed: true });
    const again = await link(url, 'POST', { action: 'accept' });
    expect(again).toMatchObject({ status: 200, body: { status: 'accepted', changed: false } });
    const lateDecline = await link(url, 'POST', { action: 'decline', reason: 'Hết giường' });
    expect(lateDecline.status).toBe(409);
    expect((await link(url, 'POST', { action: 'complete' })).body.error.details[0].path).toBe('outcome');
    const done = await link(url, 'POST', { action: 'complete', outcome: 'Đã khám, sức khoẻ ổn định' });
    expect(done.body).toMatchObject({ status: 'completed', changed: true, referral: { actions: [] } });
    expect((await link(url, 'POST', { action: 'complete', outcome: 'lần nữa' })).body).toMatchObject({ status: 'completed', changed: false });

    // Ended: the link opens nothing more.
    expect((await link(url)).status).toBe(410);
    expect((await link(url, 'POST', { action: 'accept' })).status).toBe(410);
    expect((await fetch(`${system.url}${new URL(url).pathname}`)).status).toBe(410);

    const listed = await call('worker', 'GET', `/cases/${c.id}/referrals`);
    expect(listed.body.items).toMatchObject([{ id: sent.body.id, status: 'completed', outcome: 'Đã khám, sức khoẻ ổn định', deadline: null }]);
    const kinds = (await call('worker', 'GET', `/cases/${c.id}/timeline`)).body.items.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k.startsWith('referral.'))).toEqual(['referral.sent', 'referral.accepted', 'referral.completed']);
    const notices = (await call('worker', 'GET', '/me/notifications')).body.items.filter((n: { caseId: string }) => n.caseId === c.id);
    expect(notices.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['referral.accepted', 'referral.completed']));
    expect(
      (await call('worker', 'POST', `/cases/${c.id}/closure`, { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Xong', outcome: 'Ổn' })).body.stage,
    ).toBe('closure_review');
  });

  it('refuses a forged, malformed or ended link, and bad requests name their field', async () => {
    const c = await newCase();
    const forged = `/r/${randomBytes(32).toString('base64url')}`;
    expect((await system.call('GET', forged, { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await system.call('POST', forged, { body: { action: 'accept' } })).status).toBe(404);
    expect((await system.call('GET', '/r/not-a-token', { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await fetch(`${system.url}/r/not-a-token`)).status).toBe(404);

    const draft = await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(hospital.id, { draft: true }));
    expect(draft.body).toMatchObject({ status: 'draft', partnerUrl: null, deadline: null });
    const sent = await call('worker', 'POST', `/cases/${c.id}/referrals/${draft.body.id}/send`, {});
    expect(sent.body).toMatchObject({ status: 'sent', deadline: { step: 'referral_response' } });
    expect((await call('worker', 'POST', `/cases/${c.id}/referrals/${draft.body.id}/send`, {})).status).toBe(409);
    const revoked = await call('worker', 'POST', `/cases/${c.id}/referrals/${draft.body.id}/revoke`, { reason: 'Gia đình tự đưa đi khám' });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokeReason: 'Gia đình tự đưa đi khám' });
    expect((await link(sent.body.partnerUrl)).status).toBe(410);
    expect((await link(sent.body.partnerUrl, 'POST', { action: 'accept' })).status).toBe(410);

    const scope = await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(hospital.id, { consent: { givenBy: 'x', scope: ['client.address'] } }));
    expect(scope.status).toBe(422);
    expect(scope.body.error.details[0].path).toBe('consent.scope[0]');
    const service = await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(hospital.id, { service: 'phẫu thuật' }));
    expect(service.status).toBe(409);
    expect(service.body.error.details[0].path).toBe('service');
    const unknown = await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(crypto.randomUUID()));
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.code).toBe('unknown_reference');
    expect((await call('worker', 'POST', `/cases/${c.id}/referrals/${crypto.randomUUID()}/revoke`, { reason: 'x' })).status).toBe(404);
  });
});

describe('suggested referrals', () => {
  it('show the partners the routing suggests for the case’s commune, and become drafts once each', async () => {
    const police = (
      await call('manager', 'POST', '/partners', { name: 'Công an tỉnh', kind: 'police', services: ['bảo vệ', 'điều tra'], contact: { phone: '113' } })
    ).body;
    const created = await call('worker', 'POST', '/cases', abusedChild());
    const id = created.body.id;
    const listed = (await call('worker', 'GET', `/cases/${id}/referrals`)).body;
    expect(listed.items).toEqual([]);
    const byKind = Object.fromEntries(listed.suggested.map((s: { kind: string }) => [s.kind, s]));
    expect(byKind.police).toMatchObject({ rules: expect.arrayContaining(['sexual_abuse']), partners: [{ id: police.id, name: 'Công an tỉnh' }] });
    // The hospital serves Bãi Cháy and Hạ Long, not the child's commune.
    expect(byKind.health).toMatchObject({ partners: [] });

    const body = { reason: 'Theo gợi ý của quy tắc phân luồng', consent: { givenBy: 'Mẹ của em', scope: ['client.age', 'concerns'] } };
    const drafted = await call('worker', 'POST', `/cases/${id}/referrals/suggested`, body);
    expect(drafted.status).toBe(200);
    expect(drafted.body.items).toMatchObject([{ status: 'draft', partner: { id: police.id }, service: 'bảo vệ', partnerUrl: null }]);
    expect(drafted.body.skipped).toEqual(expect.arrayContaining([{ kind: 'health', reason: 'no_partner' }]));
    const again = await call('worker', 'POST', `/cases/${id}/referrals/suggested`, body);
    expect(again.body.items).toEqual([]);
    expect(again.body.skipped).toEqual(expect.arrayContaining([{ kind: 'police', reason: 'already_referred' }]));
    expect((await call('worker', 'GET', `/cases/${id}/referrals`)).body.items).toHaveLength(1);
  });
});

describe('unanswered referrals', () => {
  it('climb the ladder once per level and expire, each on its own clock, while an answered one stops its own', async () => {
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('referral_response', { due: 'PT3S', supervisorGrace: 'PT2S', managerGrace: 'PT5S' }),
      comment: 'Chuyển gửi theo giây',
    });
    expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);
    const c = await newCase();
    const first = (await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(hospital.id))).body;
    const answered = (await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(hospital.id))).body;
    expect((await link(answered.partnerUrl, 'POST', { action: 'accept' })).body.status).toBe('accepted');
    await new Promise((r) => setTimeout(r, 2_500));
    const later = (await call('worker', 'POST', `/cases/${c.id}/referrals`, referTo(hospital.id))).body;
    expect(Date.parse(later.respondBy) - Date.parse(first.respondBy)).toBeGreaterThanOrEqual(2_000);

    const statusOf = async () =>
      Object.fromEntries((await call('worker', 'GET', `/cases/${c.id}/referrals`)).body.items.map((r: { id: string; status: string }) => [r.id, r.status]));
    const whenFirstExpired = await eventually(statusOf, (s) => s[first.id] === 'expired', 20_000);
    expect(whenFirstExpired[first.id]).toBe('expired');
    // Its own clock: the one sent later has not reached its managers' step yet.
    expect(whenFirstExpired[later.id]).toBe('sent');
    const whenLaterExpired = await eventually(statusOf, (s) => s[later.id] === 'expired', 20_000);
    expect(whenLaterExpired).toEqual({ [first.id]: 'expired', [answered.id]: 'accepted', [later.id]: 'expired' });
    expect((await link(first.partnerUrl)).status).toBe(410);

    // Once per level, per referral: reminder to the worker, then the supervisor, then both managers.
    const mine = async (who: string) =>
      (await call(who, 'GET', '/me/notifications')).body.items.filter((n: { caseId: string }) => n.caseId === c.id).map((n: { kind: string }) => n.kind);
    const count = (kinds: string[], kind: string) => kinds.filter((k) => k === kind).length;
    const worker = await mine('worker');
    expect(count(worker, 'deadline.reminder')).toBe(2);
    expect(count(worker, 'referral.expired')).toBe(2);
    const supervisor = await mine('supervisor');
    expect(count(supervisor, 'deadline.supervisor')).toBe(2);
    expect(count(supervisor, 'referral.expired')).toBe(2);
    for (const manager of ['manager', 'manager2']) expect(count(await mine(manager), 'deadline.manager')).toBe(2);
    const escalations = (await call('manager', 'GET', `/escalations?caseId=${c.id}`)).body.items;
    expect(escalations.map((e: { deadlineKey: string; level: string }) => `${e.deadlineKey}:${e.level}`).sort()).toEqual(
      [`referral:${first.id}:manager`, `referral:${first.id}:supervisor`, `referral:${later.id}:manager`, `referral:${later.id}:supervisor`].sort(),
    );
    const kinds = (await call('worker', 'GET', `/cases/${c.id}/timeline`)).body.items.map((e: { kind: string }) => e.kind);
    expect(count(kinds, 'referral.expired')).toBe(2);
  }, 60_000);
});
