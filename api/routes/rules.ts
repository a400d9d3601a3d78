// /rules: the routing ruleset as versioned documents. Everyone may read, validate, simulate and
// compare; managers draft, backtest and publish. Publishing needs a backtest of the draft as it
// is now, and refuses to move any past case from the emergency to the standard path unless the
// manager confirms it.
import { createRoute, z } from '@hono/zod-openapi';
import { ensureFirstVersion, createDraft, getVersion, listDrafts, publishDraft, publishedVersion, recordCheck, updateDraft, type PolicyVersion } from '../../db/policies';
import { IntakeSchema as DomainIntake } from '../../domain/intake';
import type { RulesetDocument } from '../../domain/ruleset';
import { hashJson } from '../../security/canonical-json';
import { backtest, type BacktestSummary } from '../../rules/backtest';
import { loadDefaultRuleset } from '../../rules/default-ruleset';
import { diffRulesets } from '../../rules/diff';
import { explainRisk } from '../../rules/engine';
import { routingFacts } from '../../rules/facts';
import { validateRuleset } from '../../rules/validate';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, jsonContent } from '../schemas';

const KIND = 'routing';

// The document is checked by validateRuleset, which bounds depth before it walks anything; a
// recursive zod schema here could overflow the stack on a hostile document first.
const AnyJson = z.unknown().openapi({ description: 'A ruleset document (see the README), or { document, comment }' });
const VersionParam = z.object({ v: z.coerce.number().int().min(1).openapi({ param: { name: 'v', in: 'path' } }) });
const VersionSchema = z
  .object({
    version: z.number(),
    status: z.enum(['draft', 'published', 'retired']),
    document: z.unknown(),
    checksum: z.string(),
    derivedFrom: z.number().nullable(),
    author: z.string(),
    comment: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().nullable(),
    retiredAt: z.string().nullable(),
    checkedAt: z.string().nullable().describe('When the draft, exactly as it is now, was last backtested'),
    checkResult: z.unknown(),
  })
  .openapi('PolicyVersion');
const body = <T extends z.ZodType>(schema: T) => ({ required: true as const, content: { 'application/json': { schema } } });
const reply = (description: string) => jsonContent(z.unknown(), description);

/** A body is the document itself, or `{ document, comment }`. */
function documentAndComment(raw: unknown): { document: unknown; comment?: string } {
  if (raw && typeof raw === 'object' && 'document' in raw && !('rules' in raw)) {
    const { document, comment } = raw as { document: unknown; comment?: unknown };
    return { document, comment: typeof comment === 'string' ? comment.slice(0, 2000) : undefined };
  }
  return { document: raw };
}

function validOrThrow(raw: unknown): RulesetDocument {
  const result = validateRuleset(raw);
  if (!result.ok) throw new ApiError(422, 'invalid_ruleset', `The ruleset has ${result.errors.length} problem(s)`, result.errors);
  return result.document;
}

