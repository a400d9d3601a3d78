// Appends one audit row for every request a route marked (c.set('audit', …)), with the
// outcome it had. Reads fail closed: if the row cannot be written, the data is not returned.
// Requests that end together are appended together (db/audit.ts: AuditAppender).
import type { MiddlewareHandler } from 'hono';
import { AuditAppender } from '../db/audit';
import { isUuid } from '../domain/ids';
import { printable } from '../domain/input';
import { clientAddress } from './auth';
import type { ApiDeps, AppEnv } from './context';
import { errorBody } from './errors';

export function auditTrail(deps: Pick<ApiDeps, 'sql' | 'trustProxy'>): MiddlewareHandler<AppEnv> {
  const audit = new AuditAppender(deps.sql);
  return async (c, next) => {
    await next();
    const note = c.get('audit');
    if (!note) return;
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    // A malformed id is answered 404 like an unknown one, and recorded as it was asked for.
    const caseId = note.caseId && isUuid(note.caseId) ? note.caseId : null;
    const detail = note.caseId && !caseId ? { ...note.detail, requestedId: printable(note.caseId) } : (note.detail ?? {});
    try {
      await audit.append({
        province: principal?.province ?? null,
        actorId: principal?.id ?? null,
        actor: principal?.name ?? null,
        role: principal?.role ?? null,
        action: note.action,
        caseId,
        address: clientAddress(c, deps.trustProxy),
        outcome: c.res.status,
        detail,
      });
    } catch (err) {
      console.error('[audit] could not append:', err);
      c.res = c.json(errorBody(c, 'audit_unavailable'), 503);
      c.res.headers.set('Retry-After', '5');
    }
  };
}
