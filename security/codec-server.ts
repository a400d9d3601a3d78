// The codec endpoint for the Temporal Web UI: the UI sends the encrypted payloads it shows,
// this decodes them with the case keys. It listens on loopback unless configured otherwise and
// answers CORS only for the configured UI origins, since whoever reaches it reads case data.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Payload } from '@temporalio/common';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { CaseCodec } from './case-codec';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const toPayload = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: p.data ? Buffer.from(p.data).toString('base64') : undefined,
});

export function createCodecApp(codec: CaseCodec, origins: string[]) {
  const app = new Hono();
  app.use('*', cors({ origin: origins, allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'], allowMethods: ['POST'] }));
  for (const op of ['encode', 'decode'] as const) {
    app.post(`/${op}`, async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as { payloads?: JsonPayload[] } | undefined;
      if (!body || !Array.isArray(body.payloads)) return c.json({ error: 'expected { payloads: [...] }' }, 400);
      try {
        const result = await codec[op](body.payloads.map(toPayload));
        return c.json({ payloads: result.map(toJson) });
      } catch (err) {
        // An erased case, or a key no longer configured: say so, and leave the payload as it is.
        return c.json({ error: (err as Error).message }, 422);
      }
    });
  }
  return app;
}

export async function startCodecServer(codec: CaseCodec, options: { port: number; host: string; origins: string[] }) {
  const app = createCodecApp(codec, options.origins);
  return await new Promise<{ url: string; close(): Promise<void> }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) =>
      resolve({ url: `http://${options.host}:${info.port}`, close: () => new Promise((done) => server.close(() => done())) }),
    );
    server.once('error', reject);
  });
}
