// One JSON line per request (pino), for a centre's log collector: its id (X-Request-Id, taken from
// a proxy when well-formed, else made here, and sent back), method, route pattern, status, time
// taken, the case it touched and who asked — by id. Never a query string, a body or a name: the
// log holds no personal data. A request that failed with 500 adds the error's kind and message.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import pino, { type Logger } from 'pino';
import type { AppEnv } from './context';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** The product's logger: JSON lines at LOG_LEVEL, on stdout unless told where. */
export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, name, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

export function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    const route = routePath(c, -1);
    const status = c.res.status;
    const failure = c.get('failure');
    const line = {
      requestId,
      method: c.req.method,
      route: route.endsWith('*') ? null : route,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      caseId: c.get('audit')?.caseId ?? undefined,
      actor: c.get('principal')?.id,
      ...(failure ? { err: { type: failure.name, message: failure.message } } : {}),
    };
    if (status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}
