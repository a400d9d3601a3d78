// A case as the caller may see it, or 404: outside one's scope a case does not exist.
import type { Sql } from '../db/connect';
import { findCase } from '../db/cases';
import type { Principal } from '../domain/access';
import type { Case } from '../domain/case';
import { isUuid } from '../domain/ids';
import { ApiError } from './errors';

export async function caseInScope(sql: Sql, id: string, p: Principal): Promise<Case> {
  const found = isUuid(id) ? await findCase(sql, id, p) : undefined;
  if (!found) throw new ApiError(404, 'not_found', `No case with id ${id}`, [{ path: 'id', message: 'not found' }]);
  return found;
}
