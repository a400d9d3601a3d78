// Guards every request passes before it reaches a route.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
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
const small = limitTo(MAX_BODY_BYTES);
const large = limitTo(MAX_POLICY_BODY_BYTES);

export const limitBody: MiddlewareHandler = (c, next) => (/^\/(rules|policies)(\/|$)/.test(c.req.path) ? large : small)(c, next);

/** A body that is not JSON is refused before any route reads it. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const method = c.req.method;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const type = c.req.header('content-type');
    const length = c.req.header('content-length');
    const sendsBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    if (type === undefined ? sendsBody : !/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type)) {
      throw new ApiError('unsupported_media_type', [
        { path: 'Content-Type', message: type ? { vi: `"${type}" không phải JSON`, en: `"${type}" is not JSON` } : { vi: 'thiếu', en: 'missing' } },
      ]);
    }
  }
  await next();
};
