// Staff actions on a case, one route per entry of the catalogue (domain/actions.ts) with its body
// schema (domain/action-bodies.ts). The role is checked here first (403), the case's scope next
// (404), the body (422); then the workflow's update, whose validator refuses, changing nothing, an
// action out of stage (409), by the wrong role or approving one's own request (403). The answer is
// the case as it is after the action's write.
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { Context } from 'hono';
import { eraseCaseData, findCase, toStatus } from '../../db/cases';
import { findActiveSocialWorker, unitExistsInProvince } from '../../db/directory';
import { findCarer } from '../../db/carers';
import { findPartner } from '../../db/partners';
import { findCasePlacement } from '../../db/placements';
import { findCaseReferral, listCaseReferrals } from '../../db/referrals';
import { ACTION_BODIES, type ActionInput } from '../../domain/action-bodies';
import { ACTION_NAMES, ACTIONS, auditName, type ActionName, type ActionReply, type ActionSpec } from '../../domain/actions';
import { ReferralSchema, SuggestedDraftsAnswer, SuggestedDraftsSchema, type ReferralView } from '../../domain/referral-view';
import { TERMINAL_REFERRAL_STATUSES } from '../../domain/referrals';
import type { Case } from '../../domain/case';
import { BAD_DATA_FAILURE, CARER_FULL_FAILURE, ERRORS, type ErrorCode, type RefusalCode } from '../../domain/errors';
import { PlacementSchema } from '../../domain/placement-view';
import type { Bilingual } from '../../domain/stages';
import { vietnamDay } from '../../domain/vietnam-time';
import { actionUpdate, type Actor } from '../../workflows/messages';
import { allow } from '../auth';
import { caseInScope } from '../case-scope';
import { presentCase } from '../case-view';
import { enrolmentRefusalOf, planEnrolmentChecks } from '../plan-enrolments';
import { newRouter, type ApiDeps, type AppEnv } from '../context';
import { ApiError, ENDED_BEFORE_ANSWER } from '../errors';
import { presentReferral, presentReferrals, suggestionsFor, suggests } from '../referral-view';
import { CaseView, errorResponses, IdParam, jsonContent } from '../schemas';

/** How long an erasure waits for the case's workflow to end before it destroys the key anyway. */
const ERASURE_WAIT_MS = 15_000;

const REFUSALS: readonly RefusalCode[] = [
  'forbidden',
  'out_of_stage',
  'case_erased',
  'unknown_reference',
  'own_approval',
  'validation_failed',
  'no_pending_risk',
  'not_found',
  'invalid_transition',
  'open_interventions',
  'open_referrals',
  'active_placement',
];

/** `/cases/{id}/interventions/{interventionId}` → its path parameters, each a string. */
function pathParams(path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return z.object(Object.fromEntries(names.map((name) => [name, z.string().openapi({ param: { name, in: 'path' } })])));
}

/** Checks an action needs beyond the workflow's own: those that read other records. */
type Precheck<K extends ActionName> = (c: Context<AppEnv>, subject: Case, input: ActionInput<K>) => Promise<void>;

/** What an action answers: the case, or the referral or placement it is about (domain/actions.ts, `answers`). */
function answerOf(spec: ActionSpec): Record<number, ReturnType<typeof jsonContent>> {
  if (spec.answers === 'new_placement') return { 201: jsonContent(PlacementSchema, 'The placement begun, with its limit (endsBy) or visit rhythm') };
  if (spec.answers === 'placement') return { 200: jsonContent(PlacementSchema, 'The placement after the action') };
  if (spec.answers === 'new_referral') return { 201: jsonContent(ReferralSchema, 'The referral, sent (with its deadline and link) or kept as a draft') };
  if (spec.answers === 'referral') return { 200: jsonContent(ReferralSchema, 'The referral after the action') };
  return { 200: jsonContent(CaseView, 'The case after the action, or its status if it left your scope') };
}

