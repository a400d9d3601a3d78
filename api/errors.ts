// One error envelope for every failure: { error: { code, message, details: [{ path, message }] } },
// the code from the catalogue (domain/errors.ts), the message in the language the request asks
// for (Accept-Language: vi or en; English when absent).
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { languageDetector } from 'hono/language';
import type { ZodError } from 'zod';
import { databaseUnreachable } from '../db/connect';
import { ERROR_CODES, ERRORS, type ErrorCode } from '../domain/errors';
import { PATTERN_MEANINGS, saidWords } from '../domain/input';
import { formatPath } from '../domain/paths';
import type { Bilingual } from '../domain/stages';

export type Language = keyof Bilingual;

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({
        example: 'validation_failed',
        description: ERROR_CODES.map((code) => `${code} (${ERRORS[code].status}): ${ERRORS[code].message.en}`).join('; '),
      }),
      message: z.string().describe('In the language of Accept-Language (vi or en), English by default'),
      details: z.array(z.object({ path: z.string().openapi({ example: 'client.age' }), message: z.string() })),
    }),
  })
  .openapi('Error');

export interface ErrorDetail {
  path: string;
  message: string | Bilingual;
}

export class ApiError extends Error {
  readonly status: (typeof ERRORS)[ErrorCode]['status'];

  /** `text` says more than the code's own message; without it, the catalogue's message is used. */
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetail[] = [],
    readonly text: Bilingual = ERRORS[code].message,
  ) {
    super(text.en);
    this.status = ERRORS[code].status;
  }
}

// The request's language, for zod's messages: zod builds them while it validates, deep inside the
// route's validator, where only the request's async context reaches.
const requestLanguage = new AsyncLocalStorage<Language>();
const vietnamese = z.locales.vi();
z.config({
  customError: (issue) => {
    const lang = requestLanguage.getStore() ?? 'en';
    // A pattern of domain/input.ts is said in words; zod would print the regular expression.
    const meaning = issue.code === 'invalid_format' && issue.format === 'regex' ? PATTERN_MEANINGS.get(String(issue.pattern)) : undefined;
    if (meaning) return meaning[lang];
    return lang === 'vi' ? vietnamese.localeError(issue) : undefined;
  },
});

/** Reads Accept-Language once per request; everything after it speaks that language. */
export const detectLanguage: MiddlewareHandler = async (c, next) => {
  await languageDetector({ supportedLanguages: ['en', 'vi'], fallbackLanguage: 'en', order: ['header'], caches: false })(c, async () => {});
  await requestLanguage.run(languageOf(c), next);
};

export function languageOf(c: Context): Language {
  return (c.get('language') as string | undefined) === 'vi' ? 'vi' : 'en';
}

const say = (text: string | Bilingual, lang: Language) => (typeof text === 'string' ? text : text[lang]);

export function errorBody(c: Context, code: ErrorCode, text: Bilingual = ERRORS[code].message, details: ErrorDetail[] = []) {
  const lang = languageOf(c);
  return { error: { code, message: text[lang], details: details.map((d) => ({ path: d.path, message: say(d.message, lang) })) } };
}

export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] =>
    // A misspelt field is named itself, so the caller sees which one to fix.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: { vi: 'trường không có trong mẫu', en: 'unknown field' } }))
      : [{ path: formatPath(issue.path) || '(body)', message: saidWords(issue) ?? issue.message }],
  );
}

/** The zod-openapi hook: every schema failure becomes a 422 naming the fields. */
export function validationHook(result: { success: true } | { success: false; error: ZodError; target?: string }, c: Context): Response | undefined {
  if (result.success) return undefined;
  // Query and path parameters are named as the caller wrote them; body fields by their path.
  return c.json(errorBody(c, 'validation_failed', undefined, zodDetails(result.error)), 422);
}

/** Temporal's failure of an update whose workflow ended before answering. */
export const ENDED_BEFORE_ANSWER = 'AcceptedUpdateCompletedWorkflow';

/** When a 503 asks to try again: a part `npm start` brings back, or one that hangs, is usually back by then. */
export const RETRY_AFTER_SECONDS = 5;

/** Temporal's service could not be reached (gRPC UNAVAILABLE), or the client's connection is gone. */
function temporalUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown; name?: string } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 14 /* grpc UNAVAILABLE */ || (e.name === 'ServiceError' && /UNAVAILABLE|shut down|ECONNREFUSED/i.test(String((e as Error).message))))
      return true;
  }
  return false;
}

export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(c, err.code, err.text, err.details), err.status);
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return c.json(errorBody(c, 'malformed_json', undefined, [{ path: '(body)', message: err.message }]), 400);
    }
    if (err.status === 400) return c.json(errorBody(c, 'bad_request', undefined, [{ path: '(request)', message: err.message }]), 400);
  }
  if (databaseUnreachable(err) || temporalUnreachable(err)) {
    // A part is down and being brought back (system/start.ts): say when to try again, not 500.
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json(errorBody(c, 'dependency_unavailable'), 503);
  }
  // With a request log, the failure goes in its line (api/request-log.ts); without one, to stderr.
  if (c.get('requestId')) c.set('failure', err);
  else console.error(`[api] ${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody(c, 'internal'), 500);
}
