// /app/cases/{id}/forms/{form} and /app/cases/{id}/file (issue 31): a case's printable forms and
// its whole file, read through the API's own routes with the person's session token, so who may
// print what (scope, roles, a form whose step has not happened yet) is the API's answer, never a
// second copy. A form's page is the API's HTML (api/case-file/html.ts) with the console's toolbar
// put at its marker; a PDF or the file's ZIP is the API's bytes, passed on.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { TOOLBAR_MARKER } from '../case-file/html';
import { rawCaller, type Api, type ApiError, type AppFetch } from '../console/api-call';
import { caseFileRefused, caseMissing } from '../console/case-page';
import { viewOf, type View } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

/** A form's name in the API: intake, plan… or referral-<id>. */
const FORM = /^[\w-]{1,80}$/;
const FILE_FORMATS = ['pdf', 'zip', 'json'] as const;

/** The API's refusal from its JSON body; a body that is not one still says the status. */
async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: ApiError };
    if (body.error?.message) return { code: body.error.code, message: body.error.message, details: body.error.details ?? [] };
  } catch {
    // Not JSON: said below by its status.
  }
  return { code: 'http_error', message: `HTTP ${res.status}`, details: [] };
}

/** The console's buttons over a printed form; `noprint`, so the paper has none of them. */
function toolbar(v: View, caseId: string, form: string, lang: string) {
  const { say } = v;
  const back = `/app/cases/${encodeURIComponent(caseId)}`;
  const pdf = `${back}/forms/${encodeURIComponent(form)}?${new URLSearchParams({ format: 'pdf', lang })}`;
  // console.js gives [data-print] its click (window.print()): the page's own HTML has no script.
  return String(
    html`<nav class="noprint" aria-label="${say({ vi: 'Công cụ', en: 'Tools' })}">
        <a href="${back}#case-file">${say({ vi: '← Trường hợp', en: '← Case' })}</a>
        <button type="button" data-print>${say({ vi: 'In', en: 'Print' })}</button>
        <a href="${pdf}">${say({ vi: 'Tải PDF', en: 'Download PDF' })}</a>
      </nav>
      <script src="/app/console.js" defer></script>`,
  );
}

export function consoleCaseFileRouter(deps: ApiDeps, api: Api, appFetch: () => AppFetch) {
  const router = new Hono<AppEnv>();
  const raw = rawCaller(appFetch);

  /**
   * The API's refusal as the console's page. A 404 is the case page's "not found" when the case is
   * out of reach, as there; a case the person sees with no such form says the API's own words.
   */
  async function refused(c: Context<AppEnv>, caseId: string, res: Response) {
    const v = viewOf(c, deps);
    const error = await errorOf(res);
    if (res.status === 404 && !(await api(c, 'GET', `/cases/${encodeURIComponent(caseId)}`)).ok) return c.html(caseMissing(v), 404);
    return c.html(caseFileRefused(v, caseId, error), res.status as 404);
  }

  /** A download from the API, its bytes as they came, with its type and file name. */
  async function passOn(c: Context<AppEnv>, res: Response) {
    const headers: Record<string, string> = {
      'content-type': res.headers.get('content-type') ?? 'application/octet-stream',
      // A case's file is personal data: no shared cache keeps it, whatever the API said.
      'cache-control': 'private, no-store',
    };
    const disposition = res.headers.get('content-disposition');
    if (disposition) headers['content-disposition'] = disposition;
    return c.body(await res.arrayBuffer(), 200, headers);
  }

  /** The language the form is printed in: asked for, else the reader's. */
  const langOf = (c: Context<AppEnv>) => {
    const asked = c.req.query('lang');
    return asked === 'vi' || asked === 'en' ? asked : c.get('language') === 'en' ? 'en' : 'vi';
  };

  router.get('/app/cases/:id/forms/:form', async (c) => {
    const id = c.req.param('id');
    const form = c.req.param('form');
    if (!FORM.test(form)) return c.html(caseMissing(viewOf(c, deps)), 404);
    const lang = langOf(c);
    const pdf = c.req.query('format') === 'pdf';
    const path = `/cases/${encodeURIComponent(id)}/forms/${encodeURIComponent(form)}?${new URLSearchParams({ format: pdf ? 'pdf' : 'html', lang })}`;
    const res = await raw(c, path);
    if (!res.ok) return await refused(c, id, res);
    if (pdf) return await passOn(c, res);
    const page = await res.text();
    // Once, at the marker; a function, so nothing in the toolbar is read as a replacement pattern.
    const withToolbar = page.replace(TOOLBAR_MARKER, () => toolbar(viewOf(c, deps), id, form, lang));
    c.header('cache-control', 'private, no-store');
    return c.html(withToolbar, 200);
  });

  router.get('/app/cases/:id/file', async (c) => {
    const id = c.req.param('id');
    const format = FILE_FORMATS.find((f) => f === c.req.query('format')) ?? 'pdf';
    const res = await raw(c, `/cases/${encodeURIComponent(id)}/file?${new URLSearchParams({ format, lang: langOf(c) })}`);
    if (!res.ok) return await refused(c, id, res);
    return await passOn(c, res);
  });
  return router;
}
