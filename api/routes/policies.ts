// The routes every versioned policy document shares (the routing ruleset under /rules, the
// deadline policy under /policies/deadlines): read, validate, draft, replace, publish, diff.
// Everyone may read; managers change. What a kind needs beyond that comes in its PolicySpec.
import { createRoute, z } from '@hono/zod-openapi';
import { text, versionText } from '../../domain/input';
import {
  createDraft,
  ensureFirstVersion,
  getVersion,
  listDrafts,
  publishDraft,
  publishedVersion,
  updateDraft,
  type PolicyKind,
  type PolicyVersion,
} from '../../db/policies';
import { hashJson } from '../../db/canonical-json';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import type { ErrorCode } from '../../domain/errors';
import type { Bilingual } from '../../domain/stages';
import { ApiError, zodDetails, type ErrorDetail } from '../errors';
import { errorResponses, jsonContent } from '../schemas';

export interface PolicySpec<D> {
  kind: PolicyKind;
  /** In messages: "ruleset", "deadline policy". */
  noun: Bilingual;
  /** The error code of a document with problems. */
  invalid: Extract<ErrorCode, 'invalid_ruleset' | 'invalid_policy'>;
  /** Prefix of audit actions: "rules", "policy.deadlines". */
  audit: string;
  shipped: D;
  validate(raw: unknown): { ok: true; document: D } | { ok: false; errors: ErrorDetail[] };
  diff(from: D, to: D): Record<string, unknown>;
  /** Refuses to publish (throws an ApiError) when the draft's checks say no. */
  guardPublish?(draft: PolicyVersion<D>, request: { confirmDowngrades?: boolean }): void;
  /** The sample inputs a draft of this kind keeps (the ruleset's intakes); kinds without it keep none. */
  samples?: z.ZodType<unknown[]>;
  /** What publishing this document means for open cases, reported in the answer. */
  publishReport?(deps: ApiDeps, province: string, published: PolicyVersion<D>): Promise<Record<string, unknown>>;
}

// The document is checked by spec.validate, which bounds depth before it walks anything; a
// recursive zod schema here could overflow the stack on a hostile document first.
const AnyJson = z.unknown().openapi({ description: 'The document, or { document, comment, samples }' });
export const VersionParam = z.object({
  v: versionText().openapi({ param: { name: 'v', in: 'path' } }),
});
const VersionSchema = z
  .object({
    version: z.number(),
    status: z.enum(['draft', 'published', 'retired']),
    // Each kind has its own document; its schema is in the README.
    document: z.any(),
    checksum: z.string(),
    derivedFrom: z.number().nullable(),
    author: z.string(),
    comment: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().nullable(),
    retiredAt: z.string().nullable(),
    checkedAt: z.string().nullable().describe('When the draft, exactly as it is now, was last checked (backtested)'),
    checkResult: z.any(),
    samples: z.array(z.any()).describe('Sample inputs kept with the draft (the ruleset’s intakes to simulate on)'),
  })
  .openapi('PolicyVersion');
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true as const, content: { 'application/json': { schema } } });
const reply = (description: string) => jsonContent(z.unknown(), description);

const STATUS_WORDS = { draft: 'bản nháp', published: 'đã ban hành', retired: 'đã thay thế' };
function notADraft(v: number, status: 'draft' | 'published' | 'retired') {
  return new ApiError('not_a_draft', [], {
    vi: `Phiên bản ${v} ${STATUS_WORDS[status]}: không bao giờ thay đổi; hãy tạo bản nháp mới`,
    en: `Version ${v} is ${status}: it never changes; create a new draft`,
  });
}

/** A body is the document itself, or `{ document, comment }`. */
function documentAndComment(raw: unknown): { document: unknown; comment?: string; samples?: unknown } {
  if (raw && typeof raw === 'object' && 'document' in raw && !('rules' in raw)) {
    const { document, comment, samples } = raw as { document: unknown; comment?: unknown; samples?: unknown };
    return { document, comment: typeof comment === 'string' ? comment.slice(0, 2000) : undefined, samples };
  }
  return { document: raw };
}

