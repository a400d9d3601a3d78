// /app/hotline, /app/contacts and /app/contacts/{id} (issue 27): the hotline page, the contact log
// (the paper log's place) and a contact's page, read and
// written through the API's /contacts routes (its roles, scope, C1 and refusals), with an
// Idempotency-Key made when the form was opened, so a double Enter never records a call twice.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Case, CaseStatus } from '../../domain/case';
import type { Contact } from '../../domain/contacts';
import { vietnamDay } from '../../domain/deadlines';
import type { Bilingual } from '../../domain/stages';
import { listOf, type Api, type ApiError } from '../console/api-call';
import { fromLocalInput } from '../console/format';
import {
  CONTACT_SHAPE,
  CORRECTION_SHAPE,
  contactLogPage,
  contactPage,
  hotlineCheck,
  hotlinePage,
  type ContactDetail,
  type ContactLogFilter,
} from '../console/hotline-page';
import { readForm, type PostedForm } from '../console/schema-form';
import { csrfMatches } from '../console/session';
import { viewOf, type View } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

const KEY = /^[\w-]{8,100}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z_]{1,40}$/;
const CONTACT_ROLES = new Set(['social_worker', 'supervisor', 'manager']);
const SAVED: Record<string, Bilingual> = {
  callback: { vi: 'Đã ghi cuộc gọi lại', en: 'The callback was recorded' },
  corrected: { vi: 'Đã lưu sửa đổi', en: 'The correction was saved' },
  recorded: { vi: 'Đã lưu cuộc gọi', en: 'The call was saved' },
};

const expired = (v: View): ApiError => ({
  code: 'form_expired',
  message: v.say({ vi: 'Biểu mẫu đã hết hạn; hãy gửi lại', en: 'The form expired; send it again' }),
  details: [],
});

/** The contact a posted hotline form stands for: the schema's fields, the timer's start and the callback's local time. */
function contactOf(form: PostedForm): Record<string, unknown> {
  const body = readForm(CONTACT_SHAPE, form);
  const local = typeof form.callbackBy === 'string' ? form.callbackBy : '';
  const callbackBy = local ? (fromLocalInput(local) ?? local) : undefined;
  return { ...body, callbackBy, caller: { anonymous: false, ...(body.caller as object | undefined) } };
}

