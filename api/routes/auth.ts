// /auth/login: a username and password for a short-lived session token (api/login.ts counts the
// attempts; past the limit the answer is 429 whatever the password).
import { createRoute, z } from '@hono/zod-openapi';
import { exact } from '../../domain/input';
import { newRouter, type ApiDeps } from '../context';
import { logIn } from '../login';
import { errorResponses } from '../schemas';

const LoginSchema = z.strictObject({ username: exact(1, 100), password: exact(1, 200) }).openapi('Login');
const SessionSchema = z.object({ token: z.string(), expiresAt: z.iso.datetime() }).openapi('Session');

const login = createRoute({
  method: 'post',
  path: '/login',
  summary: 'Log in; answers a session token',
  request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
  responses: {
    200: { description: 'Logged in', content: { 'application/json': { schema: SessionSchema } } },
    ...errorResponses(400, 401, 422, 429),
  },
});

export function authRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json');
    return c.json(await logIn(deps, c, username, password), 200);
  });
  return router;
}