/** The shared routes, and the helpers a kind's own routes use. */
export function policyRoutes<D>(deps: ApiDeps, spec: PolicySpec<D>) {
  const router = newRouter();
  const { sql } = deps;
  const { kind, noun } = spec;
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

  // Hono types JSON answers structurally, which a generic document defeats; the schema documents them.
  const plain = (v: PolicyVersion<D>) => v as PolicyVersion<any>;

  /** The samples sent with a draft, checked by the kind's schema; a kind without samples refuses them. */
  function samplesOrThrow(raw: unknown): unknown[] | undefined {
    if (raw === undefined) return undefined;
    const parsed = spec.samples?.safeParse(raw);
    if (parsed?.success) return parsed.data;
    const details = parsed
      ? zodDetails(parsed.error).map((d) => ({ ...d, path: d.path === '(body)' ? 'samples' : `samples${d.path.startsWith('[') ? '' : '.'}${d.path}` }))
      : [{ path: 'samples', message: { vi: `${noun.vi} không lưu mẫu`, en: `a ${noun.en} keeps no samples` } }];
    throw new ApiError('validation_failed', details);
  }

  function validOrThrow(raw: unknown): D {
    const result = spec.validate(raw);
    if (!result.ok) {
      throw new ApiError(spec.invalid, result.errors, {
        vi: `${cap(noun.vi)} có ${result.errors.length} lỗi`,
        en: `The ${noun.en} has ${result.errors.length} problem(s)`,
      });
    }
    return result.document;
  }

  async function line(province: string) {
    await ensureFirstVersion(sql, province, kind, spec.shipped);
    return { province, kind };
  }

  async function version(province: string, v: number): Promise<PolicyVersion<D>> {
    const found = await getVersion<D>(sql, (await line(province)).province, kind, v);
    if (!found)
      throw new ApiError('not_found', [{ path: 'v', message: { vi: 'không tìm thấy', en: 'not found' } }], {
        vi: `Không có phiên bản ${v} của ${noun.vi}`,
        en: `No ${noun.en} version ${v}`,
      });
    return found;
  }

  async function draft(province: string, v: number): Promise<PolicyVersion<D>> {
    const found = await version(province, v);
    if (found.status !== 'draft') throw notADraft(v, found.status);
    return found;
  }

  async function published(province: string): Promise<PolicyVersion<D>> {
    await line(province);
    const current = await publishedVersion<D>(sql, province, kind);
    if (!current) throw new Error(`province ${province} has no published ${noun.en}`);
    return current;
  }

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: `The published ${noun.en} and the drafts`,
      responses: { 200: reply('Versions'), ...errorResponses(401) },
    }),
    async (c) => {
      const { province } = c.get('principal');
      const current = await published(province);
      const drafts = await listDrafts<D>(sql, province, kind);
      return c.json(
        {
          published: {
            version: current.version,
            document: current.document,
            author: current.author,
            comment: current.comment,
            publishedAt: current.publishedAt,
          },
          drafts: drafts.map(({ document: _d, ...meta }) => meta),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/versions/{v}',
      summary: 'One version',
      request: { params: VersionParam },
      responses: { 200: jsonContent(VersionSchema, 'The version'), ...errorResponses(401, 404, 422) },
    }),
    async (c) => c.json(plain(await version(c.get('principal').province, c.req.valid('param').v)), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/validate',
      summary: 'Check a document without storing it: 200 when valid, 422 with every problem and its path',
      request: { body: jsonBody(AnyJson) },
      responses: { 200: reply('Valid'), ...errorResponses(401, 413, 422) },
    }),
    async (c) => {
      const doc = validOrThrow(documentAndComment(c.req.valid('json')).document);
      return c.json(
        {
          valid: true,
          checksum: hashJson(doc),
          ...(Array.isArray((doc as { rules?: unknown[] }).rules) ? { rules: (doc as { rules: unknown[] }).rules.length } : {}),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/drafts',
      summary: 'Store a new draft (derived from the published version)',
      middleware: [allow('manager')] as const,
      request: { body: jsonBody(AnyJson) },
      responses: { 201: jsonContent(VersionSchema, 'The draft'), ...errorResponses(401, 403, 413, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { document, comment, samples } = documentAndComment(c.req.valid('json'));
      c.set('audit', { action: `${spec.audit}.draft.create` });
      const doc = validOrThrow(document);
      const kept = samplesOrThrow(samples);
      const created = await createDraft(sql, await line(p.province), {
        document: doc,
        author: { id: p.id, name: p.name },
        comment: comment ?? '',
        samples: kept,
      });
      c.set('audit', { action: `${spec.audit}.draft.create`, detail: { version: created.version, checksum: created.checksum } });
      return c.json(plain(created), 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/drafts/{v}',
      summary: 'Replace a draft’s document (its checks must then run again)',
      middleware: [allow('manager')] as const,
      request: { params: VersionParam, body: jsonBody(AnyJson) },
      responses: { 200: jsonContent(VersionSchema, 'The draft'), ...errorResponses(401, 403, 404, 409, 413, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { v } = c.req.valid('param');
      const { document, comment, samples } = documentAndComment(c.req.valid('json'));
      c.set('audit', { action: `${spec.audit}.draft.update`, detail: { version: v } });
      const doc = validOrThrow(document);
      const kept = samplesOrThrow(samples);
      await draft(p.province, v);
      const changed = await updateDraft(sql, await line(p.province), v, doc, comment, kept);
      if (!changed.ok) throw notADraft(v, 'published');
      c.set('audit', { action: `${spec.audit}.draft.update`, detail: { version: v, checksum: changed.version.checksum } });
      return c.json(plain(changed.version), 200);
    },
  );

  const PublishSchema = z.strictObject({ comment: text(2000), confirmDowngrades: z.boolean().optional() }).openapi('Publish');

  router.openapi(
    createRoute({
      method: 'post',
      path: '/drafts/{v}/publish',
      summary: 'Publish a draft; it applies from now on, and what was decided under earlier versions stays',
      middleware: [allow('manager')] as const,
      request: { params: VersionParam, body: jsonBody(PublishSchema) },
      responses: { 200: reply('Published'), ...errorResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { v } = c.req.valid('param');
      const request = c.req.valid('json');
      c.set('audit', { action: `${spec.audit}.publish`, detail: { version: v, confirmDowngrades: request.confirmDowngrades === true } });
      await draft(p.province, v);
      const result = await publishDraft<D>(sql, await line(p.province), v, request.comment, (d) => {
        if (d.status !== 'draft') throw notADraft(v, d.status);
        validOrThrow(d.document);
        spec.guardPublish?.(d, request);
      });
      const report = spec.publishReport ? await spec.publishReport(deps, p.province, result) : {};
      c.set('audit', {
        action: `${spec.audit}.publish`,
        detail: { version: v, confirmDowngrades: request.confirmDowngrades === true, checksum: result.checksum },
      });
      return c.json({ ...result, ...report }, 200);
    },
  );

  const DiffQuery = z.object({ from: versionText(), to: versionText() });
  router.openapi(
    createRoute({
      method: 'get',
      path: '/diff',
      summary: 'Differences between two versions',
      request: { query: DiffQuery },
      responses: { 200: reply('Differences'), ...errorResponses(401, 404, 422) },
    }),
    async (c) => {
      const { from, to } = c.req.valid('query');
      const province = c.get('principal').province;
      const [a, b] = await Promise.all([version(province, from), version(province, to)]);
      return c.json({ from, to, ...spec.diff(a.document, b.document) }, 200);
    },
  );

  return { router, validOrThrow, version, draft, published, line };
}