export function caseActionsRouter(deps: ApiDeps) {
  const router = newRouter();

  // A body naming something that does not exist, or that its sender may not see, is 409 naming the
  // field (404 is kept for the resource in the path); one that conflicts with the case is 409 too.
  const missing = (path: string, message: Bilingual) => new ApiError('unknown_reference', [{ path, message }], message);
  const conflicting = (path: string, message: Bilingual) => new ApiError('conflict', [{ path, message }], message);

  /** A carer of the caller's province that can take one more person now (P3 is checked again as it is written). */
  async function placeable(c: Context<AppEnv>, carerId: string) {
    const carer = await findCarer(deps.sql, carerId, c.get('principal').province);
    const at = (message: Bilingual) => [{ path: 'carerId', message }];
    if (!carer) {
      const message = { vi: 'không có nơi chăm sóc này trong tỉnh của bạn', en: 'no carer with this id in your province' };
      throw new ApiError('not_found', at(message), message);
    }
    if (!carer.active || (carer.approvedUntil !== null && carer.approvedUntil < vietnamDay())) {
      const message = carer.active
        ? { vi: `${carer.name} hết hạn công nhận từ ${carer.approvedUntil}`, en: `${carer.name}'s approval ended on ${carer.approvedUntil}` }
        : { vi: `${carer.name} đã ngừng nhận chăm sóc`, en: `${carer.name} is no longer active` };
      throw new ApiError('carer_not_approved', at(message), message);
    }
    if (carer.placesTaken >= carer.capacity) {
      const message = { vi: `${carer.name} đã đủ ${carer.capacity} chỗ`, en: `${carer.name} has taken all ${carer.capacity} places` };
      throw new ApiError('carer_full', at(message), message);
    }
  }

  const prechecks: { [K in ActionName]?: Precheck<K> } = {
    // Group work (issue 29): a programme the plan names, checked for the case's person.
    ...planEnrolmentChecks(deps),
    async assign(c, subject, { workerId }) {
      const worker = await findActiveSocialWorker(deps.sql, workerId, c.get('principal').province);
      if (!worker) {
        throw missing('workerId', {
          vi: 'không có nhân viên CTXH đang làm việc với mã này trong tỉnh',
          en: 'no active social worker with this id in your province',
        });
      }
      // I6: a case is worked in its unit; moving it is a transfer, which both supervisors hear of.
      if (subject.unit && worker.unitId !== subject.unit.id) {
        throw new ApiError('other_unit', [{ path: 'workerId', message: { vi: 'nhân viên thuộc đơn vị khác', en: 'this worker belongs to another unit' } }]);
      }
    },
    async transfer(c, subject, { unitId }) {
      if (!(await unitExistsInProvince(deps.sql, unitId, c.get('principal').province))) {
        throw missing('unitId', { vi: 'không có đơn vị này trong tỉnh của bạn', en: 'no unit with this id in your province' });
      }
      if (subject.unit?.id === unitId) throw conflicting('unitId', { vi: 'trường hợp đã ở đơn vị này', en: 'the case is in this unit already' });
    },
    async refer(c, _subject, { partnerId, service }) {
      const partner = await findPartner(deps.sql, partnerId, c.get('principal').province);
      if (!partner?.active)
        throw missing('partnerId', { vi: 'không có đối tác đang hoạt động với mã này trong tỉnh', en: 'no active partner with this id in your province' });
      if (!partner.services.includes(service)) {
        throw conflicting('service', {
          vi: `${partner.name} không cung cấp dịch vụ này; có: ${partner.services.join(', ')}`,
          en: `${partner.name} does not offer this service; it offers: ${partner.services.join(', ')}`,
        });
      }
    },
    place: (c, _subject, { carerId }) => placeable(c, carerId),
    movePlacement: (c, _subject, { carerId }) => placeable(c, carerId),
    async merge(c, source, { intoCaseId }) {
      const target = await findCase(deps.sql, intoCaseId, c.get('principal'));
      if (!target) throw missing('intoCaseId', { vi: 'không có trường hợp này', en: 'no such case' });
      if (source.id === target.id)
        throw conflicting('intoCaseId', { vi: 'không thể gộp một trường hợp vào chính nó', en: 'a case cannot be merged into itself' });
      if (!source.clientId || source.clientId !== target.clientId) {
        throw conflicting('intoCaseId', { vi: 'hai trường hợp không cùng một người', en: 'the cases are about different clients' });
      }
      if (target.stage === 'closed' || target.mergedInto)
        throw conflicting('intoCaseId', { vi: 'trường hợp gộp vào không còn mở', en: 'the case to merge into is not open' });
    },
  };

  /**
   * I5, after the workflow recorded the erasure and ended: the case's key goes (its Temporal history,
   * and every backup of it, becomes unreadable), then what identifies the person in PostgreSQL.
   */
  async function finishErasure(id: string) {
    const handle = deps.temporal.workflow.getHandle(id);
    await deps.temporal
      .withDeadline(Date.now() + ERASURE_WAIT_MS, () => handle.result())
      .catch(() => {
        // Not ended in time (or ended before): nothing may read the history once the key is gone.
      });
    await deps.caseKeys.destroy(id);
    await eraseCaseData(deps.sql, id);
    await handle.terminate('case erased').catch(() => {
      // Already ended, as it should be.
    });
  }

  /**
   * What the caller hears when the workflow did not take the action; undefined when an erasure
   * goes on anyway (the workflow ended first: the erasure is still owed to the person).
   */
  function refusalOf(err: unknown, name: ActionName): unknown {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const code = err.cause.type as ErrorCode;
      if (REFUSALS.includes(code as RefusalCode)) return new ApiError(code, [], (err.cause.details?.[0] as Bilingual | undefined) ?? ERRORS[code].message);
      if (err.cause.type === ENDED_BEFORE_ANSWER) return name === 'erase' ? undefined : new ApiError('case_not_running');
    }
    // P3: the carer's last place went to another case between the check and the write.
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ActivityFailure && err.cause.cause instanceof ApplicationFailure) {
      if (err.cause.cause.type === CARER_FULL_FAILURE) {
        const message = { vi: 'nơi chăm sóc này vừa hết chỗ', en: 'this carer has just taken its last place' };
        return new ApiError('carer_full', [{ path: 'carerId', message }], message);
      }
    }
    // The database refused what the action would record: nothing of it was kept.
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ActivityFailure && err.cause.cause instanceof ApplicationFailure) {
      if (err.cause.cause.type === BAD_DATA_FAILURE) return new ApiError('record_refused', [{ path: '(body)', message: err.cause.cause.message }]);
    }
    if (err instanceof WorkflowNotFoundError) return name === 'erase' ? undefined : new ApiError('case_not_running');
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new ApiError('action_delayed');
    return err;
  }

  /** Runs an action on a case in the caller's scope; answers the workflow's reply and the case as it was. */
  async function perform<K extends ActionName>(c: Context<AppEnv>, id: string, name: K, input: ActionInput<K>) {
    const p = c.get('principal');
    const audit = auditName(name);
    c.set('audit', { action: audit, caseId: id, detail: { stage: null } });
    const before = await caseInScope(deps.sql, id, p);
    c.set('audit', { action: audit, caseId: id, detail: { from: before.stage } });
    const erased = before.stage === 'erased' || before.erasedAt !== null;
    // An erased case takes no action; erasing it again finishes an erasure a crash interrupted.
    if (erased && name !== 'erase') throw new ApiError('case_erased');
    await prechecks[name]?.(c, before, input);
    const actor: Actor = { id: p.id, name: p.name, role: p.role };
    let replied: ActionReply | undefined;
    try {
      if (!erased) {
        const handle = deps.temporal.workflow.getHandle(id);
        replied = await deps.temporal.withDeadline(Date.now() + deps.actionTimeoutMs, () => handle.executeUpdate(actionUpdate(name), { args: [actor, input] }));
      }
    } catch (err) {
      const refusal = enrolmentRefusalOf(err, name, before) ?? refusalOf(err, name);
      if (refusal) throw refusal;
    }
    if (name === 'erase') await finishErasure(id);
    return { before, replied };
  }

  /** Runs an action and answers the case as it now is, or the referral the action is about. */
  async function act<K extends ActionName>(c: Context<AppEnv>, name: K, input: ActionInput<K>) {
    const id = c.req.param('id') ?? '';
    const p = c.get('principal');
    const audit = auditName(name);
    const { before, replied } = await perform(c, id, name, input);
    const answers = (ACTIONS[name] as ActionSpec).answers;
    const placement = answers && replied?.placementId ? await findCasePlacement(deps.sql, id, replied.placementId) : undefined;
    if (placement) {
      c.set('audit', { action: audit, caseId: id, detail: { placementId: placement.id, status: placement.status } });
      return c.json(placement, answers === 'new_placement' ? 201 : 200);
    }
    const referral = answers && replied?.referralId ? await findCaseReferral(deps.sql, id, replied.referralId) : undefined;
    if (referral) {
      c.set('audit', { action: audit, caseId: id, detail: { referralId: referral.id, status: referral.status } });
      return c.json((await presentReferrals(deps.sql, [referral], deps.referralLinks))[0]!, answers === 'new_referral' ? 201 : 200);
    }
    // I4: an action can take a case out of its actor's scope (a transfer, a restriction): then the
    // answer is its status, as GET /cases/{id} would now answer nothing more.
    const inScope = await findCase(deps.sql, id, p);
    const after = inScope ?? (await findCase(deps.sql, id))!;
    c.set('audit', { action: audit, caseId: id, detail: { from: before.stage, to: after.stage } });
    return c.json(inScope ? await presentCase(deps.sql, inScope, p) : toStatus(after), 200);
  }

  function mount<K extends ActionName>(name: K) {
    const spec = ACTIONS[name];
    const route = createRoute({
      method: spec.method,
      path: spec.path.replace(/^\/cases/, ''),
      summary: spec.summary.en,
      description: `${spec.summary.vi}. Roles: ${spec.roles.join(', ')}. Stages: ${spec.stages.join(', ')}.`,
      middleware: [allow(...spec.roles)] as const,
      request: {
        params: pathParams(spec.path),
        body: { required: true, content: { 'application/json': { schema: ACTION_BODIES[name] } } },
      },
      responses: {
        ...answerOf(spec),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
      },
    });
    // The route's validators have checked the body and the path; its generic types cannot say so.
    router.openapi(route, (c: Context<AppEnv, string, { out: { json: object; param: Record<string, string> } }>) => {
      const { id: _case, ...params } = c.req.valid('param');
      return act(c, name, { ...c.req.valid('json'), ...params } as ActionInput<K>);
    });
  }
  for (const name of ACTION_NAMES) mount(name);

  // The routing's suggestions as drafts, one per kind of partner: the first matching partner and
  // its first service; a kind the case already has an open referral to is skipped, so a second
  // call creates nothing twice.
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/referrals/suggested',
      summary: 'Turn the routing’s suggested referrals into drafts, one per kind of partner',
      description: `Roles: ${ACTIONS.refer.roles.join(', ')}. Each draft is then sent with /cases/{id}/referrals/{referralId}/send.`,
      middleware: [allow(...ACTIONS.refer.roles)] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: SuggestedDraftsSchema } } } },
      responses: {
        200: jsonContent(SuggestedDraftsAnswer, 'The drafts made, and the kinds skipped with why'),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reason, consent } = c.req.valid('json');
      c.set('audit', { action: 'case.refer_suggested', caseId: id });
      const subject = await caseInScope(deps.sql, id, c.get('principal'));
      const open = (await listCaseReferrals(deps.sql, id)).filter((r) => !TERMINAL_REFERRAL_STATUSES.includes(r.status));
      const items: ReferralView[] = [];
      const skipped: Array<{ kind: string; reason: 'already_referred' | 'no_partner' }> = [];
      for (const suggestion of await suggestionsFor(deps.sql, subject)) {
        const partner = suggestion.partners[0];
        if (open.some((r) => suggests(suggestion.kind, { kind: r.partner.kind, services: [r.service] })))
          skipped.push({ kind: suggestion.kind, reason: 'already_referred' });
        else if (!partner) skipped.push({ kind: suggestion.kind, reason: 'no_partner' });
        else {
          // The service the suggestion names, when the partner offers it; otherwise its first.
          const service = partner.services.find((s) => suggests(suggestion.kind, { kind: '', services: [s] })) ?? partner.services[0]!;
          const input = { partnerId: partner.id, service, reason, consent, draft: true };
          const { replied } = await perform(c, id, 'refer', input);
          const made = replied?.referralId && (await findCaseReferral(deps.sql, id, replied.referralId));
          if (made) items.push(presentReferral(made, deps.referralLinks));
        }
      }
      c.set('audit', { action: 'case.refer_suggested', caseId: id, detail: { drafted: items.map((r) => r.id), skipped } });
      return c.json({ items, skipped }, 200);
    },
  );

  return router;
}
