// /app/carers and /app/carers/{id} (issue 28): the carers register in the console, read and written
// through the API's /carers routes (its roles, province and validation), so the page has no rules
// of its own: every staff member finds a place; managers and administrators add and change carers.
import { Hono, type Context } from 'hono';
import type { Carer, CarerPlacement } from '../../domain/carers';
import { CARER_KINDS } from '../../domain/carers';
import { listOf, type Api } from '../console/api-call';
import { CARER_SCHEMAS, carerPage, carersPage, type CarerFilter } from '../console/carers-page';
import type { Outcome } from '../console/directory-page';
import { readForm, shapeOf, type PostedForm } from '../console/schema-form';
import { csrfMatches } from '../console/session';
import { viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

const ID = /^[0-9a-f-]{36}$/i;
const EDITORS = new Set(['manager', 'admin']);

export function consoleCarersRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();
  const staffOnly = (c: Context<AppEnv>) => c.get('principal').role !== 'collaborator';

  async function render(
    c: Context<AppEnv>,
    filter: CarerFilter,
    o: { outcome?: Omit<Outcome, 'resource'> & { resource: string }; saved?: boolean } = {},
    status = 200,
  ) {
    const v = viewOf(c, deps);
    const query = new URLSearchParams();
    if (filter.kind) query.set('kind', filter.kind);
    if (filter.commune) query.set('commune', filter.commune);
    if (filter.available) query.set('available', 'true');
    const carers = await listOf<Carer>(api, c, `/carers?${query}`);
    return c.html(carersPage(v, { carers, filter, canEdit: EDITORS.has(v.principal.role), ...o }), status as 200);
  }

  router.get('/app/carers', async (c) => {
    if (!staffOnly(c)) return c.redirect('/app', 303);
    const kind = CARER_KINDS.find((k) => k === c.req.query('kind'));
    const commune = (c.req.query('commune') ?? '').trim().slice(0, 100) || undefined;
    return render(c, { kind, commune, available: c.req.query('available') === 'true' }, { saved: c.req.query('saved') !== undefined });
  });

  router.post('/app/carers', async (c) => {
    const v = viewOf(c, deps);
    if (!EDITORS.has(v.principal.role)) return c.redirect('/app/carers', 303);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const op = form.op === 'create' || form.op === 'update' ? form.op : undefined;
    const id = typeof form.id === 'string' && ID.test(form.id) ? form.id : undefined;
    if (!op || (op === 'update' && !id)) return render(c, {}, {}, 400);
    const body = readForm(shapeOf(op === 'create' ? CARER_SCHEMAS.create : CARER_SCHEMAS.update), form, [], { uncheckedIsFalse: op === 'update' });
    if (!csrfMatches(c, form.csrf)) {
      const error = { code: 'form_expired', message: v.say({ vi: 'Biểu mẫu đã hết hạn; hãy gửi lại', en: 'The form expired; send it again' }), details: [] };
      return render(c, {}, { outcome: { resource: 'carers', op, id, refused: { error, values: body } } }, 403);
    }
    const answer = op === 'create' ? await api(c, 'POST', '/carers', body) : await api(c, 'PATCH', `/carers/${id}`, body);
    if (!answer.ok) return render(c, {}, { outcome: { resource: 'carers', op, id, refused: { error: answer.error, values: body } } }, answer.status);
    return c.redirect('/app/carers?saved=1', 303);
  });

  router.get('/app/carers/:id', async (c) => {
    if (!staffOnly(c)) return c.redirect('/app', 303);
    const found = await api<Carer & { placements: CarerPlacement[] }>(c, 'GET', `/carers/${encodeURIComponent(c.req.param('id'))}`);
    if (!found.ok) return c.redirect('/app/carers', 303);
    return c.html(carerPage(viewOf(c, deps), found.body), 200);
  });
  return router;
}
