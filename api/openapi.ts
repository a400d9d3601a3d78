// The OpenAPI document, made honest about the answers every route can give. A route declares what
// it decides itself (its 200, a 404 for its resource, a 409 for its state); the answers that come
// from the guards every request passes (auth.ts, middleware.ts, rate-limit.ts, audit-trail.ts)
// are added here, from what the operation is, so no route can forget one.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { isPublicPath } from './auth';
import type { AppEnv } from './context';

type Document = ReturnType<OpenAPIHono<AppEnv>['getOpenAPIDocument']>;
type Operation = { requestBody?: unknown; parameters?: unknown[]; responses?: Record<string, unknown>; security?: unknown[] };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const WRITES = new Set<string>(['put', 'post', 'delete', 'patch']);
const ERROR = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/** `/cases/{id}` in the document is `/cases/:id` to the router and to isPublicPath. */
const routerPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export function withGuardAnswers(doc: Document): Document {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      const add = (...codes: number[]) => codes.forEach((code) => (responses[code] ??= ERROR));
      const open = isPublicPath(routerPath(path));
      if (open) op.security = [];
      else add(401); // authenticate: no token, a bad one, an expired one
      if (op.requestBody) add(400, 413, 415); // malformed JSON, body too large, not JSON
      if (op.requestBody || (op.parameters?.length ?? 0) > 0) add(422); // schema, NUL or broken Unicode
      if (/\{\w+\}/.test(path)) add(404); // an id that is malformed, unknown or out of scope
      if (WRITES.has(method) && !open) add(429); // the per-account write limit
      add(503); // the audit trail or the database cannot be reached
    }
  }
  return doc;
}

/** The methods a path takes, for 405 and its Allow header; empty when no route has this path. */
export function methodsAt(app: OpenAPIHono<AppEnv>, path: string): string[] {
  const matching = app.routes.filter(
    (route) =>
      route.method !== 'ALL' &&
      !route.path.includes('*') &&
      new RegExp(`^${route.path.replace(/[.+?^$()[\]\\|]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`).test(path),
  );
  // A path a route names outright (/cases/preview) is that route's, not the /{id} beside it: the
  // methods documented for it are the ones it takes.
  const named = matching.filter((route) => !route.path.includes(':'));
  const methods = new Set((named.length > 0 ? named : matching).map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