export function consoleContactsRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  /** The hotline is the contact log's page: other roles are shown their own work instead. */
  const mayUse = (c: Context<AppEnv>) => CONTACT_ROLES.has(c.get('principal').role);

  async function hotline(
    c: Context<AppEnv>,
    o: { key?: string; startedAt?: string; values?: Record<string, unknown>; refused?: ApiError; status?: number } = {},
  ) {
    const v = viewOf(c, deps);
    const now = new Date();
    const today = await listOf<Contact>(api, c, `/contacts?recordedBy=me&from=${vietnamDay(now)}&limit=100`);
    const values = o.values ?? { channel: 'hotline' };
    const page = hotlinePage(v, { key: o.key ?? randomUUID(), startedAt: o.startedAt ?? now.toISOString(), values, refused: o.refused, today, now });
    return c.html(page, (o.status ?? 200) as 200);
  }

  async function contact(c: Context<AppEnv>, id: string, o: { refused?: ApiError; saved?: Bilingual; status?: number } = {}) {
    const v = viewOf(c, deps);
    const found = await api<ContactDetail>(c, 'GET', `/contacts/${encodeURIComponent(id)}`);
    if (!found.ok)
      return c.html(
        hotlinePage(v, { key: randomUUID(), startedAt: new Date().toISOString(), values: {}, refused: found.error, today: [], now: new Date() }),
        404,
      );
    return c.html(contactPage(v, found.body, { now: new Date(), refused: o.refused, saved: o.saved }), (o.status ?? 200) as 200);
  }

  router.get('/app/hotline', async (c) => (mayUse(c) ? hotline(c) : c.redirect('/app', 303)));

  // The live check: a fragment of the page, asked for by console.js as fields are filled.
  router.post('/app/hotline/check', async (c) => {
    const v = viewOf(c, deps);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    if (!csrfMatches(c, form.csrf)) return c.body(null, 403);
    const { channel, caller, about, topics, concerns } = contactOf(form);
    const preview = await api<Parameters<typeof hotlineCheck>[1]>(c, 'POST', '/contacts/preview', { channel, caller, about, topics, concerns });
    const problem = preview.ok ? undefined : preview.error.details.map((d) => `${d.path}: ${d.message}`).join('; ') || preview.error.message;
    return c.html(hotlineCheck(v, preview.ok ? preview.body : { problem }), 200);
  });

  router.post('/app/hotline', async (c) => {
    const v = viewOf(c, deps);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const key = typeof form.idempotencyKey === 'string' && KEY.test(form.idempotencyKey) ? form.idempotencyKey : randomUUID();
    const startedAt = typeof form.startedAt === 'string' && !Number.isNaN(Date.parse(form.startedAt)) ? form.startedAt : undefined;
    const body = { ...contactOf(form), startedAt };
    if (!csrfMatches(c, form.csrf)) return hotline(c, { key, startedAt, values: body, refused: expired(v), status: 403 });
    const created = await api<Contact>(c, 'POST', '/contacts', body, { 'idempotency-key': `console-${key}` });
    if (!created.ok) return hotline(c, { key, startedAt, values: body, refused: created.error, status: created.status });
    return c.redirect(`/app/contacts/${created.body.id}?saved=recorded`, 303);
  });

  // The contact log: the API's list with its filters; a filter it refuses shows as the list's refusal.
  router.get('/app/contacts', async (c) => {
    if (!mayUse(c)) return c.redirect('/app', 303);
    const v = viewOf(c, deps);
    const pick = (name: string, pattern: RegExp) => {
      const value = c.req.query(name);
      return value && pattern.test(value) ? value : undefined;
    };
    const filter: ContactLogFilter = {
      from: pick('from', DAY),
      to: pick('to', DAY),
      callType: pick('callType', CODE),
      outcome: pick('outcome', CODE),
    };
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
    const cursor = pick('cursor', /^[\w-]{1,80}$/);
    if (cursor) query.set('cursor', cursor);
    query.set('limit', '50');
    const page = await api<{ items: Contact[]; nextCursor: string | null }>(c, 'GET', `/contacts?${query}`);
    const now = new Date();
    return c.html(contactLogPage(v, { items: page.ok ? page.body.items : [], filter, next: page.ok ? page.body.nextCursor : null, now }), 200);
  });

  router.get('/app/contacts/:id', async (c) => {
    const saved = SAVED[c.req.query('saved') ?? ''];
    return contact(c, c.req.param('id'), { saved });
  });

  router.post('/app/contacts/:id', async (c) => {
    const v = viewOf(c, deps);
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    if (!csrfMatches(c, form.csrf)) return contact(c, id, { refused: expired(v), status: 403 });
    const local = typeof form.callbackBy === 'string' ? form.callbackBy : '';
    const { callbackBy: _typed, ...corrected } = readForm(CORRECTION_SHAPE, form);
    const body = { ...corrected, ...(local ? { callbackBy: fromLocalInput(local) ?? local } : {}) };
    const answer = await api(c, 'PATCH', `/contacts/${encodeURIComponent(id)}`, body);
    if (!answer.ok) return contact(c, id, { refused: answer.error, status: answer.status });
    return c.redirect(`/app/contacts/${encodeURIComponent(id)}?saved=corrected`, 303);
  });

  router.post('/app/contacts/:id/callback', async (c) => {
    const v = viewOf(c, deps);
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    if (!csrfMatches(c, form.csrf)) return contact(c, id, { refused: expired(v), status: 403 });
    const body = { reachedPerson: form.reachedPerson === 'true', summary: form.summary, outcome: form.outcome };
    const answer = await api(c, 'POST', `/contacts/${encodeURIComponent(id)}/callback`, body);
    if (!answer.ok) return contact(c, id, { refused: answer.error, status: answer.status });
    return c.redirect(`/app/contacts/${encodeURIComponent(id)}?saved=callback`, 303);
  });

  router.post('/app/contacts/:id/case', async (c) => {
    const v = viewOf(c, deps);
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    if (!csrfMatches(c, form.csrf)) return contact(c, id, { refused: expired(v), status: 403 });
    const text = (name: string) => (typeof form[name] === 'string' && (form[name] as string).trim() ? (form[name] as string).trim() : undefined);
    const fullName = text('client.fullName');
    const commune = text('client.location.commune');
    const client = { ...(fullName ? { fullName } : {}), ...(commune ? { location: { commune } } : {}) };
    const answer = await api<Case | CaseStatus>(c, 'POST', `/contacts/${encodeURIComponent(id)}/case`, Object.keys(client).length ? { client } : {});
    if (!answer.ok) return contact(c, id, { refused: answer.error, status: answer.status });
    return c.redirect(`/app/cases/${answer.body.id}`, 303);
  });
  return router;
}
