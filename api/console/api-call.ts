// The console acts through the API itself, in the same process: each page's reads and every form's
// write are requests to the app's own routes with the person's session token. So the console has
// the API's roles, scope, validation, refusals, audit and rate limits — the same functions, never a
// second copy of the rules — and speaks the person's language through Accept-Language.
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import type { Lang } from './format';

export interface ApiError {
  code: string;
  message: string;
  details: Array<{ path: string; message: string }>;
}

export type ApiAnswer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiError };

export type AppFetch = (request: Request, env: unknown) => Response | Promise<Response>;

/** Headers of the browser's request the API reads too: where it came from (lockout, audit). */
const FORWARDED = ['x-forwarded-for', 'user-agent'];

export function apiCaller(appFetch: () => AppFetch) {
  return async function api<T>(
    c: Context<AppEnv>,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const headers = new Headers({
      authorization: `Bearer ${c.get('sessionToken')}`,
      'accept-language': c.get('language') as Lang,
      accept: 'application/json',
      ...extra,
    });
    for (const name of FORWARDED) {
      const value = c.req.header(name);
      if (value) headers.set(name, value);
    }
    if (body !== undefined) headers.set('content-type', 'application/json');
    // The page's calls log under the page's request id.
    const requestId = c.get('requestId');
    if (requestId) headers.set('x-request-id', requestId);
    // c.env carries the connection, so the API sees the browser's address as its own requests do.
    const res = await appFetch()(
      new Request(new URL(path, 'http://console.internal'), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
      c.env,
    );
    const json = (await res.json()) as unknown;
    if (res.ok) return { ok: true, status: res.status, body: json as T };
    return { ok: false, status: res.status, error: (json as { error: ApiError }).error };
  };
}

export type Api = ReturnType<typeof apiCaller>;

/** The API's own response, untouched: a download (CSV, XLSX) passed on to the browser as it is. */
export function rawCaller(appFetch: () => AppFetch) {
  return async (c: Context<AppEnv>, path: string): Promise<Response> => {
    const headers = new Headers({ authorization: `Bearer ${c.get('sessionToken')}`, 'accept-language': c.get('language') as Lang });
    return await appFetch()(new Request(new URL(path, 'http://console.internal'), { headers }), c.env);
  };
}

/** A list the API answers as `{ items }`; none when it refuses (a role without the list sees nothing). */
export async function listOf<T>(api: Api, c: Context<AppEnv>, path: string): Promise<T[]> {
  const answer = await api<{ items: T[] }>(c, 'GET', path);
  return answer.ok ? answer.body.items : [];
}
