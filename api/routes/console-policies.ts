// /app/rules and /app/policies/deadlines: managers edit the routing ruleset and the deadline policy
// as JSON through the API's own policy routes (validate, drafts, simulate, backtest, overdue-at-once,
// diff, publish), so the editor answers exactly what `npm run rules` and any client get.
import { Hono, type Context } from 'hono';
import type { Api, ApiError } from '../console/api-call';
import { policyPage, type Backtest, type PolicyKindPage, type PolicyPageData, type Result, type VersionMeta } from '../console/policy-page';
import type { PostedForm } from '../console/schema-form';
import { csrfMatches } from '../console/session';
import { viewOf, type View } from '../console/view';
import { SAMPLE_INTAKES } from '../../rules/sample-intakes';
import type { ApiDeps, AppEnv } from '../context';

export const POLICY_PAGES: PolicyKindPage[] = [
  { page: '/app/rules', api: '/rules', title: { vi: 'Quy tắc phân luồng', en: 'Routing rules' }, routing: true },
  { page: '/app/policies/deadlines', api: '/policies/deadlines', title: { vi: 'Quy định thời hạn', en: 'Deadline policy' }, routing: false },
];

interface Overview {
  published: VersionMeta & { document: unknown };
  drafts: Array<VersionMeta & { samples: unknown[] }>;
}
type Stored = VersionMeta & { document: unknown; samples: unknown[]; status: 'draft' | 'published' | 'retired' };

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const VERSION = /^[1-9][0-9]{0,8}$/;
/** How many versions before the published one the page lists. */
const HISTORY = 10;

