// /app/intake: a new report, written in the form the intake's schema makes, checked live (earlier
// cases through GET /clients, the routing through POST /cases/preview) and created by POST /cases
// with an Idempotency-Key, so a double tap or a retried post never makes two cases.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { provinceName } from '../../db/directory';
import type { Case, CaseStatus, RiskDecision } from '../../domain/case';
import type { Suggestion } from '../../domain/referral-view';
import type { Api } from '../console/api-call';
import { holidaysOf } from '../console/calendar';
import { INTAKE_SHAPE, intakeCheck, intakeDone, intakePage, type ClientMatch } from '../console/intake-page';
import { readForm, type PostedForm } from '../console/schema-form';
import { offlineHeaders } from '../console/offline-app';
import { csrfMatches } from '../console/session';
import { viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

const KEY = /^[\w-]{8,100}$/;

export function consoleIntakeRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  router.get('/app/intake', async (c) => {
    const v = viewOf(c, deps);
    const province = (await provinceName(deps.sql, v.principal.province)) ?? '';
    const values = { channel: v.principal.role === 'collaborator' ? 'collaborator' : 'hotline', client: { location: { province } } };
    // A collaborator's form opens again with no connection (issue 30); a staff member's does not.
    offlineHeaders(c, { keep: v.principal.role === 'collaborator' });
    return c.html(intakePage(v, { key: randomUUID(), values }), 200);
  });

  // The live check: a fragment of the page, asked for by console.js as fields are filled.
  router.post('/app/intake/check', async (c) => {
    const v = viewOf(c, deps);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    if (!csrfMatches(c, form.csrf)) return c.body(null, 403);
    const draft = readForm(INTAKE_SHAPE, form) as { client?: { fullName?: string; phone?: string; birthYear?: number } };
    const client = draft.client ?? {};
    const search = new URLSearchParams();
    if (client.fullName && client.fullName.length >= 2) search.set('name', client.fullName);
    if (client.phone && client.phone.replace(/\D/g, '').length >= 8) search.set('phone', client.phone);
    if (typeof client.birthYear === 'number' && search.size > 0) search.set('birthYear', String(client.birthYear));
    const staff = v.principal.role !== 'collaborator';
    const [found, preview] = await Promise.all([
      staff && search.size > 0 ? api<{ items: ClientMatch[] }>(c, 'GET', `/clients?${search}&limit=10`) : undefined,
      api<{ decision: RiskDecision; priorCases: number | null }>(c, 'POST', '/cases/preview', draft),
    ]);
    return c.html(
      intakeCheck(v, {
        matches: found?.ok ? found.body.items : undefined,
        ...(preview.ok ? preview.body : { problem: preview.error.details.map((d) => `${d.path}: ${d.message}`).join('; ') || preview.error.message }),
      }),
      200,
    );
  });

  router.post('/app/intake', async (c) => {
    const v = viewOf(c, deps);
    const form = (await c.req.parseBody({ all: true })) as PostedForm;
    const key = typeof form.idempotencyKey === 'string' && KEY.test(form.idempotencyKey) ? form.idempotencyKey : randomUUID();
    const intake = readForm(INTAKE_SHAPE, form);
    // A report that waited on a phone (issue 30) is sent by offline.js, which reads the answer as JSON.
    const outbox = c.req.header('x-outbox') === '1';
    if (!csrfMatches(c, form.csrf)) {
      const expired = { code: 'form_expired', message: v.say({ vi: 'Biểu mẫu đã hết hạn; hãy gửi lại', en: 'The form expired; send it again' }), details: [] };
      if (outbox) return c.json({ error: expired }, 403);
      return c.html(intakePage(v, { key, values: intake, refused: expired }), 403);
    }
    const body = typeof form.recordedAt === 'string' && form.recordedAt ? { ...(intake as object), recordedAt: form.recordedAt } : intake;
    const created = await api<Case | CaseStatus>(c, 'POST', '/cases', body, { 'idempotency-key': `console-${key}` });
    if (outbox) return created.ok ? c.json({ id: created.body.id, ref: created.body.ref }, 201) : c.json({ error: created.error }, created.status as 400);
    if (!created.ok) return c.html(intakePage(v, { key, values: intake, refused: created.error }), created.status as 400);
    const now = new Date();
    const [referrals, holidays] = await Promise.all([
      'risk' in created.body ? api<{ suggested: Suggestion[] }>(c, 'GET', `/cases/${created.body.id}/referrals`) : undefined,
      holidaysOf(deps.sql, v.principal.province),
    ]);
    return c.html(intakeDone(v, created.body, { suggested: referrals?.ok ? referrals.body.suggested : [], holidays, now }), created.status as 201);
  });
  return router;
}
