// /app/directory: administrators keep the province's directory — staff, units, partners and
// integration tokens — through the API's own routes (GET, POST, PATCH /staff, /units, /partners;
// POST and DELETE /tokens), with forms made from those routes' request schemas.
import { Hono, type Context } from 'hono';
import { ROLE_LABELS } from '../../domain/access';
import { PARTNER_KIND_LABELS } from '../../domain/labels';
import { partnerSchemas, type Partner } from '../../domain/partners';
import { listOf, type Api } from '../console/api-call';
import type { Choices } from '../console/choices';
import { directoryPage, type Entry, type Outcome, type Resource, type Section } from '../console/directory-page';
import { dateOnly } from '../console/format';
import { readForm, shapeOf, type PostedForm } from '../console/schema-form';
import { csrfMatches } from '../console/session';
import { viewOf, type View } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';
import { NewStaffSchema, StaffPatchSchema } from './staff';
import { NewTokenSchema } from './tokens';
import { NewUnitSchema, UnitPatchSchema } from './units';

interface Staff {
  id: string;
  username: string;
  displayName: string;
  role: keyof typeof ROLE_LABELS;
  unitId: string | null;
  active: boolean;
  email: string | null;
  phone: string | null;
  language: 'vi' | 'en';
}
interface Unit {
  id: string;
  name: string;
  areas: string[];
  isDefault: boolean;
  supervisorId: string | null;
  onCallWorkerId: string | null;
}
interface Token {
  id: string;
  name: string;
  role: keyof typeof ROLE_LABELS;
  createdAt: string;
  revokedAt: string | null;
}

const PATHS: Record<Resource, string> = { staff: '/staff', units: '/units', partners: '/partners', tokens: '/tokens' };
const ID = /^[0-9a-f-]{36}$/i;

