// Logging in, and the limits on guessing passwords and on writing too fast.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from '../../api/login';
import { lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem({ writeRateLimitPerMinute: 3 });
});

afterAll(async () => {
  await system?.close();
});

/** A fresh account with the demo password, so counts from other tests never mix in. */
async function freshAccount(): Promise<string> {
  const username = `login.${randomUUID().slice(0, 8)}`;
  await system.sql`
    insert into staff (id, province, username, display_name, role, password_hash)
    select ${randomUUID()}, province, ${username}, 'Thử đăng nhập', 'social_worker', password_hash from staff where username = 'worker1'`;
  return username;
}

const attempt = (username: string, password: string, address: string) =>
  system.call('POST', '/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': address } });

describe('POST /auth/login', () => {
  it('answers a token that expires, and the same 401 for a wrong password and an unknown user', async () => {
    const ok = await attempt('worker1', 'demo', '203.0.113.1');
    expect(ok.status).toBe(200);
    const minutes = (Date.parse(ok.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(55);
    expect(minutes).toBeLessThanOrEqual(60);
    const wrong = await attempt('worker1', 'not-demo', '203.0.113.1');
    const unknown = await attempt(`nobody.${randomUUID()}`, 'demo', '203.0.113.1');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error).toEqual(unknown.body.error);
  });

  it('locks an account after repeated failures, even from many addresses and with the right password', async () => {
    const username = await freshAccount();
    for (let n = 0; n < MAX_FAILURES_PER_ACCOUNT; n++) {
      expect((await attempt(username, 'guess', `203.0.113.${10 + n}`)).status).toBe(401);
    }
    const locked = await attempt(username, 'demo', '203.0.113.50');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt('worker1', 'demo', '203.0.113.50')).status).toBe(200);
  });

  it('checks at most the limit of 100 guesses sent at once, and then refuses the right password too', async () => {
    const username = await freshAccount();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, n) => attempt(username, `guess-${n}`, `198.51.100.${n + 1}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES_PER_ACCOUNT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - MAX_FAILURES_PER_ACCOUNT);
    expect((await attempt(username, 'demo', '198.51.100.200')).status).toBe(429);
  });

  it('checks at most the limit of guesses from one address sent at once', async () => {
    const address = '198.51.100.250';
    const accounts = await Promise.all(Array.from({ length: 3 }, () => freshAccount()));
    const answers = await Promise.all(
      Array.from({ length: MAX_FAILURES_PER_ADDRESS * 2 }, (_, n) => attempt(n % 2 ? `nobody.${n}` : accounts[n % 3]!, 'guess', address)),
    );
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(MAX_FAILURES_PER_ADDRESS);
    expect((await attempt(accounts[0]!, 'demo', address)).status).toBe(429);
  });

  it('locks an address that tries many accounts, and only that address', async () => {
    const address = '203.0.113.99';
    for (let n = 0; n < MAX_FAILURES_PER_ADDRESS; n++) {
      await attempt(`spray.${n}.${randomUUID().slice(0, 4)}`, 'guess', address);
    }
    const username = await freshAccount();
    expect((await attempt(username, 'demo', address)).status).toBe(429);
    expect((await attempt(username, 'demo', '203.0.113.100')).status).toBe(200);
  });
});

describe('limits', () => {
  it('answers 429 past the write limit of one account, and not for another', async () => {
    // Fresh accounts: the count lives in PostgreSQL, shared with every other test's API.
    const token = await system.login(await freshAccount());
    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await system.call('POST', '/cases', { token, body: lonelyOlderMan() })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await system.call('POST', '/cases', { token, body: lonelyOlderMan() });
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await system.call('GET', '/cases', { token })).status).toBe(200);
    expect((await system.call('POST', '/cases', { token: await system.login(await freshAccount()), body: lonelyOlderMan() })).status).toBe(201);
  });

  it('sends security headers and no CORS permission by default', async () => {
    const res = await fetch(`${system.url}/health`, { headers: { origin: 'http://elsewhere.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
