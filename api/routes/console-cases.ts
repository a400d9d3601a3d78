// /app/cases/{id}: the case page, read through the API (the case, its timeline and referrals, the
// province's available carers when a placement may be made, the forms it can print), and the
// actions on it posted back here, each sent to the catalogue's own route (ACTIONS[name].path).
import { Hono, type Context } from 'hono';
import { ACTION_BODIES } from '../../domain/action-bodies';
import { ACTION_NAMES, ACTIONS, type ActionName } from '../../domain/actions';
import type { Case, CaseStatus } from '../../domain/case';
import type { Carer } from '../../domain/carers';
import type { ReferralView } from '../../domain/referral-view';
import { listOf, type Api } from '../console/api-call';
import { holidaysOf } from '../console/calendar';
import { choicesFor, mergeChoices, readDirectory } from '../console/choices';
import { isFullCase } from '../console/case-bits';
import { BACK, type Offer, type Refused } from '../console/action-form';
import { caseMissing, casePage, type CaseForms, type CasePageData, type TimelineEvent } from '../console/case-page';
import { offersFor } from '../console/offers';
import { carerChoices } from '../console/placement-bits';
import { programmeChoices } from '../console/plan-groups';
import { readForm, shapeOf, type PostedForm } from '../console/schema-form';
import { csrfMatches } from '../console/session';
import { viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

const ITEM_ID = /^[\w-]{1,64}$/;

export function consoleCasesRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  const items = <T>(c: Context<AppEnv>, path: string) => listOf<T>(api, c, path);

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
    const [timeline, referrals, holidays, forms] = await Promise.all([
      items<TimelineEvent>(c, `/cases/${id}/timeline`),
      items<ReferralView>(c, `/cases/${id}/referrals`),
      holidaysOf(deps.sql, v.principal.province),
      // The printable forms (issue 31): the page is whole without them, so a refusal leaves the section out.
      v.principal.role === 'collaborator' ? undefined : api<CaseForms>(c, 'GET', `/cases/${encodeURIComponent(id)}/forms`).catch(() => undefined),
    ]);
    const offers = offersFor(v.principal, subject, referrals);
    const offered = offers.onCase.map((o) => o.name);
    // A carer to pick: for a first placement, or a move away from the current one.
    const picking = offers.placing !== undefined || [...offers.onItems.values()].flat().some((o) => o.name === 'movePlacement');
    const [directory, merge, carers, programmes] = await Promise.all([
      readDirectory(api, c, offered),
      offered.includes('merge') ? mergeChoices(api, c, subject, v.say) : {},
      picking ? items<Carer>(c, '/carers?available=true') : [],
      programmeChoices(api, c, subject, offered),
    ]);
    const choices = {
      ...choicesFor(directory, subject, v.say),
      ...merge,
      ...(picking ? { carerId: carerChoices(carers, subject, v.say, subject.placedNow?.carerId) } : {}),
      ...programmes.choices,
    };
    const page = casePage(v, {
      ...{ subject, timeline, referrals, offers, choices, holidays, now, programmeNames: programmes.names, forms: forms?.ok ? forms.body : undefined },
      ...{ done: o.done, refused: o.refused },
    });
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
    // Back to the inbox or board the form was on, else to the case.
    if (typeof form.back === 'string' && BACK.test(form.back)) return c.redirect(`${form.back}?done=${name}&case=${encodeURIComponent(id)}`, 303);
    const item = param ? `&item=${encodeURIComponent(param)}` : '';
    return c.redirect(`/app/cases/${encodeURIComponent(id)}?done=${name}${item}`, 303);
  });
  return router;
}
