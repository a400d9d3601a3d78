// /rules: the routing ruleset. On top of the shared policy routes: simulation, and a backtest
// over past cases that publishing requires. Publishing refuses to move any past case from the
// emergency to the standard path unless the manager confirms it — the safety catch for the
// child left on the wrong path.
import { createRoute, z } from '@hono/zod-openapi';
import { instant, versionNumber } from '../../domain/input';
import { listDrafts, recordCheck } from '../../db/policies';
import { IntakeSchema as DomainIntake } from '../../domain/intake';
import type { RulesetDocument } from '../../domain/ruleset';
import { backtest, type BacktestSummary } from '../../rules/backtest';
import { loadDefaultRuleset } from '../../rules/default-ruleset';
import { diffRulesets } from '../../rules/diff';
import { explainRisk } from '../../rules/engine';
import { routingFacts } from '../../rules/facts';
import { validateRuleset } from '../../rules/validate';
import { allow } from '../auth';
import type { ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, jsonContent } from '../schemas';
import { jsonBody, policyRoutes, VersionParam } from './policies';

export function rulesRouter(deps: ApiDeps) {
  const { router, validOrThrow, version, draft, published, line } = policyRoutes<RulesetDocument>(deps, {
    kind: 'routing',
    noun: { vi: 'bộ quy tắc', en: 'ruleset' },
    invalid: 'invalid_ruleset',
    audit: 'rules',
    shipped: loadDefaultRuleset().document,
    validate: validateRuleset,
    samples: z.array(DomainIntake).max(100),
    diff: (a, b) => ({ ...diffRulesets(a, b) }),
    guardPublish(d, request) {
      const check = d.checkResult as BacktestSummary | null;
      if (!d.checkedAt || !check) {
        throw new ApiError('backtest_required', [{ path: 'v', message: { vi: 'chưa chạy thử từ lần sửa cuối', en: 'no backtest since the last edit' } }], {
          vi: `Hãy chạy thử phiên bản ${d.version} như hiện nay trước khi ban hành`,
          en: `Backtest version ${d.version} as it is now before publishing it`,
        });
      }
      if (check.downgrades > 0 && request.confirmDowngrades !== true) {
        const moved = check.changes.filter((ch) => ch.from.path === 'emergency' && ch.to.path === 'standard');
        throw new ApiError(
          'downgrades_unconfirmed',
          moved.slice(0, 50).map((ch) => ({ path: `case:${ch.caseId}`, message: `${ch.from.level}/emergency → ${ch.to.level}/standard` })),
          {
            vi: `Bản nháp chuyển ${check.downgrades} trường hợp cũ từ luồng khẩn cấp sang luồng thường; ban hành với confirmDowngrades: true nếu đúng ý`,
            en: `This draft moves ${check.downgrades} past case(s) from the emergency to the standard path; publish with confirmDowngrades: true if that is intended`,
          },
        );
      }
    },
  });
  const reply = (description: string) => jsonContent(z.unknown(), description);

  const SimulateSchema = z
    .strictObject({ version: versionNumber().optional(), document: z.unknown().optional(), intakes: z.array(DomainIntake).min(1).max(100) })
    .openapi('Simulation');

  router.openapi(
    createRoute({
      method: 'post',
      path: '/simulate',
      summary: 'Decisions of a draft (default: the newest) and of the published version, side by side, explained',
      request: { body: jsonBody(SimulateSchema) },
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
        const [newest] = await listDrafts<RulesetDocument>(deps.sql, p.province, 'routing');
        if (!newest) {
          throw new ApiError('no_draft', [{ path: 'version', message: { vi: 'bắt buộc khi chưa có bản nháp', en: 'required when there is no draft' } }], {
            vi: 'Chưa có bản nháp để mô phỏng; hãy gửi một văn bản hoặc số phiên bản',
            en: 'There is no draft to simulate; send a document or a version',
          });
        }
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
          const changed = draftSide.decision.path !== publishedSide.decision.path || draftSide.decision.level !== publishedSide.decision.level;
          return { facts, candidate: draftSide, published: publishedSide, changed };
        }),
      );
      return c.json({ candidateVersion: candidate.version || null, publishedVersion: current.version, results }, 200);
    },
  );

  const RangeSchema = z.strictObject({ from: instant().optional(), to: instant().optional() }).openapi('BacktestRange');

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
      const summary = await backtest(deps.sql, p.province, { version: v, document: target.document }, range);
      await recordCheck(deps.sql, await line(p.province), v, target.checksum, summary);
      c.set('audit', {
        action: 'rules.backtest',
        detail: { version: v, cases: summary.cases, changedPath: summary.changedPath, downgrades: summary.downgrades },
      });
      return c.json(summary, 200);
    },
  );

  return router;
}
