// One error envelope for every failure: { error: { code, message, details: [{ path, message }] } }.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { formatPath } from '../domain/paths';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string().openapi({ example: 'client.age' }), message: z.string() })),
    }),
  })
  .openapi('Error');

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details: ErrorDetail[] = []) {
  return { error: { code, message, details } };
}

export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) =>
    // A misspelt field is named itself, so the caller sees which one to fix.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: formatPath(issue.path) || '(body)', message: issue.message }],
  );
}

/** The zod-openapi hook: every schema failure becomes a 422 naming the fields. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target?: string },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  // Query and path parameters are named as the caller wrote them; body fields by their path.
  return c.json(errorBody('validation_failed', 'The request is not valid', zodDetails(result.error)), 422);
}

export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof HTTPException) {
    if (err.status === 413) return c.json(errorBody('payload_too_large', err.message), 413);
    if (err.status === 400 && /json/i.test(err.message)) {
      return c.json(errorBody('malformed_json', 'The request body is not valid JSON', [{ path: '(body)', message: err.message }]), 400);
    }
    return c.json(errorBody(`http_${err.status}`, err.message), err.status);
  }
  console.error(`[api] ${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody('internal', 'Something went wrong on our side; nothing was changed by this request'), 500);
}
