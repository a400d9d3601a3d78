// The codec endpoint for the Temporal Web UI and CLI: they send the encrypted payloads they show,
// this decodes them with the case keys. Whoever reaches it reads case data, so it asks what the
// API asks: a session of a supervisor or manager (bearer token), the case in that person's scope
// (restriction included), and one audit row per decode. CORS, with credentials, only for the
// configured UI origins.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Payload } from '@temporalio/common';
import { cors } from 'hono/cors';
import { visibleCaseIds } from '../db/cases';
import { isUuid } from '../domain/ids';
import { exact } from '../domain/input';
import type { CaseCodec } from '../security/case-codec';
import { CaseErasedError } from '../security/case-keys';
import { auditTrail } from './audit-trail';
import { allow, authenticate } from './auth';
import type { ApiDeps, AppEnv } from './context';
import { ApiError, detectLanguage, handleError, validationHook } from './errors';
import { errorResponses, jsonContent } from './schemas';

export interface CodecDeps extends Pick<ApiDeps, 'sql' | 'authSecret' | 'trustProxy'> {
  codec: CaseCodec;
  /** The Web UI's origins, answered CORS with credentials. */
  origins: string[];
}

const base64 = z
  .string()
  .max(4_000_000)
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
const JsonPayload = z.strictObject({ metadata: z.record(exact(1, 200), base64).optional(), data: base64.optional() });
type JsonPayload = z.infer<typeof JsonPayload>;
const Payloads = z.strictObject({ payloads: z.array(JsonPayload).max(1000) }).openapi('Payloads');

const toPayload = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: p.data ? Buffer.from(p.data).toString('base64') : undefined,
});

const route = (op: 'encode' | 'decode') =>
  createRoute({
    method: 'post',
    path: `/${op}`,
    summary: op === 'decode' ? 'Decrypt payloads of cases in your scope' : 'Encrypt payloads',
    middleware: [allow('supervisor', 'manager')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: Payloads } } } },
    responses: { 200: jsonContent(Payloads, 'The payloads, in the same order'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 503) },
  });

export function createCodecApp(deps: CodecDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', cors({ origin: deps.origins, credentials: true, allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'], allowMethods: ['POST'] }));
  app.use('*', detectLanguage, auditTrail(deps), authenticate(deps));

  app.openapi(route('decode'), async (c) => {
    const payloads = c.req.valid('json').payloads.map(toPayload);
    const cases = payloads.map((p) => deps.codec.caseOf(p));
    const wanted = [...new Set(cases.filter((id): id is string => id !== undefined))];
    c.set('audit', { action: 'codec.decode', caseId: wanted.length === 1 && isUuid(wanted[0]!) ? wanted[0] : null, detail: { cases: wanted } });
    const visible = await visibleCaseIds(deps.sql, wanted.filter(isUuid), c.get('principal'));
    const hidden = cases.flatMap((id, i) => (id !== undefined && !visible.has(id) ? [i] : []));
    // Outside one's scope a case does not exist, here as in the API.
    if (hidden.length > 0) {
      throw new ApiError(
        'not_found',
        hidden.map((i) => ({ path: `payloads[${i}]`, message: { vi: 'không tìm thấy trường hợp', en: 'no such case' } })),
      );
    }
    try {
      return c.json({ payloads: (await deps.codec.decode(payloads)).map(toJson) }, 200);
    } catch (err) {
      if (err instanceof CaseErasedError) throw new ApiError('case_erased');
      throw new ApiError('validation_failed', [{ path: 'payloads', message: { vi: 'không giải mã được', en: (err as Error).message } }]);
    }
  });

  app.openapi(route('encode'), async (c) => {
    const payloads = c.req.valid('json').payloads.map(toPayload);
    return c.json({ payloads: (await deps.codec.encode(payloads)).map(toJson) }, 200);
  });

  app.notFound((c) => handleError(new ApiError('not_found'), c));
  app.onError(handleError);
  return app;
}

export async function startCodecServer(deps: CodecDeps, options: { port: number; host: string }) {
  const app = createCodecApp(deps);
  return await new Promise<{ url: string; close(): Promise<void> }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) =>
      resolve({ url: `http://${options.host}:${info.port}`, close: () => new Promise((done) => server.close(() => done())) }),
    );
    server.once('error', reject);
  });
}
