// /app/programmes and /app/programmes/{id} (issue 29): group and community work in the console,
// read and written through the API's /programmes routes (its roles, scope G3 and refusals), so the
// pages have no rules of their own: social workers, supervisors and managers read them and enrol;
// managers create, change, close and reopen programmes (PATCH /programmes/{id}); a session's
// attendance is saved in one post (G2), by whom the API allows.
import { Hono, type Context } from 'hono';
import type { Case, CaseStatus } from '../../domain/case';
import { EnrolmentOutcomeSchema, NewEnrolmentSchema, NewSessionSchema, type Programme } from '../../domain/programmes';
import { vietnamDay } from '../../domain/vietnam-time';
import { listOf, type Api, type ApiError } from '../console/api-call';
import type { ClientMatch } from '../console/intake-page';
import { formRefusal, readNewProgramme, readProgrammeEdit, type EditState } from '../console/programme-edit';
import {
  PROGRAMME_SAVED,
  programmePage,
  programmesPage,
  type ProgrammeDetail,
  type ProgrammePageState,
  type ProgrammeSaved,
  type Refused,
} from '../console/programmes-page';
import { readForm, shapeOf, type PostedForm } from '../console/schema-form';
import { csrfMatches } from '../console/session';
import { viewOf, type View } from '../console/view';
import type { StaffItem } from '../console/choices';
import type { ApiDeps, AppEnv } from '../context';

const ID = /^[0-9a-f-]{36}$/i;
const READERS = new Set(['social_worker', 'supervisor', 'manager']);
const FACILITATOR_ROLES = new Set(['social_worker', 'supervisor', 'manager']);

/** The facilitators ticked in a posted form. */
const ticked = (form: PostedForm) => (form.facilitators === undefined ? [] : [form.facilitators].flat().filter((x): x is string => typeof x === 'string'));

const expired = (v: View): ApiError => ({
  code: 'form_expired',
  message: v.say({ vi: 'Biểu mẫu đã hết hạn; hãy gửi lại', en: 'The form expired; send it again' }),
  details: [],
});

