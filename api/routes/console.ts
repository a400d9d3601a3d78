// The staff console (issue 16, first step), served by the same app: `/` and any `/app` page
// without a session answer 303 to /app/login. Logging in goes through the API's own function
// (api/login.ts: the same lockout, audit and session token), kept in a cookie (console/session.ts).
import { Hono } from 'hono';
import { findProfile } from '../../db/profiles';
import { myWorkCounts } from '../../db/cases';
import { ERRORS } from '../../domain/errors';
import type { Bilingual } from '../../domain/stages';
import { consoleSession, csrfMatches, csrfToken, endSession, setSession } from '../console/session';
import { loginPage, myWorkPage } from '../console/pages';
import type { ApiDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { logIn } from '../login';

const FORM_EXPIRED: Bilingual = { vi: 'Biểu mẫu đã hết hạn; hãy thử lại', en: 'The form expired; try again' };
/** Only a page of the console is a place to go back to after logging in. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/app(\/[\w/-]*)?$/.test(next) ? next : '/app');

export function consoleRouter(deps: ApiDeps) {
  const router = new Hono<AppEnv>();
  router.get('/', (c) => c.redirect('/app', 303));

  router.get('/app/login', (c) => c.html(loginPage({ csrf: csrfToken(c, deps), next: safeNext(c.req.query('next')) }), 200));

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

  router.use('/app', consoleSession(deps));
  router.use('/app/*', consoleSession(deps));

  router.get('/app', async (c) => {
    const p = c.get('principal');
    c.set('audit', { action: 'console.my_work' });
    const me = await findProfile(deps.sql, p.id);
    return c.html(myWorkPage({ ...p, displayName: me?.displayName ?? p.name }, await myWorkCounts(deps.sql, p.id), csrfToken(c, deps)), 200);
  });

  router.post('/app/logout', async (c) => {
    const form = await c.req.parseBody();
    if (!csrfMatches(c, form.csrf)) return c.redirect('/app', 303);
    endSession(c);
    return c.redirect('/app/login', 303);
  });
  return router;
}
