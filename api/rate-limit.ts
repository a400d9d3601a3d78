// Writes per principal per minute: a runaway integration cannot flood the case store. Counted in
// PostgreSQL (db/write-counts.ts), so several API processes (API_REPLICAS) hold one limit between
// them rather than each allowing it.
import type { MiddlewareHandler } from 'hono';
import { countWrite } from '../db/write-counts';
import type { AppEnv } from './context';
import { ApiError } from './errors';
import type { Sql } from '../db/connect';

const WINDOW_MS = 60_000;

export function limitWrites(sql: Sql, perMinute: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return await next();
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    if (!principal) return await next();
    const count = await countWrite(sql, principal.id, WINDOW_MS);
    if (count.writes > perMinute) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(count.remainingMs / 1000))));
      throw new ApiError('rate_limited', [], {
        vi: `Tài khoản này gửi hơn ${perMinute} thay đổi một phút; hãy chậm lại`,
        en: `More than ${perMinute} changes a minute from this account; slow down`,
      });
    }
    await next();
  };
}
