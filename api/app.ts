// The HTTP API: createApp(deps) builds it from the services it needs, so tests build their own.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/connect';
import { ApiError, handleError, validationHook } from './errors';
import { limitBody, requireJson } from './middleware';
import { casesRouter } from './routes/cases';
import { healthRouter } from './routes/health';

export interface ApiDeps {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  /** How long a create call waits for routing before answering 503 (the case still gets routed). */
  routingTimeoutMs: number;
}

export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.use('*', limitBody, requireJson);
  app.route('/health', healthRouter(deps));
  app.route('/cases', casesRouter(deps));
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Case-flow API',
      version: '0.1.0',
      description: 'Case management for social-work centres: intake, risk routing and the case lifecycle.',
    },
  });
  app.notFound((c) => handleError(new ApiError(404, 'not_found', `No route ${c.req.method} ${c.req.path}`), c));
  app.onError(handleError);
  return app;
}
