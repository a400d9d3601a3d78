// Every request has a deadline (issue 32, part 3). A PostgreSQL or a Temporal that hangs — stopped,
// its disk full, its network dropping packets — does not fail a call: it never answers it. Without
// a deadline each request would wait on it forever, and the person at the phone with it. So the
// whole request races a timer: past its budget the caller hears 503 `dependency_unavailable` with
// Retry-After, whatever it was waiting for (a pool connection, a statement, a gRPC call).
//
// The work itself is not abandoned: it goes on when the part answers again, and what it writes is
// kept. That is safe where a repeat is safe — an intake or a contact repeated with its
// Idempotency-Key answers the record the first try made — and for any other write the answer says
// that it may yet be recorded, so the person looks before sending it again.
import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { page } from './console/layout';
import { errorBody, languageOf, RETRY_AFTER_SECONDS } from './errors';
import { ERRORS } from '../domain/errors';
import type { Bilingual } from '../domain/stages';

/** REQUEST_DEADLINE_MS's default: longer than any ordinary request, short enough to wait at a phone. */
export const DEFAULT_REQUEST_DEADLINE_MS = 20_000;

/**
 * The requests whose work is long by nature, not by a hang: a part of a register import (500 rows,
 * each open one a workflow to start and route) and a backtest over every stored case — also from
 * the console's rules page, which runs one. They get LONG_FACTOR times the deadline.
 */
const LONG_REQUESTS: Array<[method: string, path: RegExp]> = [
  ['POST', /^\/imports\/?$/],
  ['POST', /^\/rules\/drafts\/[^/]+\/backtest\/?$/],
  ['POST', /^\/app\/rules\/?$/],
];
const LONG_FACTOR = 15;

/** How long a part of a request may wait on Temporal (routing, a staff action) inside the deadline. */
export function temporalWaits(deadlineMs: number) {
  // Their own, more precise answers (routing_delayed, action_delayed) must come before the deadline's.
  const wait = Math.max(1_000, deadlineMs - 5_000);
  return { routingTimeoutMs: Math.min(15_000, wait), actionTimeoutMs: wait };
}

export function budgetOf(method: string, path: string, deadlineMs: number): number {
  return LONG_REQUESTS.some(([m, p]) => m === method && p.test(path)) ? deadlineMs * LONG_FACTOR : deadlineMs;
}

const MAYBE_RECORDED: Bilingual = {
  vi: 'yêu cầu có thể vẫn được ghi nhận khi hệ thống trả lời lại; hãy xem lại trước khi gửi lại',
  en: 'the request may still be recorded when the part answers again; look before sending it again',
};

async function passed(c: Context): Promise<Response> {
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  const write = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
  const repeatable = !write || c.req.header('idempotency-key') !== undefined;
  // A console page answers a page (its own calls to the API, made inside it, answer JSON).
  if (c.req.path === '/app' || c.req.path.startsWith('/app/')) {
    const lang = languageOf(c);
    const words = ERRORS.dependency_unavailable.message;
    return await c.html(
      page(
        words,
        html`<main>
          <h1>${words[lang]}</h1>
          ${repeatable ? '' : html`<p>${MAYBE_RECORDED[lang]}</p>`}
        </main>`,
        { lang },
      ),
      503,
    );
  }
  return c.json(errorBody(c, 'dependency_unavailable', undefined, repeatable ? [] : [{ path: '(request)', message: MAYBE_RECORDED }]), 503);
}

/** Answers 503 when a request outlives its budget (budgetOf); the work goes on behind it. */
export function requestDeadline(deadlineMs: number): MiddlewareHandler {
  return async (c, next) => {
    let timer: NodeJS.Timeout | undefined;
    const work = next();
    const timedOut = await Promise.race([
      work.then(() => false),
      new Promise<true>((resolve) => {
        timer = setTimeout(() => resolve(true), budgetOf(c.req.method, c.req.path, deadlineMs));
      }),
    ]).finally(() => clearTimeout(timer));
    if (!timedOut) return;
    // What the work does later (an answer, a failure) has nobody to go to: its failure is logged by
    // the error handler as any other, and its answer is dropped.
    work.catch(() => {});
    c.res = await passed(c);
  };
}