export function consoleProgrammesRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  /** The province's units, and its staff who may run a programme, each named with their unit. */
  async function people(c: Context<AppEnv>) {
    const [staff, units] = await Promise.all([listOf<StaffItem>(api, c, '/staff'), listOf<{ id: string; name: string }>(api, c, '/units')]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    return {
      staff: staff
        .filter((s) => s.active && FACILITATOR_ROLES.has(s.role))
        .map((s) => ({ id: s.id, label: [s.displayName, s.unitId && unitName.get(s.unitId)].filter(Boolean).join(' · ') })),
      units: units.map((u) => ({ value: u.id, label: u.name })),
    };
  }

  async function renderList(c: Context<AppEnv>, o: { refused?: Refused; saved?: boolean } = {}, status = 200) {
    const v = viewOf(c, deps);
    const manager = v.principal.role === 'manager';
    const [all, known] = await Promise.all([listOf<Programme>(api, c, '/programmes'), manager ? people(c) : undefined]);
    const mine = all.filter((p) => p.unit.id === v.principal.unitId);
    const others = all.filter((p) => p.unit.id !== v.principal.unitId);
    const create = known ? { ...known, refused: o.refused } : undefined;
    return c.html(programmesPage(v, { mine, others, create, saved: o.saved }), status as 200);
  }

  async function renderOne(
    c: Context<AppEnv>,
    id: string,
    state: Partial<Omit<ProgrammePageState, 'manage'>> & { manage?: Omit<EditState, 'staff'> } = {},
    status = 200,
  ) {
    const v = viewOf(c, deps);
    const me = v.principal;
    const [found, known] = await Promise.all([
      api<ProgrammeDetail>(c, 'GET', `/programmes/${encodeURIComponent(id)}`),
      me.role === 'manager' ? people(c) : undefined,
    ]);
    if (!found.ok) return c.redirect('/app/programmes', 303);
    const p = found.body;
    // A manager ticks the facilitators among the staff who may run it, and its facilitators now.
    const manage: EditState | undefined = known && {
      ...state.manage,
      staff: [...p.facilitators.filter((f) => !known.staff.some((s) => s.id === f.id)).map((f) => ({ id: f.id, label: f.displayName })), ...known.staff],
    };
    const canRecord = p.facilitators.some((f) => f.id === me.id) || me.role === 'manager' || (me.role === 'supervisor' && me.unitId === p.unit.id);
    const facilitatorChoices = [
      ...(p.facilitators.some((f) => f.id === me.id) ? [] : [{ value: me.id, label: v.displayName }]),
      ...p.facilitators.map((f) => ({ value: f.id, label: f.displayName })),
    ];
    let find = state.find;
    const name = (c.req.query('find') ?? '').trim().slice(0, 200);
    if (!find && name) {
      const clients = await listOf<ClientMatch>(api, c, `/clients?${new URLSearchParams({ name, limit: '10' })}`);
      const cases = await Promise.all(clients.map((m) => listOf<Case | CaseStatus>(api, c, `/cases?clientId=${m.id}&limit=20`)));
      find = {
        name,
        clients: clients.map((m) => ({ value: m.id, label: [m.fullName, m.birthYear, m.commune].filter(Boolean).join(' · ') })),
        cases: clients.flatMap((m, i) =>
          cases[i]!.filter((k) => k.stage !== 'closed' && k.stage !== 'erased').map((k) => ({ value: k.id, label: k.ref, group: m.fullName })),
        ),
      };
    }
    const saved = c.req.query('saved') as ProgrammeSaved | undefined;
    return c.html(
      programmePage(v, p, {
        today: vietnamDay(),
        now: new Date(),
        canRecord,
        facilitatorChoices,
        find,
        saved: saved && PROGRAMME_SAVED.includes(saved) ? saved : undefined,
        ...state,
        manage,
      }),
      status as 200,
    );
  }

  router.get('/app/programmes', async (c) => {
    if (!READERS.has(c.get('principal').role)) return c.redirect('/app', 303);
    return renderList(c, { saved: c.req.query('saved') !== undefined });
  });

  router.post('/app/programmes', async (c) => {
    const v = viewOf(c, deps);
    if (v.principal.role !== 'manager') return c.redirect('/app/programmes', 303);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const { body, schedule, refusal } = readNewProgramme(v.say, form, ticked(form));
    if (!csrfMatches(c, form.csrf)) return renderList(c, { refused: { error: expired(v), values: body, schedule } }, 403);
    if (refusal) return renderList(c, { refused: { error: refusal, values: body, schedule } }, 422);
    const answer = await api<Programme>(c, 'POST', '/programmes', body);
    if (!answer.ok) return renderList(c, { refused: { error: answer.error, values: body, schedule } }, answer.status);
    return c.redirect(`/app/programmes/${answer.body.id}`, 303);
  });

  /** A manager's post about one programme: its id, or a redirect for anyone else. */
  function managerPost(c: Context<AppEnv>): string | undefined {
    const id = c.req.param('id') ?? '';
    return c.get('principal').role === 'manager' && ID.test(id) ? id : undefined;
  }

  router.post('/app/programmes/:id/edit', async (c) => {
    const v = viewOf(c, deps);
    const id = managerPost(c);
    if (!id) return c.redirect('/app/programmes', 303);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const { all, patch, schedule, was, refusal } = readProgrammeEdit(v.say, form, ticked(form));
    const again = (error: ApiError, status: number) => renderOne(c, id, { manage: { edit: { error, values: all, schedule, was } } }, status);
    if (!csrfMatches(c, form.csrf)) return again(expired(v), 403);
    if (refusal) return again(refusal, 422);
    if (Object.keys(patch).length === 0) return c.redirect(`/app/programmes/${id}?saved=unchanged`, 303);
    const answer = await api<Programme>(c, 'PATCH', `/programmes/${id}`, patch);
    if (!answer.ok) return again(answer.error, answer.status);
    return c.redirect(`/app/programmes/${id}?saved=programme`, 303);
  });

  /** Closing (ticked "Tôi xác nhận…") and reopening: one PATCH of `closed`. */
  const closing = (closed: boolean) => async (c: Context<AppEnv>) => {
    const v = viewOf(c, deps);
    const id = managerPost(c);
    if (!id) return c.redirect('/app/programmes', 303);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const again = (error: ApiError, status: number) => renderOne(c, id, { manage: { close: { error, values: {} } } }, status);
    if (!csrfMatches(c, form.csrf)) return again(expired(v), 403);
    if (closed && form.confirm !== 'yes') {
      return again(
        formRefusal(v.say, 'confirm', { vi: 'hãy đánh dấu xác nhận để đóng chương trình', en: 'tick the confirmation to close the programme' }),
        422,
      );
    }
    const answer = await api<Programme>(c, 'PATCH', `/programmes/${id}`, { closed });
    if (!answer.ok) return again(answer.error, answer.status);
    return c.redirect(`/app/programmes/${id}?saved=${closed ? 'closed' : 'reopened'}`, 303);
  };
  router.post('/app/programmes/:id/close', closing(true));
  router.post('/app/programmes/:id/reopen', closing(false));

  router.get('/app/programmes/:id', async (c) => {
    if (!READERS.has(c.get('principal').role)) return c.redirect('/app', 303);
    return renderOne(c, c.req.param('id'));
  });

  /** A post of the programme's page: read by its schema, sent to the API, shown again refused or done. */
  function action(
    path: (id: string, c: Context<AppEnv>) => string | undefined,
    shape: Parameters<typeof readForm>[0],
    key: 'session' | 'enrolment' | 'outcome',
  ) {
    return async (c: Context<AppEnv>) => {
      const v = viewOf(c, deps);
      const id = c.req.param('id') ?? '';
      if (!READERS.has(v.principal.role) || !ID.test(id)) return c.redirect('/app/programmes', 303);
      const target = path(id, c);
      if (!target) return c.redirect(`/app/programmes/${id}`, 303);
      const form = (await c.req.parseBody({ all: true })) as PostedForm;
      const body = readForm(shape, form);
      const again = (error: ApiError, status: number) => {
        const refused = { error, values: body };
        const state: Partial<ProgrammePageState> =
          key === 'session'
            ? { session: refused }
            : key === 'enrolment'
              ? { enrol: refused }
              : { outcome: { ...refused, enrolmentId: c.req.param('eid') ?? '' } };
        return renderOne(c, id, state, status);
      };
      if (!csrfMatches(c, form.csrf)) return again(expired(v), 403);
      const answer = await api(c, 'POST', target, body);
      if (!answer.ok) return again(answer.error, answer.status);
      const anchor = key === 'session' ? '#sessions' : '#members';
      return c.redirect(`/app/programmes/${id}?saved=${key}${anchor}`, 303);
    };
  }

  router.post(
    '/app/programmes/:id/sessions',
    action((id) => `/programmes/${id}/sessions`, shapeOf(NewSessionSchema), 'session'),
  );
  router.post(
    '/app/programmes/:id/enrolments',
    action((id) => `/programmes/${id}/enrolments`, shapeOf(NewEnrolmentSchema), 'enrolment'),
  );
  router.post(
    '/app/programmes/:id/enrolments/:eid/outcome',
    action(
      (id, c) => {
        const eid = c.req.param('eid') ?? '';
        return ID.test(eid) ? `/programmes/${id}/enrolments/${eid}/outcome` : undefined;
      },
      shapeOf(EnrolmentOutcomeSchema),
      'outcome',
    ),
  );
  return router;
}
