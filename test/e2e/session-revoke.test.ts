// Ending a person's sessions (issue 30): POST /staff/{id}/sessions/revoke, administrators of the
// person's province only. Every session token issued up to the revoke stops at once, as a bearer
// token and as the console's cookie; a login right after it (the same second, even) works; API
// tokens are not sessions and keep working.
import { randomUUID } from 'node:crypto';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalForStaff, revokeSessions } from '../../db/directory';
import { DEMO_PASSWORD } from '../../system/demo-directory';
import { checkSessionToken, issueSessionToken } from '../../security/session-tokens';
import { consoleSession } from '../support/console-session';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
let elsewhere: TestProvince;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem();
  [province, elsewhere] = [await freshProvince(system.sql), await freshProvince(system.sql)];
  const [unit] = await system.sql<{ unit_id: string }[]>`select unit_id from staff where username = ${province.worker}`;
  await system.sql`
    insert into staff (id, province, username, display_name, role, unit_id, password_hash)
    select ${randomUUID()}, ${province.code}, ${`ctv.${province.code}`}, 'Cộng tác viên thôn 3', 'collaborator', ${unit!.unit_id}, password_hash
    from staff where username = 'worker1'`;
  for (const [who, username] of Object.entries({ ...province, collaborator: `ctv.${province.code}`, farWorker: elsewhere.worker, farAdmin: elsewhere.admin })) {
    if (who === 'code') continue;
    ids[who] = (await system.sql<{ id: string }[]>`select id from staff where username = ${username}`)[0]!.id;
    tokens[who] = await login(username);
  }
});

afterAll(async () => {
  await system?.close();
});

