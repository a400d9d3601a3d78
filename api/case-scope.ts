// A case as the caller may see it, or 404: outside one's scope a case does not exist.
import type { Sql } from '../db/connect';
import { findCase } from '../db/cases';
import type { Principal } from '../domain/access';
import type { Case } from '../domain/case';
import { isUuid } from '../domain/ids';
import { ApiError } from './errors';

export async function caseInScope(sql: Sql, id: string, p: Principal): Promise<Case> {
  const found = isUuid(id) ? await findCase(sql, id, p) : undefined;
  if (!found) throw caseNotFound(id);
  return found;
}

/** The one answer for a case that does not exist, is outside one's scope, or may not be shown. */
export function caseNotFound(id: string): ApiError {
  return new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
    vi: `Không có trường hợp ${id}`,
    en: `No case with id ${id}`,
  });
}
