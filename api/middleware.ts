// Guards every request passes before it reaches a route.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { formatPath } from '../domain/paths';
import { unsafeText } from '../domain/input';
import { ApiError } from './errors';

/** Intakes are a few kilobytes; anything near this is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Policy documents: a generated 1,000-rule ruleset is about 400 KB. */
export const MAX_POLICY_BODY_BYTES = 2 * 1024 * 1024;

const limitTo = (maxSize: number): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError('payload_too_large', [], { vi: `Nội dung yêu cầu lớn hơn ${maxSize} byte`, en: `The request body is larger than ${maxSize} bytes` });
    },
  });
/** A register of a few years: 10,000 rows of CSV are about 2 MB. */
export const MAX_REGISTER_BODY_BYTES = 16 * 1024 * 1024;
const small = limitTo(MAX_BODY_BYTES);
const large = limitTo(MAX_POLICY_BODY_BYTES);
const register = limitTo(MAX_REGISTER_BODY_BYTES);

export const limitBody: MiddlewareHandler = (c, next) =>
  (c.req.path === '/imports' ? register : /^\/(rules|policies)(\/|$)/.test(c.req.path) ? large : small)(c, next);

/** Where a body is a file, not JSON: a register to import, as CSV. */
const FILE_BODIES: Record<string, RegExp> = {
  '/imports': /^(text\/csv|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)\s*(;|$)/i,
};

/** A body that is not JSON is refused before any route reads it. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const method = c.req.method;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const type = c.req.header('content-type');
    const length = c.req.header('content-length');
    const sendsBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    const file = FILE_BODIES[c.req.path];
    if (file && type && file.test(type)) return await next();
    // The console's forms post as browsers do.
    if (c.req.path.startsWith('/app/') && type && /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return await next();
    if (type === undefined ? sendsBody : !/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type)) {
      throw new ApiError('unsupported_media_type', [
        { path: 'Content-Type', message: type ? { vi: `"${type}" không phải JSON`, en: `"${type}" is not JSON` } : { vi: 'thiếu', en: 'missing' } },
      ]);
    }
  }
  await next();
};

/**
 * Text the database cannot hold is refused at the edge with 422 naming the field, before any
 * route, workflow or activity sees it: one NUL in a summary once wedged a case for good.
 */
export const refuseUnsafeText: MiddlewareHandler = async (c, next) => {
  const details: Array<{ path: string; message: { vi: string; en: string } }> = [];
  const say = { vi: 'có ký tự NUL hoặc ký tự Unicode không hoàn chỉnh', en: 'contains a NUL character or a broken Unicode character' };
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (unsafeText(name) || values.some(unsafeText)) details.push({ path: name, message: say });
  }
  const type = c.req.header('content-type') ?? '';
  if (/json/i.test(type) && ['POST', 'PUT', 'PATCH'].includes(c.req.method)) {
    let body: unknown;
    try {
      // The text is cached: the route's validator reads the same bytes without a second read.
      body = JSON.parse(await c.req.text());
    } catch {
      body = undefined; // malformed JSON: the route's validator answers it
    }
    // An explicit stack, not recursion: a hostile body may nest thousands of levels deep.
    const stack: Array<[unknown, PropertyKey[]]> = [[body, []]];
    while (stack.length > 0 && details.length < 20) {
      const [value, path] = stack.pop()!;
      if (typeof value === 'string') {
        if (unsafeText(value)) details.push({ path: formatPath(path) || '(body)', message: say });
      } else if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          const at = [...path, Array.isArray(value) ? Number(key) : key];
          if (unsafeText(key)) details.push({ path: formatPath(at), message: say });
          stack.push([child, at]);
        }
      }
    }
  }
  if (details.length > 0) throw new ApiError('validation_failed', details);
  await next();
};
