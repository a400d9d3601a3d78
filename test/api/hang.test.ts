// A part that hangs (issue 32, part 3): PostgreSQL and Temporal are addresses that accept a
// connection and never say a word — a stopped process, a full disk, a network that drops packets
// look the same from here. No request may wait on them forever: past its deadline it answers 503
// dependency_unavailable with Retry-After, and /ready says unready within 10 s. (`npm run faults`
// does the same to the real processes with SIGSTOP, and checks nothing is lost once they resume.)
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { connectDatabase, type Sql } from '../../db/connect';
import { issueSessionToken } from '../../security/session-tokens';
import { testApiDeps, uniqueQueue } from '../support/cases';
import { intake } from '../support/intakes';

const DEADLINE_MS = 2_000;
let sql: Sql;
let connection: Connection;
let app: ReturnType<typeof createApp>;
let token: string;
const holes: Server[] = [];
const held: Socket[] = [];

/** A port that takes connections and never answers on them. */
async function blackHole(): Promise<number> {
  const server = createServer((socket) => held.push(socket));
  holes.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  sql = connectDatabase(`postgres://caseflow:caseflow@127.0.0.1:${await blackHole()}/caseflow`, { max: 2 });
  connection = Connection.lazy({ address: `127.0.0.1:${await blackHole()}`, connectTimeout: 60_000, interceptors: [] });
  const deps = testApiDeps(sql, new Client({ connection }), uniqueQueue('hang'), { requestDeadlineMs: DEADLINE_MS });
  app = createApp(deps);
  token = (await issueSessionToken(randomUUID(), deps.authSecret, 60)).token;
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  for (const server of holes) server.close();
  await connection?.close().catch(() => {});
  await sql?.end({ timeout: 0 });
});

async function timed(path: string, init: RequestInit = {}) {
  const started = Date.now();
  const res = await app.request(path, init);
  const text = await res.text();
  return { ms: Date.now() - started, status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type') ?? '', text };
}

const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra });

describe('a part that hangs', () => {
  it('answers a read and a repeatable write 503 dependency_unavailable with Retry-After at the deadline, not later', async () => {
    const answers = await Promise.all([
      timed('/cases', { headers: headers() }),
      timed('/cases', { method: 'POST', headers: headers({ 'idempotency-key': randomUUID() }), body: JSON.stringify(intake()) }),
    ]);
    for (const a of answers) {
      expect([a.status, a.retryAfter, JSON.parse(a.text).error.code]).toEqual([503, '5', 'dependency_unavailable']);
      expect(JSON.parse(a.text).error.details).toEqual([]);
      expect(a.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(a.ms).toBeLessThan(DEADLINE_MS + 1_000);
    }
  });

  it('tells the writer of a request without an Idempotency-Key that it may yet be recorded, in their language', async () => {
    const a = await timed(`/cases/${randomUUID()}/notes`, {
      method: 'POST',
      headers: headers({ 'accept-language': 'vi' }),
      body: JSON.stringify({ text: 'Đã gọi điện' }),
    });
    expect([a.status, a.retryAfter]).toEqual([503, '5']);
    const { error } = JSON.parse(a.text) as { error: { code: string; message: string; details: Array<{ path: string; message: string }> } };
    expect(error.code).toBe('dependency_unavailable');
    expect(error.message).toMatch(/không trả lời/);
    expect(error.details).toEqual([{ path: '(request)', message: expect.stringMatching(/xem lại trước khi gửi lại/) }]);
    expect(a.ms).toBeLessThan(DEADLINE_MS + 1_000);
  });

  it('answers a console page with a page, not JSON', async () => {
    const a = await timed('/app', { headers: { cookie: `cf_session=${token}`, 'accept-language': 'en' } });
    expect([a.status, a.retryAfter]).toEqual([503, '5']);
    expect(a.type).toMatch(/text\/html/);
    expect(a.text).toContain('not answering');
    expect(a.ms).toBeLessThan(DEADLINE_MS + 1_000);
  });

  it('says unready within 10 s and stays live', async () => {
    const ready = await timed('/ready');
    expect([ready.status, JSON.parse(ready.text), ready.retryAfter]).toEqual([503, { status: 'unready' }, '5']);
    expect(ready.ms).toBeLessThan(10_000);
    const live = await timed('/live');
    expect(live.status).toBe(200);
  });
});
