// The HTTP API: createApp(deps) builds it from the services it needs, so tests build their own.
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { auditTrail } from './audit-trail';
import { authenticate } from './auth';
import type { ApiDeps, AppEnv } from './context';
import { ApiError, detectLanguage, handleError, validationHook } from './errors';
import { DEFAULT_REQUEST_DEADLINE_MS, requestDeadline } from './deadline';
import { securityHeaders } from './headers';
import { limitBody, refuseUnsafeText, requireJson } from './middleware';
import { methodsAt, withGuardAnswers } from './openapi';
import { limitWrites } from './rate-limit';
import { auditRouter } from './routes/audit';
import { authRouter } from './routes/auth';
import { carersRouter } from './routes/carers';
import { placementsRouter } from './routes/placements';
import { programmesRouter } from './routes/programmes';
import { caseActionsRouter } from './routes/case-actions';
import { clientsRouter } from './routes/clients';
import { contactsRouter } from './routes/contacts';
import { consoleRouter } from './routes/console';
import { caseFileRouter } from './routes/case-file';
import { caseReferralsRouter } from './routes/case-referrals';
import { casesRouter } from './routes/cases';
import { deadlinePolicyRouter } from './routes/deadline-policy';
import { deliveriesRouter } from './routes/deliveries';
import { healthRouter, probesRouter } from './routes/health';
import { requestLog } from './request-log';
import { importsRouter } from './routes/imports';
import { meRouter } from './routes/me';
import { partnerLinkRouter } from './routes/partner-link';
import { partnersRouter } from './routes/partners';
import { reportsRouter } from './routes/reports';
import { rulesRouter } from './routes/rules';
import { staffRouter } from './routes/staff';
import { stuckRouter } from './routes/stuck';
import { tokensRouter } from './routes/tokens';
import { unitsRouter } from './routes/units';
import { workRouter } from './routes/work';

export type { ApiDeps } from './context';

export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  if (deps.log) app.use('*', requestLog(deps.log));
  if (deps.metrics) app.use('*', deps.metrics.timing);
  app.use('*', detectLanguage, securityHeaders());
  // Before everything that may wait on PostgreSQL or Temporal (the audit trail, the session).
  app.use('*', requestDeadline(deps.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS));
  if (deps.corsOrigins.length > 0) app.use('*', cors({ origin: deps.corsOrigins, credentials: false }));
  app.use('*', limitBody, requireJson, auditTrail(deps), authenticate(deps), limitWrites(deps.sql, deps.writeRateLimitPerMinute), refuseUnsafeText);
  app.route(
    '/',
    consoleRouter(deps, () => app.fetch),
  );
  app.route('/health', healthRouter(deps));
  app.route('/', probesRouter(deps));
  app.route('/auth', authRouter(deps));
  app.route('/cases', casesRouter(deps));
  app.route('/cases', caseActionsRouter(deps));
  app.route('/cases', caseReferralsRouter(deps));
  app.route('/cases', caseFileRouter(deps));
  app.route('/', workRouter(deps));
  app.route('/clients', clientsRouter(deps));
  app.route('/contacts', contactsRouter(deps));
  app.route('/staff', staffRouter(deps));
  app.route('/units', unitsRouter(deps));
  app.route('/tokens', tokensRouter(deps));
  app.route('/audit', auditRouter(deps));
  app.route('/rules', rulesRouter(deps));
  app.route('/reports', reportsRouter(deps));
  app.route('/policies/deadlines', deadlinePolicyRouter(deps));
  app.route('/stuck', stuckRouter(deps));
  app.route('/partners', partnersRouter(deps));
  app.route('/carers', carersRouter(deps));
  app.route('/placements', placementsRouter(deps));
  app.route('/programmes', programmesRouter(deps));
  app.route('/deliveries', deliveriesRouter(deps));
  app.route('/me', meRouter(deps));
  app.route('/imports', importsRouter(deps));
  app.route('/r', partnerLinkRouter(deps));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const describe = () =>
    app.getOpenAPIDocument({
      openapi: '3.0.3',
      info: {
        title: 'Case-flow API',
        version: '0.2.0',
        description:
          'Case management for social-work centres: intake, risk routing and the case lifecycle. Every endpoint but /health, /openapi.json and /auth/login needs Authorization: Bearer <token>.',
      },
      security: [{ bearer: [] }],
    });
  let document: ReturnType<typeof describe> | undefined;
  app.get('/openapi.json', (c) => c.json((document ??= withGuardAnswers(describe()))));
  app.notFound((c) => {
    const allowed = methodsAt(app, c.req.path);
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return handleError(
        new ApiError('method_not_allowed', [{ path: '(method)', message: { vi: `dùng ${allowed.join(', ')}`, en: `use ${allowed.join(', ')}` } }]),
        c,
      );
    }
    return handleError(
      new ApiError('not_found', [], { vi: `Không có đường dẫn ${c.req.method} ${c.req.path}`, en: `No route ${c.req.method} ${c.req.path}` }),
      c,
    );
  });
  app.onError(handleError);
  return app;
}
