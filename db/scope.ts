// Scope: the one filter that says which cases a person may see (docs/process.md, I4). Every read of
// cases — one case, lists, repeat links, work lists, notices — goes through it.
import type { Principal } from '../domain/access';
import type { Sql } from './connect';

/**
 * The cases a principal may see. Outside it a case does not exist for them (404, never 403), so
 * its existence does not leak. A restricted case is seen only by its assigned worker, its unit's
 * supervisor and managers.
 */
export function visibleTo(sql: Sql, p: Principal) {
  const province = sql`c.province = ${p.province}`;
  const unitSupervisor = sql`(select supervisor_id from units where id = c.unit_id) = ${p.id}`;
  switch (p.role) {
    case 'manager':
      return province;
    case 'admin':
      return sql`${province} and not c.restricted`;
    case 'supervisor':
      return sql`${province} and c.unit_id = ${p.unitId} and (not c.restricted or ${unitSupervisor})`;
    case 'social_worker':
      // Their unit's cases and the ones they took in (a hotline), unless restricted away from them.
      return sql`${province} and (c.assigned_worker_id = ${p.id} or ((c.unit_id = ${p.unitId} or c.reported_by = ${p.id}) and not c.restricted))`;
    case 'collaborator':
      return sql`${province} and c.reported_by = ${p.id}`;
  }
}

/**
 * The contacts a principal may see (issue 27): managers the province's, supervisors their unit's,
 * social workers their unit's and their own; administrators and collaborators none. A contact
 * that became a case is seen, beyond the one who recorded it, only by those who may see the case,
 * so a restricted case's story does not leak through the call that began it.
 */
export function contactVisibleTo(sql: Sql, p: Principal) {
  const province = sql`k.province = ${p.province}`;
  const byRole =
    p.role === 'manager'
      ? province
      : p.role === 'supervisor'
        ? sql`${province} and k.unit_id = ${p.unitId}`
        : p.role === 'social_worker'
          ? sql`${province} and (k.recorded_by = ${p.id} or k.unit_id = ${p.unitId})`
          : sql`false`;
  return sql`${byRole} and (k.case_id is null or k.recorded_by = ${p.id}
    or exists (select 1 from cases c where c.id = k.case_id and ${visibleTo(sql, p)})
    or not exists (select 1 from cases c where c.id = k.case_id))`;
}
