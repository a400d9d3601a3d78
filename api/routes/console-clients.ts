// /app/clients: search and a client's page, through GET /clients and GET /cases?clientId=…, so a
// client is known only through a case in the reader's scope. Collaborators have no such page.
import { Hono } from 'hono';
import type { Case, CaseStatus } from '../../domain/case';
import type { Api } from '../console/api-call';
import { holidaysOf } from '../console/calendar';
import { clientMissing, clientPage, clientsPage } from '../console/clients-page';
import type { ClientMatch } from '../console/intake-page';
import { programmesOfClient } from '../console/client-programmes';
import { viewOf } from '../console/view';
import type { ApiDeps, AppEnv } from '../context';

export function consoleClientsRouter(deps: ApiDeps, api: Api) {
  const router = new Hono<AppEnv>();

  router.get('/app/clients', async (c) => {
    const v = viewOf(c, deps);
    if (v.principal.role === 'collaborator') return c.redirect('/app', 303);
    const query = { name: c.req.query('name')?.trim(), phone: c.req.query('phone')?.trim(), birthYear: c.req.query('birthYear')?.trim() };
    const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
    if (search.size === 0) return c.html(clientsPage(v, { query }), 200);
    const found = await api<{ items: ClientMatch[] }>(c, 'GET', `/clients?${search}&limit=50`);
    if (!found.ok) return c.html(clientsPage(v, { query, refused: found.error }), found.status as 422);
    return c.html(clientsPage(v, { query, found: found.body.items }), 200);
  });

  router.get('/app/clients/:id', async (c) => {
    const v = viewOf(c, deps);
    const id = encodeURIComponent(c.req.param('id'));
    const client = await api<ClientMatch & { district: string | null }>(c, 'GET', `/clients/${id}`);
    if (!client.ok) return c.html(clientMissing(v), 404);
    const [cases, holidays, programmes] = await Promise.all([
      api<{ items: Array<Case | CaseStatus> }>(c, 'GET', `/cases?clientId=${id}&limit=100`),
      holidaysOf(deps.sql, v.principal.province),
      programmesOfClient(api, c, client.body.id),
    ]);
    return c.html(clientPage(v, client.body, cases.ok ? cases.body.items : [], holidays, new Date(), programmes), 200);
  });
  return router;
}
