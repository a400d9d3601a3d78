// /health: is the API able to reach PostgreSQL and Temporal right now?
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { ping } from '../../db/connect';
import type { ApiDeps } from '../context';
import { HealthSchema } from '../schemas';

const CHECK_TIMEOUT_MS = 3_000;

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

const health = createRoute({
  method: 'get',
  path: '/',
  summary: 'Reachability of PostgreSQL and Temporal',
  responses: {
    200: { description: 'Everything answers', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'Something does not answer', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function healthRouter(deps: ApiDeps) {
  const router = new OpenAPIHono();
  router.openapi(health, async (c) => {
    const [postgres, temporal] = await Promise.all([check(() => ping(deps.sql)), check(() => deps.temporal.workflowService.getSystemInfo({}))]);
    const ok = postgres === 'ok' && temporal === 'ok';
    // npm start brings a dead part back within seconds (system/supervise.ts).
    if (!ok) c.header('Retry-After', '5');
    return c.json({ status: ok ? ('ok' as const) : ('degraded' as const), checks: { postgres, temporal } }, ok ? 200 : 503);
  });
  return router;
}