/** A fresh login (system.login keeps one token per person: these tests need new ones). */
async function login(username: string): Promise<string> {
  const res = await system.call('POST', '/auth/login', { body: { username, password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '198.51.100.30' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.token;
}

const revoke = (by: string, staffId: string) => system.call('POST', `/staff/${staffId}/sessions/revoke`, { token: tokens[by] });
const me = (token: string) => system.call('GET', '/me', { token });
/** A console page with a session cookie: 200, or 303 to the login page. */
async function page(cookie: string) {
  const res = await fetch(`${system.url}/app`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location') };
}

describe('POST /staff/{id}/sessions/revoke', () => {
  it('ends a collaborator’s bearer token and console cookie at once; logging in again works at once', async () => {
    const username = `ctv.${province.code}`;
    const bearer = await login(username);
    const browser = await consoleSession(system.url, username);
    expect((await me(bearer)).status).toBe(200);
    expect((await page(browser.cookie)).status).toBe(200);

    const before = Date.now();
    const res = await revoke('admin', ids.collaborator!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ staffId: ids.collaborator, revokedAt: expect.any(String) });
    expect(Date.parse(res.body.revokedAt)).toBeGreaterThanOrEqual(before - 1_000);

    // Right after: a new login, most likely within the same second as the revoke.
    const fresh = await login(username);
    const freshBrowser = await consoleSession(system.url, username);

    const refused = await me(bearer);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    expect((await system.call('GET', '/cases', { token: tokens.collaborator })).status).toBe(401);
    expect(await page(browser.cookie)).toEqual({ status: 303, location: '/app/login?next=%2Fapp' });

    expect((await me(fresh)).status).toBe(200);
    expect((await system.call('GET', '/cases', { token: fresh })).status).toBe(200);
    expect((await page(freshBrowser.cookie)).status).toBe(200);

    // Only that person: the worker of the same unit keeps working.
    expect((await me(tokens.worker!)).status).toBe(200);

    const [audit] = await system.sql<{ action: string; actor_id: string; outcome: number; detail: { staffId: string; revokedAt: string } }[]>`
      select action, actor_id, outcome, detail from audit_log where action = 'staff.sessions_revoke' and detail->>'staffId' = ${ids.collaborator!}`;
    expect(audit).toMatchObject({ actor_id: ids.admin, outcome: 200, detail: { staffId: ids.collaborator, revokedAt: res.body.revokedAt } });
  });

  it('refuses a session issued before the revoke in the same second, and takes one issued after it', async () => {
    const staffId = ids.supervisor!;
    // A second a minute ago: the instants are given, so the same second is certain.
    const second = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const revokedAt = new Date(second + 500);
    const session = async (ms: number) => {
      const check = await checkSessionToken((await issueSessionToken(staffId, system.deps.authSecret, 60, new Date(ms))).token, system.deps.authSecret);
      if (!check.ok) throw new Error(`a token issued at ${ms} is not valid: ${check.reason}`);
      return check;
    };
    const early = await session(second + 499);
    const late = await session(second + 501);
    expect(early.issuedAt).toBe(late.issuedAt);
    expect([early.issuedAtMs, late.issuedAtMs]).toEqual([second + 499, second + 501]);
    expect(await revokeSessions(system.sql, staffId, province.code, revokedAt)).toEqual(revokedAt);
    expect(await principalForStaff(system.sql, staffId, early)).toBeUndefined();
    expect(await principalForStaff(system.sql, staffId, late)).toMatchObject({ id: staffId });
    // A token from before tokens carried milliseconds counts from the start of its second.
    const legacy = await sign({ sub: staffId, iat: second / 1000, exp: second / 1000 + 3600 }, system.deps.authSecret, 'HS256');
    const legacyCheck = await checkSessionToken(legacy, system.deps.authSecret);
    if (!legacyCheck.ok) throw new Error(legacyCheck.reason);
    expect(legacyCheck.issuedAtMs).toBe(second);
    expect(await principalForStaff(system.sql, staffId, legacyCheck)).toBeUndefined();
    // The instant never moves back: an earlier revoke keeps the later one.
    expect(await revokeSessions(system.sql, staffId, province.code, new Date(second - 10_000))).toEqual(revokedAt);
    // Without a session (a directory lookup), the person is found.
    expect(await principalForStaff(system.sql, staffId)).toMatchObject({ id: staffId });
    await system.sql`update staff set sessions_valid_after = null where id = ${staffId}`;
  });

  it('is for administrators only', async () => {
    for (const who of ['manager', 'supervisor', 'worker', 'collaborator']) {
      tokens[who] = await login(who === 'collaborator' ? `ctv.${province.code}` : province[who as 'manager']);
      const res = await revoke(who, ids.worker!);
      expect(res.status, who).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await me(tokens.worker!)).status).toBe(200);
    expect((await system.call('POST', `/staff/${ids.worker}/sessions/revoke`, {})).status).toBe(401);
  });

  it('answers 404 for a person of another province, an unknown id and a malformed one, and ends nothing', async () => {
    for (const id of [ids.farWorker!, randomUUID(), 'not-a-uuid']) {
      const res = await revoke('admin', id);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await me(tokens.farWorker!)).status).toBe(200);
    const [far] = await system.sql<{ sessions_valid_after: Date | null }[]>`select sessions_valid_after from staff where id = ${ids.farWorker!}`;
    expect(far!.sessions_valid_after).toBeNull();
    // Their own administrator may.
    expect((await revoke('farAdmin', ids.farWorker!)).status).toBe(200);
    expect((await me(tokens.farWorker!)).status).toBe(401);
  });

  it('leaves API tokens working: they are not sessions', async () => {
    const issued = await system.call('POST', '/tokens', { token: tokens.admin, body: { name: 'Tổng đài 111', role: 'social_worker' } });
    expect(issued.status).toBe(201);
    const apiToken: string = issued.body.token;
    expect((await system.call('GET', '/cases', { token: apiToken })).status).toBe(200);
    // The administrator who issued it ends their own sessions.
    const res = await revoke('admin', ids.admin!);
    expect(res.status).toBe(200);
    expect((await me(tokens.admin!)).status).toBe(401);
    expect((await system.call('GET', '/cases', { token: apiToken })).status).toBe(200);
    // A revoke by path on a token's id is no person's: 404.
    tokens.admin = await login(province.admin);
    expect((await revoke('admin', issued.body.id)).status).toBe(404);
    expect((await system.call('GET', '/cases', { token: apiToken })).status).toBe(200);
  });
});
