// The whole API on a real port, with a worker, against the Temporal dev server and PostgreSQL:
// what the end-to-end tests talk to over HTTP.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ApiDeps } from '../../api/context';
import { startApi } from '../../api/server';
import { connectDatabase, type Sql } from '../../db/connect';
import { DEMO_PASSWORD } from '../../system/demo-directory';
import type { Channels } from '../../activities/channels';
import { startDeliveryRelay } from '../../system/delivery-relay';
import type { DeliveryInput } from '../../workflows/delivery';
import { caseWorker, testApiDeps, testCodec, uniqueQueue } from './cases';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface TestSystem {
  url: string;
  sql: Sql;
  client: Client;
  deps: ApiDeps;
  login(username: string, password?: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  close(): Promise<void>;
}

/** What leaves the system: the channels the worker sends by, and the relay's retries (none: no relay). */
export interface Outbound {
  channels: Channels;
  retry?: DeliveryInput['retry'];
}

export async function startTestSystem(overrides: Partial<ApiDeps> | ((sql: Sql) => Partial<ApiDeps>) = {}, outbound?: Outbound): Promise<TestSystem> {
  const sql = connectDatabase(inject('databaseUrl'));
  const { dataConverter } = testCodec(sql);
  const taskQueue = uniqueQueue('e2e');
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await caseWorker(nativeConnection, sql, taskQueue, outbound?.channels);
  const running = worker.run();
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection, dataConverter });
  const deps = testApiDeps(sql, client, taskQueue, typeof overrides === 'function' ? overrides(sql) : overrides);
  const api = await startApi(deps, { port: 0, host: '127.0.0.1' });
  const relay = outbound ? await startDeliveryRelay({ sql, client, taskQueue, retry: outbound.retry, sweepMs: 1_000 }) : undefined;

  async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  const tokens = new Map<string, string>();
  return {
    url: api.url,
    sql,
    client,
    deps,
    call,
    async login(username, password = DEMO_PASSWORD) {
      const cached = password === DEMO_PASSWORD ? tokens.get(username) : undefined;
      if (cached) return cached;
      // Logins come from a documentation address (TEST-NET-2), apart from the rate-limit tests' own.
      const res = await call('POST', '/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': '198.51.100.7' } });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      if (password === DEMO_PASSWORD) tokens.set(username, res.body.token);
      return res.body.token;
    },
    async close() {
      await relay?.stop();
      await api.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await sql.end();
    },
  };
}
