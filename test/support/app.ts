// The API in process: createApp(deps) answering app.request(), with the real PostgreSQL of the
// test run and a Temporal client that connects only if a request needs it. For tests of what the
// API answers before any workflow is involved: validation, errors, roles, the OpenAPI document.
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { createApp } from '../../api/app';
import { connectDatabase, type Sql } from '../../db/connect';
import { issueSessionToken } from '../../security/session-tokens';
import { staffId, testApiDeps, testCodec, uniqueQueue } from './cases';
import type { Reply } from './system';

export interface InProcessApi {
  sql: Sql;
  /** A session token for a demo account, as POST /auth/login would issue it. */
  tokenFor(username: string): Promise<string>;
  /** A body that is a string or bytes is sent as it is (a file: say its Content-Type); anything else as JSON. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  close(): Promise<void>;
}

export function inProcessApi(): InProcessApi {
  const sql = connectDatabase(inject('databaseUrl'), { max: 2 });
  const connection = Connection.lazy({ address: inject('temporalAddress') });
  const deps = testApiDeps(sql, new Client({ connection, dataConverter: testCodec(sql).dataConverter }), uniqueQueue('in-process'));
  const app = createApp(deps);
  return {
    sql,
    async tokenFor(username) {
      return (await issueSessionToken(await staffId(sql, username), deps.authSecret, deps.tokenTtlMinutes)).token;
    },
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { 'x-forwarded-for': '192.0.2.10', ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] ??= 'application/json';
      const body =
        options.body === undefined
          ? undefined
          : typeof options.body === 'string' || options.body instanceof Uint8Array
            ? options.body
            : JSON.stringify(options.body);
      const res = await app.request(path, { method, headers, body });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async close() {
      await connection.close();
      await sql.end();
    },
  };
}
