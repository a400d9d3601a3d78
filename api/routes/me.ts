// /me: the person calling, as they see and change themselves: how to reach them, their language,
// and the channels each kind of notice reaches them on. Integration tokens have no profile.
import { createRoute } from '@hono/zod-openapi';
import { findProfile, updateProfile } from '../../db/profiles';
import { MePatchSchema, MeSchema } from '../../domain/profile';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, jsonContent } from '../schemas';

export function meRouter(deps: ApiDeps) {
  const router = newRouter();
  const noProfile = () => new ApiError('not_found', [], { vi: 'Mã truy cập tích hợp không có hồ sơ cá nhân', en: 'An integration token has no profile' });

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Who you are, how you are reached, and on which channels',
      responses: { 200: jsonContent(MeSchema, 'You') },
    }),
    async (c) => {
      c.set('audit', { action: 'me.read' });
      const me = await findProfile(deps.sql, c.get('principal').id);
      if (!me) throw noProfile();
      return c.json(me, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/',
      summary: 'Change your contacts, language or channels (urgent notices always keep one channel)',
      request: { body: { required: true, content: { 'application/json': { schema: MePatchSchema } } } },
      responses: { 200: jsonContent(MeSchema, 'You, changed'), ...errorResponses(404, 422) },
    }),
    async (c) => {
      const patch = c.req.valid('json');
      c.set('audit', { action: 'me.update', detail: { fields: Object.keys(patch) } });
      const me = await updateProfile(deps.sql, c.get('principal').id, patch);
      if (!me) throw noProfile();
      return c.json(me, 200);
    },
  );
  return router;
}
