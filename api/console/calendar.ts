// The holidays the deadline policy in force skips, for saying how many working days remain.
import { publishedVersion } from '../../db/policies';
import type { Sql } from '../../db/connect';
import type { DeadlinePolicy } from '../../domain/deadlines';

export async function holidaysOf(sql: Sql, province: string): Promise<ReadonlySet<string>> {
  const policy = await publishedVersion<DeadlinePolicy>(sql, province, 'deadlines');
  return new Set(policy?.document.holidays ?? []);
}
