// /app/cases/{id}: the case page, read through the API (the case, its timeline and referrals), and
// the actions on it posted back here, each sent to the catalogue's own route (ACTIONS[name].path).
import { Hono, type Context } from 'hono';
import { ACTION_BODIES } from '../../domain/action-bodies';
import { ACTION_NAMES, ACTIONS, type ActionName } from '../../domain/actions';
import type { Case, CaseStatus } from '../../domain/case';
import { PARTNER_KIND_LABELS } from '../../domain/labels';
import type { PartnerKind } from '../../domain/referrals';
import type { ReferralView } from '../../domain/referral-view';
import { STAGE_LABELS } from '../../domain/stages';
import { listOf, type Api } from '../console/api-call';
import { holidaysOf } from '../console/calendar';
import { isFullCase } from '../console/case-bits';
import { caseMissing, casePage, type CasePageData, type Offer, type Refused, type TimelineEvent } from '../console/case-page';
import { offersFor } from '../console/offers';
import { readForm, shapeOf, type PostedForm } from '../console/schema-form';
import { csrfMatches } from '../console/session';
import { viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

const ITEM_ID = /^[\w-]{1,64}$/;
type Choices = CasePageData['choices'];

export function consoleCasesRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  const items = <T>(c: Context<AppEnv>, path: string) => listOf<T>(api, c, path);

  /** The choices of the fields that take an id, for the actions offered. */
  async function choicesFor(c: Context<AppEnv>, subject: Case, offered: ActionName[]): Promise<Choices> {
    const say = (w: { vi: string; en: string }) => w[c.get('language') === 'en' ? 'en' : 'vi'];
    const choices: Choices = {};
    await Promise.all([
      offered.includes('assign') &&
        items<{ id: string; displayName: string; role: string; active: boolean; unitId: string | null }>(c, '/staff').then((staff) => {
          choices.workerId = staff
            .filter((s) => s.role === 'social_worker' && s.active && (!subject.unit || s.unitId === subject.unit.id))
            .map((s) => ({ value: s.id, label: s.displayName }));
        }),
      offered.includes('transfer') &&
        items<{ id: string; name: string }>(c, '/units').then((units) => {
          choices.unitId = units.filter((u) => u.id !== subject.unit?.id).map((u) => ({ value: u.id, label: u.name }));
        }),
      offered.includes('refer') &&
        items<{ id: string; name: string; kind: PartnerKind; services: string[]; active: boolean }>(c, '/partners').then((partners) => {
          choices.partnerId = partners
            .filter((p) => p.active)
            .map((p) => ({ value: p.id, label: `${p.name} (${say(PARTNER_KIND_LABELS[p.kind])}): ${p.services.join(', ')}` }));
        }),
      offered.includes('merge') &&
        subject.clientId &&
        items<Case | CaseStatus>(c, `/cases?clientId=${subject.clientId}&limit=50`).then((cases) => {
          choices.intoCaseId = cases
            .filter((o) => o.id !== subject.id && o.stage !== 'closed' && o.stage !== 'erased')
            .map((o) => ({ value: o.id, label: `${o.ref} · ${say(STAGE_LABELS[o.stage])}` }));
        }),
    ]);
    return choices;
  }

  async function render(c: Context<AppEnv>, id: string, o: { done?: Offer; refused?: Refused; status?: number } = {}) {
    const v = viewOf(c, deps);
    const found = await api<Case | CaseStatus>(c, 'GET', `/cases/${encodeURIComponent(id)}`);
    if (!found.ok) return c.html(caseMissing(v), 404);
    const subject = found.body;
    const now = new Date();
    if (!isFullCase(subject)) {
      const empty: CasePageData = { subject, timeline: [], referrals: [], offers: { onCase: [], onItems: new Map() }, choices: {}, holidays: new Set(), now };
      return c.html(casePage(v, empty), 200);
    }
    const [timeline, referrals, holidays] = await Promise.all([
      items<TimelineEvent>(c, `/cases/${id}/timeline`),
      items<ReferralView>(c, `/cases/${id}/referrals`),
      holidaysOf(deps.sql, v.principal.province),
    ]);
    const offers = offersFor(v.principal, subject, referrals);
    const choices = await choicesFor(
      c,
      subject,
      offers.onCase.map((o) => o.name),
    );
    const page = casePage(v, { subject, timeline, referrals, offers, choices, holidays, now, done: o.done, refused: o.refused });
    return c.html(page, (o.status ?? 200) as 200);
  }

  router.get('/app/cases/:id', async (c) => {
    const done = c.req.query('done');
    const item = c.req.query('item');
    const offer = ACTION_NAMES.includes(done as ActionName) ? { name: done as ActionName, param: item && ITEM_ID.test(item) ? item : undefined } : undefined;
    return render(c, c.req.param('id'), { done: offer });
  });

  router.post('/app/cases/:id', async (c) => {
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const name = ACTION_NAMES.find((n) => n === form.action);
    const param = typeof form.param === 'string' && ITEM_ID.test(form.param) ? form.param : undefined;
    if (!name) return render(c, id, { status: 400 });
    const offer: Offer = { name, param };
    const body = readForm(shapeOf(ACTION_BODIES[name]), form);
    if (!csrfMatches(c, form.csrf)) {
      const v = viewOf(c, deps);
      const error = { code: 'form_expired', message: v.say({ vi: 'Biểu mẫu đã hết hạn; hãy gửi lại', en: 'The form expired; send it again' }), details: [] };
      return render(c, id, { refused: { offer, values: body, error }, status: 403 });
    }
    const spec = ACTIONS[name];
    const path = spec.path.replace('{id}', encodeURIComponent(id)).replace(/\{\w+\}/, encodeURIComponent(param ?? '-'));
    const answer = await api(c, spec.method === 'post' ? 'POST' : 'PATCH', path, body);
    if (!answer.ok) return render(c, id, { refused: { offer, values: body, error: answer.error }, status: answer.status });
    const item = param ? `&item=${encodeURIComponent(param)}` : '';
    return c.redirect(`/app/cases/${encodeURIComponent(id)}?done=${name}${item}`, 303);
  });
  return router;
}
