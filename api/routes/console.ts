// The staff console, served by the same app: `/` and any `/app` page without a session answer 303
// to /app/login. Logging in goes through the API's own function (api/login.ts: the same lockout,
// audit and session token), kept in a cookie (console/session.ts); every page then reads and acts
// through the API's own routes (console/api-call.ts). Server-rendered HTML: a phone on a slow line
// gets a page, not a script bundle; one small script (console/console.js) only adds comfort.
import { Hono } from 'hono';
import { timing } from 'hono/timing';
import { ERRORS } from '../../domain/errors';
import { FONT_PATH, fontFile } from '../case-file/fonts';
import type { Bilingual } from '../../domain/stages';
import { apiCaller, type AppFetch } from '../console/api-call';
import { consoleSession, csrfMatches, csrfToken, endSession, setSession } from '../console/session';
import { loginPage } from '../console/login-page';
import { CONSOLE_SCRIPT, ICONS, MANIFEST, OFFLINE_SCRIPT, offlineHeaders, offlinePage, SERVICE_WORKER } from '../console/offline-app';
import type { ApiDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { logIn } from '../login';
import { consoleCaseFileRouter } from './console-case-file';
import { consoleCarersRouter } from './console-carers';
import { consoleCasesRouter } from './console-cases';
import { consoleClientsRouter } from './console-clients';
import { consoleContactsRouter } from './console-contacts';
import { consoleDirectoryRouter } from './console-directory';
import { consoleIntakeRouter } from './console-intake';
import { consoleLeadsRouter } from './console-leads';
import { consolePoliciesRouter } from './console-policies';
import { consoleProgrammesRouter } from './console-programmes';
import { consoleReportsRouter } from './console-reports';
import { consoleWorkRouter } from './console-work';

const FORM_EXPIRED: Bilingual = { vi: 'Biểu mẫu đã hết hạn; hãy thử lại', en: 'The form expired; try again' };
/** Only a page of the console is a place to go back to after logging in. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/app(\/[\w/-]*)?$/.test(next) ? next : '/app');

export function consoleRouter(deps: ApiDeps, appFetch: () => AppFetch) {
  const router = new Hono<AppEnv>();
  const api = apiCaller(appFetch);
  router.get('/', (c) => c.redirect('/app', 303));
  router.get('/favicon.ico', (c) => c.body(null, 204));

  router.get('/app/login', (c) => {
    // Kept for a collaborator whose session ends with no connection (issue 30).
    offlineHeaders(c, { keep: true });
    return c.html(loginPage({ csrf: csrfToken(c, deps), next: safeNext(c.req.query('next')) }), 200);
  });

  router.post('/app/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    const username = typeof form.username === 'string' ? form.username.trim().slice(0, 100) : '';
    const password = typeof form.password === 'string' ? form.password.slice(0, 200) : '';
    const again = (status: 401 | 403 | 429, error: Bilingual) => c.html(loginPage({ csrf: csrfToken(c, deps), next, username, error }), status);
    if (!csrfMatches(c, form.csrf)) return again(403, FORM_EXPIRED);
    if (!username || !password) return again(401, ERRORS.invalid_credentials.message);
    try {
      setSession(c, deps, (await logIn(deps, c, username, password)).token);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'invalid_credentials' || err.code === 'too_many_attempts')) return again(err.status as 401 | 429, err.text);
      throw err;
    }
    return c.redirect(next, 303);
  });

  router.get('/app/console.js', (c) => {
    c.header('cache-control', 'no-cache');
    return c.body(CONSOLE_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });

  // The installable app (issue 30): public, like the login page, so the worker can keep them.
  router.get('/app/offline.js', (c) => {
    c.header('cache-control', 'no-cache');
    return c.body(OFFLINE_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });
  router.get('/app/sw.js', (c) => {
    c.header('cache-control', 'no-cache');
    // `/app` itself (My work) as well as the pages below it.
    c.header('service-worker-allowed', '/app');
    return c.body(SERVICE_WORKER, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });
  router.get('/app/manifest.webmanifest', (c) => c.body(JSON.stringify(MANIFEST), 200, { 'content-type': 'application/manifest+json' }));
  router.get('/app/icons/:size{(192|512)\\.png}', (c) => {
    c.header('cache-control', 'public, max-age=86400');
    return c.body(new Uint8Array(ICONS[c.req.param('size').slice(0, 3)]!), 200, { 'content-type': 'image/png' });
  });
  router.get('/app/offline', (c) => c.html(offlinePage(), 200));
  // Public like the scripts (no session needed to fetch a font), and kept long by the browser: these
  // files have not changed in years, and a printed form should not wait for them twice.
  router.get(`${FONT_PATH}:file`, async (c) => {
    const font = fontFile(c.req.param('file'));
    if (!font) return c.body(null, 404);
    c.header('cache-control', 'public, max-age=31536000');
    return c.body(new Uint8Array(await font), 200, { 'content-type': 'font/ttf' });
  });

  // Server-Timing on every page (`total;dur=…`): how the page timings of `npm run bench` are read.
  router.use('/app', timing({ crossOrigin: false }), consoleSession(deps));
  router.use('/app/*', timing({ crossOrigin: false }), consoleSession(deps));
  // Whose every page is (issue 30): the service worker keeps no page of anyone else.
  router.use('/app', async (c, next) => {
    offlineHeaders(c, { owner: c.get('principal').id });
    await next();
  });
  router.use('/app/*', async (c, next) => {
    offlineHeaders(c, { owner: c.get('principal').id });
    await next();
  });

  router.post('/app/logout', async (c) => {
    const form = await c.req.parseBody();
    if (!csrfMatches(c, form.csrf)) return c.redirect('/app', 303);
    endSession(c);
    return c.redirect('/app/login', 303);
  });

  // The switch between Vietnamese and English, kept with the person (PATCH /me), so every device follows.
  router.post('/app/language', async (c) => {
    const form = await c.req.parseBody();
    const back = safeNext(form.back);
    if (!csrfMatches(c, form.csrf)) return c.redirect(back, 303);
    if (form.lang === 'vi' || form.lang === 'en') await api(c, 'PATCH', '/me', { language: form.lang });
    return c.redirect(back, 303);
  });

  router.route('/', consoleWorkRouter(deps, api));
  router.route('/', consoleIntakeRouter(deps, api));
  router.route('/', consoleContactsRouter(deps, api));
  router.route('/', consoleCarersRouter(deps, api));
  router.route('/', consoleCasesRouter(deps, api));
  router.route('/', consoleCaseFileRouter(deps, api, appFetch));
  router.route('/', consoleClientsRouter(deps, api));
  router.route('/', consoleProgrammesRouter(deps, api));
  router.route('/', consoleLeadsRouter(deps, api));
  router.route('/', consoleDirectoryRouter(deps, api));
  router.route('/', consolePoliciesRouter(deps, api));
  router.route('/', consoleReportsRouter(deps, api, appFetch));
  return router;
}
