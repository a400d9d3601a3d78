// AUTH_SECRET rotated, over HTTP: an API started with AUTH_SECRET=new and AUTH_SECRET_PREVIOUS=old
// still takes a session signed with the old secret (bearer and console cookie) and opens a partner's
// link the old secret made, shows staff that same link, and refuses what a third secret made; the
// same API without AUTH_SECRET_PREVIOUS refuses the old session (401) and the old link (404). A
// link re-issued under the new secret opens on both. The test system's worker makes links with the
// run's secret: it stands for the system before the rotation.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server';
import { replaceReferralLink } from '../../db/referrals';
import { issueSessionToken } from '../../security/session-tokens';
import { referralLinks } from '../../security/referral-links';
import { staffId } from '../support/cases';
import { lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

const OLD = inject('authSecret');
const NEW = randomBytes(32).toString('base64url');
const ELSE = randomBytes(32).toString('base64url');
const PUBLIC = 'http://127.0.0.1:3999';

let rotated: TestSystem;
let withoutPrevious: RunningApi;
let province: TestProvince;

beforeAll(async () => {
  rotated = await startTestSystem({ authSecret: { current: NEW, previous: OLD }, referralLinks: referralLinks({ current: NEW, previous: OLD }, PUBLIC) });
  withoutPrevious = await startApi({ ...rotated.deps, authSecret: NEW, referralLinks: referralLinks(NEW, PUBLIC) }, { port: 0, host: '127.0.0.1' });
  province = await freshProvince(rotated.sql);
});

afterAll(async () => {
  await withoutPrevious?.close();
  await rotated?.close();
});

async function call(base: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const sessionUnder = async (secret: string, username: string) => (await issueSessionToken(await staffId(rotated.sql, username), secret, 60)).token;
const linkUnder = (secret: string, referralId: string) => `/r/${createHmac('sha256', secret).update(`referral-link:${referralId}`).digest('base64url')}`;

describe('sessions after AUTH_SECRET changed', () => {
  it('are taken when signed with the current or the previous secret, and refused without AUTH_SECRET_PREVIOUS or under another secret', async () => {
    const old = await sessionUnder(OLD, province.worker);
    const current = await sessionUnder(NEW, province.worker);
    const other = await sessionUnder(ELSE, province.worker);

    expect((await call(rotated.url, 'GET', '/me', { token: old })).status).toBe(200);
    expect((await call(rotated.url, 'GET', '/me', { token: current })).status).toBe(200);
    expect((await call(rotated.url, 'GET', '/me', { token: other })).status).toBe(401);
    // A login now is signed with the new secret only.
    const login = await call(rotated.url, 'POST', '/auth/login', {
      body: { username: province.worker, password: 'demo' },
      headers: { 'x-forwarded-for': '198.51.100.31' },
    });
    expect(login.status).toBe(200);
    expect((await call(withoutPrevious.url, 'GET', '/me', { token: login.body.token })).status).toBe(200);

    // The console's cookie is the same session.
    expect((await call(rotated.url, 'GET', '/app', { headers: { cookie: `cf_session=${old}`, accept: 'text/html' } })).status).toBe(200);
    const away = await call(withoutPrevious.url, 'GET', '/app', { headers: { cookie: `cf_session=${old}`, accept: 'text/html' } });
    expect(away.status).toBe(303);
    expect(away.headers.get('location')).toMatch(/^\/app\/login/);

    const refused = await call(withoutPrevious.url, 'GET', '/me', { token: old });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    expect((await call(withoutPrevious.url, 'GET', '/me', { token: current })).status).toBe(200);
  });
});

describe("partners' links after AUTH_SECRET changed", () => {
  it('open when the previous secret made them, are shown to staff as made, and open nothing under another secret or once the previous one is dropped', async () => {
    const manager = await sessionUnder(NEW, province.manager);
    const worker = await sessionUnder(OLD, province.worker);
    const partner = await call(rotated.url, 'POST', '/partners', {
      token: manager,
      body: { name: 'Bệnh viện Bãi Cháy', kind: 'health', services: ['khám sức khoẻ'], contact: { phone: '0203 3846 543' } },
    });
    expect(partner.status).toBe(201);
    const created = await call(rotated.url, 'POST', '/cases', { token: worker, body: { ...lonelyOlderMan(), channel: 'hotline' } });
    expect(created.status).toBe(201);
    const sent = await call(rotated.url, 'POST', `/cases/${created.body.id}/referrals`, {
      token: worker,
      body: {
        partnerId: partner.body.id,
        service: 'khám sức khoẻ',
        reason: 'Cụ cần khám sức khoẻ định kỳ',
        consent: { givenBy: 'Cụ ông (người được trợ giúp)', scope: ['client.age'] },
      },
    });
    expect(sent.status).toBe(201);
    const id: string = sent.body.id;
    const oldLink = linkUnder(OLD, id);
    // The worker made the link with the old secret: staff are shown that one, the one the partner has.
    expect(new URL(sent.body.partnerUrl).pathname).toBe(oldLink);
    const listed = await call(rotated.url, 'GET', `/cases/${created.body.id}/referrals`, { token: worker });
    expect(new URL(listed.body.items[0].partnerUrl).pathname).toBe(oldLink);

    const opened = await call(rotated.url, 'GET', oldLink);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ ref: created.body.ref, status: 'sent' });
    expect((await call(rotated.url, 'GET', linkUnder(ELSE, id))).status).toBe(404);
    expect((await call(rotated.url, 'POST', linkUnder(ELSE, id), { body: { action: 'accept' } })).status).toBe(404);
    // Without AUTH_SECRET_PREVIOUS the old link opens nothing, though its hash is still stored.
    expect((await call(withoutPrevious.url, 'GET', oldLink)).status).toBe(404);

    // Re-issued under the new secret: staff see the new link, which opens with or without the previous secret; the old one no longer does.
    const links = referralLinks(NEW, PUBLIC);
    expect(await replaceReferralLink(rotated.sql, id, links.hashOf(oldLink.slice(3)), links.hashOf(links.tokenFor(id)))).toBe(true);
    const newLink = linkUnder(NEW, id);
    expect(new URL((await call(rotated.url, 'GET', `/cases/${created.body.id}/referrals`, { token: worker })).body.items[0].partnerUrl).pathname).toBe(newLink);
    expect((await call(withoutPrevious.url, 'GET', newLink)).status).toBe(200);
    expect((await call(rotated.url, 'POST', newLink, { body: { action: 'accept' } })).body).toMatchObject({ status: 'accepted', changed: true });
    expect((await call(rotated.url, 'GET', oldLink)).status).toBe(404);
  });
});