export function consolePoliciesRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  /** A text the person typed, read as JSON, or why it is not JSON, named by the field. */
  function parsed(v: View, field: string, text: string): { ok: true; value: unknown } | { ok: false; error: ApiError } {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (err) {
      const message = v.say({ vi: `không phải JSON: ${(err as Error).message}`, en: `not JSON: ${(err as Error).message}` });
      return {
        ok: false,
        error: { code: 'malformed_json', message: v.say({ vi: 'Văn bản chưa đúng JSON', en: 'The text is not JSON' }), details: [{ path: field, message }] },
      };
    }
  }

  async function render(
    c: Context<AppEnv>,
    kind: PolicyKindPage,
    o: { editing?: number; typed?: { document: string; samples: string; comment: string }; result?: Result; status?: number },
  ) {
    const v = viewOf(c, deps);
    const overview = await api<Overview>(c, 'GET', kind.api);
    if (!overview.ok) return c.html('', 503);
    const { published, drafts } = overview.body;
    const earlier = Array.from({ length: Math.min(HISTORY, published.version - 1) }, (_, i) => published.version - 1 - i);
    const [current, ...older] = await Promise.all([
      o.editing ? api<Stored>(c, 'GET', `${kind.api}/versions/${o.editing}`) : undefined,
      ...earlier.map((n) => api<Stored>(c, 'GET', `${kind.api}/versions/${n}`)),
    ]);
    const stored = current?.ok && current.body.status === 'draft' ? current.body : undefined;
    const editing = stored?.version;
    const diff = editing ? await api(c, 'GET', `${kind.api}/diff?from=${published.version}&to=${editing}`) : undefined;
    const data: PolicyPageData = {
      versions: [
        ...drafts.map((d) => ({ ...d, status: 'draft' as const })).sort((a, b) => b.version - a.version),
        { ...published, status: 'published' },
        ...older.flatMap((r) => (r?.ok ? [r.body] : [])),
      ],
      published,
      editing,
      document: o.typed?.document ?? pretty(stored?.document ?? published.document),
      samples: o.typed?.samples ?? pretty(stored?.samples.length ? stored.samples : SAMPLE_INTAKES),
      comment: o.typed?.comment ?? '',
      diff: diff?.ok ? diff.body : undefined,
      result: o.result,
    };
    return c.html(policyPage(v, kind, data), (o.status ?? 200) as 200);
  }

  for (const kind of POLICY_PAGES) {
    router.get(kind.page, async (c) => {
      if (c.get('principal').role !== 'manager') return c.redirect('/app', 303);
      const v = c.req.query('v');
      const saved = Number(c.req.query('saved')) || undefined;
      const published = Number(c.req.query('published')) || undefined;
      return render(c, kind, { editing: v && VERSION.test(v) ? Number(v) : undefined, result: saved || published ? { saved, published } : undefined });
    });

    router.post(kind.page, async (c) => {
      const v = viewOf(c, deps);
      if (v.principal.role !== 'manager') return c.redirect('/app', 303);
      const form = (await c.req.parseBody()) as PostedForm;
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const typed = { document: text('document'), samples: text('samples'), comment: text('comment').trim() };
      let editing = VERSION.test(text('v')) ? Number(text('v')) : undefined;
      const again = (result: Result, status = 200) => render(c, kind, { editing, typed, result, status });
      const refused = (error: ApiError, status: number) => again({ refused: error }, status);
      if (!csrfMatches(c, form.csrf)) {
        return refused(
          { code: 'form_expired', message: v.say({ vi: 'Biểu mẫu đã hết hạn; hãy gửi lại', en: 'The form expired; send it again' }), details: [] },
          403,
        );
      }
      const document = parsed(v, 'document', typed.document);
      if (!document.ok) return refused(document.error, 422);
      const samples = kind.routing ? parsed(v, 'samples', typed.samples || '[]') : ({ ok: true, value: undefined } as const);
      if (!samples.ok) return refused(samples.error, 422);
      const action = text('do');

      if (action === 'validate') {
        const checked = await api<{ checksum: string; rules?: number }>(c, 'POST', `${kind.api}/validate`, document.value);
        return checked.ok ? again({ valid: checked.body }) : refused(checked.error, checked.status);
      }
      // Every other button works on the stored draft: keep what was typed first.
      const body = { document: document.value, ...(typed.comment ? { comment: typed.comment } : {}), ...(kind.routing ? { samples: samples.value } : {}) };
      const kept = editing
        ? await api<{ version: number }>(c, 'PUT', `${kind.api}/drafts/${editing}`, body)
        : await api<{ version: number }>(c, 'POST', `${kind.api}/drafts`, body);
      if (!kept.ok) return refused(kept.error, kept.status);
      editing = kept.body.version;
      switch (action) {
        case 'simulate': {
          const simulated = await api<{ results: Result['simulated'] }>(c, 'POST', '/rules/simulate', { version: editing, intakes: samples.value });
          return simulated.ok ? again({ simulated: simulated.body.results }) : refused(simulated.error, simulated.status);
        }
        case 'backtest': {
          const summary = await api<Backtest>(c, 'POST', `/rules/drafts/${editing}/backtest`, {});
          return summary.ok ? again({ backtest: summary.body }) : refused(summary.error, summary.status);
        }
        case 'overdue': {
          const report = await api<{ overdueAtOnce: Array<{ caseId: string; dueUnderThisPolicy: string }> }>(
            c,
            'POST',
            `/policies/deadlines/drafts/${editing}/overdue`,
          );
          return report.ok
            ? again({ overdue: report.body.overdueAtOnce.map((o) => ({ caseId: o.caseId, dueAt: o.dueUnderThisPolicy })) })
            : refused(report.error, report.status);
        }
        case 'publish': {
          const published = await api(c, 'POST', `${kind.api}/drafts/${editing}/publish`, {
            comment: typed.comment,
            ...(kind.routing ? { confirmDowngrades: form.confirmDowngrades === 'true' } : {}),
          });
          if (!published.ok) return refused(published.error, published.status);
          return c.redirect(`${kind.page}?published=${editing}`, 303);
        }
        default:
          return c.redirect(`${kind.page}?v=${editing}&saved=${editing}`, 303);
      }
    });
  }
  return router;
}