export function consoleDirectoryRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();
  const { NewPartnerSchema, PartnerPatchSchema } = partnerSchemas(deps.webhookAllowedHosts);
  const SCHEMAS = {
    staff: { create: NewStaffSchema, update: StaffPatchSchema },
    units: { create: NewUnitSchema, update: UnitPatchSchema },
    partners: { create: NewPartnerSchema, update: PartnerPatchSchema },
    tokens: { create: NewTokenSchema, update: undefined },
  } as const;

  async function render(c: Context<AppEnv>, v: View, o: { outcome?: Outcome; saved?: boolean } = {}, status = 200) {
    const [staff, units, partners, tokens] = await Promise.all([
      listOf<Staff>(api, c, '/staff'),
      listOf<Unit>(api, c, '/units'),
      listOf<Partner>(api, c, '/partners'),
      listOf<Token>(api, c, '/tokens'),
    ]);
    const { say } = v;
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const staffName = new Map(staff.map((s) => [s.id, s.displayName]));
    const line = (...parts: Array<string | null | undefined>) => parts.filter(Boolean).join(' · ');
    const sections: Section[] = [
      {
        resource: 'staff',
        title: { vi: 'Nhân viên', en: 'Staff' },
        ...SCHEMAS.staff,
        entries: staff.map((s): Entry => ({
          id: s.id,
          title: `${s.displayName} (${s.username})`,
          detail: line(say(ROLE_LABELS[s.role]), s.unitId && unitName.get(s.unitId), s.email, s.phone),
          inactive: !s.active,
          values: {
            displayName: s.displayName,
            role: s.role,
            unitId: s.unitId ?? undefined,
            active: s.active,
            email: s.email,
            phone: s.phone,
            language: s.language,
          },
        })),
      },
      {
        resource: 'units',
        title: { vi: 'Đơn vị', en: 'Units' },
        ...SCHEMAS.units,
        entries: units.map((u): Entry => ({
          id: u.id,
          title: u.name,
          detail: line(
            u.areas.join(', ') || (u.isDefault ? say({ vi: 'đơn vị mặc định', en: 'default unit' }) : ''),
            u.supervisorId && `${say({ vi: 'trưởng phòng', en: 'supervisor' })}: ${staffName.get(u.supervisorId)}`,
            u.onCallWorkerId && `${say({ vi: 'trực', en: 'on call' })}: ${staffName.get(u.onCallWorkerId)}`,
          ),
          values: { areas: u.areas, isDefault: u.isDefault, supervisorId: u.supervisorId ?? undefined, onCallWorkerId: u.onCallWorkerId ?? undefined },
        })),
      },
      {
        resource: 'partners',
        title: { vi: 'Đối tác', en: 'Partners' },
        ...SCHEMAS.partners,
        entries: partners.map((p): Entry => ({
          id: p.id,
          title: p.name,
          detail: line(say(PARTNER_KIND_LABELS[p.kind]), p.services.join(', '), p.contact.email, p.contact.phone, p.webhook?.url),
          inactive: !p.active,
          // The webhook's secret is write-only: a change form starts without it.
          values: { name: p.name, kind: p.kind, services: p.services, communes: p.communes, contact: p.contact, active: p.active },
        })),
      },
      {
        resource: 'tokens',
        title: { vi: 'Mã truy cập tích hợp', en: 'Integration tokens' },
        create: SCHEMAS.tokens.create,
        revoke: true,
        entries: tokens.map((t): Entry => ({
          id: t.id,
          title: t.name,
          detail: line(say(ROLE_LABELS[t.role]), dateOnly(t.createdAt), t.revokedAt && `${say({ vi: 'thu hồi', en: 'revoked' })} ${dateOnly(t.revokedAt)}`),
          inactive: t.revokedAt !== null,
        })),
      },
    ];
    const choices: Choices = {
      unitId: units.map((u) => ({ value: u.id, label: u.name })),
      supervisorId: staff.filter((s) => s.role === 'supervisor' && s.active).map((s) => ({ value: s.id, label: s.displayName })),
      onCallWorkerId: staff.filter((s) => s.role === 'social_worker' && s.active).map((s) => ({ value: s.id, label: s.displayName })),
    };
    return c.html(directoryPage(v, sections, choices, o), status as 200);
  }

  router.get('/app/directory', async (c) => {
    const v = viewOf(c, deps);
    if (v.principal.role !== 'admin') return c.redirect('/app', 303);
    return render(c, v, { saved: c.req.query('saved') !== undefined });
  });

  router.post('/app/directory', async (c) => {
    const v = viewOf(c, deps);
    if (v.principal.role !== 'admin') return c.redirect('/app', 303);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const resource = (Object.keys(PATHS) as Resource[]).find((r) => r === form.resource);
    const op = form.op === 'create' || form.op === 'update' || form.op === 'revoke' ? form.op : undefined;
    const id = typeof form.id === 'string' && ID.test(form.id) ? form.id : undefined;
    if (!resource || !op || (op !== 'create' && !id)) return render(c, v, {}, 400);
    const schema = op === 'create' ? SCHEMAS[resource].create : SCHEMAS[resource].update;
    const body = schema ? readForm(shapeOf(schema), form, [], { uncheckedIsFalse: op === 'update' }) : undefined;
    if (!csrfMatches(c, form.csrf)) {
      const error = { code: 'form_expired', message: v.say({ vi: 'Biểu mẫu đã hết hạn; hãy gửi lại', en: 'The form expired; send it again' }), details: [] };
      return render(c, v, { outcome: { resource, op, id, refused: { error, values: body } } }, 403);
    }
    const answer =
      op === 'create'
        ? await api<{ name: string; token?: string }>(c, 'POST', PATHS[resource], body)
        : op === 'update'
          ? await api(c, 'PATCH', `${PATHS[resource]}/${id}`, body)
          : await api(c, 'DELETE', `${PATHS[resource]}/${id}`);
    if (!answer.ok) return render(c, v, { outcome: { resource, op, id, refused: { error: answer.error, values: body } } }, answer.status);
    // A token is shown once, on this answer; nothing else needs to stay on a posted page.
    const issued = answer.body as { name?: string; token?: string };
    if (resource === 'tokens' && issued.token)
      return render(c, v, { outcome: { resource, op, issuedToken: { name: issued.name ?? '', token: issued.token } } }, 201);
    return c.redirect(`/app/directory?saved=${resource}#${resource}`, 303);
  });
  return router;
}
