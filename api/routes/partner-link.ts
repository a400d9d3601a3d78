// /r/{token}: the partner's side of a referral, no account needed (a short path: staff read it out
// by phone or paste it into Zalo). The token (security/referral-links.ts) is the credential and
// opens one referral only, until it ends:
//   GET   a small bilingual page (or, with Accept: application/json, the same as JSON)
//   POST  { action: accept | decline | complete, reason?, outcome? } from the page or a system
// A wrong token is 404; an ended referral 410; a move its status does not allow 409; repeating
// the last answer 200 with `changed: false`. What the partner sees is the consented subset (R1).
import { readFileSync } from 'node:fs';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { findReferralByTokenHash, type ReferralRow } from '../../db/referrals';
import type { ErrorCode } from '../../domain/errors';
import type { Intake } from '../../domain/intake';
import { sharedRows } from '../../domain/labels';
import { PartnerAnswerSchema, PartnerReferralSchema, type PartnerReferral } from '../../domain/referral-view';
import { partnerActionsIn, REFERRAL_MOVES, REFERRAL_STATUS_LABELS, sharedData, TERMINAL_REFERRAL_STATUSES } from '../../domain/referrals';
import type { Bilingual } from '../../domain/stages';
import { partnerAnswerUpdate } from '../../workflows/messages';
import { newRouter, type ApiDeps, type AppEnv } from '../context';
import { ApiError, ENDED_BEFORE_ANSWER } from '../errors';
import { page } from '../console/layout';
import { errorResponses, jsonContent } from '../schemas';

const TokenParam = z.object({ token: z.string().openapi({ param: { name: 'token', in: 'path' } }) });
/** An HMAC-SHA256 in base64url: anything else is no token of ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

type Found = ReferralRow & { intake: Intake | null };

/** The page's script, a file of ours under the public /r/ (no inline script runs: api/headers.ts). */
const PARTNER_SCRIPT_PATH = '/r/answer.js';
const PARTNER_SCRIPT = readFileSync(new URL('../console/partner.js', import.meta.url), 'utf8');

const noSuchLink = () =>
  new ApiError('not_found', [{ path: 'token', message: { vi: 'đường dẫn không đúng', en: 'not a valid link' } }], {
    vi: 'Không có chuyển gửi nào với đường dẫn này',
    en: 'No referral has this link',
  });

function partnerView(r: Found): PartnerReferral {
  return {
    ref: r.caseRef,
    service: r.service,
    reason: r.reason,
    status: r.status,
    respondBy: r.respondBy,
    sharedData: r.intake ? sharedData(r.intake as unknown as Record<string, unknown>, r.consent.scope) : {},
    actions: partnerActionsIn(r.status),
  };
}

/** A shared value in words, in both languages: codes by their labels, an address by its parts. */
const vietnamTime = (iso: string) => new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });

function referralPage(view: PartnerReferral) {
  const status = REFERRAL_STATUS_LABELS[view.status];
  const rows = sharedRows(view.sharedData).map(({ label, words }) => {
    const english = words.en !== words.vi ? html` <span class="en">${words.en}</span>` : '';
    return html`<dt>${label.vi} <span class="en">${label.en}</span></dt>
      <dd>${words.vi}${english}</dd>`;
  });
  const can = new Set(view.actions);
  return page(
    { vi: `Chuyển gửi ${view.ref}`, en: `Referral ${view.ref}` },
    html`<h1>Chuyển gửi ${view.ref} <span class="en">Referral ${view.ref}</span></h1>
      <dl>
        <dt>Dịch vụ <span class="en">Service</span></dt>
        <dd>${view.service}</dd>
        <dt>Lý do <span class="en">Reason</span></dt>
        <dd>${view.reason}</dd>
        <dt>Trạng thái <span class="en">Status</span></dt>
        <dd>${status.vi} <span class="en">${status.en}</span></dd>
        ${
          view.respondBy
            ? html`<dt>Trả lời trước <span class="en">Answer by</span></dt>
                <dd>${vietnamTime(view.respondBy)}</dd>`
            : ''
        }
      </dl>
      <h2>Thông tin được chia sẻ <span class="en">Shared with consent</span></h2>
      ${rows.length ? html`<dl>${rows}</dl>` : html`<p>Không có <span class="en">Nothing</span></p>`}
      ${
        can.size
          ? html`<form id="answer">
              ${can.has('decline') ? html`<label>Lý do nếu từ chối <span class="en">Reason, if you decline</span><textarea name="reason"></textarea></label>` : ''}
              ${can.has('complete') ? html`<label>Kết quả <span class="en">Outcome</span><textarea name="outcome"></textarea></label>` : ''}
              ${can.has('accept') ? html`<button class="accept" value="accept">Nhận <span class="en">Accept</span></button>` : ''}
              ${can.has('decline') ? html`<button class="decline" value="decline">Từ chối <span class="en">Decline</span></button>` : ''}
              ${can.has('complete') ? html`<button class="complete" value="complete">Đã hoàn thành <span class="en">Completed</span></button>` : ''}
              <p id="said" role="status"></p>
            </form>`
          : ''
      }`,
    { scripts: can.size ? [PARTNER_SCRIPT_PATH] : [] },
  );
}