export function rulesRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;
  const shipped = loadDefaultRuleset().document;

  async function line(province: string) {
    await ensureFirstVersion(sql, province, KIND, shipped);
    return { province, kind: KIND } as const;
  }

  async function version(province: string, v: number): Promise<PolicyVersion<RulesetDocument>> {
    const found = await getVersion<RulesetDocument>(sql, (await line(province)).province, KIND, v);
    if (!found) throw new ApiError(404, 'not_found', `No ruleset version ${v}`, [{ path: 'v', message: 'not found' }]);
    return found;
  }

  async function draft(province: string, v: number) {
    const found = await version(province, v);
    if (found.status !== 'draft') throw new ApiError(409, 'not_a_draft', `Version ${v} is ${found.status}: it never changes; create a new draft`);
    return found;
  }

  async function published(province: string) {
    await line(province);
    const current = await publishedVersion<RulesetDocument>(sql, province, KIND);
    if (!current) throw new Error(`province ${province} has no published ruleset`);
    return current;
  }

  router.openapi(
    createRoute({ method: 'get', path: '/', summary: 'The published ruleset and the drafts', responses: { 200: reply('Rulesets'), ...errorResponses(401) } }),
    async (c) => {
      const { province } = c.get('principal');
      const current = await published(province);
      const drafts = await listDrafts<RulesetDocument>(sql, province, KIND);
      return c.json(
        {
          published: { version: current.version, document: current.document, author: current.author, comment: current.comment, publishedAt: current.publishedAt },
          drafts: drafts.map(({ document: _d, ...meta }) => meta),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({ method: 'get', path: '/versions/{v}', summary: 'One version', request: { params: VersionParam }, responses: { 200: jsonContent(VersionSchema, 'The version'), ...errorResponses(401, 404, 422) } }),
    async (c) => c.json(await version(c.get('principal').province, c.req.valid('param').v), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/validate',
      summary: 'Check a document without storing it: 200 when valid, 422 with every problem',
      request: { body: body(AnyJson) },
      responses: { 200: reply('Valid'), ...errorResponses(401, 413, 422) },
    }),
    async (c) => {
      const doc = validOrThrow(documentAndComment(c.req.valid('json')).document);
      return c.json({ valid: true, rules: doc.rules.length, checksum: hashJson(doc) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/drafts',
      summary: 'Store a new draft (derived from the published version)',
      middleware: [allow('manager')] as const,
      request: { body: body(AnyJson) },
      responses: { 201: jsonContent(VersionSchema, 'The draft'), ...errorResponses(401, 403, 413, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { document, comment } = documentAndComment(c.req.valid('json'));
      c.set('audit', { action: 'rules.draft.create' });
      const doc = validOrThrow(document);
      const created = await createDraft(sql, await line(p.province), { document: doc, author: { id: p.id, name: p.name }, comment: comment ?? '' });
      c.set('audit', { action: 'rules.draft.create', detail: { version: created.version, checksum: created.checksum } });
      return c.json(created, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/drafts/{v}',
      summary: 'Replace a draft’s document (its backtest must then be run again)',
      middleware: [allow('manager')] as const,
      request: { params: VersionParam, body: body(AnyJson) },
      responses: { 200: jsonContent(VersionSchema, 'The draft'), ...errorResponses(401, 403, 404, 409, 413, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { v } = c.req.valid('param');
      const { document, comment } = documentAndComment(c.req.valid('json'));
      c.set('audit', { action: 'rules.draft.update', detail: { version: v } });
      const doc = validOrThrow(document);
      await draft(p.province, v);
      const changed = await updateDraft(sql, await line(p.province), v, doc, comment);
      if (!changed.ok) throw new ApiError(409, 'not_a_draft', `Version ${v} is no longer a draft`);
      c.set('audit', { action: 'rules.draft.update', detail: { version: v, checksum: changed.version.checksum } });
      return c.json(changed.version, 200);
    },
  );

  const SimulateSchema = z
    .object({
      version: z.number().int().min(1).optional(),
      document: z.unknown().optional(),
      intakes: z.array(DomainIntake).min(1).max(100),
    })
    .openapi('Simulation');

  router.openapi(
    createRoute({
      method: 'post',
      path: '/simulate',
      summary: 'Decisions of a draft (default: the newest) and of the published version, side by side, explained',
      request: { body: body(SimulateSchema) },
      responses: { 200: reply('Decisions'), ...errorResponses(401, 404, 413, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const input = c.req.valid('json');
      const current = await published(p.province);
      let candidate: { version: number; document: RulesetDocument };
      if (input.document !== undefined) candidate = { version: 0, document: validOrThrow(input.document) };
      else if (input.version !== undefined) candidate = await version(p.province, input.version);
      else {
        const [newest] = await listDrafts<RulesetDocument>(sql, p.province, KIND);
        if (!newest) throw new ApiError(404, 'no_draft', 'There is no draft to simulate; send a document or a version', [{ path: 'version', message: 'required when there is no draft' }]);
        candidate = newest;
      }
      const now = new Date();
      const results = await Promise.all(
        input.intakes.map(async (intake) => {
          const facts = routingFacts(intake, now);
          const [draftSide, publishedSide] = await Promise.all([
            explainRisk({ version: candidate.version, document: candidate.document }, facts),
            explainRisk({ version: current.version, document: current.document }, facts),
          ]);
          return {
            facts,
            candidate: draftSide,
            published: publishedSide,
            changed: draftSide.decision.path !== publishedSide.decision.path || draftSide.decision.level !== publishedSide.decision.level,
          };
        }),
      );
      return c.json({ candidateVersion: candidate.version || null, publishedVersion: current.version, results }, 200);
    },
  );

  const RangeSchema = z
    .object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
    .openapi('BacktestRange');

  router.openapi(
    createRoute({
      method: 'post',
      path: '/drafts/{v}/backtest',
      summary: 'Replay the draft over past cases (default: all) and compare with their decisions',
      middleware: [allow('manager')] as const,
      request: { params: VersionParam, body: { required: false, content: { 'application/json': { schema: RangeSchema } } } },
      responses: { 200: reply('Backtest summary'), ...errorResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { v } = c.req.valid('param');
      const range = c.req.valid('json') ?? {};
      const target = await draft(p.province, v);
      const summary = await backtest(sql, p.province, { version: v, document: target.document }, range);
      await recordCheck(sql, await line(p.province), v, target.checksum, summary);
      c.set('audit', { action: 'rules.backtest', detail: { version: v, cases: summary.cases, changedPath: summary.changedPath, downgrades: summary.downgrades } });
      return c.json(summary, 200);
    },
  );

  const PublishSchema = z
    .object({ comment: z.string().trim().min(1).max(2000), confirmDowngrades: z.boolean().optional() })
    .openapi('Publish');

  router.openapi(
    createRoute({
      method: 'post',
      path: '/drafts/{v}/publish',
      summary: 'Publish a backtested draft; new cases are routed by it, old cases keep their decisions',
      middleware: [allow('manager')] as const,
      request: { params: VersionParam, body: body(PublishSchema) },
      responses: { 200: jsonContent(VersionSchema, 'Published'), ...errorResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { v } = c.req.valid('param');
      const { comment, confirmDowngrades } = c.req.valid('json');
      c.set('audit', { action: 'rules.publish', detail: { version: v, confirmDowngrades: confirmDowngrades === true } });
      await draft(p.province, v);
      const result = await publishDraft<RulesetDocument>(sql, await line(p.province), v, comment, (d) => {
        if (d.status !== 'draft') throw new ApiError(409, 'not_a_draft', `Version ${v} is ${d.status}`);
        validOrThrow(d.document);
        const check = d.checkResult as BacktestSummary | null;
        if (!d.checkedAt || !check) {
          throw new ApiError(409, 'backtest_required', `Backtest version ${v} as it is now before publishing it`, [{ path: 'v', message: 'no backtest since the last edit' }]);
        }
        if (check.downgrades > 0 && confirmDowngrades !== true) {
          const moved = check.changes.filter((ch) => ch.from.path === 'emergency' && ch.to.path === 'standard');
          throw new ApiError(
            409,
            'downgrades_unconfirmed',
            `This draft moves ${check.downgrades} past case(s) from the emergency to the standard path; publish with confirmDowngrades: true if that is intended`,
            moved.slice(0, 50).map((ch) => ({ path: `case:${ch.caseId}`, message: `${ch.from.level}/emergency → ${ch.to.level}/standard` })),
          );
        }
      });
      c.set('audit', { action: 'rules.publish', detail: { version: v, confirmDowngrades: confirmDowngrades === true, checksum: result.checksum } });
      return c.json(result, 200);
    },
  );

  const DiffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
  router.openapi(
    createRoute({ method: 'get', path: '/diff', summary: 'Rule-by-rule differences between two versions', request: { query: DiffQuery }, responses: { 200: reply('Differences'), ...errorResponses(401, 404, 422) } }),
    async (c) => {
      const { from, to } = c.req.valid('query');
      const province = c.get('principal').province;
      const [a, b] = await Promise.all([version(province, from), version(province, to)]);
      return c.json({ from, to, ...diffRulesets(a.document, b.document) }, 200);
    },
  );

  return router;
}
