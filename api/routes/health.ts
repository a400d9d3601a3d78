// /health: is the API able to reach PostgreSQL and Temporal right now? And the two probes an
// orchestrator asks: /live (the process answers: restart it if not) and /ready (it can serve:
// send it traffic only then). A dead dependency makes the API unready, never un-live: restarting
// the API would not bring PostgreSQL back, and it recovers by itself when they return.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ping } from '../../db/connect';
import type { ApiDeps } from '../context';
import { DEFAULT_REQUEST_DEADLINE_MS } from '../deadline';
import { HealthSchema } from '../schemas';

/** A probe's own bound, well within the request's deadline (api/deadline.ts), so it answers its own shape. */
const checkTimeoutMs = (deps: ApiDeps) => Math.min(3_000, (deps.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS) / 2);

async function check(probe: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
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

const Probe = z.object({ status: z.enum(['live', 'ready', 'unready']) }).openapi('Probe');
const live = createRoute({
  method: 'get',
  path: '/live',
  summary: 'Liveness: the process answers (for an orchestrator’s liveness probe)',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Probe } } } },
});
const ready = createRoute({
  method: 'get',
  path: '/ready',
  summary: 'Readiness: PostgreSQL and Temporal answer, so requests can be served (for a readiness probe)',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Probe } } },
    503: { description: 'A dependency does not answer; see /health', content: { 'application/json': { schema: Probe } } },
  },
});

async function checks(deps: ApiDeps) {
  const timeoutMs = checkTimeoutMs(deps);
  const [postgres, temporal] = await Promise.all([
    check(() => ping(deps.sql), timeoutMs),
    check(() => deps.temporal.workflowService.getSystemInfo({}), timeoutMs),
  ]);
  return { postgres, temporal, ok: postgres === 'ok' && temporal === 'ok' };
}

export function probesRouter(deps: ApiDeps) {
  const router = new OpenAPIHono();
  router.openapi(live, (c) => c.json({ status: 'live' as const }, 200));
  router.openapi(ready, async (c) => {
    const { ok } = await checks(deps);
    if (!ok) c.header('Retry-After', '5');
    return ok ? c.json({ status: 'ready' as const }, 200) : c.json({ status: 'unready' as const }, 503);
  });
  return router;
}

export function healthRouter(deps: ApiDeps) {
  const router = new OpenAPIHono();
  router.openapi(health, async (c) => {
    const { postgres, temporal, ok } = await checks(deps);
    // npm start brings a dead part back within seconds (system/supervise.ts).
    if (!ok) c.header('Retry-After', '5');
    return c.json({ status: ok ? ('ok' as const) : ('degraded' as const), checks: { postgres, temporal } }, ok ? 200 : 503);
  });
  return router;
}