function endedPage(code: number, message: Bilingual) {
  return page(
    { vi: 'Chuyển gửi', en: 'Referral' },
    html`<h1>${message.vi}</h1>
      <p class="en">${message.en}</p>
      <p>${code}</p>`,
  );
}

export function partnerLinkRouter(deps: ApiDeps) {
  const router = newRouter();

  async function lookup(token: string): Promise<Found> {
    const found = TOKEN_SHAPE.test(token) ? await findReferralByTokenHash(deps.sql, deps.referralLinks.hashOf(token)) : undefined;
    // The hash finds the referral; the secret decides: a link made with a secret no longer
    // honoured (a rotation's previous one, once dropped) opens nothing, whoever computes it.
    if (!found || !deps.referralLinks.opens(found.id, token)) throw noSuchLink();
    return found;
  }

  const closed = () => new ApiError('referral_closed');

  // Before /{token}: no token has a dot, so this path is never a link's.
  router.get(PARTNER_SCRIPT_PATH.slice('/r'.length), (c) => {
    c.header('cache-control', 'no-cache');
    return c.body(PARTNER_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });

  /** What the partner hears when the case did not take the answer. */
  function refusalOf(err: unknown): unknown {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const code = err.cause.type as ErrorCode;
      const text = err.cause.details?.[0] as Bilingual | undefined;
      if (code === 'invalid_transition')
        return new ApiError('invalid_transition', [{ path: 'action', message: text ?? { vi: 'không được', en: 'not allowed' } }], text);
      if (code === 'referral_closed' || code === 'case_erased' || err.cause.type === ENDED_BEFORE_ANSWER) return closed();
      if (code === 'not_found') return noSuchLink();
    }
    if (err instanceof WorkflowNotFoundError) return closed();
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new ApiError('action_delayed');
    return err;
  }

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{token}',
      summary: 'A partner’s page for one referral (no account: the link is the credential)',
      description: 'HTML by default; Accept: application/json answers the same as JSON. 404 for a wrong link, 410 once the referral has ended.',
      security: [],
      request: { params: TokenParam },
      responses: {
        200: {
          description: 'The referral as the partner may see it',
          content: { 'text/html': { schema: z.string() }, 'application/json': { schema: PartnerReferralSchema } },
        },
        // A person's browser gets a page saying so; a system asking for JSON, the error envelope.
        ...Object.fromEntries(
          ([404, 410] as const).map((code) => [
            code,
            {
              description: code === 404 ? 'No referral has this link' : 'The referral has ended',
              content: { 'text/html': { schema: z.string() }, ...errorResponses(code)[code]!.content },
            },
          ]),
        ),
      },
    }),
    async (c) => {
      const wantsJson = /application\/json/.test(c.req.header('accept') ?? '') && !/text\/html/.test(c.req.header('accept') ?? '');
      try {
        const found = await lookup(c.req.valid('param').token);
        c.set('audit', { action: 'referral.partner_view', caseId: found.caseId, detail: { referralId: found.id, partnerId: found.partner.id } });
        if (TERMINAL_REFERRAL_STATUSES.includes(found.status)) throw closed();
        const view = partnerView(found);
        return wantsJson ? c.json(view, 200) : c.html(referralPage(view), 200);
      } catch (err) {
        if (wantsJson || !(err instanceof ApiError)) throw err;
        return c.html(endedPage(err.status, err.text), err.status as 404 | 410);
      }
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{token}',
      summary: 'A partner answers a referral: accept, decline (with a reason) or complete (with an outcome)',
      security: [],
      request: { params: TokenParam, body: { required: true, content: { 'application/json': { schema: PartnerAnswerSchema } } } },
      responses: {
        200: jsonContent(
          z.object({
            status: PartnerReferralSchema.shape.status,
            changed: z.boolean().describe('false when it repeated the last answer'),
            referral: PartnerReferralSchema,
          }),
          'The referral after the answer',
        ),
        ...errorResponses(404, 409, 410, 422),
      },
    }),
    async (c: Context<AppEnv, string, { out: { json: z.infer<typeof PartnerAnswerSchema>; param: { token: string } } }>) => {
      const answer = c.req.valid('json');
      const found = await lookup(c.req.valid('param').token);
      const audit = {
        action: 'referral.partner_answer',
        caseId: found.caseId,
        detail: { referralId: found.id, partnerId: found.partner.id, answer: answer.action },
      };
      c.set('audit', audit);
      const repeat = REFERRAL_MOVES[answer.action].to === found.status;
      if (!repeat && TERMINAL_REFERRAL_STATUSES.includes(found.status)) throw closed();
      let changed = false;
      if (!repeat) {
        try {
          const handle = deps.temporal.workflow.getHandle(found.caseId);
          const args = [{ referralId: found.id, ...answer, partner: { id: found.partner.id, name: found.partner.name } }] as const;
          changed = (await deps.temporal.withDeadline(Date.now() + deps.actionTimeoutMs, () => handle.executeUpdate(partnerAnswerUpdate, { args: [...args] })))
            .changed;
        } catch (err) {
          throw refusalOf(err);
        }
      }
      const after = await lookup(c.req.valid('param').token);
      c.set('audit', { ...audit, detail: { ...audit.detail, status: after.status, changed } });
      const view = partnerView(after);
      return c.json({ status: view.status, changed, referral: view }, 200);
    },
  );

  return router;
}
