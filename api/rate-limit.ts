// Writes per principal per minute, counted in this process: a runaway integration cannot flood
// the case store. (Several API processes each count their own share.)
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { ApiError } from './errors';

const WINDOW_MS = 60_000;

export function limitWrites(perMinute: number): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return await next();
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    if (!principal) return await next();
    const now = Date.now();
    let window = windows.get(principal.id);
    if (!window || now - window.start >= WINDOW_MS) {
      if (windows.size > 10_000) windows.clear();
      window = { start: now, count: 0 };
      windows.set(principal.id, window);
    }
    window.count += 1;
    if (window.count > perMinute) {
      c.header('Retry-After', String(Math.ceil((window.start + WINDOW_MS - now) / 1000)));
      throw new ApiError('rate_limited', [], {
        vi: `Tài khoản này gửi hơn ${perMinute} thay đổi một phút; hãy chậm lại`,
        en: `More than ${perMinute} changes a minute from this account; slow down`,
      });
    }
    await next();
  };
}
