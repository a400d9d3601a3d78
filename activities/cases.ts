// Case records in PostgreSQL.
import { insertCaseWithRouting, type NewCase } from '../db/cases';
import type { Sql } from '../db/connect';

export function createCaseActivities(deps: { sql: Sql; clock: () => Date }) {
  return {
    // A retry finds the rows of the first attempt and keeps them, decision time included.
    async recordIntake(input: Omit<NewCase, 'decidedAt'>): Promise<{ unitId: string | null; assigneeId: string | null }> {
      return await insertCaseWithRouting(deps.sql, { ...input, decidedAt: deps.clock() });
    },
  };
}
